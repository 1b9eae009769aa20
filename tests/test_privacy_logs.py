"""Personal data and tracking tokens never reach the logs."""

import logging

from tests import factories
from tests.factories import report_body


async def test_logs_hold_no_personal_data_or_tokens(client, conn, caplog):
    await factories.home(conn, await factories.corporation(conn, "lefier"), "9711AB", 12)
    caplog.set_level(logging.DEBUG)
    body = report_body()
    body["reporter"] = {"name": "Geheime Naam", "email": "geheim@example.nl", "phone": "0612345678"}
    created = (await client.post("/api/v1/reports", json=body)).json()
    await client.get(
        f"/api/v1/reports/{created['reference']}",
        headers={"X-Tracking-Token": created["tracking_token"]},
    )
    await client.get("/api/v1/addresses", params={"postcode": "9711AB", "house_number": 12})
    await client.post("/api/v1/reports", json={**body, "category": "nonsense"})
    # Everything the service side logged (httpx is the test's own client).
    logged = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("httpx"))
    assert "POST /api/v1/reports 201" in logged  # the access log is there ...
    for secret in (
        "Geheime",
        "geheim@example.nl",
        "0612345678",
        created["tracking_token"],
        "9711AB",
    ):
        assert secret not in logged  # ... and holds none of these
