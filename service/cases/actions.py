"""What staff and the worker do to a case, as rules: each returns the Change the pipeline applies.

Whether the user may do it at all is service/domain/permissions.py's answer; what follows
from it (new deadlines, dates, fields) is decided here.
"""

from datetime import date, datetime, timedelta
from typing import Any

import asyncpg

from service.auth.staff import Staff
from service.cases import store
from service.cases.schemas import (
    AssigneeIn,
    FindingsIn,
    NoteIn,
    RouteIn,
    TransferIn,
    TransitionIn,
)
from service.changes.pipeline import Change, Decide
from service.corporations import store as corporations
from service.db import Connection
from service.domain.errors import Conflict, FieldError, InvalidInput
from service.domain.events import SYSTEM, Event, EventKind
from service.domain.permissions import (
    ActionKind,
    CaseFacts,
    TenantAction,
    check,
    check_move,
    tenant_actions,
)
from service.domain.roles import Permission
from service.domain.routing import RoutingReason
from service.domain.sla import Deadlines, Urgency, escalate_to_acute, resume_after_hold
from service.domain.work_dates import DayRefused, default_visit_day, done_at, local_day, refusal
from service.domain.workflow import (
    PLANNED_VISIT_STATUSES,
    REJECTION_REASONS,
    REOPEN_FROM,
    Status,
)
from service.portfolio import store as portfolio

S = Status
# How far from now a planned visit may lie: a plan may be recorded a little late.
PLANNED_NOT_BEFORE = timedelta(days=7)
PLANNED_NOT_AFTER = timedelta(days=730)


def _locked(case: asyncpg.Record | None) -> asyncpg.Record:
    """Every staff action changes an existing case; the pipeline has locked it."""
    if case is None:
        raise ValueError("a staff action needs an existing case")
    return case


def deadlines_of(case: asyncpg.Record) -> Deadlines:
    return Deadlines(case["acknowledge_by"], case["inspect_by"], case["resolve_by"])


def deadline_columns(deadlines: Deadlines) -> dict[str, datetime]:
    return {
        "acknowledge_by": deadlines.acknowledge_by,
        "inspect_by": deadlines.inspect_by,
        "resolve_by": deadlines.resolve_by,
    }


def _planned_at(body: TransitionIn, now: datetime) -> datetime:
    planned = body.planned_at
    assert planned is not None  # required_fields asked for it
    if planned.tzinfo is None:
        raise InvalidInput.one(
            "planned_at", "Give the time with its offset, like 2026-12-01T10:00:00+01:00."
        )
    if not now - PLANNED_NOT_BEFORE <= planned <= now + PLANNED_NOT_AFTER:
        raise InvalidInput.one(
            "planned_at", "A planned visit lies between a week ago and two years from now."
        )
    return planned


def _work_day(field: str, what: str, day: date, case: asyncpg.Record, now: datetime) -> date:
    """The day a visit or repair took place, refused when it cannot have been then."""
    match refusal(day, case["reported_at"], now):
        case DayRefused.IN_FUTURE:
            raise InvalidInput.one(field, f"The {what} cannot be on a day still to come.")
        case DayRefused.BEFORE_REPORT:
            reported = local_day(case["reported_at"]).isoformat()
            raise InvalidInput.one(
                field, f"The {what} cannot be before the day of the report, {reported}."
            )
    return day


async def rejection_fields(
    connection: Connection, staff: Staff, case: asyncpg.Record, body: TransitionIn
) -> tuple[dict[str, Any], dict[str, Any]]:
    if body.reason not in REJECTION_REASONS:
        raise InvalidInput.one("reason", f"To reject, give one of: {', '.join(REJECTION_REASONS)}.")
    columns: dict[str, Any] = {"rejection_reason": body.reason, "duplicate_of": None}
    data: dict[str, Any] = {"reason": body.reason}
    if body.reason == "duplicate":
        original = (body.duplicate_of or "").strip().upper()
        if not original:
            raise InvalidInput.one(
                "duplicate_of", "Give the reference of the case this one repeats."
            )
        original_id = await store.case_id_by_reference(connection, original, staff.scope)
        if original_id is None or original_id == case["id"]:
            raise InvalidInput.one("duplicate_of", "No other case with this reference.")
        columns["duplicate_of"] = original_id
        data["duplicate_of"] = original
    return columns, data


def transition(staff: Staff, body: TransitionIn) -> Decide:
    async def decide(
        connection: Connection, locked: asyncpg.Record | None, now: datetime
    ) -> Change:
        case = _locked(locked)
        current, target = Status(case["status"]), body.to
        move = check_move(staff.role, CaseFacts.of(case), target)
        missing = [name for name in move.requires if getattr(body, name) is None]
        if missing:
            raise InvalidInput(
                [FieldError(name, f"Moving to {target} needs {name}.") for name in missing]
            )
        if body.repaired_on is not None and target is not S.RESOLVED:
            raise InvalidInput.one("repaired_on", "Only the move to resolved takes a repair day.")

        columns: dict[str, Any] = {"status": target}
        data: dict[str, Any] = {}
        if current is S.ON_HOLD:
            paused = now - case["on_hold_since"]
            columns |= deadline_columns(resume_after_hold(deadlines_of(case), target, paused))
            columns |= {"on_hold_since": None, "on_hold_previous_status": None}
            data["paused_seconds"] = int(paused.total_seconds())
        elif target in PLANNED_VISIT_STATUSES:
            planned = _planned_at(body, now)
            columns["planned_at"] = planned
            data["planned_at"] = planned.isoformat()
        elif target is not S.ON_HOLD:
            columns["planned_at"] = None  # planned_at is the visit planned now; none is
        if target is S.ON_HOLD:
            columns |= {"on_hold_since": now, "on_hold_previous_status": current}
            data["reason"] = body.reason
        elif target is S.REFERRED:
            columns |= {
                "referred_to": body.referred_to,
                "external_reference": body.external_reference,
            }
            data |= {"referred_to": body.referred_to, "external_reference": body.external_reference}
        elif target is S.ACKNOWLEDGED and current in REOPEN_FROM:
            columns |= {"resolved_at": None, "closed_at": None, "rejection_reason": None}
            columns |= {"duplicate_of": None, "repaired_on": None}
            data |= {"reason": body.reason, "reopened": True}
        elif target is S.ACKNOWLEDGED and case["acknowledged_at"] is None:
            columns["acknowledged_at"] = now
        elif target is S.INSPECTED:
            if not await store.has_findings(connection, case["id"]):
                raise Conflict(
                    "Record the findings first (POST .../findings); that marks it inspected."
                )
            columns["inspected_at"] = case["inspected_at"] or now
        elif target is S.RESOLVED:
            repaired = body.repaired_on or local_day(now)
            repaired = _work_day("repaired_on", "repair", repaired, case, now)
            # resolved_at is when the tenant was told: their 14 days to react run from it.
            columns |= {"resolved_at": now, "repaired_on": repaired}
            data["repaired_on"] = repaired.isoformat()
        elif target is S.CLOSED:
            columns["closed_at"] = now
        elif target is S.REJECTED:
            rejection_columns, rejection_data = await rejection_fields(
                connection, staff, case, body
            )
            columns |= rejection_columns | {"closed_at": now}
            data |= rejection_data
        if body.note:
            data["note"] = body.note
        return Change(columns, [Event.status_change(staff.actor, current, target, data)])

    return decide


def _assignment(staff: Staff, target: int | None) -> ActionKind:
    """What setting the assignee to target is for this user: taking, leaving or assigning."""
    if staff.can(Permission.ASSIGN_ANYONE) or target not in (staff.id, None):
        return ActionKind.ASSIGN
    return ActionKind.TAKE if target == staff.id else ActionKind.RELEASE


def assign(staff: Staff, body: AssigneeIn) -> Decide:
    async def decide(
        connection: Connection, locked: asyncpg.Record | None, now: datetime
    ) -> Change:
        case = _locked(locked)
        target = body.assignee_id
        check(staff, CaseFacts.of(case), _assignment(staff, target))
        if target == case["assignee_id"]:
            return Change()  # already so: nothing to record
        data: dict[str, Any] = {"assignee_id": target, "assignee_name": None}
        if target is not None:
            user = await store.assignable_user(connection, target, case["corporation_id"])
            if user is None:
                raise InvalidInput.one(
                    "assignee_id",
                    "No active colleague with this id works on this case's corporation.",
                )
            data["assignee_name"] = user["name"]
        return Change({"assignee_id": target}, [Event(EventKind.ASSIGNED, staff.actor, data)])

    return decide


async def _active_corporation(connection: Connection, code: str) -> asyncpg.Record:
    corporation = await corporations.active_corporation(connection, code)
    if corporation is None:
        raise InvalidInput.one("corporation", "No active corporation with this code.")
    return corporation


def transfer(staff: Staff, body: TransferIn) -> Decide:
    async def decide(
        connection: Connection, locked: asyncpg.Record | None, now: datetime
    ) -> Change:
        case = _locked(locked)
        check(staff, CaseFacts.of(case), ActionKind.TRANSFER)
        target = await _active_corporation(connection, body.corporation)
        if target["id"] == case["corporation_id"]:
            raise Conflict("The case is with this corporation already.")
        event = Event(
            EventKind.TRANSFERRED,
            staff.actor,
            {
                "reason": RoutingReason.TRANSFER,
                "from_corporation_code": case["corporation_code"],
                "corporation_code": target["code"],
                "corporation_name": target["name"],
                "note": body.reason,
            },
            public=True,
        )
        return Change({"corporation_id": target["id"], "assignee_id": None}, [event])

    return decide


async def _register_home(
    connection: Connection, case: asyncpg.Record, corporation_id: int, body: RouteIn
) -> dict[str, Any]:
    if case["postcode"] is None or case["house_number"] is None:
        raise InvalidInput.one(
            "add_to_portfolio", "This case has no postcode and house number to register."
        )
    street, city = body.street or case["street"], body.city or case["city"]
    if not street or not city:
        raise InvalidInput(
            [
                FieldError(name, "Needed to add the home to the register.")
                for name in ("street", "city")
            ]
        )
    home_id = await portfolio.register_home(
        connection,
        corporation_id=corporation_id,
        bag_id=case["bag_id"],
        postcode=case["postcode"],
        house_number=case["house_number"],
        house_letter=case["house_letter"],
        addition=case["addition"],
        street=street,
        city=city,
    )
    if home_id is None:
        raise Conflict("This home is in the register already; route the case without adding it.")
    return {"address_id": home_id, "street": street, "city": city}


def route(staff: Staff, body: RouteIn) -> Decide:
    async def decide(
        connection: Connection, locked: asyncpg.Record | None, now: datetime
    ) -> Change:
        case = _locked(locked)
        check(staff, CaseFacts.of(case), ActionKind.ROUTE)
        corporation = await _active_corporation(connection, body.corporation)
        columns: dict[str, Any] = {"status": S.NEW, "corporation_id": corporation["id"]}
        if case["status"] == S.REJECTED:  # never routed: routing it reopens it
            columns |= {"closed_at": None, "rejection_reason": None, "duplicate_of": None}
        if body.add_to_portfolio:
            columns |= await _register_home(connection, case, corporation["id"], body)
        event = Event(
            EventKind.ROUTED,
            staff.actor,
            {
                "reason": RoutingReason.MANUAL,
                "corporation_code": corporation["code"],
                "corporation_name": corporation["name"],
                "added_to_portfolio": body.add_to_portfolio,
            },
            from_status=Status(case["status"]),
            to_status=S.NEW,
            public=True,
        )
        return Change(columns, [event])

    return decide


def note(staff: Staff, body: NoteIn) -> Decide:
    async def decide(
        connection: Connection, locked: asyncpg.Record | None, now: datetime
    ) -> Change:
        check(staff, CaseFacts.of(_locked(locked)), ActionKind.NOTE)
        event = Event(
            EventKind.NOTE,
            staff.actor,
            {"text": body.text, "visibility": body.visibility},
            public=body.visibility == "tenant",
        )
        return Change({}, [event])

    return decide


def findings(staff: Staff, body: FindingsIn) -> Decide:
    async def decide(
        connection: Connection, locked: asyncpg.Record | None, now: datetime
    ) -> Change:
        case = _locked(locked)
        check(staff, CaseFacts.of(case), ActionKind.FINDINGS)
        current = Status(case["status"])
        planned = case["planned_at"] if current is S.INSPECTION_PLANNED else None
        visited = body.visited_on or default_visit_day(planned, now)
        visited = _work_day("visited_on", "visit", visited, case, now)
        # The deadlines count the visit, not the typing of its findings days later.
        visited_at = done_at(visited, planned, now)
        finding_id = await store.insert_finding(
            connection,
            case,
            staff.id,
            now,
            visited,
            acute=body.acute,
            earthquake_cause=body.earthquake_cause,
            summary=body.summary,
            items=[
                (
                    i.location.strip(),
                    i.kind.strip(),
                    i.damage_class,
                    i.crack_width_mm,
                    i.description,
                )
                for i in body.items
            ],
        )
        data = {
            "finding_id": finding_id,
            "visited_on": visited.isoformat(),
            "items": len(body.items),
            "highest_class": max(i.damage_class for i in body.items),
            "acute": body.acute,
            "earthquake_cause": body.earthquake_cause,
        }
        columns: dict[str, Any] = {}
        events = [Event(EventKind.FINDINGS_RECORDED, staff.actor, data)]
        if body.acute and case["urgency"] != Urgency.ACUTE:
            columns |= {"urgency": Urgency.ACUTE, "acute": True}
            columns |= deadline_columns(escalate_to_acute(deadlines_of(case), visited_at))
            events.append(
                Event(
                    EventKind.URGENCY_CHANGED,
                    staff.actor,
                    {"from": case["urgency"], "to": Urgency.ACUTE, "reason": "findings"},
                )
            )
        if current is S.INSPECTION_PLANNED:
            columns |= {"status": S.INSPECTED, "inspected_at": case["inspected_at"] or visited_at}
            columns["planned_at"] = None  # the inspection took place
            events.append(
                Event.status_change(staff.actor, current, S.INSPECTED, {"finding_id": finding_id})
            )
        return Change(columns, events)

    return decide


def close_without_reaction() -> Decide:
    """The worker closes a resolved case the tenant neither confirmed nor reopened in time."""

    async def decide(
        connection: Connection, locked: asyncpg.Record | None, now: datetime
    ) -> Change:
        case = _locked(locked)
        status = Status(case["status"])
        # Closing is due exactly when the tenant's time to confirm has run out.
        may = tenant_actions(status, case["resolved_at"], now)
        if status is S.RESOLVED and TenantAction.CONFIRM not in may:
            event = Event.status_change(
                SYSTEM, status, S.CLOSED, {"reason": "no_reaction_in_14_days"}
            )
            return Change({"status": S.CLOSED, "closed_at": now}, [event])
        return Change()  # the tenant reacted, or still may: nothing to do

    return decide
