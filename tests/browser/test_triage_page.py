"""A coordinator signs in, opens the triage page and routes a case in one click."""

import httpx

from tests import factories
from tests.browser.conftest import (
    needs_chromium,
    screenshot,
    serious_accessibility_violations,
    staff_member,
    submit_sign_in,
)
from tests.factories import report_body

pytestmark = needs_chromium
EMAIL = "carla@regio.nl"
# Not in the register; Lefier owns homes in the same postcode, Acantus one nearby.
UNREGISTERED = {"postcode": "9711 AB", "house_number": 99}


async def _region_with_unrouted_cases(conn, live_server) -> tuple[dict, dict]:
    lefier = await factories.corporation(conn, "lefier", "Lefier")
    acantus = await factories.corporation(conn, "acantus", "Acantus")
    for number in (12, 14, 16):
        await factories.home(conn, lefier, "9711AB", number)
    await factories.home(conn, acantus, "9711XY", 1)
    await staff_member(conn, "coordinator", None, EMAIL, "Carla Smit")
    async with httpx.AsyncClient(base_url=live_server) as http:
        crack = (await http.post("/api/v1/reports", json=report_body(address=UNREGISTERED))).json()
        acute = (
            await http.post(
                "/api/v1/reports",
                json=report_body(
                    address={**UNREGISTERED, "house_number": 101},
                    category="unsafe_situation",
                    acute=True,
                    description="De schoorsteen hangt los boven de voordeur.",
                ),
            )
        ).json()
    assert crack["status"] == acute["status"] == "unrouted"
    return crack, acute


async def test_coordinator_routes_a_case_in_one_click(live_server, conn, browser):
    crack, acute = await _region_with_unrouted_cases(conn, live_server)
    page = await browser.new_page(viewport={"width": 1100, "height": 900})

    await page.goto(f"{live_server}/triage")
    assert page.url.endswith("/login?next=%2Ftriage")
    await submit_sign_in(page, EMAIL)
    await page.wait_for_url(f"{live_server}/triage")

    rows = await page.locator(".case summary .reference").all_inner_texts()
    assert rows == [acute["reference"], crack["reference"]]
    crack_case = page.locator(f"#case-{crack['reference']}")
    await crack_case.locator("summary").click()  # opens the case to its routing choices
    assert "3 woningen in deze postcode" in await crack_case.inner_text()
    assert await serious_accessibility_violations(page) == []
    await screenshot(page, "triage-nl")

    await crack_case.get_by_role("button", name="Naar Lefier").click()

    await page.wait_for_url(f"{live_server}/triage?routed={crack['reference']}")
    assert await page.get_by_role("status").inner_text() == (
        f"{crack['reference']} is doorgestuurd naar Lefier."
    )
    assert await page.locator(".case summary .reference").all_inner_texts() == [acute["reference"]]
    assert await conn.fetchval(
        "SELECT co.code FROM cases c JOIN corporations co ON co.id = c.corporation_id "
        "WHERE c.reference = $1 AND c.status = 'new'",
        crack["reference"],
    ) == ("lefier")

    await page.goto(f"{live_server}/triage?lang=en")
    assert await page.get_attribute("html", "lang") == "en"
    acute_case = page.locator(f"#case-{acute['reference']}")
    assert not await acute_case.get_by_role("button", name="Route to Lefier").is_visible()
    await acute_case.locator("summary").click()
    assert await acute_case.get_by_role("button", name="Route to Lefier").is_visible()
    assert await acute_case.get_by_label("Other corporation").is_visible()
    assert await serious_accessibility_violations(page) == []
    await screenshot(page, "triage-en")
