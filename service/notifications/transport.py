"""Where e-mail goes: an SMTP server (SMTP_URL), or .eml files in DATA_DIR/mail."""

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from email.message import Message
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib

SMTP_TIMEOUT = 30.0


class Session(Protocol):
    async def send(self, message: Message) -> None: ...


class Transport(Protocol):
    """Sends one message, or many through session(): over one connection, kept open."""

    async def send(self, message: Message) -> None: ...

    def session(self) -> AbstractAsyncContextManager[Session]: ...


class SmtpUrlError(ValueError):
    pass


class SmtpTransport:
    """smtp://user:pass@host:port (STARTTLS when the server offers it; ?starttls=required
    insists, ?starttls=off never) or smtps://... (TLS from the start)."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise SmtpUrlError("SMTP_URL must look like smtp://user:password@host:port")
        starttls = parse_qs(parts.query).get("starttls", ["auto"])[-1]
        if starttls not in ("auto", "required", "off"):
            raise SmtpUrlError("SMTP_URL's starttls option is auto, required or off")
        self.implicit_tls = parts.scheme == "smtps"
        self.hostname = parts.hostname
        self.port = parts.port or (465 if self.implicit_tls else 587)
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        # aiosmtplib: None uses STARTTLS when offered, True insists, False never.
        self.start_tls: bool | None = (
            (None if starttls == "auto" else starttls == "required")
            if not self.implicit_tls
            else False
        )

    def client(self) -> aiosmtplib.SMTP:
        return aiosmtplib.SMTP(
            hostname=self.hostname,
            port=self.port,
            username=self.username,
            password=self.password,
            use_tls=self.implicit_tls,
            start_tls=self.start_tls,
            timeout=SMTP_TIMEOUT,
        )

    async def send(self, message: Message) -> None:
        async with self.session() as session:
            await session.send(message)

    @contextlib.asynccontextmanager
    async def session(self) -> AsyncIterator["SmtpSession"]:
        session = SmtpSession(self)
        try:
            yield session
        finally:
            await session.close()


class SmtpSession:
    """One SMTP connection for many messages: connecting (TLS, login) costs more than a
    message. Opened at the first message; after a failure, opened afresh for the next."""

    def __init__(self, transport: SmtpTransport) -> None:
        self.transport = transport
        self.client: aiosmtplib.SMTP | None = None

    async def send(self, message: Message) -> None:
        if self.client is None or not self.client.is_connected:
            self.client = self.transport.client()
            await self.client.connect()
        try:
            await self.client.send_message(message)
        except Exception:
            # The connection's state is unknown after a failed message: start again.
            await self.close()
            raise

    async def close(self) -> None:
        client, self.client = self.client, None
        if client is not None and client.is_connected:
            try:
                await client.quit()
            except (aiosmtplib.SMTPException, OSError):
                client.close()


class FileTransport:
    """Each message as an .eml file named for its Message-ID (for local use, without SMTP)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    async def send(self, message: Message) -> None:
        name = re.sub(r"[^A-Za-z0-9.@-]", "", str(message["Message-ID"])) + ".eml"
        await asyncio.to_thread(self._write, name, message.as_bytes())

    @contextlib.asynccontextmanager
    async def session(self) -> AsyncIterator["FileTransport"]:
        yield self

    def _write(self, name: str, data: bytes) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        partial = self.directory / (name + ".part")
        partial.write_bytes(data)
        partial.replace(self.directory / name)  # whole files only


def transport_for(smtp_url: str | None, data_dir: Path) -> Transport:
    return SmtpTransport(smtp_url) if smtp_url else FileTransport(mail_directory(data_dir))


def mail_directory(data_dir: Path) -> Path:
    return data_dir / "mail"
