"""Routing a report to the corporation that owns the home.

The portfolio register decides: the BAG id, else postcode, house number, letter and addition.
Without a match the case is unrouted, and the coordinator gets suggested corporations.
"""

from dataclasses import dataclass
from enum import StrEnum


class RoutingReason(StrEnum):
    BAG_ID = "bag_id"
    ADDRESS = "address"
    NO_MATCH = "no_match"
    MANUAL = "manual"
    TRANSFER = "transfer"


@dataclass(frozen=True)
class HomeCount:
    """How many homes a corporation owns in one postcode or 4-digit area."""

    corporation_id: int
    homes_in_postcode: int
    homes_in_area: int


MAX_SUGGESTIONS = 5


def rank_suggestions(counts: list[HomeCount]) -> list[HomeCount]:
    """Most homes in the same postcode first, then in the same 4-digit area.

    Ties keep a stable order by corporation id so the triage queue does not
    shuffle between requests.
    """
    ranked = sorted(
        (c for c in counts if c.homes_in_postcode or c.homes_in_area),
        key=lambda c: (-c.homes_in_postcode, -c.homes_in_area, c.corporation_id),
    )
    return ranked[:MAX_SUGGESTIONS]
