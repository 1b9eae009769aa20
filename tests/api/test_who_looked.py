"""Who looked at a reporter's contact details (issue 14, "Who looked"): every case page and
API case detail is on record, masked or not, and admins read the record per case and user."""

import asyncpg
import pytest

from tests.factories import if_match
from tests.web.session import sign_in


async def _views(conn) -> list[asyncpg.Record]:
    return await conn.fetch(
        """
        SELECT v.user_id, c.reference, v.route, v.masked FROM contact_views v
        JOIN cases c ON c.id = v.case_id ORDER BY v.id
        """
    )


async def test_the_api_detail_records_one_view_with_its_user_and_case(world, conn):
    case = await world.report()
    inspector = world.who("inspector")
    await world.case(case["reference"], inspector)
    assert [tuple(row) for row in await _views(conn)] == [
        (inspector.id, case["reference"], "api_detail", False)
    ]


async def test_an_admin_sees_the_contact_masked_and_that_is_recorded_as_masked(world, conn):
    case = await world.report()
    admin = world.who("admin")
    detail = await world.case(case["reference"], admin)
    assert detail["reporter"]["masked"] is True
    assert [tuple(row) for row in await _views(conn)] == [
        (admin.id, case["reference"], "api_detail", True)
    ]


async def test_the_case_page_records_one_view(world, conn):
    case = await world.report()
    manager = world.who("manager")
    await sign_in(world.client, conn, manager.id)
    page = await world.client.get(f"/cases/{case['reference']}")
    assert page.status_code == 200
    assert "jan@example.nl" in page.text
    assert [tuple(row) for row in await _views(conn)] == [
        (manager.id, case["reference"], "case_page", False)
    ]


async def test_a_change_answers_with_the_detail_and_records_that_view(world, conn):
    case = await world.report()
    inspector = world.who("inspector")
    response = await world.client.post(
        f"/api/v1/cases/{case['reference']}/notes",
        json={"text": "Gebeld", "visibility": "internal"},
        headers={**inspector.headers, **if_match(1)},
    )
    assert response.status_code == 201, response.text
    assert [tuple(row) for row in await _views(conn)] == [
        (inspector.id, case["reference"], "api_detail", False)
    ]


async def test_a_case_out_of_scope_records_nothing(world, conn):
    case = await world.report()
    response = await world.client.get(
        f"/api/v1/cases/{case['reference']}", headers=world.who("inspector", "acantus").headers
    )
    assert response.status_code == 404
    assert await _views(conn) == []


async def test_a_view_that_cannot_be_recorded_fails_the_request(world, conn, client):
    """Accountability: contact details are never shown without the record."""
    case = await world.report()
    await conn.execute(
        "ALTER TABLE contact_views ADD CONSTRAINT refuse_all CHECK (false) NOT VALID"
    )
    try:
        response = await client.get(
            f"/api/v1/cases/{case['reference']}", headers=world.who("inspector").headers
        )
        assert response.status_code == 500
        assert "example.nl" not in response.text
    finally:
        await conn.execute("ALTER TABLE contact_views DROP CONSTRAINT refuse_all")


@pytest.mark.parametrize("role", ["inspector", "manager", "coordinator"])
async def test_only_admins_read_the_record(world, role):
    case = await world.report()
    person = world.who(role)
    for path in (
        f"/api/v1/cases/{case['reference']}/access-log",
        f"/api/v1/users/{person.id}/access-log",
    ):
        response = await world.client.get(path, headers=person.headers)
        assert response.status_code == 403, path


async def test_admins_list_the_views_of_a_case_newest_first_in_pages(world):
    case = await world.report()
    other = await world.report()
    inspector, manager, admin = world.who("inspector"), world.who("manager"), world.who("admin")
    await world.case(case["reference"], inspector)
    await world.case(other["reference"], inspector)
    await world.case(case["reference"], manager)
    await world.case(case["reference"], admin)
    path = f"/api/v1/cases/{case['reference']}/access-log"
    first = (await world.client.get(f"{path}?limit=2", headers=admin.headers)).json()
    assert [(v["user"]["id"], v["route"], v["masked"]) for v in first["items"]] == [
        (admin.id, "api_detail", True),
        (manager.id, "api_detail", False),
    ]
    assert first["items"][0]["reference"] == case["reference"]
    assert first["items"][1]["user"]["name"] == "Manager lefier"
    second = (
        await world.client.get(
            f"{path}?limit=2&after={first['next_cursor']}", headers=admin.headers
        )
    ).json()
    assert [v["user"]["id"] for v in second["items"]] == [inspector.id]
    assert second["next_cursor"] is None


async def test_admins_list_the_views_of_one_user(world):
    case = await world.report()
    other = await world.report()
    inspector, admin = world.who("inspector"), world.who("admin")
    await world.case(case["reference"], inspector)
    await world.case(other["reference"], inspector)
    await world.case(case["reference"], world.who("manager"))
    answer = await world.client.get(
        f"/api/v1/users/{inspector.id}/access-log", headers=admin.headers
    )
    assert answer.status_code == 200
    assert [v["reference"] for v in answer.json()["items"]] == [
        other["reference"],
        case["reference"],
    ]


async def test_an_unknown_case_or_user_or_cursor(world):
    admin = world.who("admin")
    unknown_case = await world.client.get(
        "/api/v1/cases/SCH-2026-999999/access-log", headers=admin.headers
    )
    assert unknown_case.status_code == 404
    unknown_user = await world.client.get("/api/v1/users/99999/access-log", headers=admin.headers)
    assert unknown_user.status_code == 404
    case = await world.report()
    bad_cursor = await world.client.get(
        f"/api/v1/cases/{case['reference']}/access-log?after=x", headers=admin.headers
    )
    assert bad_cursor.status_code == 400
    assert bad_cursor.json()["errors"][0]["field"] == "after"


async def test_the_record_is_in_the_openapi_document(client):
    paths = (await client.get("/schema/openapi.json")).json()["paths"]
    assert "/api/v1/cases/{reference}/access-log" in paths
    assert "/api/v1/users/{user_id}/access-log" in paths
