"""Personal data (AVG/GDPR): masking it for roles that do not need it, and the rules of
removing it from a case after the retention period or on the tenant's request."""

from calendar import monthrange
from datetime import date
from enum import StrEnum
from typing import Any

from service.domain.routing import RoutingReason
from service.domain.workflow import REJECTION_REASONS

# Months after a case is closed or rejected that it is anonymised (RETENTION_MONTHS): two
# years covers the tenant's 14 days to react, a new report of the same damage, complaints and
# the corporation's own checks of its work; after that the figures are enough.
DEFAULT_RETENTION_MONTHS = 24


class AnonymisedFor(StrEnum):
    """Why a case was anonymised."""

    RETENTION = "retention"  # closed longer ago than RETENTION_MONTHS
    ERASURE = "erasure"  # the tenant asked for it


def mask_name(name: str) -> str:
    """ "Jan Jansen" -> "J. J."; enough to tell two people apart, not to know them."""
    return " ".join(f"{part[0]}." for part in name.split() if part) or "…"


def mask_email(email: str | None) -> str | None:
    if email is None:
        return None
    local, _, domain = email.partition("@")
    return f"{local[:1]}…@{domain}"


def mask_phone(phone: str | None) -> str | None:
    return None if phone is None else f"…{phone[-2:]}"


# --- retention and erasure (article 17 AVG) ---------------------------------------------

# What an event's data holds that someone typed: a note, a message, a document's title.
FREE_TEXT_KEYS = ("text", "note", "title")
# A "reason" is a code for these; otherwise (a pause, a reopening) it is typed text.
CODED_REASONS = frozenset(
    {*REJECTION_REASONS, *RoutingReason, "findings", "no_reaction_in_14_days", *AnonymisedFor}
)


def without_free_text(data: dict[str, Any]) -> dict[str, Any]:
    """An event's data without what a person typed, which may name or describe anyone;
    codes, dates, corporations and counts stay, so the history still reads as moves."""
    kept = {key: value for key, value in data.items() if key not in FREE_TEXT_KEYS}
    if "reason" in kept and kept["reason"] not in CODED_REASONS:
        del kept["reason"]
    return kept


def months_later(day: date, months: int) -> date:
    """The same day so many calendar months on; the month's last day when it is shorter
    (31 January + 1 month: 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def erasure_deadline(asked_on: date) -> date:
    """The last day to carry out an erasure asked for on that day: within one month
    (article 12(3) AVG)."""
    return months_later(asked_on, 1)


def retention_cutoff(today: date, months: int) -> date:
    """Cases closed before this day are past the retention period."""
    return months_later(today, -months)
