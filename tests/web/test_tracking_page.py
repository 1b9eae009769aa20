"""The tracking link a tenant is given opens a page that shows their case."""

import re
from datetime import date, datetime, timedelta

from service.domain.calendar import AMSTERDAM
from tests import factories
from tests.factories import report_body
from tests.web.session import csrf_token
from tests.world import World

VISIT = date.today() + timedelta(days=7)  # a plan lies between a week ago and two years ahead


async def test_tracking_link_opens_the_tenant_page(client, conn):
    await factories.home(conn, await factories.corporation(conn, "lefier", "Lefier"), "9711AB", 12)
    created = (await client.post("/api/v1/reports", json=report_body())).json()
    path = created["tracking_url"].removeprefix("https://schade.example.nl")
    page = await client.get(path)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "default-src 'self'" in page.headers["content-security-policy"]
    html = page.text
    assert created["reference"] in html
    assert "Doorgestuurd naar de corporatie" in html
    assert "Lefier" in html
    assert "Scheur</dd>" in html  # the category, in Dutch
    assert report_body()["description"] in html
    assert "Uw melding is ontvangen." in html
    assert '<html lang="nl">' in html
    css = await client.get("/static/site.css")
    assert css.status_code == 200


async def test_english_tenant_reads_english(client, conn):
    body = report_body(acute=True, category="unsafe_situation")
    body["reporter"]["language"] = "en"
    created = (await client.post("/api/v1/reports", json=body)).json()
    page = await client.get(created["tracking_url"].removeprefix("https://schade.example.nl"))
    assert '<html lang="en">' in page.text
    assert "We are finding out which corporation owns the home" in page.text
    assert "Call 112" in page.text


async def test_wrong_token_shows_not_found_without_details(client, conn):
    created = (await client.post("/api/v1/reports", json=report_body())).json()
    page = await client.get(f"/t/{created['reference']}?token=wrong")
    assert page.status_code == 404
    assert "Melding niet gevonden" in page.text
    assert "Diagonale scheur" not in page.text
    missing = await client.get(f"/t/{created['reference']}")
    assert missing.status_code == 404


async def test_description_is_escaped(client, conn):
    body = report_body(description="Scheur <script>alert(1)</script> in de gevel")
    created = (await client.post("/api/v1/reports", json=body)).json()
    page = await client.get(created["tracking_url"].removeprefix("https://schade.example.nl"))
    assert "Scheur &lt;script&gt;alert(1)&lt;/script&gt; in de gevel" in page.text
    assert "<script>" not in page.text


async def test_the_language_switch_keeps_the_tracking_link_working(client, conn):
    created = (await client.post("/api/v1/reports", json=report_body())).json()
    path = created["tracking_url"].removeprefix("https://schade.example.nl")
    token = path.split("token=", 1)[1]
    dutch = (await client.get(path)).text
    switch = f'href="/t/{created["reference"]}?token={token}&amp;lang=en"'
    assert switch in dutch
    english = await client.get(f"{path}&lang=en")
    assert '<html lang="en">' in english.text
    assert "Your report has been received." in english.text  # the timeline too
    assert "Passed to the corporation" not in english.text  # routed nowhere: no corporation
    again = await client.get(path)  # the choice is remembered
    assert '<html lang="en">' in again.text


async def test_the_tenant_sees_the_planned_visit(world):
    created = await world.report()
    inspector = world.who("inspector")
    await world.move(created["reference"], inspector, "acknowledged")
    await world.move(
        created["reference"], inspector, "inspection_planned",
        planned_at=f"{VISIT.isoformat()}T10:00:00+01:00",
    )  # fmt: skip
    path = created["tracking_url"].removeprefix("https://schade.example.nl")
    page = (await world.client.get(path)).text
    assert "<dt>Afspraak voor de inspectie</dt>" in page
    visit = f"{_dutch_day(VISIT)} om 10:00 uur"
    assert f"<strong>{visit}</strong>" in page
    assert f"Er is een inspectie van de schade gepland op {visit}." in page  # the timeline


_DUTCH_DAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
_DUTCH_MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


def _dutch_day(day: date) -> str:
    """Written out here, not with the code under test: "woensdag 2 december 2026"."""
    return f"{_DUTCH_DAYS[day.weekday()]} {day.day} {_DUTCH_MONTHS[day.month - 1]} {day.year}"


def _path(created: dict) -> str:
    return str(created["tracking_url"]).removeprefix("https://schade.example.nl")


def _deadlines(page: str) -> dict[str, str]:
    return dict(re.findall(r"<dt>(\w+ uiterlijk)</dt>\s*<dd>([^<]*)</dd>", page))


async def test_a_deadline_at_midnight_shows_the_day_before_in_words(client, conn):
    created = (await client.post("/api/v1/reports", json=report_body())).json()
    due = datetime.fromisoformat(created["deadlines"]["acknowledge_by"]).astimezone(AMSTERDAM)
    assert (due.hour, due.minute) == (0, 0)  # a deadline in working days ends at midnight
    deadlines = _deadlines((await client.get(_path(created))).text)
    assert deadlines["Contact uiterlijk"] == _dutch_day(due.date() - timedelta(days=1))
    assert not any(":" in shown for shown in deadlines.values())


async def test_an_acute_deadline_keeps_its_time(client, conn):
    body = report_body(acute=True, category="unsafe_situation")
    created = (await client.post("/api/v1/reports", json=body)).json()
    due = datetime.fromisoformat(created["deadlines"]["acknowledge_by"]).astimezone(AMSTERDAM)
    assert (due.hour, due.minute) != (0, 0)
    deadlines = _deadlines((await client.get(_path(created))).text)
    assert deadlines["Contact uiterlijk"] == f"{_dutch_day(due.date())} om {due:%H:%M} uur"


async def test_a_finished_case_shows_no_deadlines(world: World, conn):
    created = await world.report()
    assert "Contact uiterlijk" in (await world.client.get(_path(created))).text
    for status in ("resolved", "closed", "rejected"):
        await conn.execute(
            "UPDATE cases SET status = $2, resolved_at = now(), rejection_reason = 'not_damage',"
            " closed_at = CASE WHEN $2 = 'resolved' THEN NULL ELSE now() END"
            " WHERE reference = $1",
            created["reference"],
            status,
        )
        page = (await world.client.get(_path(created))).text
        assert "uiterlijk" not in page, status


async def test_a_referral_names_the_agency_and_its_reference(world: World):
    created = await world.report()
    inspector = world.who("inspector")
    await world.move(created["reference"], inspector, "acknowledged")
    await world.move(
        created["reference"], inspector, "referred", referred_to="NCG",
        external_reference="NCG-2026-0042",
    )  # fmt: skip
    page = (await world.client.get(_path(created))).text
    assert (
        "Uw melding is doorgezet naar de NCG (Nationaal Coördinator Groningen). "
        "Hun kenmerk is NCG-2026-0042."
    ) in page
    english = (await world.client.get(f"{_path(created)}&lang=en")).text
    assert (
        "Your report has been passed on to the NCG (National Coordinator Groningen). "
        "Their reference is NCG-2026-0042."
    ) in english


async def _post(client, created: dict, action: str, **fields: str):
    page = await client.get(_path(created))
    return await client.post(
        f"/t/{created['reference']}/{action}",
        data={"_csrf_token": csrf_token(page.text), "token": created["tracking_token"], **fields},
        follow_redirects=False,
    )


async def test_empty_information_is_refused_next_to_the_field(client, conn):
    created = (await client.post("/api/v1/reports", json=report_body())).json()
    sent = await _post(client, created, "message", text="   ")
    assert sent.status_code == 400
    assert '<p class="error" id="text-error">Schrijf hier wat u wilt toevoegen.</p>' in sent.text
    assert 'aria-describedby="text-error"' in sent.text
    assert '<a href="#text">Schrijf hier wat u wilt toevoegen.</a>' in sent.text  # at the top
    assert sent.text.index('id="outcome"') < sent.text.index("<dl>")
    events = "SELECT count(*) FROM case_events WHERE kind = 'tenant_message'"
    assert await conn.fetchval(events) == 0


async def test_reopening_needs_a_reason(world: World, conn):
    client, created = world.client, await world.report()
    await conn.execute(
        "UPDATE cases SET status = 'resolved', resolved_at = now() WHERE reference = $1",
        created["reference"],
    )
    sent = await _post(client, created, "reopen", reason="")
    assert sent.status_code == 400
    assert "Schrijf hier waarom de schade niet goed is hersteld." in sent.text
    assert 'id="reason-error"' in sent.text
    status = "SELECT status FROM cases WHERE reference = $1"
    assert await conn.fetchval(status, created["reference"]) == "resolved"

    reopened = await _post(client, created, "reopen", reason="De scheur is terug.")
    assert reopened.status_code == 303
    assert await conn.fetchval(status, created["reference"]) == "acknowledged"

    # Reopened: the form is gone, so an empty reason gets the words for that, not a field error.
    again = await _post(client, created, "reopen", reason="")
    assert "Dat kan nu niet meer." in again.text
    assert 'id="reason-error"' not in again.text


async def test_the_thank_you_is_at_the_top(client, conn):
    created = (await client.post("/api/v1/reports", json=report_body())).json()
    sent = await _post(client, created, "message", text="De scheur is langer.")
    assert sent.status_code == 303
    page = (await client.get(sent.headers["location"])).text
    thanks = page.index("Dank u, dat is verwerkt.")
    assert thanks < page.index("<dl>") < page.index('<ol class="timeline">')
