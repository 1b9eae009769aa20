"""Over https, as in production: the POST goes to the address that was checked, and the
receiver's certificate is still checked against the URL's host name."""

from pathlib import Path

import pytest

from service.webhooks.sender import Sender
from service.webhooks.urls import UrlPolicy
from tests.webhooks.helpers import deliver, subscribe
from tests.webhooks.receiver import Certificate, make_certificate, receiver_running
from tests.world import OWN_HOME


def _certificate(tmp_path_factory, name: str) -> Certificate:
    directory: Path = tmp_path_factory.mktemp(f"tls-{name}")
    return make_certificate(directory, name)


@pytest.fixture(scope="module")
def localhost_certificate(tmp_path_factory) -> Certificate:
    return _certificate(tmp_path_factory, "localhost")


@pytest.fixture(scope="module")
def other_certificate(tmp_path_factory) -> Certificate:
    return _certificate(tmp_path_factory, "elders.example")


async def test_a_webhook_over_https_reaches_a_receiver_with_a_valid_certificate(
    pool, world, localhost_certificate
) -> None:
    # https only (no plain http); the receiver is on this machine, so private addresses are.
    sender = Sender(UrlPolicy(allow_private=True), tls=localhost_certificate.trusted())
    async with receiver_running(tls=localhost_certificate) as receiver:
        assert receiver.url.startswith("https://localhost:")
        made = await subscribe(world, "lefier", receiver.url, ["routed"])
        await world.report(OWN_HOME)
        posted = await deliver(pool, sender=sender)
    assert posted.sent == 1
    [request] = receiver.requests
    assert request.headers["host"] == receiver.url.split("/")[2]
    assert request.verified(made["secret"])["type"] == "case.routed"


async def test_a_certificate_for_another_host_is_refused(
    pool, conn, world, other_certificate
) -> None:
    sender = Sender(UrlPolicy(allow_private=True), tls=other_certificate.trusted())
    async with receiver_running(tls=other_certificate) as receiver:
        await subscribe(world, "lefier", receiver.url, ["routed"])
        await world.report(OWN_HOME)
        posted = await deliver(pool, sender=sender)
    assert posted.retrying == 1
    assert receiver.requests == []
    assert await conn.fetchval("SELECT last_error FROM webhook_deliveries") == "ConnectError"
