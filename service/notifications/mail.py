"""The e-mails, built from an outbox message: plain text and HTML, Dutch first with English.

Staff mail to the corporation that has the case: the tenant's language does not apply.
"""

import html
import uuid
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any

from service.domain.calendar import AMSTERDAM
from service.domain.categories import Category, category_label


@dataclass(frozen=True)
class Envelope:
    """What every e-mail is built from besides its payload."""

    outbox_id: uuid.UUID
    recipient: str
    sender: str
    public_base_url: str
    # Tracking links are derived with it at send time: the outbox never holds a token.
    secret_key: str


def message_id(outbox_id: uuid.UUID, sender: str) -> str:
    """Stable per outbox message: a message sent again carries the same Message-ID."""
    domain = sender.rpartition("@")[2].rstrip(">").strip() or "localhost"
    return f"<{outbox_id}@{domain}>"


def compose(envelope: Envelope, subject: str, text: str, html_body: str) -> EmailMessage:
    """An e-mail with its headers, plain text first and HTML as the alternative."""
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = envelope.sender
    message["To"] = envelope.recipient
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = message_id(envelope.outbox_id, envelope.sender)
    message.set_content(text + "\n")
    message.add_alternative(html_body, subtype="html")
    return message


def case_routed(envelope: Envelope, payload: dict[str, Any]) -> EmailMessage:
    """A case was routed to the corporation: what it is, by when to acknowledge it, and where."""
    reference = payload["reference"]
    category = Category(payload["category"])
    acute = bool(payload["acute"])
    deadline = datetime.fromisoformat(payload["acknowledge_by"]).astimezone(AMSTERDAM)
    deadline_text = deadline.strftime("%d-%m-%Y %H:%M")
    link = f"{envelope.public_base_url}/cases/{reference}"
    address = address_line(payload)

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
        f"Adres: {address}",
        f"Acuut: {'ja' if acute else 'nee'}",
        f"Bevestigen vóór: {deadline_text}",
        "",
        f"Bekijk de melding: {link}",
    ]
    english = [
        "ACUTE – please respond as soon as possible." if acute else "",
        f"A damage report was routed to {payload['corporation_name']}.",
        "",
        f"Reference: {reference}",
        f"Kind of damage: {category_label(category, 'en')}",
        f"Address: {address}",
        f"Acute: {'yes' if acute else 'no'}",
        f"Acknowledge by: {deadline_text} (Amsterdam time)",
        "",
        f"View the case: {link}",
    ]
    text = "\n".join(line for line in [*dutch, "", "-- English --", "", *english]).strip()

    return compose(envelope, subject, text, _html(dutch, english, link))


def address_line(payload: dict[str, Any]) -> str:
    """The home's address on one line: street and number, postcode and place."""
    number = f"{payload.get('house_number') or ''}{payload.get('house_letter') or ''}"
    if payload.get("addition"):
        number += f"-{payload['addition']}"
    street = " ".join(part for part in (payload.get("street"), number) if part)
    place = " ".join(part for part in (payload.get("postcode"), payload.get("city")) if part)
    return ", ".join(part for part in (street, place) if part) or "-"


def _html(dutch: list[str], english: list[str], link: str) -> str:
    def block(lines: list[str], lang: str) -> str:
        paragraphs = "".join(
            f'<p><a href="{html.escape(link)}">{html.escape(line)}</a></p>'
            if line.endswith(link)
            else f"<p>{html.escape(line)}</p>"
            for line in lines
            if line
        )
        return f'<div lang="{lang}">{paragraphs}</div>'

    return (
        f"<!doctype html><html><body>{block(dutch, 'nl')}<hr>{block(english, 'en')}</body></html>\n"
    )
