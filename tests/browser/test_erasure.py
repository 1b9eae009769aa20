"""The request for erasure on a phone, in Dutch: the tenant asks on the tracking page and
confirms; the manager sees the task on the case page and carries it out after confirming."""

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


async def test_asking_for_erasure_and_carrying_it_out_on_a_phone(live_server, conn, browser):
    lefier = await factories.corporation(conn, "lefier", "Lefier")
    await factories.home(conn, lefier, "9711AB", 12)
    await staff_member(conn, "manager", lefier, "mia@lefier.nl", "Mia Bakker")
    async with httpx.AsyncClient(base_url=live_server) as http:
        created = (await http.post("/api/v1/reports", json=report_body())).json()
    reference = created["reference"]
    tracking = created["tracking_url"].replace("https://schade.example.nl", live_server)

    tenant = await (await browser.new_context(viewport=PHONE)).new_page()
    await tenant.goto(tracking)
    await tenant.get_by_role("button", name="Vraag om verwijdering").click()
    step = await tenant.locator("#erasure-confirm").inner_text()
    assert "Wilt u echt dat wij uw gegevens verwijderen?" in step
    assert "U kunt dit niet terugdraaien." in step
    assert await serious_accessibility_violations(tenant) == []
    await screenshot(tenant, "erasure-confirm-phone-nl")
    await tenant.get_by_role("button", name="Ja, verwijder mijn gegevens").click()
    assert "Uw verzoek is ontvangen." in await tenant.locator("#outcome").inner_text()
    assert await serious_accessibility_violations(tenant) == []
    await screenshot(tenant, "erasure-requested-phone-nl")

    staff = await (await browser.new_context(viewport=PHONE)).new_page()
    await sign_in(staff, live_server, "mia@lefier.nl")
    await staff.goto(f"{live_server}/cases/{reference}")
    task = await staff.locator("#erasure").inner_text()
    assert "Verzoek om verwijdering, uiterlijk" in task
    await staff.get_by_role("button", name="Gegevens verwijderen").click()
    assert "Weet u zeker" in await staff.locator("#confirm").inner_text()
    assert await serious_accessibility_violations(staff) == []
    await screenshot(staff, "erasure-task-confirm-phone-nl")
    await staff.get_by_role("button", name="Ja, verwijder de gegevens").click()
    await staff.get_by_text("De persoonsgegevens zijn verwijderd.").wait_for()
    assert await serious_accessibility_violations(staff) == []
    await screenshot(staff, "erasure-done-phone-nl")

    await tenant.goto(tracking)
    assert "Melding niet gevonden" in await tenant.content()
