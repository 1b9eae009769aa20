"""The worker's retention job: in batches, one case per transaction, idempotent."""

from datetime import UTC, datetime, timedelta

import asyncpg

from service.changes.pipeline import Pipeline
from service.privacy.retention import anonymise_expired_cases, closed_before
from service.worker import run_once
from tests.factories import set_case_columns
from tests.world import World

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


async def _rejected(world: World, conn: asyncpg.Connection, closed_at: datetime) -> str:
    reference = (await world.report())["reference"]
    await set_case_columns(
        conn, reference, status="rejected", rejection_reason="withdrawn", closed_at=closed_at
    )
    return reference


async def _anonymised(conn: asyncpg.Connection) -> list[str]:
    rows = await conn.fetch(
        "SELECT reference FROM cases WHERE anonymised_at IS NOT NULL ORDER BY reference"
    )
    return [row["reference"] for row in rows]


def test_the_period_counts_calendar_months_to_the_start_of_a_day_in_amsterdam():
    assert closed_before(NOW, 24) == datetime(2024, 11, 29, 23, 0, tzinfo=UTC)
    assert closed_before(datetime(2026, 3, 31, 12, 0, tzinfo=UTC), 1) == datetime(
        2026, 2, 27, 23, 0, tzinfo=UTC
    )


async def test_a_backlog_goes_in_batches_and_a_second_round_finds_nothing(
    world: World, conn: asyncpg.Connection, pool: asyncpg.Pool
) -> None:
    old = NOW - timedelta(days=800)
    expired = [await _rejected(world, conn, old) for _ in range(3)]
    recent = await _rejected(world, conn, NOW - timedelta(days=300))
    still_open = (await world.report())["reference"]
    pipeline = Pipeline(clock=lambda: NOW)

    assert await anonymise_expired_cases(pool, pipeline, 24, batch=2) == 2
    assert len(await _anonymised(conn)) == 2
    assert await anonymise_expired_cases(pool, pipeline, 24, batch=2) == 1
    assert await _anonymised(conn) == expired
    assert await anonymise_expired_cases(pool, pipeline, 24, batch=2) == 0
    assert recent not in await _anonymised(conn)
    assert still_open not in await _anonymised(conn)
    # One "anonymised" event each, however often the job runs.
    assert await conn.fetchval("SELECT count(*) FROM case_events WHERE kind = 'anonymised'") == 3


async def test_a_worker_round_anonymises_with_the_setting(
    world: World, conn: asyncpg.Connection, pool: asyncpg.Pool
) -> None:
    reference = await _rejected(world, conn, NOW - timedelta(days=300))
    assert (await run_once(pool, Pipeline(clock=lambda: NOW))).anonymised == 0  # 24 months
    done = await run_once(pool, Pipeline(clock=lambda: NOW), retention_months=6)
    assert done.anonymised == 1
    assert await _anonymised(conn) == [reference]
