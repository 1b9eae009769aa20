"""Tracking tokens are made from a per-case salt with SECRET_KEY: the database holds the salt
and the token's hash, never the token; a retried submission gets the same token back."""

from service.reports.tokens import SALT_BYTES, derived_tracking_token, token_hash
from tests.conftest import TEST_SECRET
from tests.factories import report_body


async def test_a_case_keeps_its_salt_and_the_hash_of_the_token_made_from_it(client, conn):
    created = (await client.post("/api/v1/reports", json=report_body())).json()
    row = await conn.fetchrow(
        "SELECT id, tracking_salt, tracking_token_hash FROM cases WHERE reference = $1",
        created["reference"],
    )
    assert len(row["tracking_salt"]) == SALT_BYTES
    token = derived_tracking_token(TEST_SECRET, row["id"], row["tracking_salt"])
    assert token == created["tracking_token"]
    assert row["tracking_token_hash"] == token_hash(token)
    other = (await client.post("/api/v1/reports", json=report_body())).json()
    assert other["tracking_token"] != token


async def test_a_retry_gets_the_same_token_also_for_a_case_from_before_salts(client, conn):
    headers = {"Idempotency-Key": "retry-me"}
    first = await client.post("/api/v1/reports", json=report_body(), headers=headers)
    again = await client.post("/api/v1/reports", json=report_body(), headers=headers)
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["tracking_token"] == first.json()["tracking_token"]

    # A case filed before salts were kept derived its token from the key itself.
    case_id = await conn.fetchval(
        "SELECT id FROM cases WHERE reference = $1", first.json()["reference"]
    )
    old_token = derived_tracking_token(TEST_SECRET, case_id, b"retry-me")
    await conn.execute(
        "UPDATE cases SET tracking_salt = NULL, tracking_token_hash = $2 WHERE id = $1",
        case_id,
        token_hash(old_token),
    )
    replayed = await client.post("/api/v1/reports", json=report_body(), headers=headers)
    assert replayed.json()["tracking_token"] == old_token
    shown = await client.get(
        f"/api/v1/reports/{first.json()['reference']}", headers={"X-Tracking-Token": old_token}
    )
    assert shown.status_code == 200
