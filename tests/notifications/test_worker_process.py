"""`python -m service worker` as a process of its own, sending to a real SMTP server: an acute
report reaches the corporation within seconds, and a worker killed while sending loses
nothing (the next one sends what it had claimed, a message in flight again with its id)."""

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import asyncpg
import psutil
import pytest

from tests.conftest import REPO, TEST_SECRET
from tests.notifications.smtp import queue_routed, smtp_server
from tests.notifications.staff import TENANT_EMAIL
from tests.servers import free_port
from tests.world import OWN_HOME

# Bounds a time or loads the machine: runs alone (make test).
pytestmark = pytest.mark.timing

LEFIER_MAIL = "meldingen@lefier.example"


async def start_worker(database_url: str, smtp_port: int, **env: str) -> asyncio.subprocess.Process:
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update(
        DATABASE_URL=database_url,
        SECRET_KEY=TEST_SECRET,
        SMTP_URL=f"smtp://127.0.0.1:{smtp_port}?starttls=off",
        MAIL_FROM="Schademelding <noreply@schade.example.nl>",
        **env,
    )
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "service", "worker",
        cwd=REPO, env=environment, stdout=asyncio.subprocess.DEVNULL,
    )  # fmt: skip


@asynccontextmanager
async def worker_process(database_url: str, smtp_port: int, **env: str) -> AsyncIterator[None]:
    worker = await start_worker(database_url, smtp_port, **env)
    try:
        yield
    finally:
        if worker.returncode is None:
            worker.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(worker.wait(), timeout=15)
            except TimeoutError:
                worker.kill()
                await worker.wait()


async def until(condition: Callable[[], bool], seconds: float, what: str) -> float:
    """Wait for condition; the seconds it took."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < seconds, f"{what}: not within {seconds} s"
        await asyncio.sleep(0.02)
    return time.monotonic() - started


async def test_an_acute_report_reaches_the_corporation_within_10_seconds(
    conn: asyncpg.Connection, world, database_url: str
) -> None:
    await conn.execute("UPDATE corporations SET email = $1 WHERE code = 'lefier'", LEFIER_MAIL)
    # The corporation's inbox: the tenant's own confirmation is not what this is about.
    with smtp_server(ignore=TENANT_EMAIL) as (inbox, port):
        async with worker_process(database_url, port):
            # A first message shows the worker is up (starting Python is not the point).
            [probe] = await queue_routed(conn, 1, datetime.now(UTC))
            await until(lambda: len(inbox.messages) == 1, 60, "the worker's first message")

            report = await world.report(OWN_HOME, acute=True, category="unsafe_situation")
            took = await until(lambda: len(inbox.messages) == 2, 10, "the acute report's e-mail")
    acute = inbox.messages[1]
    assert str(probe) not in acute["Message-ID"]
    assert str(acute["Subject"]).strip().startswith(f"ACUUT: schademelding {report['reference']}")
    assert acute["To"] == LEFIER_MAIL
    assert took < 10


async def test_a_worker_killed_while_sending_loses_no_message(
    conn: asyncpg.Connection, database_url: str
) -> None:
    ids = await queue_routed(conn, 120, datetime.now(UTC))
    expected = {f"<{message_id}@schade.example.nl>" for message_id in ids}
    # A slow mail server, so the kill lands in the middle; a short lease, so the next worker
    # takes over what the first had claimed within seconds.
    with smtp_server(delay=0.02) as (inbox, port):
        first = await start_worker(database_url, port, OUTBOX_LEASE="2")
        try:
            await until(lambda: len(inbox.messages) >= 20, 60, "the first worker sending")
        finally:
            first.kill()  # SIGKILL: no chance to finish anything
            await first.wait()
        assert len(inbox.messages) < len(ids), "killed too late to show anything"

        async with worker_process(database_url, port, OUTBOX_LEASE="2"):
            await until(
                lambda: {str(m["Message-ID"]) for m in inbox.messages} >= expected,
                60,
                "every message sent",
            )
            deadline = time.monotonic() + 30
            while await conn.fetchval("SELECT count(*) FROM outbox WHERE status <> 'sent'"):
                assert time.monotonic() < deadline, "not every message marked sent"
                await asyncio.sleep(0.05)
    received = Counter(str(m["Message-ID"]) for m in inbox.messages)
    assert set(received) == expected  # nothing lost, nothing foreign
    # A duplicate is a message the first worker was sending when it died: one per connection
    # at most, and it carries the same Message-ID (so the Counter counts it twice).
    duplicates = sum(count - 1 for count in received.values())
    assert duplicates <= 4


def _workers_of(pid: int) -> list[psutil.Process]:
    """serve's `worker` children. serve has short-lived children too (it migrates in one): one
    that has just ended (a zombie until serve reaps it, or gone) is not the worker."""
    found = []
    for child in psutil.Process(pid).children():
        try:
            if "worker" in child.cmdline():
                found.append(child)
        except (psutil.ZombieProcess, psutil.NoSuchProcess):
            continue
    return found


def test_the_worker_serve_starts_stops_when_serve_is_killed(database_url: str) -> None:
    """SIGKILL gives serve no chance to stop its worker: the worker notices by itself."""
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update(DATABASE_URL=database_url, SECRET_KEY=TEST_SECRET, LOG_LEVEL="WARNING")
    serve = subprocess.Popen(
        [sys.executable, "-m", "service", "serve", "--no-demo", "--port", str(port)],
        cwd=REPO, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        workers: list[psutil.Process] = []
        while not workers:
            assert time.monotonic() < deadline, "serve started no worker"
            assert serve.poll() is None, "serve stopped"
            workers = _workers_of(serve.pid)
            time.sleep(0.1)
    finally:
        serve.kill()
        serve.wait()
    [worker] = workers
    worker.wait(timeout=15)  # psutil.TimeoutExpired if it lives on
