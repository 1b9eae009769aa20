"""The floor of issue 15 (bench/floor.py) sends the database exactly what the real endpoints
send: the same statements, in the same order, for the intake (routed and unrouted) and for the
tenant's status read (API and tracking page). A change to either side's SQL fails here."""

from collections.abc import AsyncIterator

import asyncpg
import msgspec
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from bench.floor import create_floor
from service.app import create_app
from service.settings import RateLimit, Settings
from tests.test_bench import (
    bench_region,
    captured,  # noqa: F401 - the fixture that records every statement
)

# The wrk script's body (bench/wrk.lua), for a home of the corporation below or not.
ROUTED = {"postcode": "9711AB", "house_number": 1, "house_letter": "", "addition": ""}
UNROUTED = {"postcode": "9711AC", "house_number": 3, "house_letter": "", "addition": ""}


def wrk_body(address: dict[str, object]) -> bytes:
    return msgspec.json.encode(
        {
            "category": "crack",
            "acute": False,
            "description": "Scheur in de muur van de woonkamer, boven het raam.",
            "address": address,
            "reporter": {
                "name": "Huurder 7",
                "email": "huurder7@example.nl",
                "phone": "0612345678",
            },
        }
    )


@pytest.fixture
def limited(settings: Settings) -> Settings:
    """As served: the rate limits count every request (the suite's settings turn them off)."""
    return msgspec.structs.replace(
        settings, report_limit=RateLimit(10_000, 600), tracking_limit=RateLimit(10_000, 600)
    )


@pytest.fixture
async def clients(
    conn: asyncpg.Connection, limited: Settings
) -> AsyncIterator[tuple[AsyncTestClient, AsyncTestClient]]:
    await bench_region(conn)
    apps: tuple[Litestar, Litestar] = (create_app(limited), create_floor(limited))
    async with AsyncTestClient(apps[0]) as service, AsyncTestClient(apps[1]) as floor:
        yield service, floor


async def report(client: AsyncTestClient, path: str, address: dict[str, object], key: str):
    response = await client.post(
        path,
        content=wrk_body(address),
        headers={"Content-Type": "application/json", "Idempotency-Key": key},
    )
    assert response.status_code == 201, response.text
    return response.json()


@pytest.mark.parametrize("address", [ROUTED, UNROUTED], ids=["routed", "unrouted"])
async def test_floor_intake_sends_the_intakes_statements(
    clients: tuple[AsyncTestClient, AsyncTestClient],
    captured: list[str],  # noqa: F811
    address: dict[str, object],
) -> None:
    service, floor = clients
    captured.clear()
    made = await report(service, "/api/v1/reports", address, "service-key")
    real = list(captured)
    captured.clear()
    await report(floor, "/floor/intake", address, "floor-key")
    assert made["status"] == ("new" if address is ROUTED else "unrouted")
    assert len(real) >= 10  # the rate limit's count, then the transaction
    assert captured == real


async def test_floor_status_sends_the_status_reads_statements(
    clients: tuple[AsyncTestClient, AsyncTestClient],
    captured: list[str],  # noqa: F811
) -> None:
    service, floor = clients
    made = await report(service, "/api/v1/reports", ROUTED, "status-key")
    reference, token = made["reference"], made["tracking_token"]
    reads = {}
    for name, client, path, headers in (
        ("api", service, f"/api/v1/reports/{reference}", {"X-Tracking-Token": token}),
        ("page", service, f"/t/{reference}?token={token}", {}),
        ("floor", floor, f"/floor/status/{reference}", {"X-Tracking-Token": token}),
    ):
        captured.clear()
        response = await client.get(path, headers=headers)
        assert response.status_code == 200, (name, response.text[:300])
        reads[name] = list(captured)
    assert len(reads["api"]) == 2  # the rate limit's count, then the case with all it shows
    assert reads["floor"] == reads["api"]
    assert reads["floor"] == reads["page"]
