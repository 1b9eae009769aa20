"""The shell around every change of a case: lock it, check its version, apply, log.

One transaction: the case row is locked (FOR UPDATE) within the caller's scope, its
version compared with If-Match, then the change updates the row, bumps the version and
appends events with gap-free sequence numbers.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import asyncpg
from litestar.exceptions import NotFoundException

from service.cases import store
from service.cases.store import Event
from service.errors import ProblemException


@dataclass
class Change:
    changes: dict[str, Any] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)


class Conflict(ProblemException):
    """The case's state does not allow this (409)."""

    def __init__(self, detail: str) -> None:
        super().__init__(status_code=409, detail=detail)


class StaleVersion(ProblemException):
    def __init__(self, current: int) -> None:
        super().__init__(
            status_code=412,
            detail=f"Someone else changed this case; it is now at version {current}. "
            "Load it again, check the change, and retry with the new version.",
        )


CASE_NOT_FOUND = "No case with this reference."

Decide = Callable[[asyncpg.Connection, asyncpg.Record, datetime], Awaitable[Change]]


async def change_case(
    pool: asyncpg.Pool,
    reference: str,
    *,
    scope: int | None,
    expected_version: int | None,
    decide: Decide,
) -> asyncpg.Record | None:
    """Apply decide's change; return the case as it now is, or None once out of scope."""
    async with pool.acquire() as connection, connection.transaction():
        case = await store.case_detail(connection, reference, scope, lock=True)
        if case is None:
            raise NotFoundException(CASE_NOT_FOUND)
        if expected_version is not None and case["version"] != expected_version:
            raise StaleVersion(case["version"])
        now = datetime.now(UTC)
        change = await decide(connection, case, now)
        if change.events:
            await store.apply_change(connection, case, change.changes, change.events, now)
        return await store.case_detail(connection, reference, scope)
