"""A webhook receiver for the tests: a real HTTP server (uvicorn, in the test's loop) that
records every request and answers an error as many times as it is told to."""

import asyncio
import socket
import ssl
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec
import uvicorn
from standardwebhooks import Webhook


@dataclass(frozen=True)
class Certificate:
    """A receiver's certificate, signed by the tests' own certificate authority."""

    certfile: Path
    keyfile: Path
    authority: Path

    def trusted(self) -> ssl.SSLContext:
        """What a sender trusts: only the tests' authority."""
        return ssl.create_default_context(cafile=str(self.authority))


def make_certificate(directory: Path, name: str) -> Certificate:
    """A certificate for the host `name`, with openssl (as an operator would make one)."""

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=directory, check=True, capture_output=True)

    openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
        "-days", "2", "-subj", "/CN=Webhook tests CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    )  # fmt: skip
    openssl(
        "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
        "-subj", f"/CN={name}",
    )  # fmt: skip
    (directory / "server.ext").write_text(
        f"subjectAltName=DNS:{name}\nextendedKeyUsage=serverAuth\n"
        "basicConstraints=CA:FALSE\nauthorityKeyIdentifier=keyid\n"
    )
    openssl(
        "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "server.ext",
    )  # fmt: skip
    return Certificate(directory / "server.pem", directory / "server.key", directory / "ca.pem")


@dataclass(frozen=True)
class Received:
    headers: dict[str, str]
    body: bytes
    answered: int

    @property
    def json(self) -> Any:
        return msgspec.json.decode(self.body)

    @property
    def id(self) -> str:
        return self.headers["webhook-id"]

    def verified(self, secret: str) -> Any:
        """The payload, as a receiver verifies it with the `standardwebhooks` package."""
        return Webhook(secret).verify(self.body, self.headers)


@dataclass
class Receiver:
    requests: list[Received] = field(default_factory=list)
    fail_next: int = 0  # answer this many requests with failing_status, then 204
    failing_status: int = 503
    delay: float = 0.0  # seconds before each answer
    url: str = ""

    def answered_ok(self) -> list[Received]:
        return [r for r in self.requests if 200 <= r.answered < 300]

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        assert scope["type"] == "http"
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        status = 204
        if self.fail_next > 0:
            self.fail_next -= 1
            status = self.failing_status
        await asyncio.sleep(self.delay)
        headers = {name.decode().lower(): value.decode() for name, value in scope["headers"]}
        self.requests.append(Received(headers, body, status))
        # A redirect leads back here: a sender that followed it would show up twice.
        location = [(b"location", b"/elsewhere")] if 300 <= status < 400 else []
        await send({"type": "http.response.start", "status": status, "headers": location})
        await send({"type": "http.response.body", "body": b""})


@asynccontextmanager
async def receiver_running(
    path: str = "/hooks/cases?key=k1", tls: "Certificate | None" = None
) -> AsyncIterator[Receiver]:
    """Over http on 127.0.0.1, or over https as https://localhost:... with tls's certificate."""
    receiver = Receiver()
    host = "127.0.0.1"
    options: dict[str, Any] = {}
    if tls is not None:
        # Where the sender will connect: the first address localhost has.
        found = await asyncio.get_running_loop().getaddrinfo(
            "localhost", 443, type=socket.SOCK_STREAM
        )
        host = found[0][4][0]
        options = {"ssl_certfile": str(tls.certfile), "ssl_keyfile": str(tls.keyfile)}
    config = uvicorn.Config(
        receiver, host=host, port=0, log_level="warning", lifespan="off", **options
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    receiver.url = (
        f"https://localhost:{port}{path}" if tls is not None else f"http://127.0.0.1:{port}{path}"
    )
    try:
        yield receiver
    finally:
        server.should_exit = True
        await task
