"""The triage page stays a compact list with many cases waiting (issue 13, point 8: each case
carried its whole form, a 12,107 px page), and a failed routing names its case."""

import httpx

from tests import factories
from tests.browser.conftest import (
    PHONE,
    needs_chromium,
    screenshot,
    serious_accessibility_violations,
    sign_in,
    staff_member,
)
from tests.factories import report_body

pytestmark = needs_chromium
EMAIL = "carla@regio.nl"
WAITING = 20
DESKTOP = {"width": 1100, "height": 900}


async def _twenty_cases_waiting(conn, live_server) -> list[str]:
    lefier = await factories.corporation(conn, "lefier", "Lefier")
    await factories.home(conn, lefier, "9711AB", 14)
    await staff_member(conn, "coordinator", None, EMAIL, "Carla Smit")
    async with httpx.AsyncClient(base_url=live_server) as http:
        for acute in (True, False):
            response = await http.post(
                "/api/v1/reports",
                json=report_body(address={"postcode": "9711 AB", "house_number": 99}, acute=acute),
            )
            assert response.json()["status"] == "unrouted"
    await factories.bulk_copies(conn, response.json()["reference"], WAITING - 2)
    return await conn.fetch(
        "SELECT reference FROM cases WHERE status = 'unrouted' ORDER BY acute DESC, reported_at"
    )


async def _height(page) -> int:
    return await page.evaluate("document.documentElement.scrollHeight")


async def test_twenty_cases_fit_a_compact_list_and_an_error_names_its_case(
    live_server, conn, browser
):
    references = [row["reference"] for row in await _twenty_cases_waiting(conn, live_server)]
    page = await browser.new_page(viewport=DESKTOP)
    await sign_in(page, live_server, EMAIL)
    await page.goto(f"{live_server}/triage")

    assert await page.locator(".case summary .reference").count() == WAITING
    assert await page.locator("details[open]").count() == 0
    assert await _height(page) < 2500
    assert await serious_accessibility_violations(page) == []
    await screenshot(page, "triage-list-nl")

    # Route the tenth case without choosing a corporation: the page names it.
    failing = references[9]
    case = page.locator(f"#case-{failing}")
    await case.locator("summary").click()
    await case.get_by_role("button", name="Doorsturen", exact=True).click()

    alert = page.get_by_role("alert")
    assert await alert.inner_text() == (
        f"{failing} is nog niet doorgestuurd.\n\n{failing}: Kies een corporatie uit de lijst."
    )
    assert await page.evaluate("document.activeElement.id") == "triage-alert"
    assert await page.locator("details[open]").count() == 1
    assert await case.locator(".error").inner_text() == "Kies een corporatie uit de lijst."
    await alert.get_by_role("link").click()
    assert await page.evaluate("document.activeElement.id") == f"case-{failing}-corporation"
    assert await serious_accessibility_violations(page) == []
    await screenshot(page, "triage-error-nl")


async def test_on_a_phone_in_english_a_case_opens_to_its_routing_choices(
    live_server, conn, browser
):
    references = [row["reference"] for row in await _twenty_cases_waiting(conn, live_server)]
    page = await browser.new_page(viewport=PHONE)
    await sign_in(page, live_server, EMAIL, language="en")
    await page.goto(f"{live_server}/triage")

    assert await page.locator(".case summary .reference").count() == WAITING
    assert (
        "Address not in the register · suggested: Lefier"
        in await page.locator(f"#case-{references[0]} summary").inner_text()
    )
    assert await serious_accessibility_violations(page) == []
    await screenshot(page, "triage-list-en-phone")

    case = page.locator(f"#case-{references[0]}")
    await case.locator("summary").click()
    assert await case.get_by_role("button", name="Route to Lefier").is_visible()
    assert await case.get_by_label("Other corporation").is_visible()
    assert await serious_accessibility_violations(page) == []
    await screenshot(page, "triage-open-en-phone")
