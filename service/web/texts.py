"""Words of the web pages, Dutch first, English second: one table for every text."""

from service.domain.workflow import Status

PAGE_TEXTS: dict[str, tuple[str, str]] = {
    "site_name": ("Aardbevingsschade melden", "Report earthquake damage"),
    "your_report": ("Uw melding", "Your report"),
    "category": ("Soort schade", "Kind of damage"),
    "your_description": ("Uw beschrijving", "Your description"),
    "handled_by": ("Behandeld door", "Handled by"),
    "finding_corporation": (
        "We zoeken uit welke woningcorporatie eigenaar is",
        "We are finding out which corporation owns the home",
    ),
    "reported_on": ("Gemeld op", "Reported on"),
    "contact_by": ("Contact uiterlijk", "Contact by"),
    "inspect_by": ("Inspectie uiterlijk", "Inspection by"),
    "resolve_by": ("Afgehandeld uiterlijk", "Resolved by"),
    "history": ("Verloop", "History"),
    "keep_link": (
        "Bewaar deze link: alleen u kunt hiermee uw melding volgen.",
        "Keep this link: only you can follow your report with it.",
    ),
    "acute_notice": (
        "U meldde een mogelijk acuut onveilige situatie. Is er direct gevaar? Bel 112.",
        "You reported a possibly acute unsafe situation. Are lives in danger? Call 112.",
    ),
    "not_found_title": ("Melding niet gevonden", "Report not found"),
    "not_found_text": (
        "Controleer of u de volledige link uit uw bevestiging gebruikt.",
        "Check that you used the complete link from your confirmation.",
    ),
}

STATUS_LABELS: dict[Status, tuple[str, str]] = {
    Status.UNROUTED: ("Ontvangen", "Received"),
    Status.NEW: ("Doorgestuurd naar de corporatie", "Passed to the corporation"),
    Status.ACKNOWLEDGED: ("In behandeling", "Being handled"),
    Status.INSPECTION_PLANNED: ("Inspectie gepland", "Inspection planned"),
    Status.INSPECTED: ("Geïnspecteerd", "Inspected"),
    Status.REPAIR_PLANNED: ("Herstel gepland", "Repair planned"),
    Status.REFERRED: ("Doorgezet naar IMG of NCG", "Passed on to IMG or NCG"),
    Status.ON_HOLD: ("Wacht op afspraak", "Waiting for an appointment"),
    Status.RESOLVED: ("Hersteld", "Repaired"),
    Status.CLOSED: ("Afgesloten", "Closed"),
    Status.REJECTED: ("Afgewezen", "Not accepted"),
}


def page_texts(language: str) -> dict[str, str]:
    index = 1 if language == "en" else 0
    return {key: texts[index] for key, texts in PAGE_TEXTS.items()}


def status_label(status: Status, language: str) -> str:
    return STATUS_LABELS[status][1 if language == "en" else 0]
