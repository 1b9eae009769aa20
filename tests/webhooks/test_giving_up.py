"""A receiver that keeps failing: retries for a day, then the delivery is failed, the
subscription switched off and its corporation told by e-mail; switched on again, what it
gave up on is sent, in order."""

from datetime import timedelta

import pytest

from service.notifications.delivery import build_message
from service.retries import backoff
from service.webhooks import deliveries
from tests.notifications.smtp import as_received, mailer_to, text_of
from tests.webhooks.helpers import deliver, subscribe
from tests.webhooks.receiver import receiver_running
from tests.world import OWN_HOME

LEFIER_MAIL = "meldingen@lefier.example"


async def _fail_for_a_day(pool, receiver) -> list:
    """Worker rounds every LONGEST_RETRY until a day and a bit has passed."""
    rounds = []
    later = timedelta(0)
    while later <= deliveries.RETRY_FOR + deliveries.LONGEST_RETRY:
        rounds.append(await deliver(pool, later))
        later += deliveries.LONGEST_RETRY / 2
    return rounds


async def test_a_receiver_that_fails_for_a_day_is_switched_off_and_its_owner_told(
    pool, conn, world
) -> None:
    await conn.execute("UPDATE corporations SET email = $1 WHERE code = 'lefier'", LEFIER_MAIL)
    async with receiver_running() as receiver:
        made = await subscribe(world, "lefier", receiver.url, ["reported", "routed"])
        reference = (await world.report(OWN_HOME))["reference"]
        receiver.fail_next = 10_000
        receiver.failing_status = 500
        rounds = await _fail_for_a_day(pool, receiver)

        assert sum(r.disabled for r in rounds) == 1
        assert sum(r.failed for r in rounds) == 1  # the oldest, given up on; the next waits
        attempts = len(receiver.requests)
        assert attempts >= 8  # tried again and again over the day
        # Only the case's first message was ever tried: the second waits behind it.
        assert {r.json["data"]["event"]["seq"] for r in receiver.requests} == {1}
        subscription = await conn.fetchrow(
            "SELECT active, disabled_at, failing_since FROM webhook_subscriptions"
        )
        assert not subscription["active"]
        assert subscription["disabled_at"] is not None
        states = await conn.fetch(
            "SELECT seq, status, last_error FROM webhook_deliveries ORDER BY seq"
        )
        assert [(s["seq"], s["status"], s["last_error"]) for s in states] == [
            (1, "failed", "HTTP 500"),
            (2, "queued", None),
        ]
        # Switched off: nothing more is tried.
        assert (await deliver(pool, timedelta(days=3))).sent == 0
        assert len(receiver.requests) == attempts

        # The corporation hears of it: Dutch and English, the site but not the URL's path.
        message = await conn.fetchrow("SELECT * FROM outbox WHERE kind = 'webhook_disabled'")
        assert message["recipient"] == LEFIER_MAIL
        mail = as_received(build_message(message, mailer_to(25)))
        text = text_of(mail)
        assert f"Webhook {made['id']} uitgeschakeld" in mail["Subject"]
        assert "switched off" in mail["Subject"]
        for expected in ("Lefier", "HTTP 500", "http://127.0.0.1:", "Sinds ", "Since ", " uur"):
            assert expected in text
        assert "key=k1" not in text
        assert "/hooks" not in text
        assert reference not in text

        # Switched on by an admin: the failed one and the one behind it go, in order.
        receiver.fail_next = 0
        enabled = await world.client.post(
            f"/api/v1/corporations/lefier/webhooks/{made['id']}/enable",
            headers=world.who("admin").headers,
        )
        assert enabled.status_code == 200, enabled.text
        assert enabled.json()["active"] is True
        assert enabled.json()["queued"] == 2
        posted = await deliver(pool)
    assert posted.sent == 2
    assert [r.verified(made["secret"])["data"]["event"]["seq"] for r in receiver.answered_ok()] == [
        1,
        2,
    ]


async def test_without_a_contact_address_the_managers_are_told(pool, conn, world) -> None:
    async with receiver_running() as receiver:
        await subscribe(world, "lefier", receiver.url, ["routed"])
        await world.report(OWN_HOME)
        receiver.fail_next = 10_000
        await _fail_for_a_day(pool, receiver)
    recipients = await conn.fetch("SELECT recipient FROM outbox WHERE kind = 'webhook_disabled'")
    managers = await conn.fetch(
        "SELECT u.email FROM users u JOIN corporations c ON c.id = u.corporation_id "
        "WHERE c.code = 'lefier' AND u.role = 'manager'"
    )
    assert sorted(r["recipient"] for r in recipients) == sorted(m["email"] for m in managers)
    assert len(recipients) == 1


@pytest.mark.parametrize("attempts", [1, 5, 10, 30])
def test_backoff_grows_and_stays_below_the_longest_wait(attempts) -> None:
    wait = backoff(attempts, deliveries.FIRST_RETRY, deliveries.LONGEST_RETRY)
    ceiling = min(deliveries.FIRST_RETRY * 2 ** (attempts - 1), deliveries.LONGEST_RETRY)
    assert ceiling / 2 <= wait <= ceiling
