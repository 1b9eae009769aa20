"""What a tenant does with the tracking token: add information, confirm the repair, reopen."""

from datetime import datetime, timedelta
from typing import Any

import asyncpg
from litestar.exceptions import NotFoundException

from service.cases.changes import Change, Conflict, Decide, change_case
from service.cases.store import Event
from service.domain.workflow import TENANT_REACTION_DAYS, Status
from service.reports.tokens import token_matches

TENANT = "tenant"
REACTION_WINDOW = timedelta(days=TENANT_REACTION_DAYS)
NOT_FOUND = "No report with this reference and tracking token."


async def tenant_change(
    pool: asyncpg.Pool, reference: str, token: str | None, decide: Decide
) -> None:
    """change_case, with the tracking token opening the case instead of a staff scope.

    An unknown reference and a wrong token answer the same 404, so nothing is leaked.
    """

    async def with_token(
        connection: asyncpg.Connection, case: asyncpg.Record, now: datetime
    ) -> Change:
        if not token or not token_matches(token, case["tracking_token_hash"]):
            raise NotFoundException(NOT_FOUND)
        return await decide(connection, case, now)

    try:
        await change_case(pool, reference, scope=None, expected_version=None, decide=with_token)
    except NotFoundException:
        raise NotFoundException(NOT_FOUND) from None


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
        event = Event.status_change(
            TENANT, Status.RESOLVED, Status.CLOSED, {"confirmed_by": TENANT}
        )
        return Change({"status": Status.CLOSED, "closed_at": now}, [event])

    return decide


def reopen(reason: str) -> Decide:
    async def decide(connection: asyncpg.Connection, case: asyncpg.Record, now: datetime) -> Change:
        _within_reaction_window(case, now, "reopen the report")
        data: dict[str, Any] = {"reason": reason, "reopened": True}
        event = Event.status_change(TENANT, Status.RESOLVED, Status.ACKNOWLEDGED, data)
        return Change({"status": Status.ACKNOWLEDGED, "resolved_at": None}, [event])

    return decide
