"""The change pipeline: every change to a case, from intake to the worker, goes through here.

In one transaction: lock the case (within the caller's scope), check the version the caller
read, let the rule decide the change, apply it and append its events (one UPDATE and one
INSERT; a new case and its events in one statement), then hand the typed events to every
subscriber on the same connection. A subscriber that raises rolls the whole change back. The clock is the
pipeline's, so the demo and the tests drive the real rules at any moment they like.
"""

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import asyncpg

from service.changes import store
from service.changes.store import NewCase
from service.db import Connection
from service.domain.errors import NotFound, StaleVersion
from service.domain.events import CaseChanged, Event

CASE_NOT_FOUND = "No case with this reference."

Clock = Callable[[], datetime]
# Side effects hang on here: the notification outbox, attachment bookkeeping, audit.
Subscriber = Callable[[Connection, CaseChanged], Awaitable[None]]


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class CaseAt:
    """Which case to change: by reference, within the caller's scope (None: any case)."""

    reference: str
    scope: int | None = None
    # The version the caller read and changes (If-Match); None: as it is now.
    version: int | None = None


@dataclass
class Change:
    """What a rule decided: columns to set (or the new case) and the events that say so."""

    columns: dict[str, Any] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    new_case: NewCase | None = None  # intake only


# A rule: given the locked case (None for a new one) and the moment, the change to make.
Decide = Callable[[Connection, asyncpg.Record | None, datetime], Awaitable[Change]]


class Pipeline:
    def __init__(
        self, *, clock: Clock = system_clock, subscribers: Sequence[Subscriber] = ()
    ) -> None:
        self.clock = clock
        self.subscribers = tuple(subscribers)

    async def run(
        self,
        db: asyncpg.Pool | Connection,
        case: CaseAt | None,
        decide: Decide,
    ) -> CaseChanged | None:
        """Make the change decide asks for to case (None: a new case).

        Returns what was published, or None when the rule found nothing to change. On a
        connection already in a transaction, the change joins it (intake's idempotency key,
        the demo's load); otherwise it is a transaction of its own.
        """
        if isinstance(db, asyncpg.Pool):
            async with db.acquire() as connection, connection.transaction():
                return await self._run(connection, case, decide)
        if db.is_in_transaction():
            return await self._run(db, case, decide)
        async with db.transaction():
            return await self._run(db, case, decide)

    async def _run(
        self, connection: Connection, case: CaseAt | None, decide: Decide
    ) -> CaseChanged | None:
        now = self.clock()
        before = None
        if case is not None:
            before = await store.lock_case(connection, case.reference, case.scope)
            if before is None:
                raise NotFound(CASE_NOT_FOUND)
            if case.version is not None and before["version"] != case.version:
                raise StaleVersion(before["version"])
        change = await decide(connection, before, now)
        if not change.events:
            return None  # already so: nothing to record
        changed = await self._apply(connection, before, change, now)
        for subscriber in self.subscribers:
            await subscriber(connection, changed)
        return changed

    async def _apply(
        self,
        connection: Connection,
        before: asyncpg.Record | None,
        change: Change,
        now: datetime,
    ) -> CaseChanged:
        events = tuple(change.events)
        if before is None:
            new = change.new_case
            if new is None:
                raise ValueError("a change without a case must make one (Change.new_case)")
            await store.insert_case(connection, new, now, events)
            return CaseChanged(
                case_id=new.id,
                reference=new.reference,
                corporation_id=new.corporation_id,
                version=1,
                at=now,
                events=events,
                first_seq=1,
            )
        await store.update_case(connection, before["id"], change.columns, now, len(events))
        changed = CaseChanged(
            case_id=before["id"],
            reference=before["reference"],
            corporation_id=change.columns.get("corporation_id", before["corporation_id"]),
            version=before["version"] + 1,
            at=now,
            events=events,
            first_seq=before["last_event_seq"] + 1,
        )
        await store.append_events(connection, changed.case_id, changed.first_seq, now, events)
        return changed
