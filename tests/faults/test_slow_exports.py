"""Slow CSV downloads cannot starve the service: exports run a few at a time on connections of
their own (more answer 429), and one whose client reads nothing is given up.

The readers here are raw sockets with a small receive buffer that never read: the export's
COPY fills the buffers and waits, holding its connection, as behind a stalled client.
"""

import asyncio
import contextlib
import socket
import time
from collections.abc import Iterator

import asyncpg
import httpx
import msgspec
import pytest

from service.app import create_app
from service.settings import Settings
from service.web.dashboard_page import EXPORT_PATH
from service.web.staff_access import SESSION_COOKIE, start_session
from tests import factories
from tests.factories import report_body
from tests.faults.support import collected
from tests.servers import serve_in_loop as served
from tests.world import OWN_HOME, World

# Bounds a time or loads the machine: runs alone (make test).
pytestmark = pytest.mark.timing

EXPORT = "/api/v1/cases.csv"
# Rows of some 1.3 kB: 20,000 of them (26 MB) are more than the socket buffers and the
# export's queue hold, so an export to a client that reads nothing cannot finish.
CASES = 20_000
LONG_STREET = "Lange Dwarsstraat bij de Grote Markt " * 30
# "Their normal time", with room for a busy machine: they take some 20-50 ms.
NORMAL = 2.0

# Client backends only: a parallel plan's workers show the same query.
COPY_RUNNING = """
    SELECT count(*) FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid()
      AND backend_type = 'client backend'
      AND query LIKE 'COPY (SELECT%' AND state <> 'idle'
"""


@pytest.fixture
async def many_cases(world: World, conn: asyncpg.Connection) -> None:
    """CASES copies of one filed case, with one INSERT and the triggers off (a bulk load)."""
    source = (await world.report(OWN_HOME))["reference"]
    await conn.execute("UPDATE cases SET street = $2 WHERE reference = $1", source, LONG_STREET)
    await factories.bulk_copies(conn, source, CASES)


async def copies_running(conn: asyncpg.Connection) -> int:
    return await conn.fetchval(COPY_RUNNING)


async def until(conn: asyncpg.Connection, copies: int, seconds: float) -> None:
    """Wait until `copies` exports' COPY run; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while (running := await copies_running(conn)) != copies:
        assert time.monotonic() < deadline, f"{running} COPY running, not {copies}"
        await asyncio.sleep(0.05)


class StalledReader:
    """A client that asks for the export and then reads nothing, through a tiny buffer."""

    def __init__(self, base_url: str, path: str, headers: dict[str, str]) -> None:
        port = int(base_url.rsplit(":", 1)[1])
        self.socket = socket.socket()
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.socket.connect(("127.0.0.1", port))
        lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        self.socket.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())

    async def answer_head(self) -> str:
        """The status line and headers (for one turned away at once)."""
        self.socket.settimeout(5)
        received = await asyncio.to_thread(self.socket.recv, 4096)
        return received.decode(errors="replace").partition("\r\n\r\n")[0]

    def close(self) -> None:
        self.socket.close()


@contextlib.contextmanager
def readers_closed() -> Iterator[list[StalledReader]]:
    readers: list[StalledReader] = []
    try:
        yield readers
    finally:
        for reader in readers:
            reader.close()


async def test_slow_downloads_cannot_starve_the_service(
    world: World, conn: asyncpg.Connection, many_cases: None, settings: Settings
) -> None:
    manager = world.who("manager")
    session = await start_session(conn, manager.id, secure=False)
    # A pool of 2 connections and room for 2 exports at once.
    small = msgspec.structs.replace(
        settings, pool_min_size=1, pool_max_size=2, db_acquire_timeout=1.0, export_max_concurrent=2
    )
    async with served(create_app(small)) as base:
        with collected("service", "uvicorn.error") as log, readers_closed() as readers:
            # As many stalled exports as the service runs at once (and as its pool has
            # connections): each holds its COPY, waiting for its client.
            for _ in range(2):
                readers.append(StalledReader(base, EXPORT, manager.headers))
            await until(conn, copies=2, seconds=10)

            # More are turned away at once: the API's with problem details, the page's with
            # a page.
            for _ in range(2):
                readers.append(StalledReader(base, EXPORT, manager.headers))
                head = await readers[-1].answer_head()
                assert head.startswith("HTTP/1.1 429"), head
                assert "retry-after: 30" in head.lower()
                assert "application/problem+json" in head
            cookie = {"Cookie": f"{SESSION_COOKIE}={session.value}"}
            readers.append(StalledReader(base, EXPORT_PATH, cookie))
            head = await readers[-1].answer_head()
            assert head.startswith("HTTP/1.1 429"), head
            assert "text/html" in head

            # Intake and the case list answer in their normal time meanwhile.
            async with httpx.AsyncClient(base_url=base, timeout=10) as http:
                for _ in range(3):
                    started = time.monotonic()
                    filed = await http.post("/api/v1/reports", json=report_body(address=OWN_HOME))
                    listed = await http.get("/api/v1/cases", headers=manager.headers)
                    took = time.monotonic() - started
                    assert filed.status_code == 201, filed.text
                    assert listed.status_code == 200, listed.text
                    assert took < NORMAL
            assert await copies_running(conn) == 2  # the stalled exports still wait
        # Their clients gone, the exports end, quietly.
        await until(conn, copies=0, seconds=5)
    assert log.errors() == []

    # An export whose client stays connected but reads nothing is given up after the write
    # timeout: its query stops, its slot is free again, and nothing worse than that is logged.
    app = create_app(msgspec.structs.replace(settings, export_write_timeout=1.0))
    async with served(app) as base, httpx.AsyncClient(base_url=base, timeout=30) as http:
        # (after uvicorn has set up its logging, which replaces its loggers' handlers)
        with collected("service", "uvicorn.error") as log, readers_closed() as readers:
            readers.append(StalledReader(base, EXPORT, manager.headers))
            await until(conn, copies=1, seconds=10)
            await until(conn, copies=0, seconds=1 + 5)
            for _ in range(100):  # its connection back in the exports' pool
                if app.state.exports.running == 0:
                    break
                await asyncio.sleep(0.05)
            assert app.state.exports.running == 0
            complete = await http.get(EXPORT, headers=manager.headers)
            assert complete.status_code == 200
            # The header, the copies, the case filed first and the three filed above.
            assert complete.text.count("\n") == 1 + CASES + 1 + 3
    assert log.lines("service.cases.export") == ["export stopped: the client took nothing for 1 s"]
    # uvicorn says it closed the response early; no traceback.
    assert log.errors() == ["ASGI callable returned without completing response."]
