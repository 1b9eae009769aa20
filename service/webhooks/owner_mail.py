"""The e-mail that tells a corporation its webhook was switched off: Dutch, then English."""

from datetime import datetime
from email.message import Message
from typing import Any

from service.domain.dates_in_words import long_moment
from service.notifications import mail


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
        f"Sinds {long_moment(since, 'nl')} lukt het niet om berichten af te leveren. "
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
        f"Since {long_moment(since, 'en')} (Amsterdam time), messages could not be "
        f"delivered. The last answer was: {error}. We kept trying for a day.",
        "",
        "What can you do? Have your administrator check that the address works. Then ask "
        "the administrator of the reporting service to switch the webhook on again. The "
        "messages that did not arrive are then sent, in order.",
    ]
    return mail.bilingual(envelope, subject, dutch, english)
