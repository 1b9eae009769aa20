"""As a tenant types the address on a phone, the form says where the home is and whose it is."""

import asyncio

from playwright.async_api import expect

from tests import factories
from tests.browser.conftest import (
    PHONE,
    needs_chromium,
    screenshot,
    serious_accessibility_violations,
)

pytestmark = needs_chromium
FOUND_NL = ("Oude Boteringestraat 12, 9711 AB Groningen", "Deze woning is van Lefier")
NOT_FOUND_NL = "We vinden dit adres niet in ons overzicht. Uw melding komt gewoon aan"
NOT_FOUND_EN = "We cannot find this address in our register. Your report still goes through"


async def _lefier_home(conn) -> None:
    lefier = await factories.corporation(conn, "lefier", "Lefier")
    await factories.home(
        conn, lefier, "9711AB", 12, street="Oude Boteringestraat", city="Groningen"
    )


async def test_the_form_names_the_home_and_its_corporation(live_server, conn, browser):
    await _lefier_home(conn)
    page = await browser.new_page(viewport=PHONE)
    lookups = []
    page.on("request", lambda r: lookups.append(r.url) if "/api/v1/addresses" in r.url else None)
    await page.goto(f"{live_server}/")
    found = page.locator("#address-lookup")
    assert await found.get_attribute("aria-live") == "polite"

    await page.get_by_label("Postcode").press_sequentially("9711 ab", delay=30)
    await page.get_by_label("Huisnummer").press_sequentially("12", delay=30)
    await expect(found.locator("p")).to_have_text(list(FOUND_NL))
    assert len(lookups) == 1  # asked once the tenant paused, not on every key
    assert await serious_accessibility_violations(page) == []
    await screenshot(page, "report-form-address-found")

    await page.get_by_label("Huisnummer").fill("99")
    await expect(found).to_contain_text(NOT_FOUND_NL)
    assert await serious_accessibility_violations(page) == []

    # A malformed postcode: the region says nothing; the server explains after sending.
    await page.get_by_label("Postcode").fill("0711 AB")
    await expect(found).to_have_text("")


async def test_the_lookup_speaks_english(live_server, conn, browser):
    await _lefier_home(conn)
    page = await browser.new_page(viewport=PHONE)
    await page.goto(f"{live_server}/?lang=en")
    found = page.locator("#address-lookup")

    await page.get_by_label("Postcode").fill("9711AB")
    await page.get_by_label("House number").fill("12")
    await expect(found).to_contain_text("This home belongs to Lefier")
    assert await serious_accessibility_violations(page) == []

    await page.get_by_label("House number").fill("13")
    await expect(found).to_contain_text(NOT_FOUND_EN)


async def test_a_late_answer_to_an_older_lookup_is_ignored(live_server, conn, browser):
    await _lefier_home(conn)
    page = await browser.new_page(viewport=PHONE)
    first_asked, answer_first = asyncio.Event(), asyncio.Event()

    async def hold_the_first_lookup(route):
        if not first_asked.is_set():
            first_asked.set()
            await answer_first.wait()
        await route.continue_()

    await page.route("**/api/v1/addresses?*", hold_the_first_lookup)
    await page.goto(f"{live_server}/")
    found = page.locator("#address-lookup")
    await page.get_by_label("Postcode").fill("9711AB")
    await page.get_by_label("Huisnummer").fill("12")  # Lefier's: its answer is held back
    await asyncio.wait_for(first_asked.wait(), timeout=5)
    await page.get_by_label("Huisnummer").fill("99")
    await expect(found).to_contain_text(NOT_FOUND_NL)

    answer_first.set()
    await page.wait_for_timeout(500)
    await expect(found).to_contain_text(NOT_FOUND_NL)
    assert "Lefier" not in await found.inner_text()


async def test_the_form_works_without_javascript(live_server, conn, browser):
    await _lefier_home(conn)
    context = await browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = await context.new_page()
    await page.goto(f"{live_server}/")
    await page.get_by_label("Postcode").fill("9711 AB")
    await page.get_by_label("Huisnummer").fill("12")
    assert await page.locator("#address-lookup").inner_text() == ""
    await page.get_by_label("Scheur", exact=True).check()
    await page.get_by_label("Beschrijf de schade").fill("Scheur boven de voordeur.")
    await page.get_by_label("Naam").fill("Jan Jansen")
    await page.get_by_label("E-mailadres").fill("jan@example.nl")
    await page.get_by_role("button", name="Melding versturen").click()
    assert await page.locator("h1").inner_text() == "Uw melding is ontvangen"
    await context.close()
