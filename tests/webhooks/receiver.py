"""A webhook receiver for the tests: a real HTTP server (uvicorn, in the test's loop) that
records every request and answers an error as many times as it is told to."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import msgspec
import uvicorn
from standardwebhooks import Webhook


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
        headers = {name.decode().lower(): value.decode() for name, value in scope["headers"]}
        self.requests.append(Received(headers, body, status))
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b""})


@asynccontextmanager
async def receiver_running(path: str = "/hooks/cases?key=k1") -> AsyncIterator[Receiver]:
    receiver = Receiver()
    config = uvicorn.Config(receiver, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    receiver.url = f"http://127.0.0.1:{port}{path}"
    try:
        yield receiver
    finally:
        server.should_exit = True
        await task
