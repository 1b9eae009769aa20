"""A flood of wrong passwords does not stall the service: /health stays fast (issue 10, item 2).

The server runs as `serve` in a process of its own, so the 32 flooding clients and the
prober do not share its event loop (nor its interpreter lock). Half the clients guess the
password of one real account, which the per-account backoff soon throttles; the other half
try a fresh unknown account from a fresh client address (a trusted proxy's X-Forwarded-For)
each time, which no throttle stops: those are hashed, every one, so only hashing off the
event loop keeps /health fast.
"""

import asyncio
import http.client
import math
import threading
import time
from collections import Counter
from urllib.parse import urlsplit

import httpx
import pytest

from service.auth.secrets import hash_password
from tests import factories
from tests.faults.servers import serve_process
from tests.web.session import csrf_token

# Bounds a time or loads the machine: runs alone (make test).
pytestmark = pytest.mark.timing

FLOOD_CLIENTS = 32
PASSWORD = "the right horse battery"
KNOWN = "flooded@example.nl"


def probe_health(url: str, seconds: float, stop: threading.Event) -> list[float]:
    """Milliseconds of each GET /health, one every 20 ms, on one kept-alive connection."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    latencies = []
    ends = time.monotonic() + seconds
    try:
        while time.monotonic() < ends and not stop.is_set():
            started = time.perf_counter()
            connection.request("GET", "/health")
            response = connection.getresponse()
            response.read()
            assert response.status == 200
            latencies.append((time.perf_counter() - started) * 1000)
            time.sleep(0.02)
    finally:
        connection.close()
    return latencies


def p99(latencies: list[float]) -> float:
    """The 99th percentile (nearest rank); a probe that never came back counts as endless."""
    if not latencies:
        return math.inf
    return sorted(latencies)[math.ceil(0.99 * len(latencies)) - 1]


async def flood_and_probe(url: str) -> tuple[list[float], Counter[int]]:
    answers: Counter[int] = Counter()
    stop = asyncio.Event()
    limits = httpx.Limits(max_connections=FLOOD_CLIENTS, max_keepalive_connections=FLOOD_CLIENTS)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as client:
        token = csrf_token((await client.get("/login")).text)

        async def guess(number: int) -> None:
            # Half the clients guess the real account's password from one address; the
            # other half try a fresh unknown account from a fresh address each time.
            attempt = 0
            while not stop.is_set():
                attempt += 1
                if number % 2:
                    email, address = KNOWN, "192.0.2.1"
                else:
                    email = f"nobody-{number}-{attempt}@example.nl"
                    address = f"10.{number}.{attempt // 250}.{attempt % 250}"
                answer = await client.post(
                    "/login",
                    data={"_csrf_token": token, "email": email, "password": "wrong guess"},
                    headers={"X-Forwarded-For": address},
                )
                answers[answer.status_code] += 1

        flood = [asyncio.create_task(guess(number)) for number in range(FLOOD_CLIENTS)]
        stop_probe = threading.Event()
        try:
            await asyncio.sleep(0.5)  # the flood under way
            latencies = await asyncio.to_thread(probe_health, url, 2.5, stop_probe)
        finally:
            stop_probe.set()
            stop.set()
            for task in flood:  # those still queued for a hash are not waited for
                task.cancel()
            await asyncio.gather(*flood, return_exceptions=True)
    return latencies, answers


async def test_health_stays_fast_during_a_flood_of_wrong_passwords(conn, database_url):
    user_id = await factories.user(conn, "coordinator", email=KNOWN)
    await conn.execute(
        "UPDATE users SET password_hash = $1 WHERE id = $2", hash_password(PASSWORD), user_id
    )
    # One free failure: the real account is throttled early in the flood.
    for _ in range(2):
        # A shared machine can stall any process for a moment: measure once more on a fresh
        # server, and fail only if that flood is slow too (on the event loop, both are: seconds).
        with serve_process(database_url, SIGN_IN_FREE_FAILURES="1") as url:
            latencies, answers = await flood_and_probe(url)
        if p99(latencies) < 50:
            break
    worst = sorted(latencies)[-5:]
    assert p99(latencies) < 50, f"/health p99 {p99(latencies):.0f} ms; slowest {worst}"
    assert len(latencies) > 50
    # Wrong passwords were checked all along (a 400 each), and the real account was throttled.
    assert answers[400] >= 4, answers
    assert answers[429] >= 1, answers
    assert set(answers) <= {400, 429}, answers
