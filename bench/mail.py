"""The worker's e-mail rate: N queued messages delivered to a local SMTP server.

    python -m bench.mail [--messages 3000] [--database-url URL]

The SMTP server (aiosmtpd, accepting every message) runs in a process of its own, so it
competes for the CPU as a real one on the same machine would, and does not share the
worker's event loop. The worker part is service.notifications.delivery.deliver_due, as
`python -m service worker` runs it. As the reference, the same server's rate for one plain
aiosmtplib connection sending prebuilt messages back to back, in the same run.
"""

import argparse
import asyncio
import json
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any

import aiosmtplib
import msgspec

from service import db
from service.notifications import delivery, outbox
from service.notifications.transport import SmtpTransport

# A local SMTP server that accepts every message; with "count", it also prints a line "mail"
# for each one, for a benchmark that counts what arrives (bench/burst.py).
SINK = """
import asyncio, sys
from aiosmtpd.controller import Controller

COUNT = sys.argv[2:] == ["count"]

class Accept:
    async def handle_DATA(self, server, session, envelope):
        if COUNT:
            print("mail", flush=True)
        return "250 OK"

controller = Controller(Accept(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
sys.stdin.read()  # until the benchmark closes stdin
controller.stop()
"""

PAYLOAD = {
    "reference": "SCH-2026-000001",
    "category": "crack",
    "acute": False,
    "street": "Herestraat",
    "house_number": 12,
    "postcode": "9711AB",
    "city": "Groningen",
    "acknowledge_by": "2026-12-02T09:00:00+00:00",
    "corporation_name": "Lefier",
}


def start_sink(port: int, count: bool = False) -> subprocess.Popen[str]:
    sink = subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", SINK, str(port), *(["count"] if count else [])],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert sink.stdout is not None
    if sink.stdout.readline().strip() != "ready":
        raise RuntimeError("the SMTP sink did not start")
    return sink


async def plain_rate(port: int, count: int) -> float:
    """Messages per second over one connection, prebuilt: what the SMTP server takes."""
    messages = []
    for n in range(count):
        message = EmailMessage()
        message["From"], message["To"] = "bench@example.nl", "meldingen@example.nl"
        message["Subject"] = f"bench {n}"
        message.set_content("x" * 1500)
        messages.append(message)
    client = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, start_tls=False)
    await client.connect()
    started = time.perf_counter()
    for message in messages:
        await client.send_message(message)
    took = time.perf_counter() - started
    await client.quit()
    return count / took


async def worker_rate(database_url: str, port: int, count: int) -> dict[str, Any]:
    pool = await db.create_pool(database_url, 1, 4)
    try:
        async with pool.acquire() as connection:
            await db.migrate(connection)
            # Only these messages are due: the database's other queued ones wait an hour.
            await connection.execute(
                "UPDATE outbox SET next_attempt_at = now() + interval '1 hour' "
                "WHERE status = 'queued'"
            )
            now = datetime.now(UTC)
            await connection.execute(
                """
                INSERT INTO outbox (kind, recipient, payload, next_attempt_at, created_at)
                SELECT $1, 'meldingen@example.nl', $2::jsonb, $3, $3
                FROM generate_series(1, $4)
                """,
                outbox.CASE_ROUTED,
                msgspec.json.encode(PAYLOAD).decode(),
                now,
                count,
            )
        mailer = delivery.Mailer(
            SmtpTransport(f"smtp://127.0.0.1:{port}?starttls=off"),
            "Schademelding <noreply@example.nl>",
            "https://schade.example.nl",
            "bench-secret-key",
        )
        started = time.perf_counter()
        done = await delivery.deliver_due(pool, mailer, lambda: datetime.now(UTC))
        took = time.perf_counter() - started
        async with pool.acquire() as connection:
            left = await connection.fetchval(
                "SELECT count(*) FROM outbox WHERE status = 'queued' AND created_at = $1", now
            )
            await connection.execute("DELETE FROM outbox WHERE created_at = $1", now)
        return {"sent": done.sent, "failed": done.failed, "left": left, "seconds": took}
    finally:
        await pool.close()


def bench_mail(database_url: str, count: int) -> dict[str, Any]:
    from bench.run import free_port

    port = free_port()
    sink = start_sink(port)
    try:
        reference = asyncio.run(plain_rate(port, min(count, 1000)))
        worker = asyncio.run(worker_rate(database_url, port, count))
    finally:
        assert sink.stdin is not None
        sink.stdin.close()
        sink.wait(timeout=10)
    rate = worker["sent"] / worker["seconds"]
    return {
        "messages": count,
        "worker": worker,
        "emails_per_second": rate,
        "plain_smtp_per_second": reference,
        "ratio_to_plain": rate / reference,
        "target": "worker >= 200 e-mails/s, none failed or left",
        "met": rate >= 200 and worker["failed"] == 0 and worker["left"] == 0,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument(
        "--database-url",
        help="a database of its own (default: a throw-away one on the local server)",
    )
    args = parser.parse_args(argv)
    if args.database_url:
        results = bench_mail(args.database_url, args.messages)
    else:
        from bench.run import DEFAULT_SERVER, drop_database, ensure_database

        name = f"bench_mail_{uuid.uuid4().hex[:8]}"
        url = asyncio.run(ensure_database(DEFAULT_SERVER, name))
        try:
            results = bench_mail(url, args.messages)
        finally:
            asyncio.run(drop_database(DEFAULT_SERVER, name))
    print(json.dumps(results, indent=2))
    return 0 if results["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
