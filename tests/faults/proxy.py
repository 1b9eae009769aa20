"""A TCP proxy in front of the test PostgreSQL that a test can cut, to play a database outage.

The machine's server stays up for everyone else; only the app's road to it breaks:
`cut()` drops every connection through the proxy and refuses new ones (as a stopped server
does), `starting_up()` answers new ones as a server still starting would (SQLSTATE 57P03), and
`restore()` lets them through again.
"""

import asyncio
import contextlib
import struct
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qs, urlsplit, urlunsplit

# PostgreSQL's answer to a client's SSLRequest when it speaks no SSL.
NO_SSL = b"N"
SSL_REQUEST_CODE = 80877103


def _starting_up_error() -> bytes:
    """An ErrorResponse as PostgreSQL sends it while it is starting up."""
    fields = b"".join(
        kind + text.encode() + b"\0"
        for kind, text in (
            (b"S", "FATAL"),
            (b"V", "FATAL"),
            (b"C", "57P03"),
            (b"M", "the database system is starting up"),
        )
    )
    body = fields + b"\0"
    return b"E" + struct.pack("!I", len(body) + 4) + body


Opener = Callable[[], Awaitable[tuple[asyncio.StreamReader, asyncio.StreamWriter]]]


class DatabaseProxy:
    """Serves on a local port; `url` is database_url's database through it."""

    def __init__(self, database_url: str) -> None:
        parts = urlsplit(database_url)
        socket_dir = parse_qs(parts.query).get("host", [""])[0]
        port = parts.port or 5432
        if socket_dir.startswith("/"):  # the embedded server: a Unix socket
            path = f"{socket_dir}/.s.PGSQL.{port}"
            self._open: Opener = lambda: asyncio.open_unix_connection(path)
        else:
            host = parts.hostname or "127.0.0.1"
            self._open = lambda: asyncio.open_connection(host, port)
        self._parts = parts
        self.port = 0
        self._server: asyncio.Server | None = None
        self._pipes: set[asyncio.Task] = set()
        self._writers: set[asyncio.StreamWriter] = set()
        self._starting_up = False

    @property
    def url(self) -> str:
        userinfo = self._parts.netloc.rpartition("@")[0]
        netloc = f"{userinfo}@127.0.0.1:{self.port}" if userinfo else f"127.0.0.1:{self.port}"
        return urlunsplit(self._parts._replace(netloc=netloc, query=""))

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def cut(self) -> None:
        """Drop every connection and refuse new ones."""
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._writers):
            writer.transport.abort()
        for pipe in list(self._pipes):
            pipe.cancel()
        await asyncio.gather(*self._pipes, return_exceptions=True)

    async def starting_up(self) -> None:
        """Drop every connection; answer new ones "the database system is starting up"."""
        await self.cut()
        self._starting_up = True
        await self.start()

    async def restore(self) -> None:
        self._starting_up = False
        if self._server is None:
            await self.start()

    async def close(self) -> None:
        await self.cut()

    async def _serve(self, client_reader: asyncio.StreamReader, client: asyncio.StreamWriter):
        self._writers.add(client)
        try:
            if self._starting_up:
                await self._refuse_as_starting(client_reader, client)
                return
            server_reader, server = await self._open()
            self._writers.add(server)
            pipes = [
                asyncio.create_task(self._pipe(client_reader, server)),
                asyncio.create_task(self._pipe(server_reader, client)),
            ]
            self._pipes.update(pipes)
            try:
                await asyncio.wait(pipes, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for pipe in pipes:
                    pipe.cancel()
                self._pipes.difference_update(pipes)
                server.transport.abort()
                self._writers.discard(server)
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            client.transport.abort()
            self._writers.discard(client)

    async def _refuse_as_starting(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        length, code = struct.unpack("!II", await reader.readexactly(8))
        if code == SSL_REQUEST_CODE:
            writer.write(NO_SSL)
            length, _ = struct.unpack("!II", await reader.readexactly(8))
        await reader.readexactly(length - 8)  # the rest of the startup message
        writer.write(_starting_up_error())
        await writer.drain()

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError, asyncio.CancelledError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
