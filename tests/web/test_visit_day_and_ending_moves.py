"""The case page asks the day of a visit and of a repair, and asks to confirm a move that
ends the work (resolved, rejected) before making it."""

from datetime import datetime, timedelta

from service.domain.calendar import AMSTERDAM
from tests.web.case_page_forms import case_state, post_case_form
from tests.web.session import sign_in


def today():
    return datetime.now(AMSTERDAM).date()


async def _open(world, conn, reference: str) -> str:
    await sign_in(world.client, conn, world.who("inspector").id)
    response = await world.client.get(f"/cases/{reference}")
    assert response.status_code == 200
    return response.text


async def _planned(world, conn, planned_at: datetime) -> str:
    reference = (await world.report())["reference"]
    await conn.execute(
        "UPDATE cases SET reported_at = reported_at - interval '10 days' WHERE reference = $1",
        reference,
    )
    inspector = world.who("inspector")
    await world.move(reference, inspector, "acknowledged")
    await world.move(reference, inspector, "inspection_planned", planned_at=planned_at.isoformat())
    return reference


FINDINGS = {
    "form": "findings",
    "item1-location": "keuken",
    "item1-kind": "scheur",
    "item1-damage_class": "2",
    "earthquake_cause": "likely",
}


async def test_the_visit_day_is_the_planned_day_and_shown_with_the_findings(world, conn):
    planned = datetime.now(AMSTERDAM).replace(hour=10, minute=0, second=0, microsecond=0)
    planned -= timedelta(days=2)
    reference = await _planned(world, conn, planned)
    page = await _open(world, conn, reference)
    assert f'name="visited_on" type="date" value="{planned.date().isoformat()}"' in page
    version = str((await case_state(conn, reference))[1])
    response = await post_case_form(
        world, page, reference, version=version, visited_on=planned.date().isoformat(), **FINDINGS
    )
    assert response.status_code == 303, response.text
    page = await _open(world, conn, reference)
    day = planned.strftime("%d-%m-%Y")
    assert f"Bezoek op {day}" in page  # the findings
    assert f'<span class="detail">Datum van het bezoek: {day}</span>' in page  # the history


async def test_a_visit_day_to_come_is_refused_next_to_the_field(world, conn):
    reference = await _planned(world, conn, datetime.now(AMSTERDAM) + timedelta(days=2))
    page = await _open(world, conn, reference)
    before = await case_state(conn, reference)
    tomorrow = (today() + timedelta(days=1)).isoformat()
    response = await post_case_form(
        world, page, reference, version=str(before[1]), visited_on=tomorrow, **FINDINGS
    )
    assert response.status_code == 400
    assert 'id="findings-visited_on-error"' in response.text
    assert "Kies de dag van het bezoek: niet na vandaag" in response.text
    assert f'value="{tomorrow}"' in response.text  # what was typed is kept
    assert await case_state(conn, reference) == before


async def _inspected(world, conn) -> str:
    reference = await _planned(world, conn, datetime.now(AMSTERDAM) + timedelta(days=1))
    page = await _open(world, conn, reference)
    version = str((await case_state(conn, reference))[1])
    assert (
        await post_case_form(world, page, reference, version=version, **FINDINGS)
    ).status_code == 303
    return reference


async def test_resolving_asks_to_confirm_then_records_the_repair_day(world, conn):
    reference = await _inspected(world, conn)
    page = await _open(world, conn, reference)
    assert f'name="repaired_on" type="date" value="{today().isoformat()}"' in page
    before = await case_state(conn, reference)
    repaired = today() - timedelta(days=1)
    first = await post_case_form(
        world,
        page,
        reference,
        form="transition",
        version=str(before[1]),
        to="resolved",
        repaired_on=repaired.isoformat(),
    )
    assert first.status_code == 200
    assert "Weet u zeker dat de schade is hersteld?" in first.text
    assert "De huurder krijgt bericht en kan binnen 14 dagen" in first.text
    assert 'name="confirmed" value="yes"' in first.text
    assert f'href="/cases/{reference}">Nee, terug naar de zaak</a>' in first.text
    assert await case_state(conn, reference) == before  # nothing done yet

    second = await post_case_form(
        world,
        first.text,
        reference,
        form="transition",
        version=str(before[1]),
        to="resolved",
        repaired_on=repaired.isoformat(),
        confirmed="yes",
    )
    assert second.status_code == 303
    assert (
        await conn.fetchval("SELECT repaired_on FROM cases WHERE reference = $1", reference)
        == repaired
    )
    page = await _open(world, conn, reference)
    day = repaired.strftime("%d-%m-%Y")
    assert f"<dt>Datum van het herstel</dt><dd>{day}</dd>" in page
    assert f'<span class="detail">Datum van het herstel: {day}</span>' in page


async def test_a_repair_day_to_come_is_refused_before_the_confirm_step(world, conn):
    reference = await _inspected(world, conn)
    page = await _open(world, conn, reference)
    before = await case_state(conn, reference)
    response = await post_case_form(
        world,
        page,
        reference,
        form="transition",
        version=str(before[1]),
        to="resolved",
        repaired_on=(today() + timedelta(days=3)).isoformat(),
    )
    assert response.status_code == 400
    assert 'id="move-resolved-repaired_on-error"' in response.text
    assert "Kies de dag van het herstel" in response.text
    assert 'name="confirmed"' not in response.text
    assert await case_state(conn, reference) == before


async def test_rejecting_asks_to_confirm_with_the_reason(world, conn):
    reference = (await world.report())["reference"]
    page = await _open(world, conn, reference)
    before = await case_state(conn, reference)
    form = {"form": "transition", "version": str(before[1]), "to": "rejected"}
    first = await post_case_form(world, page, reference, **form, reason="not_damage")
    assert first.status_code == 200
    assert "Weet u zeker dat u deze melding wilt afwijzen?" in first.text
    assert "Reden van afwijzing: Geen schade" in first.text
    assert await case_state(conn, reference) == before
    second = await post_case_form(
        world, first.text, reference, **form, reason="not_damage", confirmed="yes"
    )
    assert second.status_code == 303
    assert (await case_state(conn, reference))[0] == "rejected"
