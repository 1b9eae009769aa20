"""What the fault tests share: the log records of the service, and the service as a
subprocess (tests/servers.py runs the app in the test's own loop)."""

import asyncio
import contextlib
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from tests.conftest import REPO, TEST_SECRET
from tests.servers import free_port


class Collected(logging.Handler):
    """Records logged (the app's logging set-up replaces the root's handlers, and with them
    pytest's caplog, so this one sits on the loggers themselves)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def lines(self, logger: str) -> list[str]:
        return [r.getMessage() for r in self.records if r.name == logger]

    def errors(self) -> list[str]:
        return [r.getMessage() for r in self.records if r.levelno >= logging.ERROR]


@contextlib.contextmanager
def collected(*loggers: str) -> Iterator[Collected]:
    """What the named loggers (and their children) log within."""
    handler = Collected()
    for name in loggers:
        logging.getLogger(name).addHandler(handler)
    try:
        yield handler
    finally:
        for name in loggers:
            logging.getLogger(name).removeHandler(handler)


class ServiceProcess:
    """`python -m service <command>` as a subprocess on DATA_DIR's embedded PostgreSQL (no
    DATABASE_URL), its output in a file."""

    def __init__(self, data_dir: Path, *command: str, **env: str) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.output = data_dir.parent / f"{command[0]}-{self.port}.log"
        environment = {
            k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PUBLIC_BASE_URL")
        }
        environment.update(
            DATA_DIR=str(data_dir),
            PORT=str(self.port),
            HOST="127.0.0.1",
            SECRET_KEY=TEST_SECRET,
            LOG_LEVEL="WARNING",
            PYTHONUNBUFFERED="1",
            **env,
        )
        with self.output.open("w") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "service", *command],
                cwd=REPO,
                env=environment,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        self.base_url = f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.output.read_text()

    async def ready(self, seconds: float = 120) -> None:
        """Until /ready answers 200 (a fresh DATA_DIR first runs initdb and the migrations)."""
        deadline = time.monotonic() + seconds
        async with httpx.AsyncClient(timeout=2) as http:
            while time.monotonic() < deadline:
                assert self.process.poll() is None, f"it exited early:\n{self.log()}"
                with contextlib.suppress(httpx.TransportError):
                    if (await http.get(f"{self.base_url}/ready")).status_code == 200:
                        return
                await asyncio.sleep(0.1)
        raise AssertionError(f"not ready in {seconds} s:\n{self.log()}")

    async def exit_code(self, seconds: float) -> int:
        deadline = time.monotonic() + seconds
        while (code := self.process.poll()) is None:
            if time.monotonic() > deadline:
                self.process.kill()
                raise AssertionError(f"still running after {seconds} s:\n{self.log()}")
            await asyncio.sleep(0.05)
        return code

    def stop(self) -> None:
        """SIGTERM, as a service manager stops it."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
