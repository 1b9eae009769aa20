"""The report form needs its CSRF token; the JSON API does not."""

from tests.factories import report_body


async def test_a_form_post_without_the_csrf_token_is_refused(client, conn):
    response = await client.post(
        "/report",
        data={"postcode": "9711AB", "house_number": "12", "category": "crack"},
    )
    assert response.status_code == 403
    assert await conn.fetchval("SELECT count(*) FROM cases") == 0
    api = await client.post("/api/v1/reports", json=report_body())
    assert api.status_code == 201
