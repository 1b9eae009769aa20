"""The dashboard page: each role sees its own scope, in charts and tables, and can export it.

Cases are filed through the API (so the counters run as in production) and then shaped with
SQL. Times are at most three minutes before now, so all reports fall in this week (unless
the test starts in the first three minutes of a Monday, Amsterdam time).
"""

import re
from datetime import UTC, datetime, timedelta

import pytest

from service.domain.calendar import AMSTERDAM
from tests import factories
from tests.web.session import sign_in
from tests.world import OTHER_HOME, OWN_HOME, UNKNOWN_HOME

MINUTE = timedelta(minutes=1)


@pytest.fixture
async def region(world, conn):
    """Lefier: 4 open (one acute and overdue, one breached) and 1 closed; Acantus: 2 open
    (one acute); 1 unrouted."""
    now = datetime.now(UTC)
    refs = {}
    for name, home, acute in [
        ("l_new", OWN_HOME, False),
        ("l_late", OWN_HOME, False),
        ("l_acute", OWN_HOME, True),
        ("l_ack", OWN_HOME, False),
        ("l_closed", OWN_HOME, False),
        ("a_new", OTHER_HOME, False),
        ("a_acute", OTHER_HOME, True),
        ("u_new", UNKNOWN_HOME, False),
    ]:
        refs[name] = (await world.report(home, acute=acute))["reference"]
    await factories.set_case_columns(
        conn, refs["l_late"], reported_at=now - 3 * MINUTE, acknowledge_by=now - MINUTE
    )
    await factories.set_case_columns(
        conn, refs["l_acute"], reported_at=now - 2 * MINUTE, acknowledge_by=now - MINUTE
    )
    await factories.set_case_columns(conn, refs["l_ack"], status="acknowledged")
    await factories.set_case_columns(
        conn, refs["l_closed"], status="closed", resolved_at=now, closed_at=now
    )
    world.refs = refs
    return world


async def page(client, conn, person, **params) -> tuple[int, str]:
    await sign_in(client, conn, person.id)
    response = await client.get("/dashboard", params=params, follow_redirects=False)
    return response.status_code, response.text


def metric(html: str, name: str) -> str:
    found = re.search(rf'data-metric="{name}">([^<]*)<', html)
    assert found, f"no {name} on the page"
    return found.group(1)


def row(html: str, hook: str, key: str) -> str:
    found = re.search(rf'<tr data-{hook}="{re.escape(key)}">(.*?)</tr>', html, re.DOTALL)
    assert found, f"no row {hook}={key}"
    return found.group(1)


def count(html: str, hook: str, key: str) -> int:
    return int(re.search(r"<td [^>]*data-count>(\d+)<", row(html, hook, key)).group(1))


def states(html: str, stage: str) -> dict[str, int]:
    cells = re.findall(r'data-state="([a-z_]+)">(\d+)<', row(html, "stage", stage))
    return {state: int(value) for state, value in cells}


async def test_a_manager_sees_only_their_corporation(client, conn, region):
    status, html = await page(client, conn, region.who("manager"))

    assert status == 200
    assert "<h1>Dashboard · Lefier</h1>" in html
    assert metric(html, "open_cases") == "4"
    assert metric(html, "acute_waiting") == "1"
    assert metric(html, "reported_this_week") == "5"
    assert metric(html, "closed_this_week") == "1"
    assert 'data-metric="unrouted"' not in html
    assert count(html, "status", "new") == 3
    assert count(html, "status", "acknowledged") == 1
    assert count(html, "status", "inspected") == 0
    assert 'data-status="unrouted"' not in html
    assert states(html, "acknowledge") == {"on_time": 1, "at_risk": 0, "breached": 2}
    assert states(html, "inspect") == {"on_time": 1, "at_risk": 0, "breached": 0}
    assert count(html, "age", "0-7") == 4
    assert 'data-corporation="' not in html  # the per-corporation chart is the region's
    # The acute list: Lefier's acute case, overdue; none of Acantus's.
    assert f'<li class="case acute" data-reference="{region.refs["l_acute"]}" data-overdue>' in html
    assert f'href="/cases/{region.refs["l_acute"]}"' in html
    assert "Te laat" in html
    for other in ("a_new", "a_acute", "u_new"):
        assert region.refs[other] not in html
    assert "Acantus" not in html
    assert 'href="/dashboard/cases.csv"' in html
    assert 'href="/dashboard/cases.csv?dialect=excel-nl"' in html


async def test_a_coordinator_sees_the_region_with_unrouted_cases(client, conn, region):
    status, html = await page(client, conn, region.who("coordinator"))

    assert status == 200
    assert "<h1>Dashboard · hele regio</h1>" in html
    assert metric(html, "open_cases") == "7"
    assert metric(html, "acute_waiting") == "2"
    assert metric(html, "unrouted") == "1"
    assert metric(html, "reported_this_week") == "8"
    assert metric(html, "closed_this_week") == "1"
    assert 'href="/triage"' in html
    assert count(html, "status", "unrouted") == 1
    assert count(html, "corporation", "lefier") == 4
    assert count(html, "corporation", "acantus") == 2
    assert region.refs["a_acute"] in html
    assert f'data-reference="{region.refs["a_acute"]}">' in html  # not overdue


async def test_the_charts_are_drawn_inline_without_styles_or_scripts(client, conn, region):
    _, html = await page(client, conn, region.who("coordinator"))
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') == 5
    assert html.count("<figure>") == html.count("<figcaption>") == 5
    assert "style=" not in html
    assert "<style" not in html
    assert "<script" not in html


async def test_inspectors_may_not_see_the_dashboard(client, conn, region):
    status, html = await page(client, conn, region.who("inspector"))
    assert status == 403
    assert "Geen toegang" in html
    response = await client.get("/dashboard/cases.csv")
    assert response.status_code == 403
    assert region.refs["l_new"] not in response.text


async def test_signing_in_is_needed(client, region):
    for path, wanted in [
        ("/dashboard", "/login?next=%2Fdashboard"),
        ("/dashboard/cases.csv", "/login?next=%2Fdashboard%2Fcases.csv"),
    ]:
        response = await client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == wanted


async def test_the_export_holds_the_scope_cases_and_no_reporter_data(client, conn, region):
    await sign_in(client, conn, region.who("manager").id)
    response = await client.get("/dashboard/cases.csv")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert "cases-lefier-" in response.headers["content-disposition"]
    lines = response.text.strip().splitlines()
    assert lines[0].startswith("reference,status,")
    exported = {line.split(",")[0] for line in lines[1:]}
    lefier = {region.refs[name] for name in ("l_new", "l_late", "l_acute", "l_ack", "l_closed")}
    assert exported == lefier
    assert "Jan Jansen" not in response.text
    assert "jan@example.nl" not in response.text


async def test_the_excel_export_of_the_region_has_every_case(client, conn, region):
    await sign_in(client, conn, region.who("coordinator").id)
    response = await client.get("/dashboard/cases.csv", params={"dialect": "excel-nl"})

    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("Referentie;Status;Soort schade;")
    assert {line.split(";")[0] for line in lines[1:]} == set(region.refs.values())


async def test_the_two_buttons_download_files_of_different_names(client, conn, region):
    await sign_in(client, conn, region.who("manager").id)
    today = datetime.now(UTC).astimezone(AMSTERDAM).date().isoformat()
    names = {
        "standard": f"cases-lefier-{today}.csv",
        "excel-nl": f"schademeldingen-lefier-{today}-excel-nl.csv",
    }
    for dialect, name in names.items():
        response = await client.get("/dashboard/cases.csv", params={"dialect": dialect})
        assert response.status_code == 200
        assert response.headers["content-disposition"] == f'attachment; filename="{name}"'


async def test_an_unknown_dialect_is_a_bad_request(client, conn, region):
    await sign_in(client, conn, region.who("manager").id)
    response = await client.get("/dashboard/cases.csv", params={"dialect": "lotus-123"})
    assert response.status_code == 400


async def test_the_page_speaks_english(client, conn, region):
    status, html = await page(client, conn, region.who("coordinator"), lang="en")

    assert status == 200
    assert '<html lang="en">' in html
    for english in (
        "Dashboard · whole region",
        "Open cases",
        "Reported this week",
        "Reported and closed per week",
        "Deadlines per step",
        "0-7 days",
        "Acknowledge",
        "Download for Excel (NL)",
        "Figures as a table",
    ):
        assert english in html, english
    for dutch in (
        "hele regio",
        "Open zaken",
        "Gemeld deze week",
        "dagen",
        "Oppakken",
        "Termijnen",
        "Cijfers als tabel",
        "Te laat",
        "zaken",
    ):
        assert dutch not in html, dutch


async def test_an_empty_region_shows_zeros(client, conn, world):
    status, html = await page(client, conn, world.who("admin"))
    assert status == 200
    for name in ("open_cases", "acute_waiting", "unrouted", "reported_this_week"):
        assert metric(html, name) == "0"
    assert "Er wachten geen acute meldingen." in html
    assert "Er zijn geen open zaken." in html


async def test_names_are_escaped(client, conn, world):
    odd = await factories.corporation(conn, "odd", 'Wonen <&> "Co"')
    await factories.home(conn, odd, "9712AA", 1)
    await world.report({"postcode": "9712AA", "house_number": 1})

    status, html = await page(client, conn, world.who("coordinator"))

    assert status == 200
    assert "<&>" not in html
    assert "Wonen &lt;&amp;&gt; &#34;Co&#34;" in html
    assert count(html, "corporation", "odd") == 1


async def test_a_full_acute_list_says_how_many_wait_in_all(client, conn, world):
    for _ in range(21):
        await world.report(OWN_HOME, acute=True)

    _, html = await page(client, conn, world.who("manager"))

    assert metric(html, "acute_waiting") == "21"
    assert html.count('<li class="case acute"') == 20
    assert "Hier staan de oudste 20 van 21." in html


async def test_the_headline_numbers_lead_to_their_cases(client, conn, region):
    _, html = await page(client, conn, region.who("manager"))
    for link in (
        "/work",
        "/work?deadline=breached",
        "/work?acute=true&amp;status=unrouted&amp;status=new",
    ):
        assert f'href="{link}"' in html
    breached = await client.get("/work?deadline=breached")
    assert breached.status_code == 200
    assert region.refs["l_late"] in breached.text
    assert region.refs["l_new"] not in breached.text
    acute = await client.get("/work?acute=true&status=unrouted&status=new")
    assert region.refs["l_acute"] in acute.text
    assert region.refs["l_late"] not in acute.text
    assert 'href="/triage"' not in html  # managers do not triage
    _, html = await page(client, conn, region.who("coordinator"))
    assert 'href="/triage"' in html


async def test_a_coordinator_narrows_the_page_to_one_corporation(client, conn, region):
    """Issue 13, point 12: the page has the API's corporation filter."""
    status, html = await page(client, conn, region.who("coordinator"), corporation="lefier")
    assert status == 200
    assert "<h1>Dashboard · Lefier</h1>" in html
    assert metric(html, "open_cases") == "4"
    assert '<option value="lefier" selected>Lefier</option>' in html
    assert '<option value="">Hele regio</option>' in html
    # The export still covers what the coordinator may export: the region.
    assert "hele regio" in html.split('id="export-title"', 1)[1]
    # An unknown code shows the region rather than an error page.
    status, html = await page(client, conn, region.who("coordinator"), corporation="nope")
    assert status == 200
    assert "<h1>Dashboard · hele regio</h1>" in html


async def test_a_manager_gets_no_filter_and_only_their_corporation(client, conn, region):
    status, html = await page(client, conn, region.who("manager"), corporation="acantus")
    assert status == 200
    assert "<h1>Dashboard · Lefier</h1>" in html
    assert 'name="corporation"' not in html


async def test_the_page_shows_the_time_to_repair_per_corporation(client, conn, region):
    """Issue 13, point 12: resolution times, as the API has them."""
    _, html = await page(client, conn, region.who("coordinator"))
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", row(html, "resolution", "lefier"))
    assert cells[0] == "1"  # one case of Lefier's repaired in the last 90 days
    assert re.fullmatch(r"\d+(,\d)?", cells[1])  # days, with a decimal comma
    assert "Doorlooptijd tot herstel" in html
