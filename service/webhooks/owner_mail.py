"""The e-mail that tells a corporation its webhook was switched off: Dutch, then English."""

import html
from datetime import datetime
from email.message import Message
from typing import Any

from service.domain.calendar import AMSTERDAM
from service.notifications import mail

_DAYS_NL = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
_MONTHS_NL = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def dutch_moment(moment: datetime) -> str:
    """Like "woensdag 2 december 2026 om 14.05 uur" (Amsterdam time)."""
    local = moment.astimezone(AMSTERDAM)
    return (
        f"{_DAYS_NL[local.weekday()]} {local.day} {_MONTHS_NL[local.month - 1]} {local.year} "
        f"om {local:%H.%M} uur"
    )


def english_moment(moment: datetime) -> str:
    """Like "Wednesday 2 December 2026, 14:05 (Amsterdam time)"."""
    local = moment.astimezone(AMSTERDAM)
    return f"{local:%A} {local.day} {local:%B %Y, %H:%M} (Amsterdam time)"


def webhook_disabled(envelope: mail.Envelope, payload: dict[str, Any]) -> Message:
    subscription = payload["subscription_id"]
    site = payload["site"]
    since = datetime.fromisoformat(payload["failing_since"])
    error = payload["last_error"]
    subject = f"Webhook {subscription} uitgeschakeld / Webhook {subscription} switched off"
    dutch = [
        f"Wij sturen {payload['corporation_name']} geen meldingen meer via webhook "
        f"{subscription} ({site}).",
        "",
        f"Sinds {dutch_moment(since)} lukt het niet om berichten af te leveren. "
        f"Het laatste antwoord was: {error}. Wij hebben het een dag lang opnieuw geprobeerd.",
        "",
        "Wat kunt u doen? Laat uw beheerder nagaan of het adres nog werkt. Vraag daarna "
        "de beheerder van het meldpunt om de webhook weer aan te zetten. De berichten die "
        "niet zijn aangekomen, sturen wij dan alsnog, in de goede volgorde.",
    ]
    english = [
        f"We no longer send {payload['corporation_name']} messages through webhook "
        f"{subscription} ({site}).",
        "",
        f"Since {english_moment(since)}, messages could not be delivered. The last answer "
        f"was: {error}. We kept trying for a day.",
        "",
        "What can you do? Have your administrator check that the address works. Then ask "
        "the administrator of the reporting service to switch the webhook on again. The "
        "messages that did not arrive are then sent, in order.",
    ]
    text = "\n".join([*dutch, "", "-- English --", "", *english])
    return mail.compose(envelope, subject, text, _html(dutch, english))


def _html(dutch: list[str], english: list[str]) -> str:
    def block(lines: list[str], lang: str) -> str:
        paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in lines if line)
        return f'<div lang="{lang}">{paragraphs}</div>'

    return (
        f"<!doctype html><html><body>{block(dutch, 'nl')}<hr>{block(english, 'en')}</body></html>\n"
    )
