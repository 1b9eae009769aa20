"""The auto-close job: cases resolved over 14 days ago close, once, with any number of workers."""

import asyncio

from service import db
from service.changes.pipeline import Pipeline
from service.worker import close_unanswered_resolutions, forget_old_idempotency_keys, run_once
from tests import factories
from tests.cli import run_cli
from tests.factories import report_body


async def file_resolved_cases(client, conn, count: int, days_ago: int) -> list[str]:
    if not await conn.fetchval("SELECT count(*) FROM addresses"):
        await factories.home(conn, await factories.corporation(conn, "lefier"), "9711AB", 12)
    references = []
    for _ in range(count):
        created = (await client.post("/api/v1/reports", json=report_body())).json()
        references.append(created["reference"])
    await conn.execute(
        """
        UPDATE cases SET status = 'resolved', resolved_at = now() - make_interval(days => $2)
        WHERE reference = ANY($1::text[])
        """,
        references,
        days_ago,
    )
    return references


async def test_two_workers_close_each_expired_case_exactly_once(client, conn, database_url):
    expired = await file_resolved_cases(client, conn, 30, days_ago=15)
    recent = await file_resolved_cases(client, conn, 3, days_ago=13)
    pools = [await db.create_pool(database_url, 1, 3) for _ in range(2)]
    try:
        closed = await asyncio.gather(
            *(close_unanswered_resolutions(pool, Pipeline()) for pool in pools)
        )
    finally:
        for pool in pools:
            await pool.close()
    assert sum(closed) == 30
    assert all(count > 0 for count in closed)  # both really took part
    rows = await conn.fetch(
        """
        SELECT c.reference, c.status, c.closed_at IS NOT NULL AS has_closed_at,
               count(e.*) FILTER (WHERE e.to_status = 'closed') AS close_events,
               max(e.seq) = c.last_event_seq AS seq_in_step
        FROM cases c JOIN case_events e ON e.case_id = c.id
        GROUP BY c.id
        """
    )
    by_reference = {row["reference"]: row for row in rows}
    for reference in expired:
        row = by_reference[reference]
        assert (row["status"], row["has_closed_at"], row["close_events"]) == ("closed", True, 1)
        assert row["seq_in_step"]
    for reference in recent:
        assert by_reference[reference]["status"] == "resolved"


async def test_old_idempotency_keys_are_forgotten(client, conn, pool):
    for key in ("old", "new"):
        await client.post("/api/v1/reports", json=report_body(), headers={"Idempotency-Key": key})
    await conn.execute(
        "UPDATE idempotency_keys SET created_at = now() - interval '8 days' "
        "WHERE key_hash = sha256('old'::bytea)"
    )
    assert await forget_old_idempotency_keys(pool, Pipeline()) == 1
    assert await conn.fetchval("SELECT count(*) FROM idempotency_keys") == 1


async def test_worker_command_runs_one_round(client, conn, database_url, tmp_path):
    await file_resolved_cases(client, conn, 2, days_ago=20)
    code, stdout, stderr = await run_cli(
        "worker", "--once", database_url=database_url, data_dir=tmp_path
    )
    assert code == 0, stderr
    assert stdout.startswith("closed 2 case(s)")
    assert await conn.fetchval("SELECT count(*) FROM cases WHERE status = 'closed'") == 2


async def test_run_once_reports_what_it_did(pool, conn):
    done = await run_once(pool, Pipeline())
    assert (done.closed, done.keys_forgotten) == (0, 0)
