"""`python -m service worker` stopped with SIGTERM finishes the job it is doing, then exits."""

import asyncio
import os
import signal
import sys
import time

import asyncpg
from litestar.testing import AsyncTestClient

from tests.conftest import REPO, TEST_SECRET
from tests.factories import report_body

WAITING_DELETE = """
    SELECT count(*) FROM pg_stat_activity
    WHERE datname = current_database() AND wait_event_type = 'Lock'
      AND query LIKE 'DELETE FROM idempotency_keys%'
"""


async def test_sigterm_lets_the_worker_finish_its_job(
    client: AsyncTestClient, conn: asyncpg.Connection, database_url: str
) -> None:
    for key in ("old", "new"):
        await client.post("/api/v1/reports", json=report_body(), headers={"Idempotency-Key": key})
    await conn.execute(
        "UPDATE idempotency_keys SET created_at = now() - interval '8 days' "
        "WHERE key_hash = sha256('old'::bytea)"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DATABASE_URL=database_url, SECRET_KEY=TEST_SECRET)

    async with conn.transaction():
        # The job that forgets old keys will wait for this lock: it is doing its job.
        await conn.execute("LOCK TABLE idempotency_keys IN ACCESS EXCLUSIVE MODE")
        worker = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "service", "worker", "--interval", "0.2",
            cwd=REPO, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 30
            while True:
                await conn.execute("SELECT pg_stat_clear_snapshot()")  # a fresh view
                if await conn.fetchval(WAITING_DELETE):
                    break
                assert worker.returncode is None, "the worker exited"
                assert time.monotonic() < deadline, "the worker's job never began"
                await asyncio.sleep(0.05)
            worker.send_signal(signal.SIGTERM)
            await asyncio.sleep(0.5)
            assert worker.returncode is None, "it stopped in the middle of its job"
        except BaseException:
            if worker.returncode is None:
                worker.kill()
            raise
    # The lock is gone: the job ends, and so does the worker.
    output, _ = await asyncio.wait_for(worker.communicate(), timeout=15)
    assert worker.returncode == 0, output.decode()
    assert await conn.fetchval("SELECT count(*) FROM idempotency_keys") == 1
