"""Issue 13, point 2: an acute report's confirmation names the corporation's emergency
number, at any hour; without one, or without a corporation, it says whom to call."""

import html
from datetime import UTC, datetime

import msgspec
import pytest

from service.changes.pipeline import Pipeline
from service.reports.intake import submit_report
from service.reports.schemas import ReportIn
from tests import factories
from tests.factories import report_body
from tests.web.session import csrf_token

ACUTE_FORM = {
    "category": "unsafe_situation",
    "acute": "yes",
    "description": "Het plafond van de keuken hangt naar beneden.",
    "postcode": "9711 AB",
    "house_number": "12",
    "name": "Jan Jansen",
    "email": "jan@example.nl",
}
# 03:00 and 14:00 in Groningen (winter time, UTC+1).
NIGHT = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
DAY = datetime(2026, 12, 2, 13, 0, tzinfo=UTC)


@pytest.fixture
async def lefier(conn):
    corporation_id = await factories.corporation(conn, "lefier", "Lefier")
    await conn.execute(
        "UPDATE corporations SET emergency_phone = '088-123 45 67' WHERE id = $1", corporation_id
    )
    await factories.home(conn, corporation_id, "9711AB", 12)
    return corporation_id


async def send(client, **changes: str):
    token = csrf_token((await client.get("/")).text)
    return await client.post("/report", data={"_csrf_token": token, **ACUTE_FORM, **changes})


@pytest.mark.parametrize("now", [NIGHT, DAY], ids=["night", "day"])
async def test_the_intake_gives_the_emergency_number_at_any_hour(pool, lefier, now):
    report = msgspec.convert(
        report_body(category="unsafe_situation", acute=True), ReportIn, strict=False
    )
    submitted = await submit_report(
        pool,
        Pipeline(clock=lambda: now),
        report,
        idempotency_key=None,
        secret_key="test",
        public_base_url="https://schade.example.nl",
    )
    created = submitted.created
    assert created.emergency_phone == "088-123 45 67"
    assert created.advice is not None
    assert "Bel 112" in created.advice
    assert "Bel het spoednummer van Lefier: 088-123 45 67." in created.advice


async def test_a_report_that_is_not_acute_gets_no_number(client, lefier):
    response = await client.post("/api/v1/reports", json=report_body())
    assert response.json()["emergency_phone"] is None
    assert response.json()["advice"] is None


async def test_the_api_answer_names_the_number_in_english(client, lefier):
    body = report_body(category="unsafe_situation", acute=True)
    body["reporter"]["language"] = "en"
    created = (await client.post("/api/v1/reports", json=body)).json()
    assert created["emergency_phone"] == "088-123 45 67"
    assert "Call the emergency number of Lefier: 088-123 45 67." in created["advice"]


async def test_the_page_shows_the_number_as_a_link_next_to_112(client, lefier):
    response = await send(client)
    assert response.status_code == 200
    advice = html.unescape(response.text.split('id="acute-advice"')[1].split("</div>")[0])
    assert "Bel 112" in advice
    assert "Bel het spoednummer van Lefier:" in advice
    assert '<a href="tel:0881234567" class="phone">088-123 45 67</a>' in advice


async def test_without_a_number_the_page_says_where_to_find_it(client, conn, lefier):
    await conn.execute("UPDATE corporations SET emergency_phone = NULL")
    page = html.unescape((await send(client)).text)
    assert "Bel het spoednummer van Lefier. Dat staat op hun website en in uw huurcontract." in page
    assert "tel:" not in page


async def test_a_home_outside_the_portfolio_is_told_to_call_its_landlord(client, lefier):
    page = html.unescape((await send(client, house_number="99")).text)
    assert "We weten nog niet van welke woningcorporatie uw woning is." in page
    assert "Bel het spoednummer van uw verhuurder." in page
    assert "Bel 112" in page
