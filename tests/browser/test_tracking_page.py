"""The tenant's tracking page in a real browser, on a phone-sized screen, in both languages."""

import httpx

from tests import factories
from tests.browser.conftest import (
    PHONE,
    needs_chromium,
    screenshot,
    serious_accessibility_violations,
)
from tests.factories import report_body

pytestmark = needs_chromium


async def test_tracking_page_on_a_phone_in_dutch_and_english(live_server, conn, browser):
    await factories.home(conn, await factories.corporation(conn, "lefier", "Lefier"), "9711AB", 12)
    async with httpx.AsyncClient(base_url=live_server) as http:
        dutch = (await http.post("/api/v1/reports", json=report_body())).json()
        english_body = report_body(acute=True, category="unsafe_situation")
        english_body["reporter"]["language"] = "en"
        english = (await http.post("/api/v1/reports", json=english_body)).json()

    page = await browser.new_page(viewport=PHONE)
    for created, language, status_text in (
        (dutch, "nl", "Doorgestuurd naar de corporatie"),
        (english, "en", "Passed to the corporation"),
    ):
        path = created["tracking_url"].split("/t/", 1)[1]
        response = await page.goto(f"{live_server}/t/{path}")
        assert response is not None
        assert response.status == 200
        assert await page.get_attribute("html", "lang") == language
        assert await page.locator("h1").inner_text() == (
            f"{'Uw melding' if language == 'nl' else 'Your report'} {created['reference']}"
        )
        assert await page.locator(".status").inner_text() == status_text
        assert await page.locator("ol.timeline li").count() == 2
        await screenshot(page, f"tracking-page-{language}")
        assert await serious_accessibility_violations(page) == []
    # The page that says nothing about a wrong link is accessible too.
    await page.goto(f"{live_server}/t/{dutch['reference']}?token=wrong")
    assert await page.locator("h1").inner_text() == "Melding niet gevonden"
    assert await serious_accessibility_violations(page) == []


async def test_tenant_adds_information_and_confirms_the_repair(live_server, conn, browser):
    await factories.home(conn, await factories.corporation(conn, "lefier", "Lefier"), "9711AB", 12)
    async with httpx.AsyncClient(base_url=live_server) as http:
        created = (await http.post("/api/v1/reports", json=report_body())).json()
    page = await browser.new_page(viewport=PHONE)
    tracking = f"{live_server}/t/{created['tracking_url'].split('/t/', 1)[1]}"
    await page.goto(tracking)
    # Only spaces (the browser lets them pass its own check): the page names the field.
    await page.get_by_label("Uw aanvulling").fill("   ")
    await page.get_by_role("button", name="Versturen").click()
    error = "Schrijf hier wat u wilt toevoegen."
    assert await page.locator("#text-error").inner_text() == error
    assert await page.get_by_role("alert").inner_text() == error
    assert await serious_accessibility_violations(page) == []
    await page.goto(tracking)
    await page.get_by_label("Uw aanvulling").fill("De scheur is sinds gisteren langer.")
    await page.get_by_role("button", name="Versturen").click()
    thanks = page.get_by_role("status")
    assert await thanks.inner_text() == "Dank u, dat is verwerkt."
    # On the phone's first screen, where the page opens after the form: not below the history.
    box = await thanks.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= PHONE["height"]
    assert await page.evaluate("window.scrollY") == 0
    assert (
        "Uw aanvulling: De scheur is sinds gisteren langer."
        in await page.locator("ol.timeline").inner_text()
    )

    await conn.execute(
        "UPDATE cases SET status = 'resolved', resolved_at = now() WHERE reference = $1",
        created["reference"],
    )
    await page.goto(tracking)
    assert await serious_accessibility_violations(page) == []
    await screenshot(page, "tracking-page-resolved-nl")
    await page.get_by_role("button", name="Ja, de schade is hersteld").click()
    assert await page.locator(".status").inner_text() == "Afgesloten"
    assert (
        await conn.fetchval("SELECT status FROM cases WHERE reference = $1", created["reference"])
        == "closed"
    )
    # Closed: no more forms about the damage; asking for erasure stays possible (AVG).
    assert await page.locator("main form").count() == 1
    assert await page.locator("#erasure form").count() == 1
