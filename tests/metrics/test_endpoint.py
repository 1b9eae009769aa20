"""GET /metrics in one process: what it counts, what it reads from the database, who gets it.

The counts live in the test process's memory for the whole run, so each test compares a
scrape after its requests with one before them.
"""

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import asyncpg
import httpx
import msgspec
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from prometheus_client.parser import text_string_to_metric_families

from service.app import create_app
from service.settings import Settings, SettingsError
from tests.conftest import REPO
from tests.factories import set_case_columns
from tests.faults.proxy import DatabaseProxy
from tests.metrics.scrape import AUTHORIZED, TOKEN, Scrape
from tests.servers import serve_in_loop as served
from tests.world import UNKNOWN_HOME, World, build_world

REQUESTS = "schade_http_requests_total"
DURATION = "schade_http_request_duration_seconds"
CASE_ROUTE = "/api/v1/cases/{reference}"
BUCKETS = {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0"}
BUCKETS |= {"30.0", "+Inf"}


@pytest.fixture(scope="module")
def metrics_app(settings: Settings) -> Litestar:
    return create_app(msgspec.structs.replace(settings, metrics_token=TOKEN))


@pytest.fixture
async def client(conn: asyncpg.Connection, metrics_app: Litestar) -> AsyncIterator[AsyncTestClient]:
    async with AsyncTestClient(metrics_app) as test_client:
        yield test_client


@pytest.fixture
async def world(conn: asyncpg.Connection, client: AsyncTestClient) -> World:
    return await build_world(conn, client)


async def scrape(client: AsyncTestClient | httpx.AsyncClient) -> Scrape:
    response = await client.get("/metrics", headers=AUTHORIZED)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return Scrape(response.text)


async def test_requests_count_under_their_route_template_and_status(world: World) -> None:
    client = world.client
    reference = (await world.report())["reference"]
    coordinator = world.who("coordinator").headers
    before = await scrape(client)

    assert (await client.get(f"/api/v1/cases/{reference}", headers=coordinator)).status_code == 200
    missing = await client.get("/api/v1/cases/SCH-2026-999999", headers=coordinator)
    assert missing.status_code == 404
    assert (await client.get(f"/no/such/page/{reference}")).status_code == 404
    assert (await client.delete("/api/v1/categories")).status_code == 405
    after = await scrape(client)

    def more(name: str, **labels: str) -> float:
        return after.value(name, **labels) - before.value(name, **labels)

    assert more(REQUESTS, method="GET", route=CASE_ROUTE, status="200") == 1
    assert more(REQUESTS, method="GET", route=CASE_ROUTE, status="404") == 1
    # Answers no route handler gave: one label, whatever the address.
    assert more(REQUESTS, method="GET", route="unmatched", status="404") == 1
    assert more(REQUESTS, method="DELETE", route="unmatched", status="405") == 1
    # Never the paths themselves: they carry references and tokens.
    assert reference not in after.text
    assert "/no/such/page" not in after.text
    assert "SCH-2026-999999" not in after.text

    # The latency histogram of the route: both requests, in every bucket up to +Inf.
    assert more(f"{DURATION}_count", method="GET", route=CASE_ROUTE) == 2
    buckets = {
        s.labels["le"]: s.value
        for s in after.samples
        if s.name == f"{DURATION}_bucket"
        and (s.labels["method"], s.labels["route"]) == ("GET", CASE_ROUTE)
    }
    assert set(buckets) == BUCKETS
    assert buckets["+Inf"] == after.value(f"{DURATION}_count", method="GET", route=CASE_ROUTE)
    assert after.value(f"{DURATION}_sum", method="GET", route=CASE_ROUTE) > 0


async def test_an_unknown_method_word_counts_as_other(client: AsyncTestClient) -> None:
    before = await scrape(client)
    answer = await client.request("BREW", "/coffee-pot")
    after = await scrape(client)
    assert answer.status_code in (404, 405)
    assert "BREW" not in after.text
    assert after.total(REQUESTS, method="other") - before.total(REQUESTS, method="other") == 1


async def _outbox_message(conn: asyncpg.Connection, status: str, created_at: datetime) -> None:
    await conn.execute(
        """
        INSERT INTO outbox (kind, recipient, payload, status, attempts, next_attempt_at,
                            created_at, sent_at)
        VALUES ('case_for_corporation', 'schade@lefier.nl', '{}', $1::text, 1, $2::timestamptz,
                $2, CASE WHEN $1 = 'sent' THEN $2 END)
        """,
        status,
        created_at,
    )


async def test_the_outbox_queued_failed_and_its_oldest_waiting_message(
    conn: asyncpg.Connection, client: AsyncTestClient
) -> None:
    empty = await scrape(client)
    assert empty.value("schade_outbox_messages", status="queued") == 0
    assert empty.value("schade_outbox_messages", status="failed") == 0
    assert empty.value("schade_outbox_oldest_queued_age_seconds") == 0

    now = datetime.now(UTC)
    await _outbox_message(conn, "queued", now - timedelta(hours=1))
    await _outbox_message(conn, "queued", now - timedelta(minutes=5))
    await _outbox_message(conn, "failed", now - timedelta(days=2))
    await _outbox_message(conn, "sent", now - timedelta(days=3))
    scraped = await scrape(client)
    assert scraped.value("schade_outbox_messages", status="queued") == 2
    assert scraped.value("schade_outbox_messages", status="failed") == 1
    assert 3600 <= scraped.value("schade_outbox_oldest_queued_age_seconds") < 3660
    assert scraped.value("schade_database_up") == 1

    await conn.execute("UPDATE outbox SET status = 'sent', sent_at = now() WHERE status = 'queued'")
    sent = await scrape(client)
    assert sent.value("schade_outbox_messages", status="queued") == 0
    assert sent.value("schade_outbox_oldest_queued_age_seconds") == 0


async def test_open_cases_by_deadline_state_are_the_dashboards(
    conn: asyncpg.Connection, world: World
) -> None:
    now = datetime.now(UTC)
    references = [(await world.report())["reference"] for _ in range(5)]
    _on_time, at_risk, breached, inspect_breached, on_hold = references
    # At risk: in the last fifth of its 11 days; breached: its deadline passed an hour ago.
    await set_case_columns(
        conn, at_risk, reported_at=now - timedelta(days=10), acknowledge_by=now + timedelta(days=1)
    )
    await set_case_columns(conn, breached, acknowledge_by=now - timedelta(hours=1))
    await set_case_columns(
        conn,
        inspect_breached,
        status="acknowledged",
        reported_at=now - timedelta(days=20),
        acknowledge_by=now - timedelta(days=19),
        inspect_by=now - timedelta(days=1),
    )
    await set_case_columns(
        conn,
        on_hold,
        status="on_hold",
        on_hold_since=now - timedelta(hours=2),
        on_hold_previous_status="acknowledged",
    )
    unrouted = await world.report(UNKNOWN_HOME)
    assert unrouted["status"] == "unrouted"  # counts in acknowledge, on time

    scraped = await scrape(world.client)
    dashboard = await world.client.get(
        "/api/v1/dashboard/backlog", headers=world.who("coordinator").headers
    )
    assert dashboard.status_code == 200, dashboard.text
    board = dashboard.json()

    for stage in board["deadlines"]:
        for state in ("on_time", "at_risk", "breached"):
            assert (
                scraped.value("schade_open_cases", stage=stage["stage"], deadline=state)
                == (stage[state])
            ), (stage, state)
    assert scraped.total("schade_open_cases") == board["open_cases"] == 6
    # Known by hand: the dashboard is not merely agreeing with itself.
    assert scraped.value("schade_open_cases", stage="acknowledge", deadline="on_time") == 2
    assert scraped.value("schade_open_cases", stage="acknowledge", deadline="at_risk") == 1
    assert scraped.value("schade_open_cases", stage="acknowledge", deadline="breached") == 1
    assert scraped.value("schade_open_cases", stage="inspect", deadline="breached") == 1
    assert scraped.value("schade_open_cases", stage="none", deadline="none") == 1


async def test_connections_in_use_are_this_processs(
    conn: asyncpg.Connection, settings: Settings
) -> None:
    # In this loop (the test client runs the app in a loop of its own), to hold its connections.
    app = create_app(msgspec.structs.replace(settings, metrics_token=TOKEN))
    async with served(app) as url, httpx.AsyncClient(base_url=url) as http:
        pool: asyncpg.Pool = app.state.db_pool
        async with pool.acquire(), pool.acquire():
            held = await scrape(http)
        released = await scrape(http)
    assert held.value("schade_db_connections_in_use", pool="requests") == 2
    assert held.value("schade_db_connections_in_use", pool="exports") == 0
    assert released.value("schade_db_connections_in_use", pool="requests") == 0


async def test_with_a_token_only_its_bearer_gets_the_numbers(client: AsyncTestClient) -> None:
    for headers in (
        {},
        {"Authorization": "Bearer " + "x" * len(TOKEN)},
        {"Authorization": f"Bearer {TOKEN}x"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": TOKEN},
    ):
        refused = await client.get("/metrics", headers=headers)
        assert refused.status_code == 401, headers
        assert refused.headers["www-authenticate"].startswith("Bearer")
        assert "schade_" not in refused.text
    assert (await client.get("/metrics", headers=AUTHORIZED)).status_code == 200


async def test_without_a_token_only_this_machine_gets_the_numbers(
    live_server: str, client: AsyncTestClient, app: Litestar
) -> None:
    async with httpx.AsyncClient(base_url=live_server) as http:
        here = await http.get("/metrics")
        assert here.status_code == 200
        assert "schade_http_requests_total" in here.text
        # Forwarded by a proxy on this machine (TRUSTED_PROXIES) for a visitor elsewhere:
        # the same 404 as any address that does not exist.
        forwarded = await http.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
        nothing = await http.get("/nothing-here")
    assert forwarded.status_code == 404
    assert forwarded.json() == nothing.json()
    # The test client's address is no IP address at all, let alone this machine's.
    async with AsyncTestClient(app) as elsewhere:
        assert (await elsewhere.get("/metrics")).status_code == 404


async def test_metrics_are_not_in_the_api_document(client: AsyncTestClient) -> None:
    document = (await client.get("/schema/openapi.json")).json()
    assert "/metrics" not in document["paths"]
    assert "/api/v1/cases/{reference}" in document["paths"]


async def test_a_scrape_while_the_database_is_down_still_has_the_requests(
    conn: asyncpg.Connection, database_url: str, settings: Settings
) -> None:
    proxy = DatabaseProxy(database_url)
    await proxy.start()
    down_settings = msgspec.structs.replace(
        settings,
        database_url=proxy.url,
        metrics_token=TOKEN,
        pool_min_size=1,
        pool_max_size=2,
        db_acquire_timeout=1.0,
    )
    try:
        async with (
            served(create_app(down_settings)) as url,
            httpx.AsyncClient(base_url=url, timeout=10) as http,
        ):
            assert (await scrape(http)).value("schade_database_up") == 1
            await proxy.cut()
            assert (await http.get("/ready")).status_code == 503
            scraped = await scrape(http)
    finally:
        await proxy.close()
    assert scraped.value("schade_database_up") == 0
    assert "schade_outbox_messages" not in scraped.text
    assert scraped.value(REQUESTS, method="GET", route="/ready", status="503") >= 1


@pytest.mark.parametrize(
    "raw", ["too-short", "a token with spaces in it", "ünïcödé-token-0123456789"]
)
def test_a_metrics_token_must_be_long_and_fit_a_header(raw: str) -> None:
    with pytest.raises(SettingsError, match="METRICS_TOKEN"):
        Settings.from_env({"METRICS_TOKEN": raw, "SECRET_KEY": "x"})


def test_the_metrics_token_is_read_from_the_environment() -> None:
    assert Settings.from_env({"METRICS_TOKEN": f" {TOKEN} ", "SECRET_KEY": "x"}).metrics_token == (
        TOKEN
    )
    assert Settings.from_env({"SECRET_KEY": "x"}).metrics_token is None


async def test_the_readme_lists_every_metric(client: AsyncTestClient) -> None:
    section = (REPO / "README.md").read_text().split("## Metrics\n", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^\| `(schade_[a-z_]+)", section, re.M))
    # After one request, so that the request metrics have samples too.
    await client.get("/health")
    families = {
        family.name
        for family in text_string_to_metric_families((await scrape(client)).text)
        if family.name.startswith("schade_")
    }
    # The parser names a counter without its _total.
    assert listed == {f"{name}_total" if name.endswith("_requests") else name for name in families}
