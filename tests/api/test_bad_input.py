"""Bad input answers 4xx problem details that name the field, and writes nothing."""

import pytest

from tests.factories import report_body

TABLES = ("cases", "reporters", "case_events", "idempotency_keys")


async def nothing_written(conn) -> bool:
    for table in TABLES:
        if await conn.fetchval(f"SELECT count(*) FROM {table}"):  # noqa: S608 - test constant
            return False
    return True


def with_address(**address):
    return report_body(address=address)


def with_reporter(**reporter):
    return report_body(reporter=reporter)


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        (with_address(postcode="0711AB", house_number=1), "address.postcode", "four digits"),
        (with_address(postcode="9711SS", house_number=1), "address.postcode", "do not exist"),
        (with_address(postcode="9711AB", house_number=0), "address.house_number", "1 to 99999"),
        (
            with_address(postcode="9711AB", house_number=100000),
            "address.house_number",
            "1 to 99999",
        ),
        (
            with_address(postcode="9711AB", house_number=1, house_letter="AB"),
            "address.house_letter",
            "single letter",
        ),
        (
            with_address(postcode="9711AB", house_number=1, addition="ABCDE"),
            "address.addition",
            "one to four",
        ),
        (with_address(bag_id="12345"), "address.bag_id", "16 digits"),
        (with_address(postcode="9711AB"), "address.house_number", "both"),
        (with_address(), "address", "postcode and house number"),
        (report_body(description="x" * 5001), "description", "At most 5000"),
        (report_body(description="   "), "description", "describe"),
        (report_body(description=""), "description", "may not be empty"),
        (report_body(category="flood"), "category", "Invalid enum value"),
        (report_body(acute="yes"), "acute", "Expected true or false"),
        (report_body(noticed_on="2999-01-01"), "noticed_on", "future"),
        (report_body(noticed_on="yesterday"), "noticed_on", "date"),
        (report_body(unknown_field=1), "unknown_field", "not known"),
        (with_reporter(name="Jan"), "reporter", "email address or a phone number"),
        (with_reporter(name="Jan", email="not-an-email"), "reporter.email", "not an email"),
        (with_reporter(name="Jan", phone="12"), "reporter.phone", "6 to 15 digits"),
        (
            with_reporter(name="Jan", email="j@example.nl", language="de"),
            "reporter.language",
            "Invalid enum value",
        ),
        (with_reporter(name="", email="j@example.nl"), "reporter.name", "may not be empty"),
        (
            report_body(reporter={"name": "Jan", "email": "j@example.nl", "age": 3}),
            "reporter.age",
            "not known",
        ),
    ],
)
async def test_invalid_field_is_named_and_nothing_is_written(client, conn, body, field, words):
    response = await client.post("/api/v1/reports", json=body)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 400
    fields = {error["field"]: error["message"] for error in problem["errors"]}
    assert field in fields, problem
    assert words in fields[field]
    assert await nothing_written(conn)


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2", b"\xff\xfe", b'{"category": "crack",}'])
async def test_malformed_json(client, conn, raw):
    response = await client.post(
        "/api/v1/reports", content=raw, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "The request body is not valid JSON."
    assert "Traceback" not in response.text
    assert await nothing_written(conn)


async def test_empty_body(client, conn):
    response = await client.post(
        "/api/v1/reports", content=b"", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "body", "message": "The request body is empty; send the report as JSON."}
    ]
    assert await nothing_written(conn)


@pytest.mark.parametrize("raw", [b"[]", b"42", b'"text"', b"null"])
async def test_wrong_shape(client, conn, raw):
    response = await client.post(
        "/api/v1/reports", content=raw, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["errors"]
    assert await nothing_written(conn)


async def test_body_over_one_megabyte_is_413(client, conn):
    body = report_body(description="x" * 1_100_000)
    response = await client.post("/api/v1/reports", json=body)
    assert response.status_code == 413
    assert "1 MB" in response.json()["detail"]
    assert await nothing_written(conn)


async def test_bad_idempotency_key(client, conn):
    response = await client.post(
        "/api/v1/reports", json=report_body(), headers={"Idempotency-Key": "x" * 201}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert await nothing_written(conn)


async def test_unknown_route_and_method(client):
    missing = await client.get("/api/v1/nothing-here")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    wrong_method = await client.delete("/api/v1/reports")
    assert wrong_method.status_code == 405


async def test_nul_characters_are_refused_not_crashed_on(client, conn):
    response = await client.post(
        "/api/v1/reports", json=report_body(description="Scheur in de muur\u0000")
    )
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]
    assert await nothing_written(conn)
