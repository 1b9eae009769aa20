"""Turning case rows into what the staff API answers."""

from datetime import datetime

import asyncpg

from service.api_types import CorporationRef
from service.auth.staff import Staff
from service.cases.schemas import (
    ActionOut,
    AddressOut,
    CaseDetail,
    CaseSummary,
    DamageItemOut,
    DeadlineOut,
    ErasureOut,
    EventOut,
    FindingOut,
    PersonRef,
    ReporterOut,
)
from service.domain.addresses import format_postcode
from service.domain.permissions import Allowed, CaseFacts, allowed_actions
from service.domain.privacy import mask_email, mask_name, mask_phone
from service.domain.roles import Permission
from service.domain.sla import STAGE_OF_STATUS, Stage, deadline_state
from service.domain.work_dates import done_at
from service.domain.workflow import Status
from service.who_looked.store import Route, Viewer

# When each stage was done, by the column that records it.
_COMPLETED_COLUMN = {
    Stage.ACKNOWLEDGE: "acknowledged_at",
    Stage.INSPECT: "inspected_at",
    Stage.RESOLVE: "resolved_at",
}


def _address(row: asyncpg.Record) -> AddressOut:
    return AddressOut(
        postcode=format_postcode(row["postcode"]) if row["postcode"] else None,
        house_number=row["house_number"],
        house_letter=row["house_letter"] or None,
        addition=row["addition"] or None,
        street=row["street"],
        city=row["city"],
        municipality_code=row["municipality_code"],
        bag_id=row["bag_id"],
    )


def _corporation(row: asyncpg.Record) -> CorporationRef | None:
    code = row["corporation_code"]
    return CorporationRef(code, row["corporation_name"]) if code else None


def _assignee(row: asyncpg.Record) -> PersonRef | None:
    user_id = row["assignee_id"]
    return PersonRef(user_id, row["assignee_name"]) if user_id else None


def summary_of(row: asyncpg.Record, now: datetime) -> CaseSummary:
    stage = STAGE_OF_STATUS.get(row["status"])
    next_deadline = None
    if stage is not None and row["next_deadline_at"] is not None:
        due = row["next_deadline_at"]
        next_deadline = DeadlineOut(stage, due, deadline_state(row["reported_at"], due, now))
    return CaseSummary(
        reference=row["reference"],
        status=Status(row["status"]),
        category=row["category"],
        acute=row["acute"],
        urgency=row["urgency"],
        corporation=_corporation(row),
        address=_address(row),
        assignee=_assignee(row),
        reported_at=row["reported_at"],
        next_deadline=next_deadline,
    )


def _completed_at(row: asyncpg.Record, stage: Stage) -> datetime | None:
    completed_at: datetime | None = row[_COMPLETED_COLUMN[stage]]
    if stage is Stage.RESOLVE and completed_at is not None and row["repaired_on"] is not None:
        # The repair's day counts, not the day it was marked resolved.
        return done_at(row["repaired_on"], None, completed_at)
    return completed_at


def _deadlines(row: asyncpg.Record, now: datetime) -> list[DeadlineOut]:
    """Each stage's deadline: met or missed when done, live while still ahead."""
    status = row["status"]
    current = STAGE_OF_STATUS.get(status)
    stages = list(Stage)
    out = []
    for stage in stages:
        due = row[f"{stage}_by"]
        completed_at = _completed_at(row, stage)
        if completed_at is not None:
            state = deadline_state(row["reported_at"], due, completed_at)
        elif current is not None and stages.index(stage) >= stages.index(current):
            state = deadline_state(row["reported_at"], due, now)
        else:
            state = None  # on hold (paused), finished, or a stage that was skipped
        out.append(DeadlineOut(stage, due, state, completed_at))
    return out


def contact_viewer(staff: Staff, route: Route, now: datetime) -> Viewer:
    """The staff member about to be shown a reporter's contact details: masked or not, as
    detail_for will show them."""
    return Viewer(staff.id, route, masked=not staff.can(Permission.SEE_CONTACT), at=now)


def _reporter(row: asyncpg.Record, see_contact: bool) -> ReporterOut:
    if see_contact:
        return ReporterOut(
            row["reporter_name"],
            row["reporter_email"],
            row["reporter_phone"],
            row["reporter_language"],
            masked=False,
        )
    return ReporterOut(
        mask_name(row["reporter_name"]),
        mask_email(row["reporter_email"]),
        mask_phone(row["reporter_phone"]),
        row["reporter_language"],
        masked=True,
    )


def _action(allowed: Allowed) -> ActionOut:
    return ActionOut(allowed.action, allowed.to, list(allowed.requires), list(allowed.optional))


def detail_for(
    staff: Staff, row: asyncpg.Record, findings: list[asyncpg.Record], now: datetime
) -> CaseDetail:
    """The case as this user sees it now: contact details and actions as their role allows."""
    summary = summary_of(row, now)
    actions = allowed_actions(staff, CaseFacts.of(row))
    return CaseDetail(
        reference=summary.reference,
        version=row["version"],
        status=summary.status,
        allowed_next=[action.to for action in actions if action.to is not None],
        allowed_actions=[_action(action) for action in actions],
        category=summary.category,
        acute=summary.acute,
        urgency=summary.urgency,
        description=row["description"],
        noticed_on=row["noticed_on"],
        corporation=summary.corporation,
        address=summary.address,
        assignee=summary.assignee,
        reporter=_reporter(row, staff.can(Permission.SEE_CONTACT)),
        reported_at=summary.reported_at,
        updated_at=row["updated_at"],
        closed_at=row["closed_at"],
        deadlines=_deadlines(row, now),
        planned_at=row["planned_at"],
        referred_to=row["referred_to"],
        external_reference=row["external_reference"],
        on_hold_since=row["on_hold_since"],
        on_hold_previous_status=row["on_hold_previous_status"],
        rejection_reason=row["rejection_reason"],
        duplicate_of=row["duplicate_of"],
        repaired_on=row["repaired_on"],
        findings=[
            FindingOut(
                id=f["id"],
                visited_on=f["visited_on"],
                recorded_at=f["recorded_at"],
                recorded_by=f["recorded_by"],
                acute=f["acute"],
                earthquake_cause=f["earthquake_cause"],
                summary=f["summary"],
                items=[DamageItemOut(**item) for item in f["items"]],
            )
            for f in findings
        ],
        erasure=ErasureOut(row["erasure_requested_at"], row["erase_by"])
        if row["erasure_requested_at"]
        else None,
        anonymised_at=row["anonymised_at"],
    )


def event_of(row: asyncpg.Record) -> EventOut:
    return EventOut(
        seq=row["seq"],
        at=row["at"],
        actor=row["actor"],
        kind=row["kind"],
        from_status=row["from_status"],
        to_status=row["to_status"],
        public=row["public"],
        data=row["data"],
    )
