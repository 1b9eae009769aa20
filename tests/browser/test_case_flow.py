"""An inspector works a case from the queue to resolved; the tenant confirms; two inspectors
change the same case at once and the second is told."""

from datetime import date, timedelta

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


async def _lefier_case(conn, live_server) -> dict:
    lefier = await factories.corporation(conn, "lefier", "Lefier")
    await factories.home(
        conn, lefier, "9711AB", 12, street="Oude Boteringestraat", city="Groningen"
    )
    await staff_member(conn, "inspector", lefier, "inge@lefier.nl", "Inge de Vries")
    await staff_member(conn, "inspector", lefier, "jan@lefier.nl", "Jan Bakker")
    async with httpx.AsyncClient(base_url=live_server) as http:
        response = await http.post("/api/v1/reports", json=report_body())
    assert response.status_code == 201
    return response.json()


async def _metric(page, name: str) -> int:
    return int(await page.locator(f"[data-metric={name}]").first.inner_text())


async def test_inspector_works_a_case_to_resolved_the_tenant_confirms_the_manager_sees_it(
    live_server, conn, browser
):
    created = await _lefier_case(conn, live_server)
    reference = created["reference"]
    lefier = await conn.fetchval("SELECT id FROM corporations WHERE code = 'lefier'")
    await staff_member(conn, "manager", lefier, "mia@lefier.nl", "Mia Mulder")
    manager = await (await browser.new_context(viewport={"width": 1100, "height": 900})).new_page()
    await sign_in(manager, live_server, "mia@lefier.nl")
    await manager.goto(f"{live_server}/dashboard")
    assert await _metric(manager, "open_cases") == 1
    assert await _metric(manager, "reported_this_week") == 1
    assert await _metric(manager, "closed_this_week") == 0
    await screenshot(manager, "dashboard-before-nl")

    page = await browser.new_page(viewport={"width": 1100, "height": 900})
    await sign_in(page, live_server, "inge@lefier.nl")
    await page.get_by_role("link", name=reference).click()
    await page.wait_for_url(f"{live_server}/cases/{reference}")
    assert await page.locator(".status").inner_text() == "Nieuw"
    assert "Oude Boteringestraat 12" in await page.locator("#home-heading + dl").inner_text()
    assert await serious_accessibility_violations(page) == []

    await page.get_by_role("button", name="Oppakken").click()
    assert await page.get_by_role("status").inner_text() == "Opgeslagen."
    assert await page.locator(".status").inner_text() == "In behandeling"

    await page.get_by_text("Inspectie plannen", exact=True).first.click()  # opens the form
    visit = date.today() + timedelta(days=7)
    await page.get_by_label("Datum en tijd van het bezoek").fill(f"{visit.isoformat()}T10:30")
    await page.get_by_role("button", name="Inspectie plannen").click()
    assert await page.locator(".status").inner_text() == "Inspectie gepland"
    planned = f"{visit.strftime('%d-%m-%Y')} 10:30"
    assert planned in await page.locator("#case-heading + dl").inner_text()

    # The findings form is open once the inspection is planned; a wrong class is explained.
    await page.locator("#item1-location").fill("woonkamer")
    await page.locator("#item1-kind").fill("scheur")
    await page.locator("#item1-damage_class").fill("7")
    await page.locator("#item1-crack_width_mm").fill("1,5")
    await page.get_by_label("Komt de schade door aardbevingen?").select_option("likely")
    await page.get_by_role("button", name="Bevindingen vastleggen").click()
    assert await page.locator("#findings-item1-damage_class-error").inner_text() == (
        "Een schadeklasse is een getal van 0 tot 5."
    )
    assert await page.locator("#item1-location").input_value() == "woonkamer"  # kept
    await page.locator("#item1-damage_class").fill("2")
    await page.get_by_role("button", name="Bevindingen vastleggen").click()
    assert await page.locator(".status").inner_text() == "Geïnspecteerd"
    assert (
        "woonkamer: scheur, schadeklasse 2, scheurbreedte 1,5 mm"
        in await page.locator(".finding").inner_text()
    )

    # Resolving asks the day of the repair (today by default) and to confirm.
    await page.get_by_text("Afronden: schade hersteld", exact=True).first.click()
    await page.get_by_role("button", name="Afronden: schade hersteld").click()
    await page.get_by_role("button", name="Ja, afronden als hersteld").click()
    assert await page.locator(".status").inner_text() == "Hersteld"
    history = await page.locator("ol.timeline").inner_text()
    assert "Bevindingen vastgelegd" in history
    assert "Inge de Vries (lefier)" in history
    assert await serious_accessibility_violations(page) == []
    await screenshot(page, "case-page-resolved-nl")

    tenant = await browser.new_page(viewport=PHONE)
    await tenant.goto(f"{live_server}/t/{created['tracking_url'].split('/t/', 1)[1]}")
    assert await tenant.locator(".status").inner_text() == "Hersteld"
    await tenant.get_by_role("button", name="Ja, de schade is hersteld").click()
    assert await tenant.get_by_role("status").inner_text() == "Dank u, dat is verwerkt."
    assert await tenant.locator(".status").inner_text() == "Afgesloten"
    await screenshot(tenant, "tracking-page-confirmed-nl")
    assert (
        await conn.fetchval("SELECT status FROM cases WHERE reference = $1", reference) == "closed"
    )


async def test_two_inspectors_change_the_same_case_and_the_second_is_told(
    live_server, conn, browser
):
    created = await _lefier_case(conn, live_server)
    reference = created["reference"]
    inge = await (await browser.new_context()).new_page()
    jan = await (await browser.new_context()).new_page()
    for page, email in ((inge, "inge@lefier.nl"), (jan, "jan@lefier.nl")):
        await sign_in(page, live_server, email)
        await page.goto(f"{live_server}/cases/{reference}")

    await inge.get_by_role("button", name="Oppakken").click()
    assert await inge.locator(".status").inner_text() == "In behandeling"

    # Jan still sees the case as it was: he puts it on hold, and is told it changed.
    await jan.get_by_text("In de wacht zetten", exact=True).first.click()
    await jan.get_by_label("Reden", exact=True).fill("Huurder is op vakantie")
    await jan.get_by_role("button", name="In de wacht zetten").click()
    alert = await jan.locator("#conflict").inner_text()
    assert "Iemand anders heeft deze zaak intussen gewijzigd." in alert
    assert await jan.locator(".status").inner_text() == "In behandeling"  # the new state
    assert await jan.get_by_label("Reden", exact=True).input_value() == "Huurder is op vakantie"
    assert await serious_accessibility_violations(jan) == []
    await screenshot(jan, "case-page-conflict-nl")
    assert (
        await conn.fetchval("SELECT status FROM cases WHERE reference = $1", reference)
        == "acknowledged"
    )
