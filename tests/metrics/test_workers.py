"""`serve` with two worker processes: /metrics adds up what both counted, whichever answers.

Each scrape is answered by one of the workers; the request counts it shows must be those of
both. serve keeps the workers' files in a folder of its own, made in TMPDIR (here the test's)
and removed when it stops.
"""

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest
from prometheus_client import CollectorRegistry
from prometheus_client.multiprocess import MultiProcessCollector

from service.metrics.shared_dir import VARIABLE, metrics_shared_by
from tests.conftest import REPO, TEST_SECRET
from tests.metrics.scrape import Scrape
from tests.servers import free_port

# Bounds a time or loads the machine: runs alone (make test).
pytestmark = pytest.mark.timing

ROUTE = "/api/v1/reports/{reference}"


def _start(database_url: str, port: int, tmp_path: Path) -> subprocess.Popen[bytes]:
    environment = {k: v for k, v in os.environ.items() if k != "METRICS_TOKEN"}
    environment.update(
        DATABASE_URL=database_url,
        SECRET_KEY=TEST_SECRET,
        LOG_LEVEL="WARNING",
        WORKERS="2",
        RATE_LIMIT_TRACKING="off",
        TMPDIR=str(tmp_path / "tmp"),
    )
    (tmp_path / "tmp").mkdir()
    return subprocess.Popen(
        [sys.executable, "-m", "service", "serve", "--no-demo", "--no-worker", "--port", str(port)],
        cwd=REPO,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "serve.log").open("wb"),
    )


async def _wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90
    async with httpx.AsyncClient() as http:
        while True:
            assert process.poll() is None, "serve stopped"
            try:
                if (await http.get(f"{url}/ready", timeout=1)).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "serve did not answer within 90 s"
            await asyncio.sleep(0.1)


async def _lookups(url: str, count: int) -> None:
    """count tracking look-ups of an unknown case at once, each on a connection of its own
    (a kept-alive connection would stay with one worker)."""
    limits = httpx.Limits(max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as http:
        answers = await asyncio.gather(
            *(
                http.get(f"/api/v1/reports/SCH-2026-{n:06d}", headers={"X-Tracking-Token": "wrong"})
                for n in range(count)
            )
        )
    assert [answer.status_code for answer in answers] == [404] * count


async def _until_no_connection_noted_in_use(folder: Path) -> None:
    deadline = time.monotonic() + 30
    while True:
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=str(folder))
        in_use = registry.get_sample_value("schade_db_connections_in_use", {"pool": "requests"})
        if in_use == 0:
            return
        assert time.monotonic() < deadline, f"{in_use} connections still noted in use after 30 s"
        await asyncio.sleep(0.1)


def _counting_processes(folder: Path) -> set[str]:
    return {path.stem.rpartition("_")[2] for path in folder.glob("counter_*.db")}


async def test_two_workers_count_every_request_between_them(
    database_url: str, tmp_path: Path
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = _start(database_url, port, tmp_path)
    try:
        await _wait_until_up(url, process)
        [folder] = (tmp_path / "tmp").glob("schade-metrics-*")
        sent = 0
        # Until both workers have answered some (the kernel picks who accepts a connection).
        while len(_counting_processes(folder)) < 2:
            assert sent < 400, "one worker answered every request"
            await _lookups(url, 20)
            sent += 20

        # Each worker notes its connections in use every second: wait for the notes taken
        # after the last request (on a busy machine a second can stretch).
        await _until_no_connection_noted_in_use(folder)
        limits = httpx.Limits(max_keepalive_connections=0)
        async with httpx.AsyncClient(base_url=url, limits=limits) as http:
            scrapes = [await http.get("/metrics") for _ in range(6)]
        for number, response in enumerate(scrapes):
            assert response.status_code == 200, response.text
            scraped = Scrape(response.text)
            assert scraped.total("schade_http_requests_total", route=ROUTE) == sent
            assert scraped.value("schade_http_requests_total", route=ROUTE, status="404") == sent
            assert scraped.value("schade_http_request_duration_seconds_count", route=ROUTE) == sent
            assert scraped.value("schade_database_up") == 1
            # Noted by both workers (the scraping one before its own query): none in use at
            # the first scrape; later, the other worker may have noted one while it answered
            # the scrape before.
            assert scraped.labels("schade_db_connections_in_use", "pool") == {"requests", "exports"}
            in_use = scraped.value("schade_db_connections_in_use", pool="requests")
            assert in_use == 0 if number == 0 else in_use <= 1

        # A worker killed outright cannot drop its connection count; the next scrape does.
        # What it counted stays counted.
        first_two = _counting_processes(folder)
        killed = int(min(first_two))
        os.kill(killed, signal.SIGKILL)
        # Until uvicorn has reaped it (till then it is a zombie, still there) and started
        # another worker, which notes its connections within a second.
        deadline = time.monotonic() + 30
        while (
            not {path.stem.rpartition("_")[2] for path in folder.glob("gauge_livesum_*.db")}
            - first_two
        ):
            assert time.monotonic() < deadline, "uvicorn started no worker in place of the killed"
            await asyncio.sleep(0.1)
        async with httpx.AsyncClient(base_url=url) as http:
            after = Scrape((await http.get("/metrics")).text)
        assert not list(folder.glob(f"gauge_livesum_{killed}.db"))
        assert list(folder.glob(f"counter_{killed}.db"))
        assert after.total("schade_http_requests_total", route=ROUTE) == sent
    finally:
        process.send_signal(signal.SIGTERM)
        returncode = process.wait(timeout=60)
    assert returncode == 0, (tmp_path / "serve.log").read_text()
    assert list((tmp_path / "tmp").iterdir()) == []  # the workers' folder is gone


def test_several_workers_get_a_fresh_folder_removed_afterwards(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR anew
    with metrics_shared_by(2):
        folder = Path(os.environ[VARIABLE])
        assert folder.parent == tmp_path
        assert list(folder.iterdir()) == []
        (folder / "counter_1.db").write_bytes(b"")
    assert not folder.exists()
    assert VARIABLE not in os.environ
    with metrics_shared_by(2):
        assert Path(os.environ[VARIABLE]) != folder  # never an earlier run's


def test_one_worker_counts_in_memory_whatever_the_environment_says(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(VARIABLE, "/somewhere/left/over")
    with metrics_shared_by(1):
        assert VARIABLE not in os.environ
