"""The tenant's e-mails, in their language (Dutch or English), plain text and HTML.

Every builder makes the tracking link again from the case's salt and SECRET_KEY: the outbox
holds the salt, never the link. A case filed before salts were kept has none; its e-mails
point to "lost your link?" instead, which gives it a new link.
"""

import html
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import Message
from typing import Any

from service.domain.calendar import AMSTERDAM
from service.domain.dates_in_words import clock_time, last_day, long_date
from service.domain.workflow import Status
from service.notifications import ics
from service.notifications.mail import Attachment, Envelope, address_line, compose
from service.reports.intake import tracking_url
from service.reports.timeline import emergency_call
from service.reports.tokens import derived_tracking_token
from service.web.texts import status_label

LOST_LINK_PATH = "/lost-link"
# A planned visit has a start only; the calendar item holds this much of the day.
VISIT_LENGTH = timedelta(hours=1)

_AGENCIES = {
    "IMG": ("het Instituut Mijnbouwschade Groningen", "the Institute for Mining Damage Groningen"),
    "NCG": ("de Nationaal Coördinator Groningen", "the National Coordinator Groningen"),
}


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Quote:
    """Words of someone else (a corporation's note), shown as they wrote them."""

    text: str


Part = str | Link | Quote


def _language(payload: dict[str, Any]) -> str:
    return "en" if payload.get("language") == "en" else "nl"


def _pick(language: str, dutch: str, english: str) -> str:
    return english if language == "en" else dutch


def case_link(envelope: Envelope, reference: str, salt_hex: str | None, case_id: str) -> str | None:
    """The tracking link, made again now; None for a case without a salt."""
    if not salt_hex:
        return None
    token = derived_tracking_token(envelope.secret_key, uuid.UUID(case_id), bytes.fromhex(salt_hex))
    return tracking_url(envelope.public_base_url, reference, token)


def _follow(envelope: Envelope, payload: dict[str, Any], language: str) -> list[Part]:
    link = case_link(
        envelope, payload["reference"], payload.get("tracking_salt"), payload["case_id"]
    )
    if link is not None:
        return [Link(_pick(language, "Bekijk uw melding", "View your report"), link)]
    return [
        _pick(
            language,
            "Bekijk uw melding met de link die u kreeg toen u de schade meldde. "
            "Bent u die link kwijt? Vraag een nieuwe aan:",
            "View your report with the link you were given when you reported the damage. "
            "Lost it? Ask for a new one:",
        ),
        Link(
            _pick(language, "Link kwijt?", "Lost your link?"),
            envelope.public_base_url + LOST_LINK_PATH,
        ),
    ]


def _send(
    envelope: Envelope,
    language: str,
    subject: str,
    parts: list[Part],
    attachments: Sequence[Attachment] = (),
) -> Message:
    closing = [
        _pick(
            language,
            "Met vriendelijke groet,\nSchademelding Groningen",
            "Kind regards,\nSchademelding Groningen (damage reports)",
        ),
        _pick(
            language,
            "Dit is een automatisch bericht. U kunt hier niet op antwoorden.",
            "This message was sent automatically. Please do not reply to it.",
        ),
    ]
    greeting = _pick(language, "Beste huurder,", "Dear tenant,")
    every = [greeting, *parts, *closing]
    text = "\n\n".join(_plain(part) for part in every)
    body = "".join(_html(part) for part in every)
    page = f'<!doctype html><html lang="{language}"><body>{body}</body></html>\n'
    return compose(envelope, subject, text, page, attachments)


def _plain(part: Part) -> str:
    if isinstance(part, Link):
        return f"{part.label}: {part.url}"
    if isinstance(part, Quote):
        return "\n".join(f"> {line}" for line in part.text.splitlines() or [""])
    return part


def _html(part: Part) -> str:
    if isinstance(part, Link):
        return f'<p><a href="{html.escape(part.url)}">{html.escape(part.label)}</a></p>'
    if isinstance(part, Quote):
        lines = "<br>".join(html.escape(line) for line in part.text.splitlines())
        return f"<blockquote>{lines}</blockquote>"
    return f"<p>{'<br>'.join(html.escape(line) for line in part.splitlines())}</p>"


def _corporation(payload: dict[str, Any], language: str) -> str:
    return payload.get("corporation_name") or _pick(
        language, "De woningcorporatie", "The housing corporation"
    )


def report_received(envelope: Envelope, payload: dict[str, Any]) -> Message:
    """Reference, link, who contacts the tenant and by when."""
    language, reference = _language(payload), payload["reference"]
    who = payload.get("corporation_name") or _pick(
        language, "De regionale coördinator", "The regional coordinator"
    )
    deadline = datetime.fromisoformat(payload["acknowledge_by"]).astimezone(AMSTERDAM)
    parts: list[Part] = [
        _pick(
            language,
            f"Wij hebben uw schademelding ontvangen. Uw referentie is {reference}.",
            f"We have received your damage report. Your reference is {reference}.",
        )
    ]
    day = last_day(deadline)
    if day is None:
        # A deadline in hours (acute): the time is what counts.
        parts += [
            _pick(
                language,
                f"U meldde een acuut onveilige situatie. {who} neemt binnen 4 uur contact met u "
                f"op: uiterlijk om {clock_time(deadline)} uur op {long_date(deadline, 'nl')}.",
                f"You reported an acute unsafe situation. {who} will contact you within "
                f"4 hours: by {clock_time(deadline)} on {long_date(deadline, 'en')}.",
            ),
            _pick(language, "Is er direct gevaar? Bel 112.", "Are lives in danger? Call 112."),
            # Whom to call at night, as the confirmation page said (issue 13, point 2).
            emergency_call(
                language, payload.get("corporation_name"), payload.get("emergency_phone")
            ).replace("{phone}", payload.get("emergency_phone") or ""),
        ]
    else:
        parts.append(
            _pick(
                language,
                f"{who} neemt uiterlijk {long_date(day, 'nl')} contact met u op.",
                f"{who} will contact you by {long_date(day, 'en')}.",
            )
        )
    parts.append(
        _pick(
            language,
            "Met de link hieronder kunt u uw melding volgen en ons meer informatie sturen. "
            "Bewaar deze e-mail goed. Alleen met deze link kunt u uw melding bekijken.",
            "With the link below you can follow your report and send us more information. "
            "Keep this e-mail: only this link opens your report.",
        )
    )
    subject = _pick(
        language,
        f"Uw schademelding {reference} is ontvangen",
        f"We received your damage report {reference}",
    )
    return _send(envelope, language, subject, [*parts, *_follow(envelope, payload, language)])


def acknowledged(envelope: Envelope, payload: dict[str, Any]) -> Message:
    language, reference = _language(payload), payload["reference"]
    corporation = _corporation(payload, language)
    if payload.get("reopened"):
        subject = _pick(
            language, f"Uw melding {reference} is heropend", f"Your report {reference} is reopened"
        )
        first = _pick(
            language,
            f"{corporation} heeft uw melding {reference} opnieuw in behandeling genomen.",
            f"{corporation} is handling your report {reference} again.",
        )
    else:
        subject = _pick(
            language,
            f"Uw melding {reference} is in behandeling",
            f"Your report {reference} is being handled",
        )
        first = _pick(
            language,
            f"{corporation} heeft uw melding {reference} in behandeling genomen.",
            f"{corporation} is now handling your report {reference}.",
        )
    parts: list[Part] = [
        first,
        _pick(
            language,
            "U krijgt bericht zodra er een afspraak is gepland.",
            "You will hear from us as soon as a visit is planned.",
        ),
        *_follow(envelope, payload, language),
    ]
    return _send(envelope, language, subject, parts)


def visit_planned(envelope: Envelope, payload: dict[str, Any]) -> Message:
    """The date and time of the inspection or repair, with the visit for the agenda (.ics)."""
    language, reference = _language(payload), payload["reference"]
    inspection = payload["visit"] == "inspection"
    start = datetime.fromisoformat(payload["planned_at"])
    visit = _pick(
        language,
        "de inspectie van de schade" if inspection else "het herstel van de schade",
        "the inspection of the damage" if inspection else "the repair of the damage",
    )
    when = _pick(
        language,
        f"{long_date(start, 'nl')} om {clock_time(start)} uur",
        f"{long_date(start, 'en')} at {clock_time(start)}",
    )
    address = address_line(payload)
    if payload.get("replanned"):
        first = _pick(
            language,
            f"De afspraak voor {visit} is verzet. De nieuwe afspraak is op {when}.",
            f"The appointment for {visit} has moved. The new appointment is on {when}.",
        )
    else:
        first = _pick(
            language,
            f"Er is een afspraak gepland voor {visit}: {when}.",
            f"An appointment is planned for {visit}: {when}.",
        )
    parts: list[Part] = [
        first,
        _pick(language, f"Adres: {address}", f"Address: {address}"),
        _pick(
            language,
            "Zorg dat er iemand thuis is. Kan dat niet? Laat het ons weten via de link "
            "hieronder. In de bijlage staat de afspraak voor uw agenda.",
            "Please make sure someone is at home. Not possible? Let us know with the link "
            "below. The attachment adds the appointment to your calendar.",
        ),
        *_follow(envelope, payload, language),
    ]
    subject = _pick(
        language,
        f"{'Nieuwe afspraak' if payload.get('replanned') else 'Afspraak'} voor "
        f"{'de inspectie' if inspection else 'het herstel'} – melding {reference}",
        f"{'New appointment' if payload.get('replanned') else 'Appointment'} for the "
        f"{'inspection' if inspection else 'repair'} – report {reference}",
    )
    domain = envelope.sender.rpartition("@")[2].rstrip(">").strip() or "localhost"
    calendar = ics.visit_event(
        # One calendar item per case and kind of visit: planning it again moves it.
        uid=f"{payload['case_id']}-{payload['visit']}@{domain}",
        sequence=int(payload["sequence"]),
        stamp=datetime.fromisoformat(payload["changed_at"]),
        start=start,
        duration=VISIT_LENGTH,
        summary=_pick(
            language,
            f"{'Inspectie' if inspection else 'Herstel'} schade ({reference})",
            f"Damage {'inspection' if inspection else 'repair'} ({reference})",
        ),
        location=address,
        description=first,
    )
    item = Attachment(
        f"{_pick(language, 'afspraak', 'appointment')}-{reference}.ics",
        "text/calendar; method=PUBLISH; charset=utf-8",
        calendar.encode(),
    )
    return _send(envelope, language, subject, parts, [item])


def note(envelope: Envelope, payload: dict[str, Any]) -> Message:
    language, reference = _language(payload), payload["reference"]
    corporation = _corporation(payload, language)
    parts: list[Part] = [
        _pick(
            language,
            f"{corporation} heeft een bericht voor u over uw melding {reference}:",
            f"{corporation} has a message for you about your report {reference}:",
        ),
        Quote(payload["text"]),
        _pick(
            language,
            "Wilt u reageren? Dat kan via de link hieronder.",
            "Would you like to reply? You can with the link below.",
        ),
        *_follow(envelope, payload, language),
    ]
    subject = _pick(
        language,
        f"Bericht over uw melding {reference}",
        f"A message about your report {reference}",
    )
    return _send(envelope, language, subject, parts)


def resolved(envelope: Envelope, payload: dict[str, Any]) -> Message:
    """The repair is done: confirm it, or reopen, before the named moment."""
    language, reference = _language(payload), payload["reference"]
    corporation = _corporation(payload, language)
    until = datetime.fromisoformat(payload["react_before"])
    parts: list[Part] = [
        _pick(
            language,
            f"{corporation} meldt dat de schade van uw melding {reference} is hersteld.",
            f"{corporation} reports that the damage of your report {reference} is repaired.",
        ),
        _pick(
            language,
            "Is de schade goed hersteld? Bevestig dat dan via de link hieronder, vóór "
            f"{long_date(until, 'nl')} om {clock_time(until)} uur. Is de schade niet goed "
            "hersteld? Dan kunt u de melding tot dat moment heropenen. Doet u niets, dan "
            "sluiten wij de melding daarna af.",
            "Is the damage repaired well? Please confirm it with the link below, before "
            f"{clock_time(until)} on {long_date(until, 'en')}. Is it not repaired well? Then "
            "you can reopen the report until that moment. If you do nothing, we close the "
            "report after that.",
        ),
        *_follow(envelope, payload, language),
    ]
    subject = _pick(
        language,
        f"Schade hersteld – bevestig of heropen melding {reference}",
        f"Damage repaired – confirm or reopen report {reference}",
    )
    return _send(envelope, language, subject, parts)


def closed(envelope: Envelope, payload: dict[str, Any]) -> Message:
    language, reference = _language(payload), payload["reference"]
    by = payload["closed_by"]
    if by == "tenant":
        first = _pick(
            language,
            f"Bedankt voor uw bevestiging. Uw melding {reference} is afgesloten.",
            f"Thank you for confirming. Your report {reference} is closed.",
        )
    elif by == "no_reaction":
        first = _pick(
            language,
            "U heeft ons binnen 14 dagen niet laten weten of de schade goed is hersteld. "
            f"Daarom is uw melding {reference} nu afgesloten.",
            "You did not let us know within 14 days whether the damage was repaired well. "
            f"That is why your report {reference} is now closed.",
        )
    else:
        first = _pick(
            language,
            f"Uw melding {reference} is afgesloten.",
            f"Your report {reference} is closed.",
        )
    parts: list[Part] = [
        first,
        _pick(
            language,
            "Komt de schade terug, of ziet u nieuwe schade? Doe dan een nieuwe melding.",
            "If the damage comes back, or you see new damage, please make a new report.",
        ),
        *_follow(envelope, payload, language),
    ]
    subject = _pick(
        language, f"Uw melding {reference} is afgesloten", f"Your report {reference} is closed"
    )
    return _send(envelope, language, subject, parts)


def referred(envelope: Envelope, payload: dict[str, Any]) -> Message:
    """Passed on to IMG or NCG: which one, and their reference."""
    language, reference = _language(payload), payload["reference"]
    agency = payload["referred_to"]
    dutch_name, english_name = _AGENCIES.get(agency, (agency, agency))
    their_reference = payload["external_reference"]
    parts: list[Part] = [
        _pick(
            language,
            f"Uw melding {reference} is doorgestuurd naar {dutch_name} ({agency}). "
            f"{agency} behandelt de schade verder.",
            f"Your report {reference} has been passed on to {english_name} ({agency}). "
            f"{agency} will handle the damage from now on.",
        ),
        _pick(
            language,
            f"Het nummer van uw melding bij {agency} is {their_reference}. Noem dit nummer "
            f"als u contact hebt met {agency}.",
            f"Your reference at {agency} is {their_reference}. Please mention it when you "
            f"contact {agency}.",
        ),
        *_follow(envelope, payload, language),
    ]
    subject = _pick(
        language,
        f"Uw melding {reference} is doorgestuurd naar {agency}",
        f"Your report {reference} was passed on to {agency}",
    )
    return _send(envelope, language, subject, parts)


def links(envelope: Envelope, payload: dict[str, Any]) -> Message:
    """ "Lost your link?": every report of the address, each with its working link."""
    language = _language(payload)
    parts: list[Part] = [
        _pick(
            language,
            "U vroeg om de links naar uw schademeldingen. Hieronder staat per melding de link "
            "waarmee u die melding kunt bekijken. Gebruik vanaf nu deze links.",
            "You asked for the links to your damage reports. Below is, for each report, the "
            "link that opens it. Please use these links from now on.",
        )
    ]
    for report in payload["reports"]:
        link = case_link(envelope, report["reference"], report["tracking_salt"], report["case_id"])
        assert link is not None  # every case listed has a salt (lost_link gives it one)
        status = status_label(Status(report["status"]), language)
        reported = long_date(datetime.fromisoformat(report["reported_at"]), language)
        label = _pick(
            language,
            f"{report['reference']} – {status} – gemeld op {reported}",
            f"{report['reference']} – {status} – reported on {reported}",
        )
        parts.append(Link(label, link))
    parts.append(
        _pick(
            language,
            "Heeft u hier niet zelf om gevraagd? Dan kunt u deze e-mail negeren.",
            "Did you not ask for this? Then you can ignore this e-mail.",
        )
    )
    subject = _pick(
        language, "Uw links naar uw schademeldingen", "Your links to your damage reports"
    )
    return _send(envelope, language, subject, parts)
