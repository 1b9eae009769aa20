"""Idempotency-Key: a retried submission never makes two cases."""

import asyncio

import httpx

from tests import factories
from tests.factories import report_body


async def test_retry_with_same_key_and_body_returns_the_first_answer(client, conn):
    await factories.home(conn, await factories.corporation(conn, "lefier"), "9711AB", 12)
    headers = {"Idempotency-Key": "7c1f0a9e-retry"}
    first = await client.post("/api/v1/reports", json=report_body(), headers=headers)
    again = await client.post("/api/v1/reports", json=report_body(), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert await conn.fetchval("SELECT count(*) FROM cases") == 1
    # The replayed token still opens the case.
    view = await client.get(
        f"/api/v1/reports/{again.json()['reference']}",
        headers={"X-Tracking-Token": again.json()["tracking_token"]},
    )
    assert view.status_code == 200


async def test_token_is_not_stored_with_the_answer(client, conn):
    headers = {"Idempotency-Key": "no-token-in-db"}
    first = (await client.post("/api/v1/reports", json=report_body(), headers=headers)).json()
    stored = await conn.fetchval("SELECT response::text FROM idempotency_keys")
    assert first["tracking_token"] not in stored
    assert "no-token-in-db" not in str(await conn.fetch("SELECT * FROM idempotency_keys"))


async def test_same_key_with_another_body_is_409(client, conn):
    headers = {"Idempotency-Key": "reused-key"}
    first = await client.post("/api/v1/reports", json=report_body(), headers=headers)
    other = await client.post(
        "/api/v1/reports", json=report_body(description="Een andere scheur."), headers=headers
    )
    assert first.status_code == 201
    assert other.status_code == 409
    assert "Idempotency-Key" in other.json()["detail"]
    assert await conn.fetchval("SELECT count(*) FROM cases") == 1


async def test_different_keys_make_different_cases(client, conn):
    for key in ("key-one", "key-two"):
        response = await client.post(
            "/api/v1/reports", json=report_body(), headers={"Idempotency-Key": key}
        )
        assert response.status_code == 201
    assert await conn.fetchval("SELECT count(*) FROM cases") == 2


async def test_twenty_concurrent_requests_with_one_key_make_one_case(live_server, conn):
    headers = {"Idempotency-Key": "burst-after-a-quake"}
    async with httpx.AsyncClient(base_url=live_server) as http:
        responses = await asyncio.gather(
            *(http.post("/api/v1/reports", json=report_body(), headers=headers) for _ in range(20))
        )
    assert [r.status_code for r in responses] == [201] * 20
    assert len({r.json()["reference"] for r in responses}) == 1
    assert len({r.json()["tracking_token"] for r in responses}) == 1
    assert sum(r.headers.get("idempotent-replayed") == "true" for r in responses) == 19
    assert await conn.fetchval("SELECT count(*) FROM cases") == 1
    assert await conn.fetchval("SELECT count(*) FROM reporters") == 1
    assert await conn.fetchval("SELECT count(*) FROM case_events") == 2
