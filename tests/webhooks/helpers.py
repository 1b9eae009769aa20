"""What the webhook tests share: a permissive sender, subscribing through the API, rounds."""

from datetime import UTC, datetime, timedelta
from typing import Any

from service.changes.pipeline import Pipeline
from service.webhooks.sender import Posted, Sender, deliver_webhooks
from service.webhooks.urls import UrlPolicy

# The receiver runs on this machine, over plain http.
LOCAL = Sender(UrlPolicy(allow_http=True, allow_private=True))
# Plain http allowed, private addresses not: what a test receiver on 127.0.0.1 meets.
NO_PRIVATE = Sender(UrlPolicy(allow_http=True))


async def subscribe(world, code: str, url: str, events: list[str]) -> dict[str, Any]:
    """A subscription made by an admin through the API, with its secret."""
    answer = await world.client.post(
        f"/api/v1/corporations/{code}/webhooks",
        json={"url": url, "events": events},
        headers=world.who("admin").headers,
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


async def deliver(pool, later: timedelta = timedelta(0), sender: Sender = LOCAL) -> Posted:
    """One round of webhook delivery, as if it were `later` from now."""
    moment = datetime.now(UTC) + later
    return await deliver_webhooks(pool, sender, Pipeline(clock=lambda: moment).clock)
