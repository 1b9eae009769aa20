"""What staff do to a case, as rules: each returns the Change that change_case applies."""

from datetime import datetime, timedelta
from typing import Any

import asyncpg

from service.auth.staff import Staff
from service.cases import store
from service.cases.changes import Change, Conflict, Decide
from service.cases.schemas import (
    AssigneeIn,
    FindingsIn,
    NoteIn,
    RouteIn,
    TransferIn,
    TransitionIn,
)
from service.cases.store import Event
from service.cases.views import transitions_for
from service.domain.roles import Permission
from service.domain.routing import RoutingReason
from service.domain.sla import Deadlines, Urgency, escalate_to_acute, resume_after_hold
from service.domain.workflow import (
    MOVES_BY_ACTION,
    REJECTION_REASONS,
    REOPEN_FROM,
    Status,
    can_transition,
    required_fields,
)
from service.errors import FieldError, InputError, ProblemException

S = Status
PLANNED = (S.INSPECTION_PLANNED, S.REPAIR_PLANNED)
# How far from now a planned visit may lie: a plan may be recorded a little late.
PLANNED_NOT_BEFORE = timedelta(days=7)
PLANNED_NOT_AFTER = timedelta(days=730)
FINDINGS_IN = (S.INSPECTION_PLANNED, S.INSPECTED, S.REPAIR_PLANNED, S.REFERRED)


def _deadlines(case: asyncpg.Record) -> Deadlines:
    return Deadlines(case["acknowledge_by"], case["inspect_by"], case["resolve_by"])


def _deadline_changes(deadlines: Deadlines) -> dict[str, datetime]:
    return {
        "acknowledge_by": deadlines.acknowledge_by,
        "inspect_by": deadlines.inspect_by,
        "resolve_by": deadlines.resolve_by,
    }


def _status_event(staff: Staff, current: Status, target: Status, data: dict[str, Any]) -> Event:
    return Event.status_change(staff.display_name, current, target, data, staff.id)


def _check_move(staff: Staff, case: asyncpg.Record, target: Status) -> None:
    current = Status(case["status"])
    if (current, target) in MOVES_BY_ACTION:
        raise Conflict(f"Use {MOVES_BY_ACTION[current, target]} to move an unrouted case on.")
    if case["corporation_id"] is None and target is S.ACKNOWLEDGED:
        raise Conflict(
            "No corporation has this case: reopen it by routing it "
            "(POST /api/v1/cases/{reference}/route)."
        )
    allowed = transitions_for(case, staff.can(Permission.ROUTE))
    if target in allowed:
        return
    previous = case["on_hold_previous_status"]
    if can_transition(current, target, Status(previous) if previous else None):
        raise ProblemException(
            status_code=403,
            detail=f"Only coordinators and admins may move a {current} case to {target}.",
        )
    options = ", ".join(allowed) or "no other status"
    raise Conflict(f"A case that is {current} cannot move to {target}. It can move to: {options}.")


def _planned_at(body: TransitionIn, now: datetime) -> datetime:
    planned = body.planned_at
    assert planned is not None
    if planned.tzinfo is None:
        raise InputError.one(
            "planned_at", "Give the time with its offset, like 2026-12-01T10:00:00+01:00."
        )
    if not now - PLANNED_NOT_BEFORE <= planned <= now + PLANNED_NOT_AFTER:
        raise InputError.one(
            "planned_at", "A planned visit lies between a week ago and two years from now."
        )
    return planned


async def _rejection(
    connection: asyncpg.Connection, staff: Staff, case: asyncpg.Record, body: TransitionIn
) -> tuple[dict[str, Any], dict[str, Any]]:
    if body.reason not in REJECTION_REASONS:
        raise InputError.one("reason", f"To reject, give one of: {', '.join(REJECTION_REASONS)}.")
    changes: dict[str, Any] = {"rejection_reason": body.reason, "duplicate_of": None}
    data: dict[str, Any] = {"reason": body.reason}
    if body.reason == "duplicate":
        original = (body.duplicate_of or "").strip().upper()
        if not original:
            raise InputError.one("duplicate_of", "Give the reference of the case this one repeats.")
        original_id = await store.case_id_by_reference(connection, original, staff.scope)
        if original_id is None or original_id == case["id"]:
            raise InputError.one("duplicate_of", "No other case with this reference.")
        changes["duplicate_of"] = original_id
        data["duplicate_of"] = original
    return changes, data


def transition(staff: Staff, body: TransitionIn) -> Decide:
    async def decide(connection: asyncpg.Connection, case: asyncpg.Record, now: datetime) -> Change:
        current, target = Status(case["status"]), body.to
        _check_move(staff, case, target)
        missing = [name for name in required_fields(current, target) if getattr(body, name) is None]
        if missing:
            raise InputError(
                [FieldError(name, f"Moving to {target} needs {name}.") for name in missing]
            )

        changes: dict[str, Any] = {"status": target}
        data: dict[str, Any] = {}
        if current is S.ON_HOLD:
            paused = now - case["on_hold_since"]
            changes |= _deadline_changes(resume_after_hold(_deadlines(case), target, paused))
            changes |= {"on_hold_since": None, "on_hold_previous_status": None}
            data["paused_seconds"] = int(paused.total_seconds())
        elif target in PLANNED:
            planned = _planned_at(body, now)
            changes["planned_at"] = planned
            data["planned_at"] = planned.isoformat()
        if target is S.ON_HOLD:
            changes |= {"on_hold_since": now, "on_hold_previous_status": current}
            data["reason"] = body.reason
        elif target is S.REFERRED:
            changes |= {
                "referred_to": body.referred_to,
                "external_reference": body.external_reference,
            }
            data |= {"referred_to": body.referred_to, "external_reference": body.external_reference}
        elif target is S.ACKNOWLEDGED and current in REOPEN_FROM:
            changes |= {"resolved_at": None, "closed_at": None, "rejection_reason": None}
            changes["duplicate_of"] = None
            data |= {"reason": body.reason, "reopened": True}
        elif target is S.ACKNOWLEDGED and case["acknowledged_at"] is None:
            changes["acknowledged_at"] = now
        elif target is S.INSPECTED:
            if not await store.has_findings(connection, case["id"]):
                raise Conflict(
                    "Record the findings first (POST .../findings); that marks it inspected."
                )
            changes["inspected_at"] = case["inspected_at"] or now
        elif target is S.RESOLVED:
            changes["resolved_at"] = now
        elif target is S.CLOSED:
            changes["closed_at"] = now
        elif target is S.REJECTED:
            rejection_changes, rejection_data = await _rejection(connection, staff, case, body)
            changes |= rejection_changes | {"closed_at": now}
            data |= rejection_data
        if body.note:
            data["note"] = body.note
        return Change(changes, [_status_event(staff, current, target, data)])

    return decide


def assign(staff: Staff, body: AssigneeIn) -> Decide:
    async def decide(connection: asyncpg.Connection, case: asyncpg.Record, now: datetime) -> Change:
        target = body.assignee_id
        if not staff.can(Permission.ASSIGN_ANYONE):
            taking_or_leaving = target == staff.id or (
                target is None and case["assignee_id"] == staff.id
            )
            if not (staff.can(Permission.ASSIGN_SELF) and taking_or_leaving):
                raise ProblemException(
                    status_code=403,
                    detail="Inspectors may take a case themselves, not give it to others.",
                )
        if target == case["assignee_id"]:
            return Change()  # already so: nothing to record
        data: dict[str, Any] = {"assignee_id": target, "assignee_name": None}
        if target is not None:
            user = await store.assignable_user(connection, target, case["corporation_id"])
            if user is None:
                raise InputError.one(
                    "assignee_id",
                    "No active colleague with this id works on this case's corporation.",
                )
            data["assignee_name"] = user["name"]
        event = Event("assigned", staff.display_name, staff.id, data=data)
        return Change({"assignee_id": target}, [event])

    return decide


def transfer(staff: Staff, body: TransferIn) -> Decide:
    async def decide(connection: asyncpg.Connection, case: asyncpg.Record, now: datetime) -> Change:
        staff.require(Permission.TRANSFER)
        if case["status"] in (S.UNROUTED, S.CLOSED, S.REJECTED):
            raise Conflict(f"A {case['status']} case cannot be transferred.")
        target = await store.active_corporation(connection, body.corporation)
        if target is None:
            raise InputError.one("corporation", "No active corporation with this code.")
        if target["id"] == case["corporation_id"]:
            raise Conflict("The case is with this corporation already.")
        event = Event(
            "transferred",
            staff.display_name,
            staff.id,
            public=True,
            data={
                "reason": RoutingReason.TRANSFER,
                "from_corporation_code": case["corporation_code"],
                "corporation_code": target["code"],
                "corporation_name": target["name"],
                "note": body.reason,
            },
        )
        return Change({"corporation_id": target["id"], "assignee_id": None}, [event])

    return decide


async def _register_home(
    connection: asyncpg.Connection, case: asyncpg.Record, corporation: asyncpg.Record, body: RouteIn
) -> dict[str, Any]:
    if case["postcode"] is None or case["house_number"] is None:
        raise InputError.one(
            "add_to_portfolio", "This case has no postcode and house number to register."
        )
    street, city = body.street or case["street"], body.city or case["city"]
    if not street or not city:
        raise InputError(
            [
                FieldError(name, "Needed to add the home to the register.")
                for name in ("street", "city")
            ]
        )
    home = await connection.fetchrow(
        """
        INSERT INTO addresses
            (corporation_id, bag_id, postcode, house_number, house_letter, addition, street, city)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        ON CONFLICT (postcode, house_number, house_letter, addition) DO NOTHING
        RETURNING id
        """,
        corporation["id"],
        case["bag_id"],
        case["postcode"],
        case["house_number"],
        case["house_letter"],
        case["addition"],
        street,
        city,
    )
    if home is None:
        raise Conflict("This home is in the register already; route the case without adding it.")
    return {"address_id": home["id"], "street": street, "city": city}


def route(staff: Staff, body: RouteIn) -> Decide:
    async def decide(connection: asyncpg.Connection, case: asyncpg.Record, now: datetime) -> Change:
        staff.require(Permission.ROUTE)
        # A rejected case that no corporation ever had is reopened by routing it.
        never_routed_rejection = case["status"] == S.REJECTED and case["corporation_id"] is None
        if case["status"] != S.UNROUTED and not never_routed_rejection:
            raise Conflict("Only an unrouted case can be routed; transfer a routed one.")
        corporation = await store.active_corporation(connection, body.corporation)
        if corporation is None:
            raise InputError.one("corporation", "No active corporation with this code.")
        changes: dict[str, Any] = {"status": S.NEW, "corporation_id": corporation["id"]}
        if never_routed_rejection:
            changes |= {"closed_at": None, "rejection_reason": None, "duplicate_of": None}
        if body.add_to_portfolio:
            changes |= await _register_home(connection, case, corporation, body)
        event = Event(
            "routed",
            staff.display_name,
            staff.id,
            from_status=case["status"],
            to_status=S.NEW,
            public=True,
            data={
                "reason": RoutingReason.MANUAL,
                "corporation_code": corporation["code"],
                "corporation_name": corporation["name"],
                "added_to_portfolio": body.add_to_portfolio,
            },
        )
        return Change(changes, [event])

    return decide


def note(staff: Staff, body: NoteIn) -> Decide:
    async def decide(connection: asyncpg.Connection, case: asyncpg.Record, now: datetime) -> Change:
        event = Event(
            "note",
            staff.display_name,
            staff.id,
            public=body.visibility == "tenant",
            data={"text": body.text, "visibility": body.visibility},
        )
        return Change({}, [event])

    return decide


def findings(staff: Staff, body: FindingsIn) -> Decide:
    async def decide(connection: asyncpg.Connection, case: asyncpg.Record, now: datetime) -> Change:
        current = Status(case["status"])
        if current not in FINDINGS_IN:
            raise Conflict("Findings are recorded once an inspection is planned.")
        finding_id = await store.insert_finding(
            connection,
            case,
            staff.id,
            now,
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
            "items": len(body.items),
            "highest_class": max(i.damage_class for i in body.items),
            "acute": body.acute,
            "earthquake_cause": body.earthquake_cause,
        }
        changes: dict[str, Any] = {}
        events = [Event("findings_recorded", staff.display_name, staff.id, data=data)]
        if body.acute and case["urgency"] != Urgency.ACUTE:
            changes |= {"urgency": Urgency.ACUTE, "acute": True}
            changes |= _deadline_changes(escalate_to_acute(_deadlines(case), now))
            events.append(
                Event(
                    "urgency_changed",
                    staff.display_name,
                    staff.id,
                    data={"from": case["urgency"], "to": Urgency.ACUTE, "reason": "findings"},
                )
            )
        if current is S.INSPECTION_PLANNED:
            changes |= {"status": S.INSPECTED, "inspected_at": case["inspected_at"] or now}
            events.append(_status_event(staff, current, S.INSPECTED, {"finding_id": finding_id}))
        return Change(changes, events)

    return decide
