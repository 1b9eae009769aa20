"""The e-mails, built from an outbox message: plain text and HTML, Dutch first with English.

Staff mail to the corporation that has the case: the tenant's language does not apply.
"""

import html
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from email import encoders
from email.header import Header
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.utils import formataddr, formatdate, parseaddr
from typing import Any, cast

from service.domain.categories import Category, category_label
from service.domain.dates_in_words import deadline_words, long_date


@dataclass(frozen=True)
class Envelope:
    """What every e-mail is built from besides its payload."""

    outbox_id: uuid.UUID
    recipient: str
    sender: str
    public_base_url: str
    # Tracking links are derived with it at send time: the outbox never holds a token.
    secret_key: str


def case_page(envelope: Envelope, reference: str) -> str:
    """The staff's page of a case, as e-mails to staff link to it."""
    return f"{envelope.public_base_url}/cases/{reference}"


def message_id(outbox_id: uuid.UUID, sender: str) -> str:
    """Stable per outbox message: a message sent again carries the same Message-ID."""
    domain = sender.rpartition("@")[2].rstrip(">").strip() or "localhost"
    return f"<{outbox_id}@{domain}>"


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # e.g. "text/calendar; method=PUBLISH"
    data: bytes


def compose(
    envelope: Envelope,
    subject: str,
    text: str,
    html_body: str,
    attachments: Sequence[Attachment] = (),
) -> Message:
    """An e-mail with its headers, plain text first and HTML as the alternative, then any
    attachments.

    Built with the email package's classic MIME classes: building an EmailMessage (its
    header objects and content manager) cost the worker more than sending the message.
    """
    body = MIMEMultipart("alternative")
    body.attach(_text_part(text + "\n", "plain"))
    body.attach(_text_part(html_body, "html"))
    message: Message = body
    if attachments:
        message = MIMEMultipart("mixed")
        message.attach(body)
        for attachment in attachments:
            maintype, _, subtype = attachment.content_type.partition("/")
            subtype, _, parameters = subtype.partition(";")
            part = MIMEBase(maintype, subtype.strip())
            for parameter in filter(None, (p.strip() for p in parameters.split(";"))):
                name, _, value = parameter.partition("=")
                part.set_param(name, value)
            part.set_payload(attachment.data)
            encoders.encode_base64(part)
            part.add_header("Content-Disposition", "attachment", filename=attachment.filename)
            message.attach(part)
    message["Subject"] = _header(subject)
    message["From"] = _address_header(envelope.sender)
    message["To"] = envelope.recipient
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = message_id(envelope.outbox_id, envelope.sender)
    return message


def _text_part(content: str, subtype: str) -> Message:
    part = MIMENonMultipart("text", subtype)
    # UTF-8 in base64: any mail server takes it, and Python encodes it in C (quoted-printable
    # is pure Python and cost more than the rest of the message).
    part.set_payload(content, "utf-8")
    return part


def _header(value: str) -> str:
    """As is when ASCII; else as RFC 2047 encoded words, folded by the generator (a Header:
    classic messages take one where the type stubs say str)."""
    return value if value.isascii() else cast(str, Header(value, "utf-8", header_name="Subject"))


def _address_header(value: str) -> str:
    name, address = parseaddr(value)
    return formataddr((name, address), charset="utf-8") if name else address


def case_routed(envelope: Envelope, payload: dict[str, Any]) -> Message:
    """A case was routed to the corporation: what it is, by when to acknowledge it, and where."""
    reference = payload["reference"]
    category = Category(payload["category"])
    acute = bool(payload["acute"])
    # "woensdag 2 december 2026" for a deadline in days (stored as the midnight after it),
    # with the time for one in hours (acute).
    deadline = datetime.fromisoformat(payload["acknowledge_by"])
    link = case_page(envelope, reference)

    subject = (
        f"ACUUT: schademelding {reference} / Acute: damage report {reference}"
        if acute
        else f"Nieuwe schademelding {reference} / New damage report {reference}"
    )
    dutch = [
        "ACUUT – reageer zo snel mogelijk." if acute else "",
        f"Er is een schademelding aan {payload['corporation_name']} toegewezen.",
        "",
        f"Referentie: {reference}",
        f"Soort schade: {category_label(category, 'nl')}",
        f"Adres: {address_line(payload)}",
        f"Acuut: {'ja' if acute else 'nee'}",
        f"Oppakken uiterlijk: {deadline_words(deadline, 'nl')}",
        "",
        f"Bekijk de melding: {link}",
    ]
    english = [
        "ACUTE – please respond as soon as possible." if acute else "",
        f"A damage report was routed to {payload['corporation_name']}.",
        "",
        f"Reference: {reference}",
        f"Kind of damage: {category_label(category, 'en')}",
        f"Address: {address_line(payload)}",
        f"Acute: {'yes' if acute else 'no'}",
        f"Acknowledge by: {deadline_words(deadline, 'en')} (Amsterdam time)",
        "",
        f"View the case: {link}",
    ]
    return bilingual(envelope, subject, dutch, english)


def erasure_requested(envelope: Envelope, payload: dict[str, Any]) -> Message:
    """The tenant asked for erasure: which case, and the last day to carry it out."""
    reference = payload["reference"]
    erase_by = date.fromisoformat(payload["erase_by"])
    link = case_page(envelope, reference)
    subject = f"Verzoek om verwijdering: {reference} / Request for erasure: {reference}"
    dutch = [
        f"De huurder van melding {reference} vraagt om verwijdering van zijn of haar "
        "gegevens (artikel 17 AVG).",
        f"Voer het verzoek uit vóór het einde van {long_date(erase_by, 'nl')}: op de "
        "pagina van de zaak, door een manager of coördinator.",
        "",
        f"Bekijk de zaak: {link}",
    ]
    english = [
        f"The tenant of report {reference} asks for their data to be erased (article 17 GDPR).",
        f"Carry out the request by the end of {long_date(erase_by, 'en')}: on the case's "
        "page, by a manager or coordinator.",
        "",
        f"View the case: {link}",
    ]
    return bilingual(envelope, subject, dutch, english)


def bilingual(envelope: Envelope, subject: str, dutch: list[str], english: list[str]) -> Message:
    """Staff mail: the Dutch lines, then the English ones; a line ending in a link of ours is
    a link in the HTML part too (empty lines only separate)."""
    text = "\n".join([*dutch, "", "-- English --", "", *english]).strip()
    return compose(envelope, subject, text, _html(dutch, english, envelope.public_base_url))


def address_line(payload: dict[str, Any]) -> str:
    """The home's address on one line from a payload's street, house_number ... city fields."""
    number = f"{payload.get('house_number') or ''}{payload.get('house_letter') or ''}"
    if payload.get("addition"):
        number += f"-{payload['addition']}"
    street = " ".join(part for part in (payload.get("street"), number) if part)
    place = " ".join(part for part in (payload.get("postcode"), payload.get("city")) if part)
    return ", ".join(part for part in (street, place) if part) or "-"


def _html(dutch: list[str], english: list[str], base_url: str) -> str:
    def paragraph(line: str) -> str:
        before, found, link = line.rpartition(base_url)
        if found and " " not in link:
            href = html.escape(base_url + link)
            return f'<p>{html.escape(before)}<a href="{href}">{href}</a></p>'
        return f"<p>{html.escape(line)}</p>"

    def block(lines: list[str], lang: str) -> str:
        paragraphs = "".join(paragraph(line) for line in lines if line)
        return f'<div lang="{lang}">{paragraphs}</div>'

    return (
        f"<!doctype html><html><body>{block(dutch, 'nl')}<hr>{block(english, 'en')}</body></html>\n"
    )
