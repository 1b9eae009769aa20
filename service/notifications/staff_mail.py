"""E-mail to staff members about their cases: a case assigned to them, the tenant added
information, an acute case not acknowledged (escalation), and the managers' daily digest.

Dutch first with English below (staff have no language of their own, like the corporation's
mail). Nothing of the tenant: staff follow the link to the case page for that.
"""

from datetime import date, datetime
from email.message import Message
from typing import Any

from service.domain.categories import Category, category_label
from service.domain.dates_in_words import long_date, long_moment
from service.notifications.mail import Envelope, address_line, bilingual, case_page
from service.web.texts import PAGE_TEXTS


def _label(key: str, language: str) -> str:
    """The words the case pages use, so the mail and the page say the same."""
    return PAGE_TEXTS[key][1 if language == "en" else 0]


def _case_lines(payload: dict[str, Any], language: str) -> list[str]:
    """Reference, kind of damage, address and acute: what identifies the case in a mail."""
    category = category_label(Category(payload["category"]), language)
    if language == "en":
        return [
            f"Reference: {payload['reference']}",
            f"Kind of damage: {category}",
            f"Address: {address_line(payload)}",
            f"Acute: {'yes' if payload['acute'] else 'no'}",
        ]
    return [
        f"Referentie: {payload['reference']}",
        f"Soort schade: {category}",
        f"Adres: {address_line(payload)}",
        f"Acuut: {'ja' if payload['acute'] else 'nee'}",
    ]


def assigned(envelope: Envelope, payload: dict[str, Any]) -> Message:
    """A colleague assigned a case to the recipient."""
    reference, by = payload["reference"], payload["assigned_by"]
    link = case_page(envelope, reference)
    subject = f"Schademelding {reference} aan u toegewezen / Case {reference} assigned to you"
    dutch = [
        f"{by} heeft schademelding {reference} aan u toegewezen.",
        "",
        *_case_lines(payload, "nl"),
        "",
        f"Bekijk de melding: {link}",
    ]
    english = [
        f"{by} assigned case {reference} to you.",
        "",
        *_case_lines(payload, "en"),
        "",
        f"View the case: {link}",
    ]
    return bilingual(envelope, subject, dutch, english)


def tenant_message(envelope: Envelope, payload: dict[str, Any]) -> Message:
    """The tenant added information to the recipient's case (the text stays on the page)."""
    reference = payload["reference"]
    link = case_page(envelope, reference)
    subject = (
        f"Nieuwe informatie van de huurder bij {reference} / "
        f"The tenant added information to {reference}"
    )
    dutch = [
        f"De huurder heeft informatie of een foto toegevoegd aan schademelding {reference}, "
        "die aan u is toegewezen. U ziet het bij de melding.",
        "",
        *_case_lines(payload, "nl"),
        "",
        f"Bekijk de melding: {link}",
    ]
    english = [
        f"The tenant added information or a photo to case {reference}, which is assigned to "
        "you. You find it on the case page.",
        "",
        *_case_lines(payload, "en"),
        "",
        f"View the case: {link}",
    ]
    return bilingual(envelope, subject, dutch, english)


def escalation(envelope: Envelope, payload: dict[str, Any]) -> Message:
    """An acute case is not acknowledged: 2 hours after the report, and at its deadline."""
    reference = payload["reference"]
    link = case_page(envelope, reference)
    reported = {
        lang: long_moment(datetime.fromisoformat(payload["reported_at"]), lang)
        for lang in ("nl", "en")
    }
    due = {
        lang: long_moment(datetime.fromisoformat(payload["acknowledge_by"]), lang)
        for lang in ("nl", "en")
    }
    corporation = payload.get("corporation_name")
    if payload["stage"] == "deadline":
        subject = (
            f"ACUUT, termijn verstreken: {reference} nog niet opgepakt / "
            f"Acute, deadline passed: {reference} not acknowledged"
        )
        opening_nl = (
            f"De termijn om acute schademelding {reference} op te pakken is verstreken "
            f"({due['nl']}). De melding is nog steeds niet opgepakt."
        )
        opening_en = (
            f"The deadline to acknowledge acute case {reference} has passed ({due['en']}). "
            "It is still not acknowledged."
        )
    else:
        subject = (
            f"ACUUT: {reference} na 2 uur nog niet opgepakt / "
            f"Acute: {reference} not acknowledged after 2 hours"
        )
        opening_nl = (
            f"Acute schademelding {reference} is 2 uur na de melding nog niet opgepakt. "
            f"De termijn verstrijkt {due['nl']}."
        )
        opening_en = (
            f"Acute case {reference} is not acknowledged 2 hours after it was reported. "
            f"The deadline is {due['en']}."
        )
    dutch = [
        opening_nl,
        f"Corporatie: {corporation}"
        if corporation
        else "De melding is nog niet aan een corporatie toegewezen.",
        "",
        *_case_lines(payload, "nl"),
        f"Gemeld: {reported['nl']}",
        "",
        f"Bekijk de melding: {link}",
    ]
    english = [
        opening_en,
        f"Corporation: {corporation}"
        if corporation
        else "The case is not routed to a corporation yet.",
        "",
        *_case_lines(payload, "en"),
        f"Reported: {reported['en']} (Amsterdam time)",
        "",
        f"View the case: {link}",
    ]
    return bilingual(envelope, subject, dutch, english)


def _digest_section(
    envelope: Envelope, cases: list[dict[str, Any]], total: int, state: str, language: str
) -> list[str]:
    """One list of the digest: each case with the step it is late (or nearly) for, and a link;
    a list cut short ends with the work queue that shows them all."""
    heading = _label(f"deadline_{state}", language)
    lines = [f"{heading} ({total}):"]
    for case in cases:
        step = _label(f"stage_{case['stage']}", language)
        lines.append(
            f"- {case['reference']} · {step} {long_moment(datetime.fromisoformat(case['due']), language)}: "
            f"{case_page(envelope, case['reference'])}"
        )
    if total > len(cases):
        more = total - len(cases)
        all_of_them = f"{envelope.public_base_url}/work?deadline={state}"
        lines.append(
            f"… and {more} more: {all_of_them}"
            if language == "en"
            else f"… en nog {more}: {all_of_them}"
        )
    return [*lines, ""] if total else []


def digest(envelope: Envelope, payload: dict[str, Any]) -> Message:
    """A manager's morning list: the corporation's open cases past a deadline or nearly."""
    day = date.fromisoformat(payload["day"])
    corporation = payload["corporation_name"]
    sections = {
        language: [
            line
            for state in ("breached", "at_risk")
            for line in _digest_section(
                envelope, payload[state], payload[f"{state}_total"], state, language
            )
        ]
        for language in ("nl", "en")
    }
    subject = (
        f"Termijnen {corporation} {day:%d-%m-%Y}: {payload['breached_total']} te laat, "
        f"{payload['at_risk_total']} bijna te laat / "
        f"Deadlines: {payload['breached_total']} overdue, {payload['at_risk_total']} at risk"
    )
    dutch = [
        f"Dagoverzicht van {long_date(day, 'nl')}: de open schademeldingen van {corporation} "
        "waarvan een termijn verstreken is of bijna verstrijkt.",
        "",
        *sections["nl"],
    ]
    english = [
        f"Daily digest of {long_date(day, 'en')}: the open cases of {corporation} past a "
        "deadline or nearly so.",
        "",
        *sections["en"],
    ]
    return bilingual(envelope, subject, dutch, english)
