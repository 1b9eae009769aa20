"""The admin API for webhooks: who may use it, what it refuses, and what it shows."""

import msgspec
import pytest
from litestar.testing import AsyncTestClient

from service.app import create_app
from tests.webhooks.helpers import subscribe
from tests.webhooks.receiver import receiver_running

HOOKS = "/api/v1/corporations/lefier/webhooks"
BODY = {"url": "https://hooks.example.nl/schade", "events": ["routed"]}


@pytest.fixture
async def strict_client(conn, settings):
    """The app as in production: https only, no private addresses."""
    strict = msgspec.structs.replace(
        settings, webhook_allow_private=False, webhook_allow_http=False
    )
    async with AsyncTestClient(create_app(strict)) as client:
        yield client


@pytest.mark.parametrize("role", ["inspector", "manager", "coordinator"])
async def test_only_admins_manage_webhooks(world, conn, role) -> None:
    headers = world.who(role).headers
    made = await subscribe(world, "lefier", "http://127.0.0.1:9/x", ["routed"])
    calls = [
        world.client.get(HOOKS, headers=headers),
        world.client.post(HOOKS, json=BODY, headers=headers),
        world.client.delete(f"{HOOKS}/{made['id']}", headers=headers),
        world.client.post(f"{HOOKS}/{made['id']}/enable", headers=headers),
    ]
    for call in calls:
        answer = await call
        assert answer.status_code == 403, answer.text
        assert answer.json()["detail"] == "Only admins manage webhooks."
    assert await conn.fetchval("SELECT count(*) FROM webhook_subscriptions") == 1


async def test_without_a_token_401(world) -> None:
    assert (await world.client.get(HOOKS)).status_code == 401


async def test_an_admin_adds_lists_and_removes_a_webhook(world, conn) -> None:
    admin = world.who("admin").headers
    async with receiver_running() as receiver:
        made = await subscribe(world, "lefier", receiver.url, ["status_changed", "routed"])
    assert made["secret"].startswith("whsec_")
    assert made["events"] == ["routed", "status_changed"]  # in the order of the event kinds
    assert (made["active"], made["queued"], made["failed"]) == (True, 0, 0)
    assert made["corporation"] == "lefier"

    listed = (await world.client.get(HOOKS, headers=admin)).json()
    assert [hook["id"] for hook in listed] == [made["id"]]
    assert "secret" not in listed[0]
    assert (
        await world.client.get("/api/v1/corporations/acantus/webhooks", headers=admin)
    ).json() == []

    # Another corporation's path does not reach it.
    wrong = await world.client.delete(
        f"/api/v1/corporations/acantus/webhooks/{made['id']}", headers=admin
    )
    assert wrong.status_code == 404
    removed = await world.client.delete(f"{HOOKS}/{made['id']}", headers=admin)
    assert removed.status_code == 204
    again = await world.client.delete(f"{HOOKS}/{made['id']}", headers=admin)
    assert again.status_code == 404
    assert again.json()["detail"] == "This corporation has no webhook with this id."
    assert await conn.fetchval("SELECT count(*) FROM webhook_subscriptions") == 0


async def test_an_unknown_corporation_is_404(world) -> None:
    answer = await world.client.post(
        "/api/v1/corporations/nergens/webhooks", json=BODY, headers=world.who("admin").headers
    )
    assert answer.status_code == 404
    assert answer.json()["detail"] == "No corporation with this code."


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "https://hooks.example.nl/x", "events": ["nothing"]}, "events[0]"),
        ({"url": "https://hooks.example.nl/x", "events": []}, "events"),
        ({"url": "", "events": ["routed"]}, "url"),
        ({"url": "https://hooks.example.nl/x"}, "events"),
        ({"url": "https://hooks.example.nl/x", "events": ["routed"], "secret": "x"}, "secret"),
    ],
)
async def test_bad_bodies_are_400_naming_the_field(world, body, field) -> None:
    answer = await world.client.post(HOOKS, json=body, headers=world.who("admin").headers)
    assert answer.status_code == 400, answer.text
    assert field in [error["field"] for error in answer.json()["errors"]]


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://hooks.example.nl/x", "must start with https://"),
        ("ftp://hooks.example.nl/x", "must start with https://"),
        ("https://127.0.0.1/x", "private, loopback or reserved"),
        ("https://localhost:8443/x", "private, loopback or reserved"),
        ("https://10.1.2.3/x", "private, loopback or reserved"),
        ("https://169.254.169.254/latest/meta-data", "private, loopback or reserved"),
        ("https://[::1]/x", "private, loopback or reserved"),
        ("https://[::ffff:192.168.1.1]/x", "private, loopback or reserved"),
        ("https://user:pw@hooks.example.nl/x", "no user name or password"),
        ("https://no-such-host.invalid/x", "cannot be found"),
        ("https:///x", "no host name"),
        ("https://bücher.example/x", "ASCII form"),
        ("https://hooks.example.nl:99999/x", "not a URL"),
    ],
)
async def test_urls_a_webhook_may_not_go_to_are_refused(strict_client, world, url, words) -> None:
    answer = await strict_client.post(
        HOOKS, json={"url": url, "events": ["routed"]}, headers=world.who("admin").headers
    )
    assert answer.status_code == 400, answer.text
    [error] = answer.json()["errors"]
    assert error["field"] == "url"
    assert words in error["message"]


async def test_a_public_https_address_is_taken_in_production(strict_client, world) -> None:
    # 93.184.215.14: a public address, written as such, so no DNS is needed.
    answer = await strict_client.post(
        HOOKS,
        json={"url": "https://93.184.215.14/hooks", "events": ["routed"]},
        headers=world.who("admin").headers,
    )
    assert answer.status_code == 201, answer.text


async def test_the_webhook_api_is_in_the_openapi_document(client) -> None:
    document = (await client.get("/schema/openapi.json")).json()
    paths = document["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/corporations/{code}/webhooks"])
    assert "delete" in paths["/api/v1/corporations/{code}/webhooks/{subscription_id}"]
    assert "post" in paths["/api/v1/corporations/{code}/webhooks/{subscription_id}/enable"]
    assert "SubscriptionIn" in str(document["components"]["schemas"])


async def test_options_names_every_method_of_the_path(client) -> None:
    answer = await client.options(HOOKS)
    assert answer.status_code == 204
    assert answer.headers["allow"] == "GET, OPTIONS, POST"
