"""CPU time per request of the tenant's status read, the ASGI app called in this process.

    DATABASE_URL=... SECRET_KEY=... python -m bench.cpu_per_request TARGETS.lua api|page|floor [N]

TARGETS.lua: {reference, token} pairs as `python -m bench.status_targets` writes them (the
demo's sample cases; the same DATABASE_URL and SECRET_KEY). No HTTP server and no client in
between: 16 tasks call the app (the service's, or the floor's with `floor`) directly, each
request from an address of its own, and the process's CPU time over N requests (after a
warm-up) is divided by N. On a shared machine this varies far less than a rate measured
with wrk, so it shows a change of a few percent in a handful of runs: run the code before
and after in turns, a few times each (issue 15).
"""

import asyncio
import contextlib
import random
import re
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import uvloop
from litestar import Litestar

from bench.floor import create_floor
from service.app import create_app
from service.settings import Settings

CONCURRENT = 16
PATHS = {"api": "/api/v1/reports/{}", "page": "/t/{}", "floor": "/floor/status/{}"}


def read_targets(path: Path) -> list[tuple[str, str]]:
    return re.findall(r'\{"([^"]+)", "([^"]+)"\}', path.read_text())


@contextlib.asynccontextmanager
async def running(app: Litestar) -> AsyncIterator[None]:
    """The app's lifespan (its pools, the throttle), as a server would run it."""
    to_app: asyncio.Queue[dict[str, str]] = asyncio.Queue()
    from_app: asyncio.Queue[dict[str, str]] = asyncio.Queue()
    scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
    lifespan = asyncio.create_task(app(scope, to_app.get, from_app.put))  # type: ignore[arg-type]
    await to_app.put({"type": "lifespan.startup"})
    started = await from_app.get()
    if started["type"] != "lifespan.startup.complete":
        raise RuntimeError(f"the app did not start: {started}")
    try:
        yield
    finally:
        await to_app.put({"type": "lifespan.shutdown"})
        await from_app.get()
        await lifespan


class Client:
    def __init__(self, app: Litestar, how: str, targets: list[tuple[str, str]]) -> None:
        self.app, self.how, self.targets = app, how, targets
        self.picks = random.Random()  # noqa: S311 - which case to read next, no secret
        self.sent = self.picks.randrange(1 << 24)  # a fresh range of addresses for the limits

    async def one(self) -> None:
        self.sent += 1
        reference, token = self.picks.choice(self.targets)
        n = self.sent % (1 << 24)
        headers = [
            (b"host", b"127.0.0.1"),
            (b"x-forwarded-for", f"10.{n >> 16}.{(n >> 8) & 255}.{n & 255}".encode()),
        ]
        query = b""
        if self.how == "page":
            query = f"token={token}".encode()
        else:
            headers.append((b"x-tracking-token", token.encode()))
        path = PATHS[self.how].format(reference)
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": query,
            "root_path": "",
            "headers": headers,
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
            "state": {},
        }
        statuses = []

        async def receive() -> dict[str, object]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, object]) -> None:
            if message["type"] == "http.response.start":
                statuses.append(message["status"])

        await self.app(scope, receive, send)  # type: ignore[arg-type]
        if statuses != [200]:
            raise RuntimeError(f"{path} answered {statuses}")

    async def many(self, count: int) -> None:
        for _ in range(count):
            await self.one()


async def measure(
    settings: Settings, how: str, targets: list[tuple[str, str]], requests: int
) -> float:
    app = create_floor(settings) if how == "floor" else create_app(settings)
    client = Client(app, how, targets)
    async with running(app):
        warm_up = max(1, min(50, requests // CONCURRENT))  # each task's
        await asyncio.gather(*(client.many(warm_up) for _ in range(CONCURRENT)))
        started = time.process_time()
        await asyncio.gather(*(client.many(requests // CONCURRENT) for _ in range(CONCURRENT)))
        return (time.process_time() - started) / (requests // CONCURRENT * CONCURRENT)


def main(argv: list[str]) -> int:
    targets_file, how, *rest = argv
    if how not in PATHS:
        print(f"how: one of {', '.join(PATHS)}", file=sys.stderr)
        return 2
    requests = int(rest[0]) if rest else 4000
    # uvloop: the event loop uvicorn runs the service on.
    seconds = uvloop.run(
        measure(Settings.from_env(), how, read_targets(Path(targets_file)), requests)
    )
    print(f"{how}: {seconds * 1e6:.0f} us of CPU per request ({requests} requests)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
