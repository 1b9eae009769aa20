"""What a tenant does with the tracking token: add information, confirm the repair, reopen."""

from datetime import datetime, timedelta
from typing import Any

import asyncpg
from litestar.exceptions import NotFoundException

from service.cases import store
from service.cases.changes import Change, Conflict, Decide
from service.cases.store import Event
from service.domain.workflow import TENANT_REACTION_DAYS, Status
from service.reports.tokens import token_matches

TENANT = "tenant"
REACTION_WINDOW = timedelta(days=TENANT_REACTION_DAYS)
NOT_FOUND = "No report with this reference and tracking token."


async def tenant_change(
    pool: asyncpg.Pool, reference: str, token: str | None, decide: Decide
) -> None:
    """Like change_case, but the tracking token opens the case instead of a staff scope."""
    async with pool.acquire() as connection, connection.transaction():
        token_hash = await connection.fetchval(
            "SELECT tracking_token_hash FROM cases WHERE reference = $1 FOR UPDATE", reference
        )
        if token_hash is None or not token or not token_matches(token, token_hash):
            raise NotFoundException(NOT_FOUND)
        case = await store.case_detail(connection, reference, None)
        assert case is not None
        now = await connection.fetchval("SELECT now()")
        change = await decide(connection, case, now)
        await store.apply_change(connection, case, change.changes, change.events, now)


def _within_reaction_window(case: asyncpg.Record, now: datetime, action: str) -> None:
    if case["status"] != Status.RESOLVED:
        raise Conflict(f"You can {action} once the corporation reports the work as done.")
    if now - case["resolved_at"] > REACTION_WINDOW:
        raise Conflict(
            f"The {TENANT_REACTION_DAYS} days to {action} have passed. "
            "If the damage is back, please make a new report."
        )


def add_message(text: str) -> Decide:
    async def decide(connection: asyncpg.Connection, case: asyncpg.Record, now: datetime) -> Change:
        if case["status"] in (Status.CLOSED, Status.REJECTED):
            raise Conflict(
                "This report is closed. If there is new damage, please make a new report."
            )
        return Change({}, [Event("tenant_message", TENANT, public=True, data={"text": text})])

    return decide


def confirm() -> Decide:
    async def decide(connection: asyncpg.Connection, case: asyncpg.Record, now: datetime) -> Change:
        _within_reaction_window(case, now, "confirm the repair")
        event = Event(
            "status_changed",
            TENANT,
            from_status=Status.RESOLVED,
            to_status=Status.CLOSED,
            public=True,
            data={"confirmed_by": TENANT},
        )
        return Change({"status": Status.CLOSED, "closed_at": now}, [event])

    return decide


def reopen(reason: str) -> Decide:
    async def decide(connection: asyncpg.Connection, case: asyncpg.Record, now: datetime) -> Change:
        _within_reaction_window(case, now, "reopen the report")
        data: dict[str, Any] = {"reason": reason, "reopened": True}
        event = Event(
            "status_changed",
            TENANT,
            from_status=Status.RESOLVED,
            to_status=Status.ACKNOWLEDGED,
            public=True,
            data=data,
        )
        return Change({"status": Status.ACKNOWLEDGED, "resolved_at": None}, [event])

    return decide
