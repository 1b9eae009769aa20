"""`python -m service partners add|list|revoke`: the api_key is printed once and only its
hash is kept; a revoked key is refused at once."""

import hashlib

from tests.cli import run_cli
from tests.open311.support import BASE, request_form


async def test_add_list_and_revoke(database_url, conn, client, tmp_path):
    async def cli(*args: str) -> tuple[int, str, str]:
        return await run_cli("partners", *args, database_url=database_url, data_dir=tmp_path)

    code, stdout, stderr = await cli("add", "Gemeente Groningen")
    assert code == 0, stderr
    api_key = stdout.split()[-1]
    assert api_key.startswith("o311_")
    row = await conn.fetchrow("SELECT name, key_hash FROM open311_partners")
    assert row["name"] == "Gemeente Groningen"
    assert row["key_hash"] == hashlib.sha256(api_key.encode()).digest()

    assert (
        await client.get(f"{BASE}/requests.json", params={"api_key": api_key})
    ).status_code == 200
    code, _, stderr = await cli("add", "Gemeente Groningen")
    assert code == 1
    assert "exists already" in stderr

    code, stdout, _ = await cli("list")
    assert code == 0
    assert stdout.splitlines()[0].split() == ["id", "requests", "added", "revoked", "name"]
    assert stdout.splitlines()[1].split()[-2:] == ["Gemeente", "Groningen"]

    code, stdout, _ = await cli("revoke", "Gemeente Groningen")
    assert code == 0, stdout
    response = await client.post(f"{BASE}/requests.json", data=request_form(api_key))
    assert response.status_code == 403
    assert (
        await client.get(f"{BASE}/requests.json", params={"api_key": api_key})
    ).status_code == 403
    code, _, stderr = await cli("revoke", "Nobody")
    assert code == 1
    assert "no partner" in stderr
