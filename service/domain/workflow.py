"""The case workflow (statuses, the moves between them, the fields each move needs): the
one place that defines it."""

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    UNROUTED = "unrouted"
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    INSPECTION_PLANNED = "inspection_planned"
    INSPECTED = "inspected"
    REPAIR_PLANNED = "repair_planned"
    REFERRED = "referred"
    ON_HOLD = "on_hold"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REJECTED = "rejected"


@dataclass(frozen=True)
class StatusRule:
    status: Status
    meaning: str
    next: tuple[Status, ...]
    # Fields a transition into this status must carry.
    requires: tuple[str, ...] = ()
    # on_hold returns to whichever status it came from.
    returns_to_previous: bool = False


S = Status
WORKFLOW: tuple[StatusRule, ...] = (
    StatusRule(S.UNROUTED, "no corporation yet", (S.NEW, S.REJECTED)),
    StatusRule(
        S.NEW, "routed, waiting for the corporation", (S.ACKNOWLEDGED, S.REJECTED, S.ON_HOLD)
    ),
    StatusRule(
        S.ACKNOWLEDGED,
        "accepted, urgency confirmed",
        (S.INSPECTION_PLANNED, S.REFERRED, S.REJECTED, S.ON_HOLD),
    ),
    StatusRule(
        S.INSPECTION_PLANNED,
        "visit planned",
        (S.INSPECTED, S.ON_HOLD, S.INSPECTION_PLANNED),
        requires=("planned_at",),
    ),
    StatusRule(
        S.INSPECTED,
        "findings recorded (damage items with class)",
        (S.REPAIR_PLANNED, S.REFERRED, S.RESOLVED, S.REJECTED),
    ),
    StatusRule(
        S.REPAIR_PLANNED,
        "repair planned",
        (S.RESOLVED, S.ON_HOLD, S.REPAIR_PLANNED),
        requires=("planned_at",),
    ),
    StatusRule(
        S.REFERRED,
        "waiting on IMG or NCG",
        (S.REPAIR_PLANNED, S.RESOLVED, S.ON_HOLD),
        requires=("referred_to", "external_reference"),
    ),
    StatusRule(
        S.ON_HOLD,
        "waiting for tenant or access; deadline clocks pause",
        (),
        requires=("reason",),
        returns_to_previous=True,
    ),
    StatusRule(
        S.RESOLVED,
        "work done; tenant may confirm or reopen within 14 days",
        (S.CLOSED, S.ACKNOWLEDGED),
    ),
    StatusRule(S.CLOSED, "confirmed by tenant, or 14 days after resolved", (S.ACKNOWLEDGED,)),
    StatusRule(
        S.REJECTED,
        "not damage, duplicate, not our home, or withdrawn",
        (S.ACKNOWLEDGED,),
        requires=("reason",),
    ),
)

RULES: dict[Status, StatusRule] = {rule.status: rule for rule in WORKFLOW}

# Moves only region-wide staff (coordinators, admins) make: closing by hand, and
# reopening what was closed or rejected. Tenants confirm and reopen with their own actions.
REGION_WIDE_MOVES = frozenset(
    {(S.RESOLVED, S.CLOSED), (S.CLOSED, S.ACKNOWLEDGED), (S.REJECTED, S.ACKNOWLEDGED)}
)
# A move that has an action of its own, because it needs more than a status.
MOVES_BY_ACTION = {(S.UNROUTED, S.NEW): "POST /api/v1/cases/{reference}/route"}
# Reopening (back to acknowledged from a finished status) needs a reason too.
REOPEN_FROM = frozenset({S.RESOLVED, S.CLOSED, S.REJECTED})
REJECTION_REASONS = ("not_damage", "duplicate", "not_our_home", "withdrawn")
REFERRAL_AGENCIES = ("IMG", "NCG")
# The tenant may confirm or reopen a resolved case for this long.
TENANT_REACTION_DAYS = 14
# Done with: no deadline runs, nothing more happens unless someone reopens it.
FINISHED_STATUSES = frozenset({S.CLOSED, S.REJECTED})
OPEN_STATUSES = frozenset(Status) - FINISHED_STATUSES
# Statuses with a visit planned (cases.planned_at): the inspection or the repair.
PLANNED_VISIT_STATUSES = frozenset({S.INSPECTION_PLANNED, S.REPAIR_PLANNED})


def allowed_next(current: Status, previous: Status | None = None) -> tuple[Status, ...]:
    """Statuses a case may move to; on_hold may only go back where it came from."""
    rule = RULES[current]
    if rule.returns_to_previous:
        return (previous,) if previous is not None else ()
    return rule.next


def can_transition(current: Status, target: Status, previous: Status | None = None) -> bool:
    return target in allowed_next(current, previous)


def required_fields(current: Status, target: Status) -> tuple[str, ...]:
    """Fields a move from current to target must carry."""
    if target is S.ACKNOWLEDGED and current in REOPEN_FROM:
        return ("reason",)
    if current is S.ON_HOLD:
        return ()  # going back needs nothing new
    return RULES[target].requires
