"""The tenant's right to erasure (article 17 AVG): the tenant asks, with the tracking token;
a manager of the corporation, a coordinator or an admin carries it out by its day, which
anonymises the case at once (service/privacy/anonymise.py).

Carrying it out ends a case that is still open: rejected as withdrawn (closed when the work
was reported done). The request withdraws the report: without the tenant's contact details
and home nobody can visit or repair from this case any more, and holding the erasure back
until the case ends could pass the month the law gives. The corporation's own duties as
landlord do not depend on this report; the tenant can report again.
"""

from datetime import datetime
from typing import Any

import asyncpg

from service.attachments.storage import ObjectStorage
from service.auth.staff import Staff
from service.changes.pipeline import CaseAt, Change, Decide, Pipeline
from service.db import Connection
from service.domain.errors import Conflict
from service.domain.events import TENANT, Event, EventKind
from service.domain.permissions import ActionKind, CaseFacts, check
from service.domain.privacy import AnonymisedFor, erasure_deadline
from service.domain.work_dates import local_day
from service.domain.workflow import FINISHED_STATUSES, Status
from service.privacy.anonymise import RemovedObjects, anonymised

S = Status
WITHDRAWN = "withdrawn"


def request_erasure() -> Decide:
    """The tenant's request (through tenant_change, which checked the token). Asked again,
    the first request and its day stand."""

    async def decide(connection: Connection, case: asyncpg.Record | None, now: datetime) -> Change:
        assert case is not None
        if case["anonymised_at"] is not None:
            raise Conflict("The personal data of this report have been removed already.")
        if case["erasure_requested_at"] is not None:
            return Change()
        erase_by = erasure_deadline(local_day(now))
        event = Event(
            EventKind.ERASURE_REQUESTED, TENANT, {"erase_by": erase_by.isoformat()}, public=True
        )
        return Change({"erasure_requested_at": now, "erase_by": erase_by}, [event])

    return decide


def _ending(staff: Staff, case: asyncpg.Record) -> tuple[dict[str, Any], list[Event]]:
    """An open case ends with the erasure: closed when the work was done, else withdrawn."""
    current = Status(case["status"])
    if current in FINISHED_STATUSES:
        return {}, []
    columns: dict[str, Any] = {
        "planned_at": None,
        "on_hold_since": None,
        "on_hold_previous_status": None,
    }
    if current is S.RESOLVED:
        target, data = S.CLOSED, {"reason": AnonymisedFor.ERASURE.value}
    else:
        target, data = S.REJECTED, {"reason": WITHDRAWN}
        columns |= {"rejection_reason": WITHDRAWN, "duplicate_of": None}
    return columns | {"status": target}, [Event.status_change(staff.actor, current, target, data)]


def carry_out_erasure(staff: Staff, removed: RemovedObjects) -> Decide:
    """Anonymise the case now, ending it first when it is open; removed collects the
    objects to delete once the change has committed."""

    async def decide(connection: Connection, case: asyncpg.Record | None, now: datetime) -> Change:
        assert case is not None
        check(staff, CaseFacts.of(case), ActionKind.ERASE)
        columns, events = _ending(staff, case)
        if columns:
            columns["closed_at"] = now
        change = await anonymised(
            connection, case, now, AnonymisedFor.ERASURE, staff.actor, removed
        )
        return Change(columns | change.columns, [*events, *change.events])

    return decide


async def erase_now(
    pool: asyncpg.Pool,
    pipeline: Pipeline,
    storage: ObjectStorage,
    staff: Staff,
    target: CaseAt,
) -> None:
    """Carry out the erasure (the API's and the case page's), then delete the photos' and
    documents' objects."""
    removed = RemovedObjects()
    await pipeline.run(pool, target, carry_out_erasure(staff, removed))
    await removed.delete(pool, storage)
