"""What a user may do to a case now, and with which fields: the one place that decides.

The staff API's case detail (`allowed_next`, `allowed_actions`), the case page and the rules
that apply a change (service/cases/actions.py) all ask here; so do the tenant's API, the
tracking page and the tenant's actions, through `tenant_actions`. The role matrix itself is
service/domain/roles.py; the workflow table service/domain/workflow.py.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from service.domain.errors import Conflict, Forbidden
from service.domain.roles import Permission, Role, can
from service.domain.rows import Row
from service.domain.workflow import (
    FINISHED_STATUSES,
    MOVES_BY_ACTION,
    REGION_WIDE_MOVES,
    REOPEN_FROM,
    TENANT_REACTION_DAYS,
    Status,
    allowed_next,
    can_transition,
    required_fields,
)

S = Status
# Findings are recorded from the planned inspection on, until the case is resolved.
FINDINGS_STATUSES = frozenset({S.INSPECTION_PLANNED, S.INSPECTED, S.REPAIR_PLANNED, S.REFERRED})
# A case no corporation has yet, or one that is finished, stays where it is.
NOT_TRANSFERABLE = frozenset({S.UNROUTED}) | FINISHED_STATUSES
TENANT_REACTION_WINDOW = timedelta(days=TENANT_REACTION_DAYS)


class ActionKind(StrEnum):
    TRANSITION = "transition"
    FINDINGS = "findings"
    NOTE = "note"
    TAKE = "take"
    RELEASE = "release"
    ASSIGN = "assign"
    TRANSFER = "transfer"
    ROUTE = "route"
    ERASE = "erase"  # carry out the tenant's request for erasure


class MoveKind(StrEnum):
    """What a transition means to the person making it."""

    FORWARD = "forward"  # on to a next status
    REPLAN = "replan"  # the planned visit planned anew
    RESUME = "resume"  # back from on hold to where the case was
    REOPEN = "reopen"  # back to work after it was resolved, closed or rejected


class Acting(Protocol):
    """The user asking: staff.auth.Staff fits."""

    @property
    def id(self) -> int: ...

    @property
    def role(self) -> Role: ...


@dataclass(frozen=True)
class CaseFacts:
    """What the rules need to know of a case."""

    status: Status
    corporation_id: int | None
    assignee_id: int | None = None
    on_hold_previous_status: Status | None = None
    erasure_requested: bool = False  # the tenant asked for erasure
    anonymised: bool = False

    @classmethod
    def of(cls, row: Row) -> "CaseFacts":
        previous = row["on_hold_previous_status"]
        return cls(
            status=Status(row["status"]),
            corporation_id=row["corporation_id"],
            assignee_id=row["assignee_id"],
            on_hold_previous_status=Status(previous) if previous else None,
            erasure_requested=row["erasure_requested_at"] is not None,
            anonymised=row["anonymised_at"] is not None,
        )


@dataclass(frozen=True)
class Allowed:
    """One thing the user may do now, and the fields it needs and takes."""

    action: ActionKind
    requires: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    to: Status | None = None  # a transition's target
    move: MoveKind | None = None  # what a transition means
    # A transition that another action makes as a matter of course: recording the findings
    # of a planned inspection marks it inspected.
    made_by: ActionKind | None = None


_FIELDS: dict[ActionKind, tuple[tuple[str, ...], tuple[str, ...]]] = {
    ActionKind.FINDINGS: (("items", "acute", "earthquake_cause"), ("summary", "visited_on")),
    ActionKind.NOTE: (("text", "visibility"), ()),
    ActionKind.TAKE: ((), ()),
    ActionKind.RELEASE: ((), ()),
    ActionKind.ASSIGN: (("assignee_id",), ()),
    ActionKind.TRANSFER: (("corporation", "reason"), ()),
    ActionKind.ROUTE: (("corporation",), ("add_to_portfolio", "street", "city")),
    ActionKind.ERASE: ((), ()),
}


def _allowed(action: ActionKind) -> Allowed:
    requires, optional = _FIELDS[action]
    return Allowed(action, requires, optional)


def _move_kind(current: Status, target: Status) -> MoveKind:
    if current is S.ON_HOLD:
        return MoveKind.RESUME
    if target is S.ACKNOWLEDGED and current in REOPEN_FROM:
        return MoveKind.REOPEN
    if target is current:
        return MoveKind.REPLAN
    return MoveKind.FORWARD


def _move(current: Status, target: Status) -> Allowed:
    # A rejection as a duplicate names the case it repeats; a resolution, the repair's day.
    optional = {S.REJECTED: ("duplicate_of", "note"), S.RESOLVED: ("repaired_on", "note")}.get(
        target, ("note",)
    )
    made_by = (
        ActionKind.FINDINGS if (current, target) == (S.INSPECTION_PLANNED, S.INSPECTED) else None
    )
    return Allowed(
        ActionKind.TRANSITION,
        requires=required_fields(current, target),
        optional=optional,
        to=target,
        move=_move_kind(current, target),
        made_by=made_by,
    )


def moves(role: Role, case: CaseFacts) -> tuple[Allowed, ...]:
    """What POST .../transitions accepts from this role for the case as it is now."""
    if not can(role, Permission.WORK_CASES):
        return ()
    current = case.status
    return tuple(
        _move(current, target)
        for target in allowed_next(current, case.on_hold_previous_status)
        if (current, target) not in MOVES_BY_ACTION
        and (can(role, Permission.ROUTE) or (current, target) not in REGION_WIDE_MOVES)
        # A case no corporation ever took is reopened by routing it.
        and (case.corporation_id is not None or target in (S.UNROUTED, S.REJECTED))
    )


def check_move(role: Role, case: CaseFacts, target: Status) -> Allowed:
    """The move to target as this role may make it; else why not (Conflict or Forbidden)."""
    current = case.status
    if (current, target) in MOVES_BY_ACTION:
        raise Conflict(f"Use {MOVES_BY_ACTION[current, target]} to move an unrouted case on.")
    if case.corporation_id is None and target is S.ACKNOWLEDGED:
        raise Conflict(
            "No corporation has this case: reopen it by routing it "
            "(POST /api/v1/cases/{reference}/route)."
        )
    allowed = moves(role, case)
    for move in allowed:
        if move.to is target:
            return move
    if can_transition(current, target, case.on_hold_previous_status):
        raise Forbidden(f"Only coordinators and admins may move a {current} case to {target}.")
    options = ", ".join(str(move.to) for move in allowed) or "no other status"
    raise Conflict(f"A case that is {current} cannot move to {target}. It can move to: {options}.")


def _refusal(user: Acting, case: CaseFacts, action: ActionKind) -> Conflict | Forbidden | None:
    """Why user may not take action on the case now; None when they may."""
    role = user.role
    if not can(role, Permission.WORK_CASES):
        return Forbidden(f"Your role ({role}) may not do this.")
    match action:
        case ActionKind.FINDINGS if case.status not in FINDINGS_STATUSES:
            return Conflict("Findings are recorded once an inspection is planned.")
        case ActionKind.ASSIGN if not can(role, Permission.ASSIGN_ANYONE):
            return Forbidden("Inspectors may take a case themselves, not give it to others.")
        case ActionKind.TAKE if not (
            can(role, Permission.ASSIGN_SELF) or can(role, Permission.ASSIGN_ANYONE)
        ):
            return Forbidden(f"Your role ({role}) may not take cases.")
        case ActionKind.RELEASE if case.assignee_id != user.id and not can(
            role, Permission.ASSIGN_ANYONE
        ):
            return Forbidden("Inspectors may take a case themselves, not give it to others.")
        case ActionKind.TRANSFER if not can(role, Permission.TRANSFER):
            return Forbidden(f"Your role ({role}) may not transfer cases.")
        case ActionKind.TRANSFER if case.status in NOT_TRANSFERABLE:
            return Conflict(f"A {case.status} case cannot be transferred.")
        case ActionKind.ROUTE if not can(role, Permission.ROUTE):
            return Forbidden(f"Your role ({role}) may not route cases.")
        case ActionKind.ROUTE if not _needs_routing(case):
            return Conflict("Only an unrouted case can be routed; transfer a routed one.")
        case ActionKind.ERASE if not can(role, Permission.ERASE):
            return Forbidden("Only managers, coordinators and admins carry out an erasure.")
        case ActionKind.ERASE if case.anonymised:
            return Conflict("This case is anonymised already.")
        case ActionKind.ERASE if not case.erasure_requested:
            return Conflict("The tenant has not asked for erasure of this case.")
    return None


def _needs_routing(case: CaseFacts) -> bool:
    """Unrouted, or rejected before any corporation had it (routing it reopens it)."""
    return case.status is S.UNROUTED or (case.status is S.REJECTED and case.corporation_id is None)


def check(user: Acting, case: CaseFacts, action: ActionKind) -> Allowed:
    """Action (not a transition: see check_move) as user may take it; else why not."""
    refusal = _refusal(user, case, action)
    if refusal is not None:
        raise refusal
    return _allowed(action)


def allowed_actions(user: Acting, case: CaseFacts) -> tuple[Allowed, ...]:
    """Everything this user may do to the case now: its moves first, then the other actions."""
    others = (
        ActionKind.FINDINGS,
        ActionKind.NOTE,
        ActionKind.ASSIGN,
        ActionKind.TAKE,
        ActionKind.RELEASE,
        ActionKind.TRANSFER,
        ActionKind.ROUTE,
        ActionKind.ERASE,
    )
    mine = case.assignee_id == user.id
    # Take what is not yours yet, release what is; who may assign anyone does the rest so.
    offered = [
        _allowed(action)
        for action in others
        if _refusal(user, case, action) is None
        and not (action is ActionKind.TAKE and mine)
        and not (action is ActionKind.RELEASE and not mine)
    ]
    return (*moves(user.role, case), *offered)


# --- tenants ------------------------------------------------------------------------


class TenantAction(StrEnum):
    MESSAGE = "message"  # add information
    ADD_PHOTOS = "add_photos"  # photos of the damage, up to MAX_TENANT_PHOTOS
    CONFIRM = "confirm"  # the repair is done
    REOPEN = "reopen"  # it is not


# In order, as a tuple: iterating an Enum class goes through its metaclass every time, and
# every status read asks what the tenant may do (issue 15).
_TENANT_ACTIONS = tuple(TenantAction)

_TENANT_WORDS = {
    TenantAction.CONFIRM: "confirm the repair",
    TenantAction.REOPEN: "reopen the report",
}


def _tenant_refusal(
    action: TenantAction, status: Status, resolved_at: datetime | None, now: datetime
) -> str | None:
    """Why the tenant may not do this now, in their words; None when they may. Words, not the
    Conflict itself: every status read asks this of each action, and most are refused
    (issue 15)."""
    if action in (TenantAction.MESSAGE, TenantAction.ADD_PHOTOS):
        if status in FINISHED_STATUSES:
            return "This report is closed. If there is new damage, please make a new report."
        return None
    words = _TENANT_WORDS[action]
    if status is not S.RESOLVED or resolved_at is None:
        return f"You can {words} once the corporation reports the work as done."
    if now - resolved_at > TENANT_REACTION_WINDOW:
        return (
            f"The {TENANT_REACTION_DAYS} days to {words} have passed. "
            "If the damage is back, please make a new report."
        )
    return None


def tenant_actions(
    status: Status, resolved_at: datetime | None, now: datetime
) -> tuple[TenantAction, ...]:
    """What the tenant may do with their report now."""
    return tuple(
        action
        for action in _TENANT_ACTIONS
        if _tenant_refusal(action, status, resolved_at, now) is None
    )


def check_tenant(
    action: TenantAction, status: Status, resolved_at: datetime | None, now: datetime
) -> None:
    refusal = _tenant_refusal(action, status, resolved_at, now)
    if refusal is not None:
        raise Conflict(refusal)
