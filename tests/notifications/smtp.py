"""A real SMTP server in the test process (aiosmtpd, in a thread of its own) that keeps what
arrives, and a mailer that sends to it."""

import asyncio
import email
import email.policy
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from email.message import EmailMessage, Message

import asyncpg
import msgspec
from aiosmtpd.controller import Controller

from bench.mail import PAYLOAD as ROUTED_PAYLOAD
from service.notifications.delivery import Mailer
from service.notifications.transport import SmtpTransport
from tests.conftest import TEST_SECRET
from tests.servers import free_port

SENDER = "Schademelding Groningen <noreply@schade.example.nl>"
BASE_URL = "https://schade.example.nl"


class Inbox:
    """aiosmtpd's handler: every message that arrives, parsed, except those to ignore; each
    after delay seconds (a slow mail server)."""

    def __init__(self, delay: float = 0.0, ignore: str | None = None) -> None:
        self.messages: list[EmailMessage] = []
        self.delay = delay
        self.ignore = ignore

    async def handle_DATA(self, server: object, session: object, envelope) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        if parsed["To"] != self.ignore:
            self.messages.append(parsed)
        return "250 OK"


@contextmanager
def smtp_server(
    port: int | None = None, delay: float = 0.0, ignore: str | None = None
) -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(delay, ignore), port or free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def mailer_to(port: int) -> Mailer:
    return Mailer(SmtpTransport(f"smtp://127.0.0.1:{port}"), SENDER, BASE_URL, TEST_SECRET)


def as_received(message: Message) -> EmailMessage:
    """A message as the worker builds it, read back as a mail program reads it."""
    parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def text_of(message: EmailMessage) -> str:
    """The plain-text and HTML parts, one after the other."""
    return "\n".join(
        part.get_content() for part in message.walk() if part.get_content_maintype() == "text"
    )


async def queue_routed(conn: asyncpg.Connection, count: int, due: datetime) -> list[uuid.UUID]:
    """count case-routed messages, due at due (as the subscriber writes them)."""
    rows = await conn.fetch(
        """
        INSERT INTO outbox (kind, recipient, payload, next_attempt_at, created_at)
        SELECT 'case_routed', 'meldingen@lefier.example', $1::jsonb, $2, $2
        FROM generate_series(1, $3) RETURNING id
        """,
        msgspec.json.encode(ROUTED_PAYLOAD).decode(),
        due,
        count,
    )
    return [row["id"] for row in rows]
