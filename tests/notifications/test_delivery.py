"""Delivery of the outbox when things go wrong: a change that fails, SMTP down, the last
attempt, workers side by side, a worker that dies after sending, and no SMTP at all."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path

import asyncpg
import msgspec
import pytest

from service.changes.pipeline import Pipeline
from service.db import Connection
from service.domain.events import CaseChanged
from service.notifications import outbox
from service.notifications import subscriber as notifications
from service.notifications.delivery import Mailer, build_message, deliver_due
from service.notifications.transport import FileTransport, transport_for
from service.reports.intake import submit_report
from service.reports.schemas import ReportIn
from service.worker import run_once
from tests.cli import run_cli
from tests.conftest import TEST_SECRET
from tests.notifications.smtp import BASE_URL, SENDER, mailer_to, queue_routed, smtp_server
from tests.servers import free_port

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def at(moment: datetime) -> Pipeline:
    return Pipeline(clock=lambda: moment)


async def queue(conn: asyncpg.Connection, count: int) -> list[uuid.UUID]:
    return await queue_routed(conn, count, NOW)


async def test_a_change_that_fails_leaves_no_message(pool, conn) -> None:
    lefier = await conn.fetchval(
        "INSERT INTO corporations (code, name, email) "
        "VALUES ('lefier', 'Lefier', 'meldingen@lefier.example') RETURNING id"
    )
    await conn.execute(
        "INSERT INTO addresses (corporation_id, postcode, house_number, street, city) "
        "VALUES ($1, '9711AB', 1, 'Herestraat', 'Groningen')",
        lefier,
    )

    async def fails_after_the_outbox(connection: Connection, changed: CaseChanged) -> None:
        raise RuntimeError("a later subscriber fails")

    async def report(pipeline: Pipeline) -> None:
        body = {
            "category": "crack",
            "description": "Scheur in de muur.",
            "address": {"postcode": "9711AB", "house_number": 1},
            "reporter": {"name": "Huurder", "email": "huurder@example.nl"},
        }
        await submit_report(
            pool,
            pipeline,
            msgspec.convert(body, ReportIn),
            idempotency_key=None,
            secret_key="test",
            public_base_url=BASE_URL,
        )

    with pytest.raises(RuntimeError):
        await report(Pipeline(subscribers=(notifications.notify, fails_after_the_outbox)))
    assert await conn.fetchval("SELECT count(*) FROM cases") == 0
    assert await conn.fetchval("SELECT count(*) FROM outbox") == 0

    await report(Pipeline(subscribers=(notifications.notify,)))  # and when it commits: both
    assert await conn.fetchval("SELECT count(*) FROM cases") == 1
    # The corporation's message and the tenant's.
    assert await conn.fetchval("SELECT count(*) FROM outbox") == 2


async def test_smtp_down_the_message_waits_and_goes_out_when_it_is_back(pool, conn) -> None:
    [message_id] = await queue(conn, 1)
    port = free_port()  # nothing listens there yet

    done = await run_once(pool, at(NOW), mailer_to(port))

    assert done.mail.sent == 0
    row = await conn.fetchrow("SELECT * FROM outbox WHERE id = $1", message_id)
    assert (row["status"], row["attempts"]) == ("queued", 1)
    assert row["next_attempt_at"] >= NOW + outbox.FIRST_RETRY / 2
    assert row["last_error"]  # the kind of failure, no text
    # Not yet due: a round now sends nothing, even with the server up.
    with smtp_server(port) as (inbox, _):
        assert (await run_once(pool, at(NOW), mailer_to(port))).mail.sent == 0
        later = NOW + outbox.FIRST_RETRY
        assert (await run_once(pool, at(later), mailer_to(port))).mail.sent == 1
    assert [m["Message-ID"] for m in inbox.messages] == [f"<{message_id}@schade.example.nl>"]
    assert await conn.fetchval("SELECT status FROM outbox WHERE id = $1", message_id) == "sent"


async def test_after_the_last_attempt_it_fails_and_an_operator_can_retry_it(
    pool, conn, database_url, tmp_path: Path
) -> None:
    [message_id] = await queue(conn, 1)
    await conn.execute("UPDATE outbox SET attempts = $1", outbox.MAX_ATTEMPTS - 1)

    done = await run_once(pool, at(NOW), mailer_to(free_port()))

    assert done.mail.failed == 1
    assert await conn.fetchval("SELECT status FROM outbox") == "failed"
    code, out, _ = await run_cli(
        "outbox", "list", "--failed", database_url=database_url, data_dir=tmp_path
    )
    assert code == 0
    assert str(message_id) in out
    assert "failed" in out
    code, out, _ = await run_cli(
        "outbox", "retry", str(message_id), database_url=database_url, data_dir=tmp_path
    )
    assert code == 0, out
    row = await conn.fetchrow("SELECT status, attempts FROM outbox")
    assert (row["status"], row["attempts"]) == ("queued", 0)
    code, _, err = await run_cli(
        "outbox", "retry", str(message_id), database_url=database_url, data_dir=tmp_path
    )
    assert code == 1
    assert "no failed message" in err


async def test_two_workers_side_by_side_send_each_message_once(pool, conn) -> None:
    ids = await queue(conn, 40)
    with smtp_server() as (inbox, port):
        mailer = mailer_to(port)
        # Small batches: each claims while the other sends.
        both = await asyncio.gather(
            deliver_due(pool, mailer, lambda: NOW, batch=5),
            deliver_due(pool, mailer, lambda: NOW, batch=5),
        )
    assert all(done.sent > 0 for done in both)
    assert sum(done.sent for done in both) == 40
    sent = sorted(m["Message-ID"] for m in inbox.messages)
    assert sent == sorted(f"<{i}@schade.example.nl>" for i in ids)  # each once


async def test_a_worker_that_dies_after_sending_gives_a_duplicate_with_the_same_id(
    pool, conn
) -> None:
    [message_id] = await queue(conn, 1)
    with smtp_server() as (inbox, port):
        mailer = mailer_to(port)
        # The worker claims and sends, and dies before it marks the message sent.
        async with pool.acquire() as connection:
            [claimed] = await outbox.claim_due(connection, NOW, 1)
        await mailer.transport.send(build_message(claimed, mailer))
        # Within the lease nobody sends it again; after it, the next worker does.
        assert (await run_once(pool, at(NOW), mailer)).mail.sent == 0
        assert (await run_once(pool, at(NOW + outbox.LEASE), mailer)).mail.sent == 1
    ids = [m["Message-ID"] for m in inbox.messages]
    assert ids == [f"<{message_id}@schade.example.nl>"] * 2


async def test_without_smtp_url_messages_are_eml_files(pool, conn, tmp_path: Path) -> None:
    [message_id] = await queue(conn, 1)
    transport = transport_for(None, tmp_path)
    assert isinstance(transport, FileTransport)

    await run_once(pool, at(NOW), Mailer(transport, SENDER, BASE_URL, TEST_SECRET))

    [written] = (tmp_path / "mail").glob("*.eml")
    message = message_from_bytes(written.read_bytes(), policy=policy.default)
    assert message["Message-ID"] == f"<{message_id}@schade.example.nl>"
    assert "SCH-2026-000001" in message["Subject"]
    assert await conn.fetchval("SELECT status FROM outbox") == "sent"
    assert await conn.fetchval("SELECT sent_at FROM outbox") == NOW


async def test_sent_messages_are_forgotten_after_a_week_failed_ones_after_a_month(
    pool, conn
) -> None:
    recent, old, failed, queued = await queue(conn, 4)
    later = NOW + outbox.KEEP_SENT + timedelta(minutes=1)
    for message_id, sent_at in ((recent, later - timedelta(days=1)), (old, NOW)):
        await conn.execute(
            "UPDATE outbox SET status = 'sent', sent_at = $2 WHERE id = $1", message_id, sent_at
        )
    await conn.execute("UPDATE outbox SET status = 'failed' WHERE id = $1", failed)
    # Not due before `later`: the round below sends nothing (it has no mailer either).
    await conn.execute("UPDATE outbox SET next_attempt_at = $1 WHERE id = $2", later, queued)

    assert (await run_once(pool, at(later))).messages_forgotten == 1
    left = {row["id"] for row in await conn.fetch("SELECT id FROM outbox")}
    assert left == {recent, failed, queued}

    a_month_on = NOW + outbox.KEEP_FAILED + timedelta(minutes=1)
    assert (await run_once(pool, at(a_month_on))).messages_forgotten == 2
    assert {row["id"] for row in await conn.fetch("SELECT id FROM outbox")} == {queued}
