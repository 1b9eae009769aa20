"""A manager signs in to the dashboard, reads it in Dutch, English and on a phone, and exports."""

from datetime import UTC, datetime, timedelta

import httpx

from service.domain.calendar import AMSTERDAM
from tests import factories
from tests.browser.conftest import (
    PHONE,
    needs_chromium,
    screenshot,
    serious_accessibility_violations,
    staff_member,
    submit_sign_in,
)
from tests.factories import report_body

pytestmark = needs_chromium
EMAIL = "maria@lefier.nl"
LEFIER_HOME = {"postcode": "9711AB", "house_number": 12}
ACANTUS_HOME = {"postcode": "9601AA", "house_number": 3}


async def _lefier_and_acantus(conn, live_server) -> dict[str, str]:
    """Lefier: three open cases (the acute one overdue) and one closed; Acantus: one."""
    lefier = await factories.corporation(conn, "lefier", "Lefier")
    acantus = await factories.corporation(conn, "acantus", "Acantus")
    await factories.home(conn, lefier, LEFIER_HOME["postcode"], LEFIER_HOME["house_number"])
    await factories.home(conn, acantus, ACANTUS_HOME["postcode"], ACANTUS_HOME["house_number"])
    await staff_member(conn, "manager", lefier, EMAIL, "Maria de Vries")
    refs = {}
    async with httpx.AsyncClient(base_url=live_server) as http:
        for name, home, acute in [
            ("crack", LEFIER_HOME, False),
            ("acute", LEFIER_HOME, True),
            ("acknowledged", LEFIER_HOME, False),
            ("closed", LEFIER_HOME, False),
            ("acantus", ACANTUS_HOME, False),
        ]:
            response = await http.post(
                "/api/v1/reports", json=report_body(address=home, acute=acute)
            )
            assert response.status_code == 201, response.text
            refs[name] = response.json()["reference"]
    now = datetime.now(UTC)
    await conn.execute(
        "UPDATE cases SET reported_at = $2, acknowledge_by = $3 WHERE reference = $1",
        refs["acute"],
        now - timedelta(minutes=2),
        now - timedelta(minutes=1),
    )
    await conn.execute(
        "UPDATE cases SET status = 'acknowledged' WHERE reference = $1", refs["acknowledged"]
    )
    await conn.execute(
        "UPDATE cases SET status = 'closed', resolved_at = $2, closed_at = $2 WHERE reference = $1",
        refs["closed"],
        now,
    )
    return refs


async def _metrics(page) -> dict[str, str]:
    cells = page.locator("[data-metric]")
    return {
        await cell.get_attribute("data-metric"): (await cell.inner_text()).strip()
        for cell in await cells.all()
    }


async def test_manager_reads_the_dashboard_and_exports_it(live_server, conn, browser):
    refs = await _lefier_and_acantus(conn, live_server)
    page = await browser.new_page(viewport={"width": 1200, "height": 900})

    await page.goto(f"{live_server}/dashboard")
    assert page.url.endswith("/login?next=%2Fdashboard")
    await submit_sign_in(page, EMAIL)
    await page.wait_for_url(f"{live_server}/dashboard")

    assert await page.get_by_role("heading", level=1).inner_text() == "Dashboard · Lefier"
    assert await _metrics(page) == {
        "open_cases": "3",
        "acute_waiting": "1",
        "breached": "1",
        "reported_this_week": "4",
        "closed_this_week": "1",
    }
    acute = page.locator(f'[data-reference="{refs["acute"]}"]')
    assert "Te laat" in await acute.inner_text()
    assert refs["acantus"] not in await page.content()
    assert await page.locator("svg.chart[role=img]").count() == 4
    assert await serious_accessibility_violations(page) == []
    await screenshot(page, "dashboard-nl")

    # By keyboard: a chart's table unfolds from its summary.
    status_table = page.locator("figure", has_text="Open zaken per status").locator("details")
    await status_table.locator("summary").focus()
    await page.keyboard.press("Enter")
    new_row = status_table.locator('tr[data-status="new"] td[data-count]')
    assert await new_row.is_visible()
    assert await new_row.inner_text() == "2"

    async with page.expect_download() as download_info:
        await page.get_by_role("link", name="CSV downloaden").click()
    download = await download_info.value
    today = datetime.now(UTC).astimezone(AMSTERDAM).date().isoformat()
    assert download.suggested_filename == f"cases-lefier-{today}.csv"
    exported = (await download.path()).read_text(encoding="utf-8")
    assert exported.startswith("reference,status,")
    for name in ("crack", "acute", "acknowledged", "closed"):
        assert refs[name] in exported
    assert refs["acantus"] not in exported
    assert "Jan Jansen" not in exported

    # The spreadsheet for people: Dutch, and under a name of its own.
    async with page.expect_download() as download_info:
        await page.get_by_role("link", name="Downloaden voor Excel (NL)").click()
    download = await download_info.value
    assert download.suggested_filename == f"schademeldingen-lefier-{today}-excel-nl.csv"
    for_excel = (await download.path()).read_text(encoding="utf-8-sig")
    assert for_excel.startswith("Referentie;Status;Soort schade;")
    assert "In behandeling" in for_excel
    assert "9711 AB" in for_excel
    assert "Jan Jansen" not in for_excel

    await page.get_by_role("link", name="English").click()
    await page.wait_for_url(f"{live_server}/dashboard?lang=en")
    assert await page.get_by_role("heading", level=1).inner_text() == "Dashboard · Lefier"
    assert await page.get_by_role("heading", name="Reported and closed per week").is_visible()
    assert "Overdue" in await acute.inner_text()
    assert await serious_accessibility_violations(page) == []
    await screenshot(page, "dashboard-en")

    # On a phone, the page fits the screen's width: nothing to scroll sideways.
    await page.set_viewport_size(PHONE)
    await page.goto(f"{live_server}/dashboard?lang=nl")
    assert await page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    chart_width = await page.locator("svg.chart").first.evaluate(
        "chart => chart.getBoundingClientRect().width"
    )
    assert 300 <= chart_width <= PHONE["width"]
    assert await serious_accessibility_violations(page) == []
    await screenshot(page, "dashboard-phone")
