"""Anonymous intake and tracking look-ups are limited per client address (issue 10, item 7),
with small limits here so that the tests run fast."""

import re
import uuid

import httpx
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from service.app import create_app
from service.settings import RateLimit
from service.throttle.policy import counted_as
from service.worker import forget_throttle_counts
from tests.factories import report_body
from tests.faults.test_sign_in_throttle import STORES
from tests.servers import serve_in_loop
from tests.web.session import csrf_token


def limited(settings, **changes):
    # A key of its own: a Redis outlives the test, and the tests must not share counts.
    return msgspec.structs.replace(settings, secret_key=uuid.uuid4().hex, **changes)


def assert_problem_429(response: httpx.Response, window: int) -> None:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert 1 <= int(response.headers["retry-after"]) <= window
    assert "Too many requests" in response.json()["detail"]


def assert_page_429(response: httpx.Response, words: str) -> None:
    """An HTML page saying when to try again: words, then the wait ("in 4 minutes")."""
    assert response.status_code == 429, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert int(response.headers["retry-after"]) >= 1
    assert re.search(words + r" \d+ (minut|second)", response.text), response.text


@pytest.mark.parametrize("redis_url", STORES)
async def test_intake_past_the_limit_answers_429_on_the_api_and_the_form(conn, settings, redis_url):
    app = create_app(limited(settings, redis_url=redis_url, report_limit=RateLimit(3, 600)))
    async with AsyncTestClient(app) as client:
        form_page = await client.get("/?lang=en")  # the form itself is not counted
        for _ in range(3):
            assert (await client.post("/api/v1/reports", json=report_body())).status_code == 201
        assert_problem_429(await client.post("/api/v1/reports", json=report_body()), 600)
        # The report form shares the address's count; its answer is the form again, in
        # English, with what was typed kept: nothing the tenant wrote is lost.
        form = {
            "_csrf_token": csrf_token(form_page.text),
            "category": "crack",
            "description": "Scheur in de muur.",
            "postcode": "9711 AB",
            "house_number": "12",
            "name": "Jan Jansen",
            "email": "jan@example.nl",
        }
        refused = await client.post("/report", data=form)
        assert_page_429(refused, "Send it again in")
        assert "Scheur in de muur." in refused.text
        assert 'value="Jan Jansen"' in refused.text
        assert 'action="/report"' in refused.text
    assert await conn.fetchval("SELECT count(*) FROM cases") == 3


async def test_tracking_look_ups_and_tenant_actions_past_the_limit_answer_429(conn, settings):
    app = create_app(limited(settings, tracking_limit=RateLimit(2, 60)))
    async with AsyncTestClient(app) as client:
        created = (await client.post("/api/v1/reports", json=report_body())).json()
        reference, token = created["reference"], created["tracking_token"]
        headers = {"X-Tracking-Token": token}
        page = await client.get(f"/t/{reference}", params={"token": token})
        assert page.status_code == 200
        shown = await client.get(f"/api/v1/reports/{reference}", headers=headers)
        assert shown.status_code == 200
        assert_problem_429(await client.get(f"/api/v1/reports/{reference}", headers=headers), 60)
        message = {"text": "Er is nog een scheur bij."}
        assert_problem_429(
            await client.post(
                f"/api/v1/reports/{reference}/messages", json=message, headers=headers
            ),
            60,
        )
        assert_page_429(
            await client.get(f"/t/{reference}", params={"token": token}), "Probeer het over"
        )
        form = {"_csrf_token": csrf_token(page.text), "token": token, "text": "Nog iets."}
        assert_page_429(await client.post(f"/t/{reference}/message", data=form), "Probeer het over")


async def test_a_spoofed_forwarded_for_from_an_untrusted_peer_is_ignored(conn, settings):
    app = create_app(limited(settings, report_limit=RateLimit(2, 600), trusted_proxies=()))
    async with serve_in_loop(app) as url, httpx.AsyncClient(base_url=url) as client:
        answers = [
            (
                await client.post(
                    "/api/v1/reports",
                    json=report_body(),
                    headers={"X-Forwarded-For": f"203.0.113.{number}"},
                )
            ).status_code
            for number in range(4)
        ]
    assert answers == [201, 201, 429, 429]


async def test_behind_a_trusted_proxy_each_client_is_counted_apart(conn, settings):
    app = create_app(
        limited(settings, report_limit=RateLimit(2, 600), trusted_proxies=("127.0.0.0/8",))
    )

    async def report_from(client: httpx.AsyncClient, address: str) -> int:
        # The proxy appends the address it saw to whatever the client sent.
        forwarded = f"198.51.100.77, {address}"
        response = await client.post(
            "/api/v1/reports", json=report_body(), headers={"X-Forwarded-For": forwarded}
        )
        return response.status_code

    async with serve_in_loop(app) as url, httpx.AsyncClient(base_url=url) as client:
        first = [await report_from(client, "192.0.2.1") for _ in range(3)]
        second = [await report_from(client, "192.0.2.2") for _ in range(2)]
    assert first == [201, 201, 429]
    assert second == [201, 201]


async def test_the_worker_forgets_ended_windows_and_day_old_failures(conn, pool):
    await conn.execute(
        """
        INSERT INTO throttle_counts (bucket, window_ends, hits) VALUES
            ('\\x01', now() - interval '1 second', 5), ('\\x02', now() + interval '1 minute', 5);
        INSERT INTO sign_in_failures (account, failures, last_failure_at) VALUES
            ('\\x01', 3, now() - interval '25 hours'), ('\\x02', 3, now() - interval '23 hours');
        """
    )
    assert await forget_throttle_counts(pool) == 2
    assert await conn.fetchval("SELECT count(*) FROM throttle_counts") == 1
    assert await conn.fetchval("SELECT count(*) FROM sign_in_failures") == 1


def test_an_ipv6_client_counts_by_its_64_block():
    """A household gets a /64: hopping between its addresses escapes no limit."""
    assert counted_as("2001:db8:1:2::5") == counted_as("2001:db8:1:2:ffff::1")
    assert counted_as("2001:db8:1:2::5") != counted_as("2001:db8:1:3::5")
    assert counted_as("::ffff:192.0.2.1") == counted_as("192.0.2.1") == "192.0.2.1"
    assert counted_as("testclient") == "testclient"
    assert counted_as("not:an:address") == "not:an:address"
