"""The worker's retention job: anonymise cases closed or rejected longer ago than
RETENTION_MONTHS, one case per transaction and at most BATCH a round, so that a large backlog
(the first run after the setting is introduced) holds no long transaction and no lock on
many counter rows; the next round goes on where this one stopped."""

from datetime import datetime, time

import asyncpg

from service.attachments.storage import ObjectStorage
from service.changes.pipeline import CaseAt, Change, Decide, Pipeline
from service.db import Connection
from service.domain.calendar import AMSTERDAM
from service.domain.events import SYSTEM
from service.domain.privacy import AnonymisedFor, retention_cutoff
from service.domain.work_dates import local_day
from service.domain.workflow import FINISHED_STATUSES, Status
from service.privacy.anonymise import RemovedObjects, anonymised

BATCH = 100


def closed_before(now: datetime, months: int) -> datetime:
    """Cases closed before this moment are past the retention period: the start of the day,
    in Amsterdam, so many calendar months ago."""
    return datetime.combine(retention_cutoff(local_day(now), months), time(0), AMSTERDAM)


def anonymise_expired(cutoff: datetime, removed: RemovedObjects) -> Decide:
    """Anonymise the case if it is still finished before the cutoff and not anonymised yet
    (a reopened case, or one another worker did, is left alone: the job is idempotent)."""

    async def decide(connection: Connection, case: asyncpg.Record | None, now: datetime) -> Change:
        assert case is not None
        closed_at = case["closed_at"]
        if (
            case["anonymised_at"] is not None
            or Status(case["status"]) not in FINISHED_STATUSES
            or closed_at is None
            or closed_at >= cutoff
        ):
            return Change()
        return await anonymised(connection, case, now, AnonymisedFor.RETENTION, SYSTEM, removed)

    return decide


async def _next_expired(connection: Connection, cutoff: datetime) -> str | None:
    """The reference of a case past the retention period, locked; one no other worker holds."""
    return await connection.fetchval(
        """
        SELECT reference FROM cases
        WHERE closed_at < $1 AND anonymised_at IS NULL
        ORDER BY closed_at
        LIMIT 1
        FOR UPDATE SKIP LOCKED
        """,
        cutoff,
    )


async def anonymise_expired_cases(
    pool: asyncpg.Pool,
    pipeline: Pipeline,
    months: int,
    storage: ObjectStorage | None = None,
    batch: int = BATCH,
) -> int:
    """Anonymise up to batch cases past the retention period; how many."""
    cutoff = closed_before(pipeline.clock(), months)
    done = 0
    while done < batch:
        removed = RemovedObjects()
        async with pool.acquire() as connection, connection.transaction():
            reference = await _next_expired(connection, cutoff)
            if reference is None:
                break
            changed = await pipeline.run(
                connection, CaseAt(reference), anonymise_expired(cutoff, removed)
            )
            if changed is None:  # not due after all: leave it for a later round
                break
        await removed.delete(pool, storage)
        done += 1
    return done
