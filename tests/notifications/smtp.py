"""A real SMTP server in the test process (aiosmtpd, in a thread of its own) that keeps what
arrives, and a mailer that sends to it."""

import email
import email.policy
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from service.notifications.delivery import Mailer
from service.notifications.transport import SmtpTransport
from tests.conftest import TEST_SECRET
from tests.servers import free_port

SENDER = "Schademelding Groningen <noreply@schade.example.nl>"
BASE_URL = "https://schade.example.nl"


class Inbox:
    """aiosmtpd's handler: every message that arrives, parsed."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: object, session: object, envelope) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 OK"


@contextmanager
def smtp_server(port: int | None = None) -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), port or free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def mailer_to(port: int) -> Mailer:
    return Mailer(SmtpTransport(f"smtp://127.0.0.1:{port}"), SENDER, BASE_URL, TEST_SECRET)


def text_of(message: EmailMessage) -> str:
    """The plain-text and HTML parts, one after the other."""
    return "\n".join(
        part.get_content() for part in message.walk() if part.get_content_maintype() == "text"
    )
