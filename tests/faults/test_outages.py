"""A database outage answers 503 (problem details for the API, a page for the web), says so
once in the log, and ends by itself when the database is back.

The app reaches the test database through a proxy that plays the outage (tests/faults/
proxy.py): the server refusing connections, dropping them mid-request, starting up. The
embedded server killed for real, under load, is tests/faults/test_kill_postgres.py.
"""

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import asyncpg
import httpx
import msgspec
import pytest

from service.app import create_app
from service.outage import database_unavailable
from service.settings import Settings
from service.web.staff_access import SESSION_COOKIE, start_session
from tests.factories import report_body
from tests.faults.proxy import DatabaseProxy
from tests.faults.support import Collected, collected
from tests.servers import serve_in_loop as served
from tests.web.session import csrf_token
from tests.world import OWN_HOME, World

UNAVAILABLE = "database unavailable"
ANSWERS_AGAIN = "database answers again"
PAGE_TITLES = {"nl": "Even niet beschikbaar", "en": "Temporarily unavailable"}


@pytest.fixture
async def proxy(database_url: str) -> AsyncIterator[DatabaseProxy]:
    proxy = DatabaseProxy(database_url)
    await proxy.start()
    yield proxy
    await proxy.close()


def through(proxy: DatabaseProxy, settings: Settings, **changes: object) -> Settings:
    """The test settings on the proxy, with a small pool that gives up waiting soon."""
    base = {"pool_min_size": 1, "pool_max_size": 4, "db_acquire_timeout": 1.0}
    return msgspec.structs.replace(settings, database_url=proxy.url, **{**base, **changes})


@pytest.fixture
def service_log() -> Iterator[Collected]:
    with collected("service") as handler:
        yield handler


async def eventually(check: Callable[[], Awaitable[bool]], seconds: float) -> float:
    """Seconds until check() held; fails after `seconds`."""
    started = time.monotonic()
    while not await check():
        assert time.monotonic() - started < seconds, f"not within {seconds} s"
        await asyncio.sleep(0.05)
    return time.monotonic() - started


def assert_api_503(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert int(response.headers["retry-after"]) > 0
    assert "try again" in response.json()["detail"]


def assert_page_503(response: httpx.Response, language: str) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert int(response.headers["retry-after"]) > 0
    assert f'<html lang="{language}">' in response.text
    assert PAGE_TITLES[language] in response.text
    assert "112" in response.text  # danger cannot wait for the database


async def test_while_the_database_is_down_the_api_answers_503_and_pages_say_so(
    world: World,
    conn: asyncpg.Connection,
    proxy: DatabaseProxy,
    settings: Settings,
    service_log: Collected,
) -> None:
    filed = await world.report()
    reference, token = filed["reference"], filed["tracking_token"]
    manager = world.who("manager")
    session = await start_session(conn, manager.id, secure=False)
    api: dict[str, Callable[[httpx.AsyncClient], Awaitable[httpx.Response]]] = {
        "intake": lambda http: http.post("/api/v1/reports", json=report_body(address=OWN_HOME)),
        "tenant's view": lambda http: http.get(
            f"/api/v1/reports/{reference}", headers={"X-Tracking-Token": token}
        ),
        "address look-up": lambda http: http.get(
            "/api/v1/addresses", params={"postcode": "9711AB", "house_number": "12"}
        ),
        "case list": lambda http: http.get("/api/v1/cases", headers=manager.headers),
        "export": lambda http: http.get("/api/v1/cases.csv", headers=manager.headers),
    }
    # The tenant's tracking page, and staff pages (whose sign-in check needs the database).
    pages = [f"/t/{reference}?token={token}", "/work", f"/cases/{reference}", "/dashboard"]

    app = create_app(through(proxy, settings))
    async with served(app) as base, httpx.AsyncClient(base_url=base, timeout=10) as http:
        http.cookies.set(SESSION_COOKIE, session.value)
        for name, call in api.items():
            assert (await call(http)).status_code in (200, 201), name
        for page in pages:
            assert (await http.get(page)).status_code == 200, page

        await proxy.cut()
        for call in api.values():
            assert_api_503(await call(http))
        for page in pages:
            assert_page_503(await http.get(page), "nl")
        http.cookies.set("lang", "en")
        for page in pages:
            assert_page_503(await http.get(page), "en")
        # The report form itself needs no database; sending it does.
        form = {
            "_csrf_token": csrf_token((await http.get("/")).text),
            **{"postcode": "9711AB", "house_number": "12", "category": "crack"},
            **{"description": "Scheur boven de deur", "name": "Jan", "email": "jan@example.nl"},
        }
        assert_page_503(await http.post("/report", data=form), "en")
        assert (await http.get("/ready")).status_code == 503
        assert (await http.get("/health")).status_code == 200

        await proxy.restore()

        async def ready() -> bool:
            return (await http.get("/ready")).status_code == 200

        await eventually(ready, seconds=5)
        assert (await api["intake"](http)).status_code == 201
        assert (await http.get(pages[0])).status_code == 200

        async def said_it_ended() -> bool:
            return any(ANSWERS_AGAIN in line for line in service_log.lines("service.outage"))

        await eventually(said_it_ended, seconds=5)

    # Twenty-odd requests answered 503: the log says so twice, with no traceback.
    lines = service_log.lines("service.outage")
    assert len(lines) == 2, lines
    assert lines[0].startswith(UNAVAILABLE)
    assert lines[1].startswith(ANSWERS_AGAIN)
    assert service_log.errors() == []


async def lock_waiters(conn: asyncpg.Connection) -> list[int]:
    """Backends of the test database waiting for a lock."""
    # Within a transaction the activity view is a snapshot: take a new one.
    await conn.execute("SELECT pg_stat_clear_snapshot()")
    rows = await conn.fetch(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock'"
    )
    return [row["pid"] for row in rows]


async def end_lock_waiters(conn: asyncpg.Connection) -> None:
    """pg_terminate_backend, as an administrator would (and as a backend whose client is gone
    needs: waiting on a lock, it does not notice)."""
    for pid in await lock_waiters(conn):
        await conn.execute("SELECT pg_terminate_backend($1)", pid)

    async def none_waits() -> bool:
        return not await lock_waiters(conn)

    await eventually(none_waits, seconds=5)


async def test_a_connection_lost_mid_request_or_a_server_starting_up_answers_503(
    world: World,
    conn: asyncpg.Connection,
    proxy: DatabaseProxy,
    settings: Settings,
    service_log: Collected,
) -> None:
    manager = world.who("manager")

    async def one_waits() -> bool:
        return len(await lock_waiters(conn)) == 1

    app = create_app(through(proxy, settings))
    async with served(app) as base, httpx.AsyncClient(base_url=base, timeout=10) as http:

        async def intake() -> httpx.Response:
            return await http.post("/api/v1/reports", json=report_body(address=OWN_HOME))

        # (once uvicorn has set up its logging, which replaces its loggers' handlers)
        with collected("uvicorn.error") as server_log:
            async with conn.transaction():
                await conn.execute("LOCK TABLE cases IN ACCESS EXCLUSIVE MODE")
                # A report waits on the lock inside its transaction; its connection is lost.
                pending = asyncio.create_task(intake())
                await eventually(one_waits, seconds=5)
                await proxy.cut()
                assert_api_503(await pending)
                await proxy.restore()
                await end_lock_waiters(conn)

                # A report waits; an administrator ends its backend.
                pending = asyncio.create_task(intake())
                await eventually(one_waits, seconds=5)
                await end_lock_waiters(conn)
                assert_api_503(await pending)

                # An export loses its database after its 200 went out: the download breaks
                # off (it does not end as if it were complete).
                export = http.stream("GET", "/api/v1/cases.csv", headers=manager.headers)
                async with export as csv:
                    assert csv.status_code == 200
                    await eventually(one_waits, seconds=5)  # its COPY waits on the lock
                    await proxy.cut()
                    with pytest.raises(httpx.RemoteProtocolError):
                        await csv.aread()
                await proxy.restore()
                await end_lock_waiters(conn)

            # A server that is starting up refuses connections with SQLSTATE 57P03.
            await proxy.starting_up()
            assert_api_503(await intake())
            await proxy.restore()
            await asyncio.sleep(0.6)  # the outage's probe sees the database back
            assert (await intake()).status_code == 201
    assert service_log.errors() == []
    assert "export cut short: the database went away" in service_log.lines("service.cases.export")
    # uvicorn says the export's response ended unfinished; no traceback.
    assert server_log.errors() == ["ASGI callable returned without completing response."]


async def test_an_exhausted_pool_answers_503_after_the_acquire_timeout(
    world: World,
    proxy: DatabaseProxy,
    settings: Settings,
    service_log: Collected,
) -> None:
    app = create_app(through(proxy, settings, pool_max_size=1, db_acquire_timeout=0.3))
    async with served(app) as base, httpx.AsyncClient(base_url=base, timeout=10) as http:
        async with app.state.db_pool.acquire():  # the pool's only connection, held
            started = time.monotonic()
            response = await http.post("/api/v1/reports", json=report_body(address=OWN_HOME))
            waited = time.monotonic() - started
            assert_api_503(response)
            assert 0.3 <= waited < 5
            http.cookies.set(SESSION_COOKIE, "any")  # a staff page looks the session up
            assert_page_503(await http.get("/work"), "nl")
        response = await http.post("/api/v1/reports", json=report_body(address=OWN_HOME))
        assert response.status_code == 201
    lines = service_log.lines("service.outage")
    assert lines[:1] == [f"{UNAVAILABLE} (TimeoutError); answering 503 until it answers again"]
    assert service_log.errors() == []


async def test_which_errors_are_an_outage_and_which_are_bugs(
    conn: asyncpg.Connection, database_url: str
) -> None:
    # A role that may not connect at all: the server answers "too many connections" (53300).
    role = "test_no_connections"
    await conn.execute(f"DROP ROLE IF EXISTS {role}")
    await conn.execute(f"CREATE ROLE {role} LOGIN CONNECTION LIMIT 0")
    try:
        with pytest.raises(asyncpg.TooManyConnectionsError) as too_many:
            await asyncpg.connect(database_url, user=role)
    finally:
        await conn.execute(f"DROP ROLE {role}")
    assert database_unavailable(too_many.value)

    # A connection closed under a call.
    closed = await asyncpg.connect(database_url)
    await closed.close()
    with pytest.raises(asyncpg.InterfaceError) as used_closed:
        await closed.fetchval("SELECT 1")
    assert database_unavailable(used_closed.value)

    # Bugs stay bugs (answered 500 and logged with their frames).
    with pytest.raises(asyncpg.PostgresSyntaxError) as syntax:
        await conn.execute("SELEC 1")
    assert not database_unavailable(syntax.value)
    with pytest.raises(asyncpg.InterfaceError) as wrong_arguments:
        await conn.fetchval("SELECT $1::int")
    assert not database_unavailable(wrong_arguments.value)
    assert not database_unavailable(ValueError("not a database error"))
