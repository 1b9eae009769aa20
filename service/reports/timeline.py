"""What the tenant reads in the public timeline, in their language."""

from typing import Any

_TEXTS: dict[str, tuple[str, str]] = {
    "reported": ("Uw melding is ontvangen.", "Your report has been received."),
    "routed": (
        "Uw melding is doorgestuurd naar {corporation}.",
        "Your report has been passed to {corporation}.",
    ),
    "unrouted": (
        "We zoeken uit welke woningcorporatie eigenaar is van uw woning.",
        "We are finding out which housing corporation owns your home.",
    ),
}
_FALLBACK = ("De status van uw melding is bijgewerkt.", "The status of your report was updated.")

ACUTE_ADVICE = {
    "nl": (
        "Is er direct gevaar voor mensen? Bel 112. Verlaat bij twijfel de woning. "
        "Wij nemen binnen 4 uur contact met u op."
    ),
    "en": (
        "Are lives in danger? Call 112. If in doubt, leave the home. "
        "We will contact you within 4 hours."
    ),
}


def timeline_text(kind: str, data: dict[str, Any], language: str) -> str:
    dutch, english = _TEXTS.get(kind, _FALLBACK)
    template = english if language == "en" else dutch
    return template.format(corporation=data.get("corporation_name", ""))
