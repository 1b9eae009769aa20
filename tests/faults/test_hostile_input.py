"""Malformed input of every kind answers 4xx in words a person understands, never a 500.

Each case here answered 500 (or was accepted) before: a body nested 100,000 deep, bytes that
are not UTF-8 inside a JSON string, ids beyond PostgreSQL's bigint, digits that are not
ASCII ("²" passes str.isdigit()), a JSON body sent as text/plain, damage noticed in year 1.
Values are looped over inside a test rather than parametrised: the app and the world are
built once for all of them.
"""

import json

from tests.factories import if_match, report_body
from tests.web.session import csrf_token, sign_in
from tests.world import World

REPORTS = "/api/v1/reports"
JSON = {"Content-Type": "application/json"}
BIGINT_MAX = 2**63 - 1


def assert_problem(response, status: int = 400) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == status
    return problem


async def nothing_filed(conn) -> bool:
    return await conn.fetchval("SELECT count(*) FROM cases") == 0


# --- bodies msgspec cannot read ----------------------------------------------------------------


async def test_a_body_nested_100000_deep_is_refused(client, conn):
    for opening in (b"[", b'{"a":', b'[{"b":'):
        response = await client.post(REPORTS, content=opening * 100_000, headers=JSON)
        problem = assert_problem(response)
        assert problem["detail"] == "The request body is nested too deeply.", opening
    assert await nothing_filed(conn)


async def test_bytes_that_are_not_utf8_inside_a_string_are_refused(client, conn):
    for raw in (b'{"description": "\xff\xfe scheur"}', b'{"\xc3\x28": 1}', b'["\xed\xa0\x80"]'):
        response = await client.post(REPORTS, content=raw, headers=JSON)
        assert assert_problem(response)["detail"] == "The request body is not valid JSON.", raw
    assert await nothing_filed(conn)


# --- content types -------------------------------------------------------------------------


async def test_a_json_body_sent_as_another_media_type_is_415(client, conn):
    # A cross-site form posts text/plain without a CORS preflight: it must not file a report.
    body = json.dumps(report_body()).encode()
    for content_type in (
        "text/plain",
        "text/plain; charset=utf-8",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/jsonp",
        "",
    ):
        response = await client.post(REPORTS, content=body, headers={"Content-Type": content_type})
        problem = assert_problem(response, 415)
        assert "Content-Type: application/json" in problem["detail"], content_type
    assert await nothing_filed(conn)


async def test_json_in_any_of_its_spellings_is_taken(client):
    for number, content_type in enumerate(
        (
            "application/json",
            "application/json; charset=utf-8",
            "Application/JSON",
            "application/merge-patch+json",
        ),
        start=1,
    ):
        body = report_body(address={"postcode": "9711 AB", "house_number": number})
        response = await client.post(
            REPORTS, content=json.dumps(body).encode(), headers={"Content-Type": content_type}
        )
        assert response.status_code == 201, (content_type, response.text)


# --- numbers beyond PostgreSQL's range ----------------------------------------------------------


async def test_an_assignee_id_no_user_can_have_is_a_field_error(world: World):
    case = await world.report()
    admin = world.who("admin")
    version = (await world.case(case["reference"], admin))["version"]
    for assignee_id, words in (
        (BIGINT_MAX + 1, f"at most {BIGINT_MAX}"),
        (99999999999999999999, f"at most {BIGINT_MAX}"),
        (0, "at least 1"),
        (-1, "at least 1"),
    ):
        response = await world.client.put(
            f"/api/v1/cases/{case['reference']}/assignee",
            json={"assignee_id": assignee_id},
            headers={**admin.headers, **if_match(version)},
        )
        problem = assert_problem(response)
        assert problem["errors"] == [
            {"field": "assignee_id", "message": f"The number must be {words}."}
        ], assignee_id
    # The largest bigint is a number PostgreSQL takes: simply nobody of this corporation.
    response = await world.client.put(
        f"/api/v1/cases/{case['reference']}/assignee",
        json={"assignee_id": BIGINT_MAX},
        headers={**admin.headers, **if_match(version)},
    )
    assert assert_problem(response)["errors"][0]["field"] == "assignee_id"
    assert (await world.case(case["reference"], admin))["version"] == version


async def test_a_huge_house_number_is_refused(client, conn):
    body = json.dumps(report_body(address={"postcode": "9711 AB", "house_number": 0}))
    for number in (BIGINT_MAX + 1, 10**30, "9" * 5000, "1e400", "-1e400"):
        raw = body.replace('"house_number": 0', f'"house_number": {number}')
        response = await client.post(REPORTS, content=raw.encode(), headers=JSON)
        assert_problem(response)
    assert await nothing_filed(conn)


# --- the staff case page -----------------------------------------------------------------------


async def _case_page(world: World, conn) -> tuple[str, str]:
    case = await world.report()
    await sign_in(world.client, conn, world.who("coordinator").id)
    page = await world.client.get(f"/cases/{case['reference']}")
    return case["reference"], csrf_token(page.text)


async def test_the_case_page_explains_an_impossible_assignee(world: World, conn):
    reference, token = await _case_page(world, conn)
    version = await conn.fetchval("SELECT version FROM cases WHERE reference = $1", reference)
    for assignee_id in ("99999999999999999999", str(BIGINT_MAX + 1), "0", "²", "١٢", "9" * 5000):
        form = {"form": "assign", "version": str(version), "assignee_id": assignee_id}
        response = await world.client.post(
            f"/cases/{reference}", data={"_csrf_token": token, **form}, follow_redirects=False
        )
        assert response.status_code == 400, (assignee_id, response.text[:300])
        assert response.headers["content-type"].startswith("text/html")
        assert "Deze collega kan de zaak niet krijgen." in response.text
    assert await conn.fetchval("SELECT version FROM cases WHERE reference = $1", reference) == (
        version
    )


async def test_a_version_that_is_no_number_is_taken_as_stale(world: World, conn):
    reference, token = await _case_page(world, conn)
    for version in ("²", "١", "99999999999999999999", "-1"):
        form = {"form": "transition", "to": "acknowledged", "version": version}
        response = await world.client.post(
            f"/cases/{reference}", data={"_csrf_token": token, **form}, follow_redirects=False
        )
        assert response.status_code == 409, (version, response.text[:300])
        assert response.headers["content-type"].startswith("text/html")
    status = await conn.fetchval("SELECT status FROM cases WHERE reference = $1", reference)
    assert status == "new"


# --- the tenant's report form --------------------------------------------------------------------


async def test_the_report_form_explains_a_house_number_that_is_no_number(client, conn):
    token = csrf_token((await client.get("/")).text)
    for house_number in ("²", "١٢", "9" * 5000):
        form = {
            "category": "crack",
            "description": "Scheur in de muur.",
            "postcode": "9711 AB",
            "house_number": house_number,
            "name": "Jan",
            "email": "jan@example.nl",
        }
        response = await client.post("/report", data={"_csrf_token": token, **form})
        assert response.status_code == 400, (house_number[:10], response.text[:300])
        assert response.headers["content-type"].startswith("text/html")
        assert "Vul een huisnummer in, zoals 12, 12a of 12-2." in response.text
    assert await nothing_filed(conn)


# --- noticed_on ------------------------------------------------------------------------------


async def test_damage_noticed_before_1986_is_a_field_error(client, conn):
    for noticed_on in ("0001-01-01", "1985-12-31"):
        response = await client.post(REPORTS, json=report_body(noticed_on=noticed_on))
        assert assert_problem(response)["errors"] == [
            {
                "field": "noticed_on",
                "message": "The date you noticed the damage is before 1986, the year of the "
                "first induced earthquake; check the year.",
            }
        ]
    assert await nothing_filed(conn)
    response = await client.post(REPORTS, json=report_body(noticed_on="1986-01-01"))
    assert response.status_code == 201, response.text


# --- a NUL character, which PostgreSQL stores in neither text nor jsonb ----------------------


async def test_a_nul_character_in_a_note_or_message_is_refused_not_crashed_on(world: World, conn):
    case = await world.report()
    reference, token = case["reference"], case["tracking_token"]
    admin = world.who("admin")
    events = await conn.fetchval("SELECT count(*) FROM case_events")
    response = await world.client.post(
        f"/api/v1/cases/{reference}/notes",
        json={"text": "scheur\u0000", "visibility": "internal"},
        headers={**admin.headers, **if_match(1)},
    )
    assert "NUL" in assert_problem(response)["detail"]
    response = await world.client.post(
        f"/api/v1/reports/{reference}/messages",
        json={"text": "scheur\u0000"},
        headers={"X-Tracking-Token": token},
    )
    assert "NUL" in assert_problem(response)["detail"]
    # The same from the pages: a page in the visitor's language, not JSON.
    await sign_in(world.client, conn, admin.id)
    page_token = csrf_token((await world.client.get(f"/cases/{reference}")).text)
    for url, form in (
        (f"/cases/{reference}", {"form": "note", "version": "1", "text": "a\x00b"}),
        (f"/t/{reference}/message", {"token": token, "text": "a\x00b"}),
    ):
        response = await world.client.post(
            url, data={"_csrf_token": page_token, "visibility": "internal", **form}
        )
        assert response.status_code == 400, (url, response.text[:200])
        assert response.headers["content-type"].startswith("text/html")
        assert "Dat begrijpen we niet" in response.text
    assert await conn.fetchval("SELECT count(*) FROM case_events") == events
