"""Servers for the fault tests: `python -m service serve` in a process of its own, for
measurements the test's own clients must not disturb; the app under uvicorn in the test's
loop, configured as `serve` configures it, for everything else."""

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

import httpx
import uvicorn
from litestar import Litestar

from tests.conftest import REPO, TEST_SECRET


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serve_process(database_url: str, **env: str) -> Iterator[str]:
    """`serve --no-demo` on database_url (migrated already) with the given extra settings."""
    port = free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": TEST_SECRET,
        "LOG_LEVEL": "WARNING",
        **env,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "service", "serve", "--no-demo", "--port", str(port)],
        cwd=REPO,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"serve stopped: {process.stderr.read() if process.stderr else ''}"
                )
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("serve did not answer within 60 s")
            time.sleep(0.1)
        yield url
    finally:
        # Nothing of it is kept: no need to wait for what it still has queued.
        process.kill()
        process.wait()


@asynccontextmanager
async def serve_in_loop(app: Litestar) -> AsyncIterator[str]:
    """The app behind uvicorn on a free port, in this loop, with uvicorn's options of `serve`."""
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, log_level="warning", lifespan="on", proxy_headers=False
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()  # surfaces why it could not start
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
