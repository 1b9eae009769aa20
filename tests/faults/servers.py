"""`python -m service serve` in a process of its own, for measurements the test's own clients
must not disturb (tests/servers.py runs the app in the test's loop)."""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from tests.conftest import REPO, TEST_SECRET
from tests.servers import free_port


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
        [sys.executable, "-m", "service", "serve", "--no-demo", "--no-worker", "--port", str(port)],
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
