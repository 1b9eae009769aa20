"""The triage page: coordinators see unrouted cases with suggestions and route them in a click."""

import re
from urllib.parse import urlencode

import pytest

from tests import factories
from tests.factories import if_match
from tests.web.session import CSRF_FIELD, sign_in
from tests.web.triage_markup import alert_of, error_of, opened_cases
from tests.world import OWN_HOME

# Not in the register; Lefier owns three homes in the same postcode, Acantus one nearby.
UNREGISTERED = {"postcode": "9711AB", "house_number": 99}


@pytest.fixture
async def region(world, conn):
    lefier, acantus = world.corporations["lefier"], world.corporations["acantus"]
    await factories.home(conn, lefier, "9711AB", 14)
    await factories.home(conn, lefier, "9711AB", 16)
    await factories.home(conn, acantus, "9711XY", 1)
    return world


async def _open_triage(client, conn, person, **params) -> tuple[int, str, str]:
    """GET /triage as person: status, page, and the CSRF token its forms carry."""
    await sign_in(client, conn, person.id)
    response = await client.get("/triage", params=params)
    token = CSRF_FIELD.search(response.text)
    return response.status_code, response.text, token.group(1) if token else ""


async def _version(conn, reference: str) -> int:
    return await conn.fetchval("SELECT version FROM cases WHERE reference = $1", reference)


async def _status_and_corporation(conn, reference: str) -> tuple[str, str | None]:
    row = await conn.fetchrow(
        "SELECT c.status, co.code FROM cases c LEFT JOIN corporations co "
        "ON co.id = c.corporation_id WHERE c.reference = $1",
        reference,
    )
    return row["status"], row["code"]


async def _post(client, token: str, **form: str):
    return await client.post("/triage", data={"_csrf_token": token, **form}, follow_redirects=False)


async def test_a_coordinator_sees_unrouted_cases_oldest_first_acute_on_top(client, conn, region):
    older = await region.report(UNREGISTERED)
    acute = await region.report(UNREGISTERED, acute=True)
    routed = await region.report(OWN_HOME)

    status, page, _ = await _open_triage(client, conn, region.who("coordinator"))

    assert status == 200
    assert page.index(acute["reference"]) < page.index(older["reference"])
    assert routed["reference"] not in page
    assert f'href="/cases/{older["reference"]}"' in page
    assert "Acuut" in page
    assert "9711 AB 99" in page
    assert "Scheur" in page
    assert "Diagonale scheur boven de deur" in page
    assert "Oppakken uiterlijk" in page
    assert "Op tijd" in page
    assert page.index("Naar Lefier") < page.index("Naar Acantus")
    assert "3 woningen in deze postcode" in page
    assert "1 woning in postcodegebied 9711" in page
    assert f'name="version" value="{await _version(conn, older["reference"])}"' in page


async def test_the_page_speaks_english_and_says_when_nothing_waits(client, conn, region):
    status, page, _ = await _open_triage(client, conn, region.who("admin"), lang="en")
    assert status == 200
    assert "No cases are waiting to be routed." in page

    await region.report(UNREGISTERED)
    page = (await client.get("/triage")).text  # the language cookie remembers
    assert "Route to Lefier" in page
    assert "3 homes in this postcode" in page


@pytest.mark.parametrize("role", ["inspector", "manager"])
async def test_corporation_staff_may_not_triage(client, conn, region, role):
    case = await region.report(UNREGISTERED)
    status, page, _ = await _open_triage(client, conn, region.who(role))
    assert status == 403
    assert "Geen toegang" in page
    assert case["reference"] not in page

    token = client.cookies.get("csrftoken")
    response = await _post(
        client, token, reference=case["reference"], version="1", corporation="lefier"
    )
    assert response.status_code == 403
    assert await _status_and_corporation(conn, case["reference"]) == ("unrouted", None)


async def test_signing_in_is_needed(client, region):
    response = await client.get("/triage", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Ftriage"


async def test_routing_moves_the_case_to_the_chosen_corporation(client, conn, region):
    case = await region.report(UNREGISTERED)
    reference = case["reference"]
    coordinator = region.who("coordinator")
    _, _, token = await _open_triage(client, conn, coordinator)

    response = await _post(
        client,
        token,
        reference=reference,
        version=str(await _version(conn, reference)),
        corporation="lefier",
    )

    assert response.status_code == 303
    assert response.headers["location"] == f"/triage?routed={reference}"
    assert await _status_and_corporation(conn, reference) == ("new", "lefier")
    event = await conn.fetchrow(
        "SELECT e.actor_user_id, e.from_status, e.to_status, e.data FROM case_events e "
        "JOIN cases c ON c.id = e.case_id WHERE c.reference = $1 AND e.kind = 'routed'",
        reference,
    )
    assert event["actor_user_id"] == coordinator.id
    assert (event["from_status"], event["to_status"]) == ("unrouted", "new")
    assert event["data"]["reason"] == "manual"
    assert event["data"]["corporation_code"] == "lefier"

    page = (await client.get(response.headers["location"])).text
    assert re.search(rf'role="status">{reference} is doorgestuurd naar Lefier\.<', page)
    assert "Er wachten geen meldingen op doorsturen." in page


async def test_a_case_changed_meanwhile_is_shown_not_overwritten(client, conn, region):
    case = await region.report(UNREGISTERED)
    reference = case["reference"]
    seen_version = await _version(conn, reference)
    _, _, token = await _open_triage(client, conn, region.who("coordinator"))
    # Someone else adds a note after the page was loaded.
    note = await client.post(
        f"/api/v1/cases/{reference}/notes",
        json={"text": "Huurder gebeld.", "visibility": "internal"},
        headers={**region.who("admin").headers, **if_match(seen_version)},
    )
    assert note.status_code == 201

    response = await _post(
        client, token, reference=reference, version=str(seen_version), corporation="lefier"
    )

    assert response.status_code == 409
    assert alert_of(response.text).startswith(
        f"Iemand anders heeft {reference} intussen gewijzigd; de status is nu: Wacht op triage."
    )
    assert opened_cases(response.text) == [reference]
    assert await _status_and_corporation(conn, reference) == ("unrouted", None)
    assert await _version(conn, reference) == seen_version + 1
    # The case is still listed, with its new version, ready to route again.
    assert f'name="version" value="{seen_version + 1}"' in response.text


async def test_a_case_routed_by_someone_else_says_where_it_went(client, conn, region):
    case = await region.report(UNREGISTERED)
    reference = case["reference"]
    _, _, token = await _open_triage(client, conn, region.who("coordinator"))
    first = await _post(client, token, reference=reference, version="1", corporation="acantus")
    assert first.status_code == 303

    # The same click again, with the version of the routed case: it is no longer unrouted.
    again = await _post(
        client,
        token,
        reference=reference,
        version=str(await _version(conn, reference)),
        corporation="lefier",
    )

    assert again.status_code == 409
    assert "de status is nu: Nieuw (Acantus)" in again.text
    assert await _status_and_corporation(conn, reference) == ("new", "acantus")


@pytest.mark.parametrize("corporation", ["nobody", "Lefier!", "", "x" * 41])
async def test_a_bad_corporation_code_is_explained(client, conn, region, corporation):
    case = await region.report(UNREGISTERED)
    _, _, token = await _open_triage(client, conn, region.who("coordinator"))

    response = await _post(
        client, token, reference=case["reference"], version="1", corporation=corporation
    )

    assert response.status_code == 400
    reference = case["reference"]
    assert alert_of(response.text) == (
        f"{reference} is nog niet doorgestuurd. {reference}: Kies een corporatie uit de lijst."
    )
    assert error_of(response.text, reference, "corporation") == "Kies een corporatie uit de lijst."
    assert await _status_and_corporation(conn, case["reference"]) == ("unrouted", None)


@pytest.mark.parametrize(
    "form",
    [
        {},
        {"reference": "SCH-2026-000001", "corporation": "lefier"},
        {"reference": "SCH-2026-000001", "version": "one", "corporation": "lefier"},
        {"reference": "SCH-2026-000001", "version": "1" * 12, "corporation": "lefier"},
        {"reference": "nonsense\x00", "version": "1", "corporation": "lefier"},
        {"reference": "SCH-2026-000001\n", "version": "1", "corporation": "lefier"},
    ],
)
async def test_a_broken_form_answers_400_with_a_message(client, conn, region, form):
    _, _, token = await _open_triage(client, conn, region.who("coordinator"))
    response = await _post(client, token, **form)
    assert response.status_code == 400
    assert "Dit formulier was niet compleet." in response.text


async def test_a_repeated_field_answers_400_with_a_message(client, conn, region):
    _, _, token = await _open_triage(client, conn, region.who("coordinator"))
    response = await client.post(
        "/triage",
        content=urlencode(
            [
                ("_csrf_token", token),
                ("reference", "SCH-2026-000001"),
                ("version", "1"),
                ("version", "1"),
                ("corporation", "lefier"),
            ]
        ),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 400
    assert "Dat begrijpen we niet" in response.text


async def test_an_unknown_case_answers_404(client, conn, region):
    _, _, token = await _open_triage(client, conn, region.who("coordinator"))
    response = await _post(
        client, token, reference="SCH-2026-999999", version="1", corporation="lefier"
    )
    assert response.status_code == 404
    assert "Zaak niet gevonden" in response.text


async def test_a_made_up_confirmation_is_not_shown(client, conn, region):
    case = await region.report(UNREGISTERED)
    for routed in (case["reference"], "SCH-2026-999999", "<script>", "x" * 40):
        status, page, _ = await _open_triage(client, conn, region.who("coordinator"), routed=routed)
        assert status in (200, 400)
        assert 'role="status"' not in page


async def test_routing_can_register_the_home_so_the_next_report_routes_itself(client, conn, region):
    case = await region.report(UNREGISTERED)
    _, _, token = await _open_triage(client, conn, region.who("coordinator"))
    form = {
        "reference": case["reference"],
        "version": str(await _version(conn, case["reference"])),
        "corporation": "lefier",
        "add_to_portfolio": "yes",
    }
    response = await _post(client, token, **form)  # no street and city
    assert response.status_code == 400
    for name, text in (("street", "Vul de straat in"), ("city", "Vul de plaats in")):
        assert error_of(response.text, case["reference"], name).startswith(text)
    assert await _status_and_corporation(conn, case["reference"]) == ("unrouted", None)

    response = await _post(client, token, **form, street="Zuiderdiep", city="Groningen")
    assert response.status_code == 303
    assert await _status_and_corporation(conn, case["reference"]) == ("new", "lefier")
    next_report = await region.report(UNREGISTERED)
    assert next_report["status"] == "new"
    assert next_report["corporation"]["code"] == "lefier"


async def test_registering_a_home_already_in_the_register_is_explained(client, conn, region):
    case = await region.report(UNREGISTERED)
    await factories.home(conn, region.corporations["acantus"], "9711AB", 99)  # meanwhile
    _, _, token = await _open_triage(client, conn, region.who("coordinator"))
    response = await _post(
        client, token, reference=case["reference"],
        version=str(await _version(conn, case["reference"])), corporation="lefier",
        add_to_portfolio="yes", street="Zuiderdiep", city="Groningen",
    )  # fmt: skip
    assert response.status_code == 409
    assert error_of(response.text, case["reference"], "add_to_portfolio").startswith(
        "Deze woning staat al in het register."
    )
    assert await _status_and_corporation(conn, case["reference"]) == ("unrouted", None)
