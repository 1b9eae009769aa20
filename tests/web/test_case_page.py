"""The staff case page: who sees it, what it shows, and forms that are wrong or too late."""

from datetime import date, timedelta

from service.web.pages import format_due
from tests.web.case_page_forms import case_state, post_case_form
from tests.web.session import sign_in
from tests.world import OTHER_HOME, UNKNOWN_HOME


async def _open(world, conn, person, reference: str):
    await sign_in(world.client, conn, person.id)
    return await world.client.get(f"/cases/{reference}")


async def test_not_signed_in_goes_to_sign_in_and_back(client, world):
    case = await world.report()
    response = await client.get(f"/cases/{case['reference']}", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/login?next=%2Fcases%2F{case['reference']}"


async def test_another_corporations_case_is_not_found(world, conn):
    case = await world.report(OTHER_HOME)  # Acantus's
    response = await _open(world, conn, world.who("inspector"), case["reference"])
    assert response.status_code == 404
    assert "Zaak niet gevonden" in response.text
    assert f"<h1>{case['reference']}" not in response.text


async def test_inspector_sees_contact_admin_sees_it_masked(world, conn):
    case = await world.report()
    page = (await _open(world, conn, world.who("inspector"), case["reference"])).text
    assert "jan@example.nl" in page
    assert 'href="mailto:jan@example.nl"' in page
    page = (await _open(world, conn, world.who("admin"), case["reference"])).text
    assert "jan@example.nl" not in page
    assert "Met uw rol ziet u maar een deel van de contactgegevens van de melder." in page


async def test_only_the_moves_of_the_workflow_are_offered(world, conn):
    case = await world.report()
    page = (await _open(world, conn, world.who("inspector"), case["reference"])).text
    # new -> acknowledged, rejected, on_hold; a reason for the ones that need it.
    assert 'name="to" value="acknowledged"' in page
    assert 'id="move-rejected-reason"' in page
    assert 'id="move-on_hold-reason"' in page
    assert 'value="resolved"' not in page
    assert 'name="form" value="findings"' not in page  # no inspection planned yet


async def test_a_wrong_field_is_explained_next_to_it_and_nothing_changes(world, conn):
    case = await world.report()
    reference = case["reference"]
    await world.move(reference, world.who("inspector"), "acknowledged")
    before = await case_state(conn, reference)
    page = (await _open(world, conn, world.who("inspector"), reference)).text
    for fields, error_id, message in (
        (
            {"to": "inspection_planned", "planned_at": ""},
            "move-inspection_planned-planned_at",
            "Kies een datum",
        ),
        (
            {"to": "inspection_planned", "planned_at": "gisteren"},
            "move-inspection_planned-planned_at",
            "Kies een datum",
        ),
        (
            {"to": "inspection_planned", "planned_at": "2001-01-01T10:00"},
            "move-inspection_planned-planned_at",
            "Kies een datum",
        ),
        (
            {"to": "referred", "referred_to": "IMG"},
            "move-referred-external_reference",
            "Vul het kenmerk in",
        ),
        (
            {"to": "rejected", "reason": "duplicate", "duplicate_of": "SCH-1999-000001"},
            "move-rejected-duplicate_of",
            "Geef de referentie",
        ),
    ):
        response = await post_case_form(
            world, page, reference, form="transition", version=str(before[1]), **fields
        )
        assert response.status_code == 400, fields
        assert f'id="{error_id}-error"' in response.text, fields
        assert message in response.text
        assert await case_state(conn, reference) == before


async def test_findings_form_keeps_what_was_typed(world, conn):
    case = await world.report()
    reference = case["reference"]
    await world.move(reference, world.who("inspector"), "acknowledged")
    await world.move(
        reference,
        world.who("inspector"),
        "inspection_planned",
        planned_at=f"{date.today() + timedelta(days=7)}T10:00:00+01:00",
    )
    before = await case_state(conn, reference)
    page = (await _open(world, conn, world.who("inspector"), reference)).text
    response = await post_case_form(
        world,
        page,
        reference,
        form="findings",
        version=str(before[1]),
        **{
            "item1-location": "keuken",
            "item1-kind": "scheur",
            "item1-damage_class": "twee",
            "item2-kind": "lekkage",
            "earthquake_cause": "likely",
        },
    )
    assert response.status_code == 400
    assert 'id="findings-item1-damage_class-error"' in response.text
    assert 'id="findings-item2-location-error"' in response.text  # a half-filled row
    assert 'value="keuken"' in response.text
    assert await case_state(conn, reference) == before


async def test_a_stale_version_shows_the_case_as_it_is_now(world, conn):
    case = await world.report()
    reference = case["reference"]
    page = (await _open(world, conn, world.who("inspector"), reference)).text
    await world.move(reference, world.who("manager"), "acknowledged")  # someone else
    after = await case_state(conn, reference)
    response = await post_case_form(
        world, page, reference, form="transition", version="1", to="on_hold", reason="vakantie"
    )
    assert response.status_code == 409
    assert "Iemand anders heeft deze zaak intussen gewijzigd." in response.text
    assert "In behandeling" in response.text
    assert "vakantie" in response.text  # what was typed is still there
    assert await case_state(conn, reference) == after


async def test_forms_that_make_no_sense_are_refused_without_a_500(world, conn):
    case = await world.report()
    reference = case["reference"]
    before = await case_state(conn, reference)
    page = (await _open(world, conn, world.who("inspector"), reference)).text
    for form in (
        {"form": "nonsense", "version": str(before[1])},
        {"form": "transition", "version": str(before[1]), "to": "flying"},
        {"form": "transition", "version": "abc", "to": "acknowledged"},
        {"form": "note", "version": str(before[1]), "text": "", "visibility": "internal"},
        {"form": "note", "version": str(before[1]), "text": "x", "visibility": "everyone"},
        {"form": "transition", "version": str(before[1]), "to": "closed"},
    ):
        response = await post_case_form(world, page, reference, **form)
        assert 400 <= response.status_code < 500, form
        assert await case_state(conn, reference) == before
    response = await world.client.post(
        f"/cases/{reference}", data={"form": "note", "text": "x", "visibility": "internal"}
    )
    assert response.status_code == 403  # no CSRF token


async def test_a_note_and_taking_the_case(world, conn):
    case = await world.report()
    reference = case["reference"]
    inspector = world.who("inspector")
    page = (await _open(world, conn, inspector, reference)).text
    version = str((await case_state(conn, reference))[1])
    response = await post_case_form(
        world,
        page,
        reference,
        form="note",
        version=version,
        text="Gebeld, geen gehoor",
        visibility="internal",
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/cases/{reference}?outcome=saved"
    page = (await world.client.get(f"/cases/{reference}")).text
    assert "Gebeld, geen gehoor" in page
    version = str((await case_state(conn, reference))[1])
    response = await post_case_form(world, page, reference, form="take", version=version)
    assert response.status_code == 303
    assert (
        await conn.fetchval("SELECT assignee_id FROM cases WHERE reference = $1", reference)
        == inspector.id
    )


async def test_a_manager_assigns_a_colleague_and_transfers_the_case(world, conn):
    case = await world.report()
    reference = case["reference"]
    manager, inspector = world.who("manager"), world.who("inspector")
    page = (await _open(world, conn, manager, reference)).text
    assert 'id="assignee_id"' in page
    assert 'value="acantus"' in page  # another corporation to transfer to
    assert 'value="lefier"' not in page.split('id="transfer-corporation"')[1].split("</select>")[0]
    version = str((await case_state(conn, reference))[1])
    response = await post_case_form(
        world, page, reference, form="assign", version=version, assignee_id=str(inspector.id)
    )
    assert response.status_code == 303
    assert (
        await conn.fetchval("SELECT assignee_id FROM cases WHERE reference = $1", reference)
        == inspector.id
    )

    page = (await world.client.get(f"/cases/{reference}")).text
    version = str((await case_state(conn, reference))[1])
    response = await post_case_form(
        world, page, reference, form="transfer", version=version, corporation="acantus", reason=""
    )
    assert response.status_code == 400
    assert 'id="transfer-reason-error"' in response.text
    response = await post_case_form(
        world,
        page,
        reference,
        form="transfer",
        version=version,
        corporation="acantus",
        reason="Woning is in 2024 verkocht aan Acantus",
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/work"  # no longer Lefier's to see
    assert (
        await conn.fetchval(
            "SELECT co.code FROM cases c JOIN corporations co ON co.id = c.corporation_id "
            "WHERE reference = $1",
            reference,
        )
        == "acantus"
    )


async def test_an_inspector_may_not_transfer_nor_assign_others(world, conn):
    case = await world.report()
    page = (await _open(world, conn, world.who("inspector"), case["reference"])).text
    assert 'id="transfer-corporation"' not in page
    assert 'id="assignee_id"' not in page
    assert "Aan mij toewijzen" in page


async def test_a_filter_the_form_cannot_send_gets_a_page_not_an_error_document(world, conn):
    await sign_in(world.client, conn, world.who("inspector").id)
    response = await world.client.get("/work?deadline=soon")
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert "Dat begrijpen we niet" in response.text


async def test_other_open_reports_for_the_home_are_shown(world, conn):
    first = await world.report()
    second = await world.report()
    elsewhere = await world.report(OTHER_HOME)
    page = (await _open(world, conn, world.who("coordinator"), second["reference"])).text
    similar = page.split('id="similar-heading"', 1)[1].split("</section>", 1)[0]
    assert f'href="/cases/{first["reference"]}"' in similar
    assert elsewhere["reference"] not in similar
    page = (await _open(world, conn, world.who("coordinator"), elsewhere["reference"])).text
    assert 'id="similar-heading"' not in page


async def test_an_unrouted_case_points_the_coordinator_to_triage(world, conn):
    case = await world.report(UNKNOWN_HOME)
    page = (await _open(world, conn, world.who("coordinator"), case["reference"])).text
    assert '<a href="/triage">Doorsturen naar een corporatie gaat via de triage</a>' in page
    assert 'name="to" value="new"' not in page  # routing is not a plain move


async def test_each_move_is_named_for_what_it_does(world, conn):
    case = await world.report()
    reference = case["reference"]
    inspector = world.who("inspector")
    await world.move(reference, inspector, "acknowledged")
    await world.move(
        reference, inspector, "inspection_planned",
        planned_at=f"{date.today() + timedelta(days=7)}T10:00:00+01:00",
    )  # fmt: skip
    page = (await _open(world, conn, inspector, reference)).text
    assert "<summary>Inspectie opnieuw plannen</summary>" in page
    assert 'name="to" value="inspected"' not in page  # the findings form does that
    assert 'name="form" value="findings"' in page
    await world.move(reference, inspector, "on_hold", reason="Huurder op vakantie")
    page = (await world.client.get(f"/cases/{reference}")).text
    # Back to where it was, asking nothing new (the planned visit still stands).
    assert '<button type="submit">Verder met de behandeling</button>' in page
    assert 'id="move-inspection_planned-planned_at"' not in page


async def test_an_error_in_a_later_damage_row_stands_next_to_that_row(world, conn):
    case = await world.report()
    reference = case["reference"]
    inspector = world.who("inspector")
    await world.move(reference, inspector, "acknowledged")
    await world.move(
        reference, inspector, "inspection_planned",
        planned_at=f"{date.today() + timedelta(days=7)}T10:00:00+01:00",
    )  # fmt: skip
    before = await case_state(conn, reference)
    page = (await _open(world, conn, inspector, reference)).text
    response = await post_case_form(
        world, page, reference, form="findings", version=str(before[1]),
        **{"item2-location": "keuken", "item2-kind": "scheur", "item2-damage_class": "9",
           "earthquake_cause": "likely"},
    )  # fmt: skip
    assert response.status_code == 400
    assert 'id="findings-item2-damage_class-error"' in response.text
    assert 'id="findings-item1-damage_class-error"' not in response.text
    assert await case_state(conn, reference) == before


async def test_the_next_page_of_the_queue_keeps_every_filter(world, conn, monkeypatch):
    monkeypatch.setattr("service.web.staff_pages.WORK_PAGE_SIZE", 1)
    for _ in range(2):
        await world.report(UNKNOWN_HOME)
    await world.report()  # new, Lefier's
    await sign_in(world.client, conn, world.who("coordinator").id)
    page = (await world.client.get("/work?status=unrouted&status=new&acute=false")).text
    next_link = page.split('rel="next"', 1)[0].rsplit('<a href="', 1)[1].split('"', 1)[0]
    next_link = next_link.replace("&amp;", "&")
    assert "status=unrouted" in next_link
    assert "status=new" in next_link
    assert "acute=false" in next_link
    assert "page=2" in next_link


async def test_the_page_speaks_dutch_of_people_numbers_and_waiting(world, conn):
    """Issue 13, point 10: the history names the tenant and the system in Dutch, a crack
    width has a decimal comma, on hold is called what it is, and the signed-in line names the
    person without a code."""
    case = await world.report()
    reference = case["reference"]
    admin, inspector = world.who("admin"), world.who("inspector")
    await world.move(reference, admin, "acknowledged")
    planned = (date.today() + timedelta(days=7)).isoformat() + "T10:00:00+01:00"
    await world.move(reference, admin, "inspection_planned", planned_at=planned)
    version = (await world.case(reference, admin))["version"]
    findings = {
        "items": [
            {"location": "woonkamer", "kind": "scheur", "damage_class": 2, "crack_width_mm": 2.5}
        ],
        "acute": False,
        "earthquake_cause": "likely",
    }
    recorded = await world.client.post(
        f"/api/v1/cases/{reference}/findings",
        json=findings,
        headers={**inspector.headers, "If-Match": f'"{version}"'},
    )
    assert recorded.status_code == 201, recorded.text
    page = (await _open(world, conn, inspector, reference)).text
    assert "woonkamer: scheur, schadeklasse 2, scheurbreedte 2,5 mm" in page
    assert " · huurder</time>" in page
    assert " · systeem</time>" in page
    assert " · tenant</time>" not in page
    assert "Schadeklasse (0 tot 5) 2" not in page
    signed_in = page.split("Ingelogd als", 1)[1].split("</strong>", 1)[0]
    assert "(" not in signed_in  # the person's name, no corporation code

    on_hold = await world.report()
    await world.move(on_hold["reference"], admin, "on_hold", reason="Huurder is op vakantie.")
    queue = (await world.client.get("/work")).text
    assert "In de wacht" in queue
    assert "Wacht op afspraak" not in queue


async def test_a_form_s_answer_keeps_the_language_switch_to_the_case_page(world, conn):
    """Issue 13, point 5, staff side: a refused form still offers the other language, as a
    link that loads the case page (staff pages answer GET as well)."""
    case = await world.report()
    reference = case["reference"]
    page = (await _open(world, conn, world.who("inspector"), reference)).text
    version = str((await case_state(conn, reference))[1])
    response = await post_case_form(world, page, reference, form="note", version=version, text="")
    assert response.status_code == 400
    assert f'class="language" href="/cases/{reference}?lang=en"' in response.text
    switched = await world.client.get(f"/cases/{reference}?lang=en")
    assert '<html lang="en">' in switched.text


async def test_a_deadline_in_days_shows_its_last_day(world, conn):
    """Issue 13, point 1, for staff: "wo 02-12-2026" rather than "03-12-2026 00:00", which
    reads as the day after."""
    case = await world.report()
    page = (await _open(world, conn, world.who("inspector"), case["reference"])).text
    due = await conn.fetchval(
        "SELECT acknowledge_by FROM cases WHERE reference = $1", case["reference"]
    )
    assert f"<td>{format_due(due, 'nl')}</td>" in page
    assert " 00:00</td>" not in page
