"""What a tenant does with the tracking token: add information, confirm the repair, reopen."""

from datetime import datetime
from typing import Any

import asyncpg

from service.changes.pipeline import CaseAt, Change, Decide, Pipeline
from service.db import Connection
from service.domain.errors import NotFound
from service.domain.events import TENANT, Event, EventKind
from service.domain.permissions import TenantAction, check_tenant
from service.domain.workflow import Status
from service.reports.tokens import token_matches

NOT_FOUND = "No report with this reference and tracking token."


async def tenant_change(
    db: asyncpg.Pool | Connection,
    pipeline: Pipeline,
    reference: str,
    token: str | None,
    decide: Decide,
) -> None:
    """A change through the pipeline, with the tracking token opening the case.

    An unknown reference and a wrong token answer the same NotFound, so nothing is leaked.
    """

    async def with_token(
        connection: Connection, case: asyncpg.Record | None, now: datetime
    ) -> Change:
        if case is None or not token or not token_matches(token, case["tracking_token_hash"]):
            raise NotFound(NOT_FOUND)
        return await decide(connection, case, now)

    try:
        await pipeline.run(db, CaseAt(reference), with_token)
    except NotFound:
        raise NotFound(NOT_FOUND) from None


def _check(action: TenantAction, case: asyncpg.Record | None, now: datetime) -> asyncpg.Record:
    assert case is not None  # tenant_change opened it
    check_tenant(action, Status(case["status"]), case["resolved_at"], now)
    return case


def add_message(text: str) -> Decide:
    async def decide(connection: Connection, case: asyncpg.Record | None, now: datetime) -> Change:
        _check(TenantAction.MESSAGE, case, now)
        return Change({}, [Event(EventKind.TENANT_MESSAGE, TENANT, {"text": text}, public=True)])

    return decide


def confirm() -> Decide:
    async def decide(connection: Connection, case: asyncpg.Record | None, now: datetime) -> Change:
        _check(TenantAction.CONFIRM, case, now)
        event = Event.status_change(
            TENANT, Status.RESOLVED, Status.CLOSED, {"confirmed_by": TENANT.name}
        )
        return Change({"status": Status.CLOSED, "closed_at": now}, [event])

    return decide


def reopen(reason: str) -> Decide:
    async def decide(connection: Connection, case: asyncpg.Record | None, now: datetime) -> Change:
        _check(TenantAction.REOPEN, case, now)
        data: dict[str, Any] = {"reason": reason, "reopened": True}
        event = Event.status_change(TENANT, Status.RESOLVED, Status.ACKNOWLEDGED, data)
        columns = {"status": Status.ACKNOWLEDGED, "resolved_at": None, "repaired_on": None}
        return Change(columns, [event])

    return decide
