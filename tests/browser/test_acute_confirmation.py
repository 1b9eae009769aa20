"""Issue 13, points 2 and 5 in a browser, on a phone: the acute confirmation names the
corporation's emergency number, and switching to English keeps the one-time tracking link."""

from tests import factories
from tests.browser.conftest import (
    PHONE,
    needs_chromium,
    screenshot,
    serious_accessibility_violations,
)

pytestmark = needs_chromium


async def test_acute_confirmation_on_a_phone_in_dutch_then_english(live_server, conn, browser):
    lefier = await factories.corporation(conn, "lefier", "Lefier")
    await conn.execute("UPDATE corporations SET emergency_phone = '088-123 45 67'")
    await factories.home(conn, lefier, "9711AB", 12)
    page = await browser.new_page(viewport=PHONE)
    await page.goto(f"{live_server}/")
    await page.get_by_label("Postcode").fill("9711 AB")
    await page.get_by_label("Huisnummer").fill("12")
    await page.get_by_label("Onveilige situatie", exact=False).first.check()
    await page.locator("#acute").check()
    await page.get_by_label("Beschrijf de schade").fill(
        "Het plafond van de keuken hangt naar beneden."
    )
    await page.get_by_label("Naam").fill("Jan Jansen")
    await page.get_by_label("E-mailadres").fill("jan@example.nl")
    await page.get_by_role("button", name="Melding versturen").click()

    call = page.get_by_role("link", name="088-123 45 67")
    assert await call.get_attribute("href") == "tel:0881234567"
    assert "Bel 112" in await page.locator("#acute-advice").inner_text()
    link = await page.locator("#tracking-link").inner_text()
    assert "token=" in link
    assert await serious_accessibility_violations(page) == []
    await screenshot(page, "acute-confirmation-nl")

    await page.get_by_role("button", name="English").click()
    assert await page.get_attribute("html", "lang") == "en"
    assert "token=" not in page.url  # the token went in the form's body
    assert await page.locator("#tracking-link").inner_text() == link
    assert "Call the emergency number of Lefier" in await page.locator("#acute-advice").inner_text()
    assert await serious_accessibility_violations(page) == []
    await screenshot(page, "acute-confirmation-en")
