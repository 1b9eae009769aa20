"""What the tenant reads in the public timeline, in their language."""

from datetime import date, datetime
from typing import Any

from service.domain.dates_in_words import long_date, long_moment
from service.domain.permissions import TENANT_REACTION_WINDOW
from service.domain.workflow import TENANT_REACTION_DAYS

# (Dutch, English) for each kind of public event.
_EVENT_TEXTS: dict[str, tuple[str, str]] = {
    "reported": ("Uw melding is ontvangen.", "Your report has been received."),
    "routed": (
        "Uw melding is doorgestuurd naar {corporation}.",
        "Your report has been passed to {corporation}.",
    ),
    "transferred": (
        "Uw melding is doorgestuurd naar {corporation}.",
        "Your report has been passed to {corporation}.",
    ),
    "note": ("Bericht van de woningcorporatie: {text}", "Message from the corporation: {text}"),
    "tenant_message": ("Uw aanvulling: {text}", "Your addition: {text}"),
    "unrouted": (
        "We zoeken uit welke woningcorporatie eigenaar is van uw woning.",
        "We are finding out which housing corporation owns your home.",
    ),
    "erasure_requested": (
        "U heeft gevraagd om uw gegevens te verwijderen. Dat gebeurt uiterlijk {erase_by}.",
        "You asked us to erase your data. This happens by {erase_by} at the latest.",
    ),
}

# (Dutch, English) for a status change, by the status the case moved to.
_STATUS_TEXTS: dict[str, tuple[str, str]] = {
    "new": (
        "Uw melding ligt bij de woningcorporatie.",
        "Your report is with the housing corporation.",
    ),
    "acknowledged": (
        "De woningcorporatie heeft uw melding in behandeling genomen.",
        "The housing corporation is handling your report.",
    ),
    "inspection_planned": (
        "Er is een inspectie van de schade gepland.",
        "An inspection of the damage has been planned.",
    ),
    "inspected": ("De schade is geïnspecteerd.", "The damage has been inspected."),
    "repair_planned": ("Het herstel is gepland.", "The repair has been planned."),
    "referred": (
        "Uw melding is doorgezet naar een instantie voor mijnbouwschade.",
        "Your report has been passed on to an agency for mining damage.",
    ),
    "on_hold": (
        "Uw melding staat even stil; de woningcorporatie neemt contact met u op.",
        "Your report is paused; the housing corporation will contact you.",
    ),
    "resolved": (
        "De woningcorporatie meldt dat het werk klaar is. Klopt dat? Bevestig of heropen "
        "binnen {days} dagen: vóór {react_before}.",
        "The housing corporation reports the work is done. Is it? Confirm or reopen within "
        "{days} days: before {react_before}.",
    ),
    "closed": ("Uw melding is afgesloten.", "Your report is closed."),
    "rejected": ("Uw melding is afgewezen.", "Your report was not accepted."),
}
# (Dutch, English) for a status change that carries its detail: the visit planned, the
# agency the report went to. Old events without the detail keep the words above.
_PLANNED_TEXTS: dict[str, tuple[str, str]] = {
    "inspection_planned": (
        "Er is een inspectie van de schade gepland op {planned}.",
        "An inspection of the damage has been planned for {planned}.",
    ),
    "repair_planned": (
        "Het herstel is gepland op {planned}.",
        "The repair has been planned for {planned}.",
    ),
}
_AGENCIES: dict[str, tuple[str, str]] = {
    "IMG": (
        "het IMG (Instituut Mijnbouwschade Groningen)",
        "the IMG (Institute for Mining Damage Groningen)",
    ),
    "NCG": (
        "de NCG (Nationaal Coördinator Groningen)",
        "the NCG (National Coordinator Groningen)",
    ),
}
_REFERRED_TO = (
    "Uw melding is doorgezet naar {agency}.",
    "Your report has been passed on to {agency}.",
)
_THEIR_REFERENCE = (" Hun kenmerk is {reference}.", " Their reference is {reference}.")
# Before the resolution's words, when the staff recorded the repair's day.
_REPAIRED_ON = ("Hersteld op {repaired}. ", "Repaired on {repaired}. ")
_FALLBACK = ("De status van uw melding is bijgewerkt.", "The status of your report was updated.")

# Who calls depends on whether the home's corporation is known yet (the confirmation says
# which); the advice says only what holds either way. Between the two: emergency_call.
ACUTE_DANGER = {
    "nl": "Is er direct gevaar voor mensen? Bel 112. Verlaat bij twijfel de woning.",
    "en": "Are lives in danger? Call 112. If in doubt, leave the home.",
}
ACUTE_CALLBACK = {
    "nl": "Binnen 4 uur neemt iemand contact met u op over uw melding.",
    "en": "Within 4 hours someone will contact you about your report.",
}
# Whom to call when the home is unsafe before anyone called back, at night too (issue 13,
# point 2): the corporation's emergency number; without one, where the tenant finds it.
_EMERGENCY_NUMBER = (
    "Is uw woning onveilig, ook 's avonds, 's nachts of in het weekend? "
    "Bel het spoednummer van {corporation}: {phone}.",
    "Is your home unsafe, also in the evening, at night or at the weekend? "
    "Call the emergency number of {corporation}: {phone}.",
)
_EMERGENCY_NUMBER_UNKNOWN = (
    "Is uw woning onveilig, ook 's avonds, 's nachts of in het weekend? "
    "Bel het spoednummer van {corporation}. Dat staat op hun website en in uw huurcontract.",
    "Is your home unsafe, also in the evening, at night or at the weekend? "
    "Call the emergency number of {corporation}. You find it on their website and in your "
    "tenancy agreement.",
)
_EMERGENCY_LANDLORD = (
    "We weten nog niet van welke woningcorporatie uw woning is. Is uw woning onveilig, ook "
    "'s avonds, 's nachts of in het weekend? Bel het spoednummer van uw verhuurder. Dat staat "
    "in uw huurcontract.",
    "We do not know yet which corporation your home belongs to. Is your home unsafe, also in "
    "the evening, at night or at the weekend? Call your landlord's emergency number. You find "
    "it in your tenancy agreement.",
)


def emergency_call(language: str, corporation: str | None, phone: str | None) -> str:
    """Whom the tenant of an acute report calls at any hour; {phone} stays in the text for
    a page to make it a link (format it with phone=the number for plain text)."""
    index = 0 if language == "nl" else 1
    if corporation is None:
        return _EMERGENCY_LANDLORD[index]
    text = (_EMERGENCY_NUMBER if phone else _EMERGENCY_NUMBER_UNKNOWN)[index]
    return text.replace("{corporation}", corporation)


def acute_advice(language: str, corporation: str | None, phone: str | None) -> str:
    """The advice for an acute report, as plain text: 112, the emergency number, the call."""
    call = emergency_call(language, corporation, phone).replace("{phone}", phone or "")
    return f"{ACUTE_DANGER[language]} {call} {ACUTE_CALLBACK[language]}"


# (Dutch, English) for a photo or document added or removed: by event kind, whether the
# tenant added it, and the attachment's kind.
_ATTACHMENT_TEXTS: dict[tuple[str, bool, str], tuple[str, str]] = {
    ("attachment_added", True, "photo"): ("U heeft een foto toegevoegd.", "You added a photo."),
    ("attachment_removed", True, "photo"): ("U heeft een foto verwijderd.", "You removed a photo."),
    ("attachment_added", False, "photo"): (
        "De woningcorporatie heeft een foto met u gedeeld.",
        "The corporation shared a photo with you.",
    ),
    ("attachment_removed", False, "photo"): (
        "De woningcorporatie heeft een gedeelde foto weggehaald.",
        "The corporation took back a photo it shared.",
    ),
    ("attachment_added", False, "document"): (
        "De woningcorporatie heeft een document met u gedeeld: {title}",
        "The corporation shared a document with you: {title}",
    ),
    ("attachment_removed", False, "document"): (
        "De woningcorporatie heeft een gedeeld document weggehaald: {title}",
        "The corporation took back a document it shared: {title}",
    ),
}


def _status_texts(to_status: str, data: dict[str, Any]) -> tuple[str, str] | None:
    if to_status == "resolved" and data.get("repaired_on"):
        dutch, english = _STATUS_TEXTS["resolved"]
        return _REPAIRED_ON[0] + dutch, _REPAIRED_ON[1] + english
    if to_status in _PLANNED_TEXTS and data.get("planned_at"):
        return _PLANNED_TEXTS[to_status]
    if to_status == "referred" and data.get("referred_to") in _AGENCIES:
        if data.get("external_reference"):
            return _REFERRED_TO[0] + _THEIR_REFERENCE[0], _REFERRED_TO[1] + _THEIR_REFERENCE[1]
        return _REFERRED_TO
    return _STATUS_TEXTS.get(to_status)


def _texts(kind: str, to_status: str | None, data: dict[str, Any]) -> tuple[str, str]:
    attachment = (kind, bool(data.get("added_by_tenant")), str(data.get("kind")))
    return (
        _EVENT_TEXTS.get(kind)
        or _ATTACHMENT_TEXTS.get(attachment)
        or _status_texts(to_status or "", data)
        or _FALLBACK
    )


def timeline_text(
    kind: str, to_status: str | None, data: dict[str, Any], language: str, at: datetime
) -> str:
    """The words for an event that happened `at`: a resolved case may be confirmed or
    reopened until the reaction window after it has passed."""
    dutch, english = _texts(kind, to_status, data)
    template = english if language == "en" else dutch
    planned = data.get("planned_at")
    repaired = data.get("repaired_on")
    erase_by = data.get("erase_by")
    agency = _AGENCIES.get(str(data.get("referred_to")), ("", ""))
    return template.format(
        corporation=data.get("corporation_name", ""),
        text=data.get("text", ""),
        title=data.get("title", ""),
        planned=long_moment(datetime.fromisoformat(planned), language) if planned else "",
        repaired=long_date(date.fromisoformat(repaired), language) if repaired else "",
        # Only the resolution's words say it: worked out for every event, it was most of the
        # cost of a timeline.
        react_before=(
            long_moment(at + TENANT_REACTION_WINDOW, language)
            if "{react_before}" in template
            else ""
        ),
        days=TENANT_REACTION_DAYS,
        agency=agency[1] if language == "en" else agency[0],
        reference=data.get("external_reference", ""),
        erase_by=long_date(date.fromisoformat(erase_by), language) if erase_by else "",
    )
