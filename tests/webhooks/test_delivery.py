"""Webhooks end to end: a subscription made through the admin API, a report and staff
changes through the API, the worker's round, and a real HTTP receiver that verifies each
message with the `standardwebhooks` package."""

import asyncio
import logging
import time
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from service.webhooks import deliveries, sender
from service.worker import run_once
from tests.factories import if_match
from tests.webhooks.helpers import LOCAL, NO_PRIVATE, deliver, subscribe
from tests.webhooks.receiver import receiver_running
from tests.world import OTHER_HOME, OWN_HOME, UNKNOWN_HOME

ALL = ["reported", "routed", "status_changed", "note", "transferred", "assigned"]


async def test_a_report_reaches_the_receiver_signed_with_the_case_as_staff_see_it(
    pool, world
) -> None:
    async with receiver_running() as receiver:
        made = await subscribe(world, "lefier", receiver.url, ["reported", "routed"])
        reference = (await world.report(OWN_HOME))["reference"]
        posted = await deliver(pool)
        shown = await world.case(reference, world.who("manager"))

    assert posted.sent == 2
    assert [r.answered for r in receiver.requests] == [204, 204]
    payloads = [r.verified(made["secret"]) for r in receiver.requests]
    assert [p["type"] for p in payloads] == ["case.reported", "case.routed"]
    assert [p["data"]["event"]["seq"] for p in payloads] == [1, 2]
    routed = payloads[1]
    assert routed["data"]["event"]["data"]["corporation_code"] == "lefier"
    assert routed["timestamp"] == routed["data"]["event"]["at"]
    # The case as the corporation's staff API shows it, without what depends on the viewer
    # and without the tenant.
    expected = {
        key: value
        for key, value in shown.items()
        if key not in ("reporter", "allowed_next", "allowed_actions")
    }
    assert routed["data"]["case"] == expected
    for request in receiver.requests:
        assert b"Jan Jansen" not in request.body
        assert b"jan@example.nl" not in request.body
        assert request.headers["content-type"] == "application/json"
        # The path and query of the subscription's URL are kept.
        assert request.headers["webhook-id"]
    # Each message has its own id: the delivery's, which stays the same on every attempt.
    ids = {r.id for r in receiver.requests}
    assert len(ids) == 2


async def test_another_secret_does_not_verify(pool, world) -> None:
    async with receiver_running() as receiver:
        await subscribe(world, "lefier", receiver.url, ["routed"])
        other = await subscribe(world, "lefier", receiver.url + "&other=1", ["routed"])
        await world.report(OWN_HOME)
        await deliver(pool)
    assert len(receiver.requests) == 2
    mine = []
    for request in receiver.requests:
        try:
            request.verified(other["secret"])
        except WebhookVerificationError:
            continue
        mine.append(request)
    assert len(mine) == 1  # the other subscription's message does not verify with this secret
    tampered = mine[0].body.replace(b"lefier", b"acantus")
    with pytest.raises(WebhookVerificationError):
        Webhook(other["secret"]).verify(tampered, mine[0].headers)


async def test_events_arrive_in_order_per_case_while_the_receiver_fails_now_and_then(
    pool, world
) -> None:
    manager = world.who("manager")
    async with receiver_running() as receiver:
        made = await subscribe(world, "lefier", receiver.url, ALL)
        first = (await world.report(OWN_HOME))["reference"]
        second = (await world.report(OWN_HOME, category="unsafe_situation", acute=True))[
            "reference"
        ]
        for reference in (first, second):
            await world.move(reference, manager, "acknowledged")
            for text in ("eerste", "tweede"):
                version = (await world.case(reference, manager))["version"]
                noted = await world.client.post(
                    f"/api/v1/cases/{reference}/notes",
                    json={"text": text, "visibility": "internal"},
                    headers={**manager.headers, **if_match(version)},
                )
                assert noted.status_code == 201, noted.text
        # The first attempts fail: each case waits for its oldest message.
        receiver.fail_next = 3
        later = timedelta(0)
        for _ in range(12):
            await deliver(pool, later)
            later += deliveries.LONGEST_RETRY  # past any wait
        assert receiver.fail_next == 0

    delivered = [r.verified(made["secret"]) for r in receiver.answered_ok()]
    for reference in (first, second):
        seqs = [
            p["data"]["event"]["seq"]
            for p in delivered
            if p["data"]["case"]["reference"] == reference
        ]
        # reported, routed, acknowledged, two notes: each once, in order.
        assert seqs == [1, 2, 3, 4, 5]
    # Every failed attempt was tried again with the same id.
    failed_ids = {r.id for r in receiver.requests if r.answered == 503}
    assert failed_ids <= {r.id for r in receiver.answered_ok()}
    assert len(failed_ids) >= 1


async def test_a_retried_delivery_carries_the_same_id_and_body(pool, conn, world) -> None:
    async with receiver_running() as receiver:
        made = await subscribe(world, "lefier", receiver.url, ["routed"])
        await world.report(OWN_HOME)
        receiver.fail_next = 2
        first = await deliver(pool)
        # Not due yet: the first wait is at least 5 seconds.
        assert (await deliver(pool)).sent == 0
        second = await deliver(pool, deliveries.FIRST_RETRY * 2)
        third = await deliver(pool, deliveries.FIRST_RETRY * 8)

    assert (first.retrying, second.retrying, third.sent) == (1, 1, 1)
    assert [r.answered for r in receiver.requests] == [503, 503, 204]
    assert len({r.id for r in receiver.requests}) == 1
    assert len({r.body for r in receiver.requests}) == 1
    for request in receiver.requests:
        request.verified(made["secret"])
    row = await conn.fetchrow("SELECT id, status, attempts, last_error FROM webhook_deliveries")
    assert (str(row["id"]), row["status"], row["attempts"]) == (receiver.requests[0].id, "sent", 3)
    assert row["last_error"] is None


async def test_a_corporation_hears_only_of_its_own_cases(pool, conn, world) -> None:
    async with receiver_running() as lefier, receiver_running() as acantus:
        lefier_sub = await subscribe(world, "lefier", lefier.url, ALL)
        acantus_sub = await subscribe(world, "acantus", acantus.url, ALL)
        own = (await world.report(OWN_HOME))["reference"]
        others = (await world.report(OTHER_HOME))["reference"]
        await world.report(UNKNOWN_HOME)  # unrouted: nobody's yet
        await deliver(pool)
        seen_by_lefier = {
            r.verified(lefier_sub["secret"])["data"]["case"]["reference"] for r in lefier.requests
        }
        seen_by_acantus = {
            r.verified(acantus_sub["secret"])["data"]["case"]["reference"] for r in acantus.requests
        }
        assert seen_by_lefier == {own}
        assert seen_by_acantus == {others}

        # Transferred: the new corporation hears of it; the old one hears nothing more.
        manager = world.who("manager")
        version = (await world.case(own, manager))["version"]
        moved = await world.client.post(
            f"/api/v1/cases/{own}/transfer",
            json={"corporation": "acantus", "reason": "Niet ons bezit"},
            headers={**manager.headers, **if_match(version)},
        )
        assert moved.status_code == 200, moved.text
        before = len(lefier.requests)
        await deliver(pool)
        assert len(lefier.requests) == before
        last = acantus.requests[-1].verified(acantus_sub["secret"])
        assert last["type"] == "case.transferred"
        assert last["data"]["case"]["reference"] == own
        assert last["data"]["case"]["corporation"]["code"] == "acantus"


async def test_a_change_nobody_subscribed_to_queues_nothing(pool, conn, world) -> None:
    async with receiver_running() as receiver:
        await subscribe(world, "lefier", receiver.url, ["transferred"])
        await subscribe(world, "acantus", receiver.url, ["routed"])
        await world.report(OWN_HOME)
        await world.report(UNKNOWN_HOME)
        assert await conn.fetchval("SELECT count(*) FROM webhook_deliveries") == 0
        assert (await deliver(pool)).sent == 0
    assert receiver.requests == []


async def test_the_worker_round_posts_webhooks(pool, world) -> None:
    from service.changes.pipeline import Pipeline

    async with receiver_running() as receiver:
        await subscribe(world, "lefier", receiver.url, ["routed"])
        await world.report(OWN_HOME)
        done = await run_once(pool, Pipeline(), sender=LOCAL)
    assert done.webhooks.sent == 1
    assert len(receiver.requests) == 1


async def test_a_subscription_whose_host_now_has_a_private_address_gets_nothing(
    pool, conn, world
) -> None:
    """Checked again before each delivery: DNS can change after the subscription was made."""
    async with receiver_running() as receiver:
        await subscribe(world, "lefier", receiver.url, ["routed"])
        await world.report(OWN_HOME)
        posted = await deliver(pool, sender=NO_PRIVATE)
    assert posted.retrying == 1
    assert receiver.requests == []
    assert await conn.fetchval("SELECT last_error FROM webhook_deliveries") == "address refused"


async def test_workers_side_by_side_send_each_message_once_in_order(pool, world) -> None:
    manager = world.who("manager")
    async with receiver_running() as receiver:
        made = await subscribe(world, "lefier", receiver.url, ALL)
        references = [(await world.report(OWN_HOME))["reference"] for _ in range(4)]
        for reference in references:
            await world.move(reference, manager, "acknowledged")
        rounds = await asyncio.gather(*(deliver(pool) for _ in range(3)))
        # What a worker found waiting behind another's message, a later round sends.
        rounds.append(await deliver(pool))

    assert sum(r.sent for r in rounds) == 12  # 4 cases: reported, routed, acknowledged
    ids = [r.id for r in receiver.requests]
    assert len(ids) == len(set(ids)) == 12
    for reference in references:
        seqs = [
            p["data"]["event"]["seq"]
            for p in (r.verified(made["secret"]) for r in receiver.requests)
            if p["data"]["case"]["reference"] == reference
        ]
        assert seqs == [1, 2, 3]


async def test_the_receivers_url_stays_out_of_the_log(pool, world, caplog) -> None:
    caplog.set_level(logging.INFO)
    async with receiver_running() as receiver:
        await subscribe(world, "lefier", receiver.url, ["routed"])
        await world.report(OWN_HOME)
        receiver.fail_next = 1
        caplog.clear()
        await deliver(pool)
        await deliver(pool, deliveries.FIRST_RETRY * 2)
    assert [r.answered for r in receiver.requests] == [503, 204]
    assert "attempt 1 failed (HTTP 503)" in caplog.text
    assert "key=k1" not in caplog.text
    assert "/hooks" not in caplog.text


async def test_sent_messages_are_forgotten_after_a_week(pool, conn, world) -> None:
    from service.changes.pipeline import Pipeline

    async with receiver_running() as receiver:
        await subscribe(world, "lefier", receiver.url, ["reported", "routed"])
        await world.report(OWN_HOME)
        receiver.fail_next = 1  # the first waits for a retry, the second behind it
        await deliver(pool)
    moment = datetime.now(UTC) + deliveries.KEEP_SENT + timedelta(minutes=1)
    done = await run_once(pool, Pipeline(clock=lambda: moment))
    assert done.webhooks_forgotten == 0  # nothing was sent yet
    await conn.execute(
        "UPDATE webhook_deliveries SET status = 'sent', sent_at = now() WHERE seq = 1"
    )
    assert (await run_once(pool, Pipeline())).webhooks_forgotten == 0  # sent just now
    done = await run_once(pool, Pipeline(clock=lambda: moment))
    assert done.webhooks_forgotten == 1
    assert [r["seq"] for r in await conn.fetch("SELECT seq FROM webhook_deliveries")] == [2]


async def test_a_redirect_is_not_followed(pool, conn, world) -> None:
    async with receiver_running() as receiver:
        await subscribe(world, "lefier", receiver.url, ["routed"])
        await world.report(OWN_HOME)
        receiver.fail_next, receiver.failing_status = 1, 307
        posted = await deliver(pool)
    assert posted.retrying == 1
    assert [r.answered for r in receiver.requests] == [307]
    assert await conn.fetchval("SELECT last_error FROM webhook_deliveries") == "HTTP 307"


async def test_a_receiver_that_does_not_answer_in_time_counts_as_failed(
    pool, conn, world, monkeypatch
) -> None:
    monkeypatch.setattr(sender, "ATTEMPT_SECONDS", 0.5)
    async with receiver_running() as receiver:
        await subscribe(world, "lefier", receiver.url, ["routed"])
        await world.report(OWN_HOME)
        receiver.delay = 3.0
        started = time.monotonic()
        posted = await deliver(pool)
        waited = time.monotonic() - started
    assert posted.retrying == 1
    assert waited < 2.5
    assert await conn.fetchval("SELECT last_error FROM webhook_deliveries") == "TimeoutError"
