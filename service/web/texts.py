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
    "other_language": ("English", "Nederlands"),
    "report_title": ("Schade melden", "Report damage"),
    "report_intro": (
        "Meld hier schade door aardbevingen aan uw huurwoning. Wij sturen uw melding door "
        "naar de woningcorporatie die eigenaar is van uw woning.",
        "Report earthquake damage to your rented home here. We pass your report on to the "
        "housing corporation that owns your home.",
    ),
    "danger": (
        "Is er direct gevaar voor mensen? Bel eerst 112.",
        "Are lives in danger? Call 112 first.",
    ),
    "your_home": ("Uw woning", "Your home"),
    "postcode": ("Postcode", "Postcode"),
    "house_number": ("Huisnummer", "House number"),
    "house_letter": ("Huisletter", "House letter"),
    "addition": ("Toevoeging", "Addition"),
    "what_damage": ("Wat is er beschadigd?", "What is damaged?"),
    "acute": (
        "Dit kan plotseling onveilig worden (acuut)",
        "This could suddenly become unsafe (acute)",
    ),
    "acute_hint": (
        "Bel 112 als er levensgevaar is. Acute meldingen behandelen wij binnen 4 uur.",
        "Call 112 when lives are in danger. We handle acute reports within 4 hours.",
    ),
    "description": ("Beschrijf de schade", "Describe the damage"),
    "description_hint": (
        "Waar zit de schade, hoe groot is die, sinds wanneer?",
        "Where is the damage, how large is it, since when?",
    ),
    "contact": ("Uw gegevens", "Your details"),
    "name": ("Naam", "Name"),
    "email": ("E-mailadres", "Email address"),
    "phone": ("Telefoonnummer", "Phone number"),
    "language": ("Taal voor berichten", "Language for messages"),
    "privacy": (
        "Wij gebruiken uw gegevens alleen om uw melding te behandelen en contact met u op te "
        "nemen. De woningcorporatie ziet ze; anderen niet.",
        "We use your details only to handle your report and to contact you. The housing "
        "corporation sees them; nobody else does.",
    ),
    "submit": ("Melding versturen", "Send report"),
    "form_has_errors": (
        "Niet alles is goed ingevuld. Kijk bij de velden met een melding.",
        "Not everything is filled in correctly. See the fields with a message.",
    ),
    "done_title": ("Uw melding is ontvangen", "Your report has been received"),
    "your_reference": ("Uw referentie", "Your reference"),
    "keep_link_now": (
        "Bewaar deze link goed: alleen hiermee kunt u uw melding volgen. We tonen hem maar één keer.",
        "Keep this link safe: it is the only way to follow your report. We show it only once.",
    ),
    "follow_report": ("Volg uw melding", "Follow your report"),
    "is_it_repaired": ("Is de schade hersteld?", "Is the damage repaired?"),
    "confirm_repair": ("Ja, de schade is hersteld", "Yes, the damage is repaired"),
    "reopen_reason": ("Nee, want:", "No, because:"),
    "reopen": ("Melding heropenen", "Reopen the report"),
    "add_information": ("Informatie toevoegen", "Add information"),
    "your_addition": ("Uw aanvulling", "Your addition"),
    "send": ("Versturen", "Send"),
    "action_done": ("Dank u, dat is verwerkt.", "Thank you, that has been recorded."),
    "action_not_possible": (
        "Dat kan nu niet meer. Neem contact op met uw woningcorporatie of doe een nieuwe melding.",
        "That is no longer possible. Contact your housing corporation or make a new report.",
    ),
    "sign_in": ("Inloggen", "Sign in"),
    "password": ("Wachtwoord", "Password"),
    "sign_in_failed": (
        "Dit e-mailadres en wachtwoord horen niet bij elkaar.",
        "This email address and password do not match.",
    ),
    "signed_in_as": ("Ingelogd als", "Signed in as"),
    "sign_out": ("Uitloggen", "Sign out"),
    "work_title": ("Werkvoorraad", "Work queue"),
    "queue_empty": ("Er zijn geen open meldingen.", "There are no open cases."),
    "acute_badge": ("Acuut", "Acute"),
    "deadline_on_time": ("Op tijd", "On time"),
    "deadline_at_risk": ("Bijna te laat", "At risk"),
    "deadline_breached": ("Te laat", "Overdue"),
    "stage_acknowledge": ("Oppakken uiterlijk", "Acknowledge by"),
    "stage_inspect": ("Inspecteren uiterlijk", "Inspect by"),
    "stage_resolve": ("Afhandelen uiterlijk", "Resolve by"),
    "skip_to_content": ("Naar de inhoud", "Skip to content"),
    "staff_menu": ("Menu", "Menu"),
    "back_to_work": ("Terug naar de werkvoorraad", "Back to the work queue"),
    "forbidden_title": ("Geen toegang", "No access"),
    "forbidden_text": (
        "Uw rol geeft geen toegang tot deze pagina.",
        "Your role does not give access to this page.",
    ),
    "case_not_found_title": ("Zaak niet gevonden", "Case not found"),
    "case_not_found_text": (
        "Deze zaak bestaat niet of valt buiten uw corporatie.",
        "This case does not exist or belongs to another corporation.",
    ),
    # Case page texts
    # Triage page texts
    "triage_title": ("Triage", "Triage"),
    # Dashboard page texts
    "dashboard_title": ("Dashboard", "Dashboard"),
    "not_found_title": ("Melding niet gevonden", "Report not found"),
    "not_found_text": (
        "Controleer of u de volledige link uit uw bevestiging gebruikt.",
        "Check that you used the complete link from your confirmation.",
    ),
}

# Messages next to a form field that is not right, by field.
FIELD_ERRORS: dict[str, tuple[str, str]] = {
    "category": ("Kies wat er beschadigd is.", "Choose what is damaged."),
    "description": (
        "Beschrijf de schade (hooguit 5000 tekens).",
        "Describe the damage (5000 characters at most).",
    ),
    "postcode": (
        "Vul een geldige postcode in, zoals 9711 AB.",
        "Enter a valid postcode, like 9711 AB.",
    ),
    "house_number": ("Vul een huisnummer in, zoals 12.", "Enter a house number, like 12."),
    "house_letter": (
        "Een huisletter is één letter, zoals A.",
        "A house letter is one letter, like A.",
    ),
    "addition": (
        "Een toevoeging is hooguit 4 letters of cijfers.",
        "An addition is at most 4 letters or digits.",
    ),
    "name": ("Vul uw naam in.", "Enter your name."),
    "email": ("Dit is geen geldig e-mailadres.", "This is not a valid email address."),
    "phone": ("Een telefoonnummer heeft 6 tot 15 cijfers.", "A phone number has 6 to 15 digits."),
    "reporter": (
        "Vul een e-mailadres of telefoonnummer in, zodat we u kunnen bereiken.",
        "Enter an email address or phone number so we can reach you.",
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


def field_error(field: str, language: str) -> str:
    return FIELD_ERRORS[field][1 if language == "en" else 0]
