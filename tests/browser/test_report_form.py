"""A tenant files a report on a phone, in Dutch, and reaches the tracking page."""

from playwright.async_api import expect

from tests import factories
from tests.browser.conftest import (
    PHONE,
    needs_chromium,
    screenshot,
    serious_accessibility_violations,
)

pytestmark = needs_chromium


async def test_tenant_reports_on_a_phone_and_reaches_the_tracking_page(live_server, conn, browser):
    await factories.home(conn, await factories.corporation(conn, "lefier", "Lefier"), "9711AB", 12)
    page = await browser.new_page(viewport=PHONE)
    await page.goto(f"{live_server}/")
    assert await page.get_attribute("html", "lang") == "nl"
    assert await serious_accessibility_violations(page) == []
    await screenshot(page, "report-form-nl")

    await page.get_by_label("Postcode").fill("0711 ab")  # not a postcode
    await page.get_by_label("Huisnummer").fill("12")
    await page.get_by_label("Scheur", exact=True).check()
    await page.get_by_label("Beschrijf de schade").fill("Scheur boven de voordeur.")
    await page.get_by_label("Naam").fill("Jan Jansen")
    await page.get_by_label("E-mailadres").fill("jan@example.nl")
    await page.get_by_role("button", name="Melding versturen").click()

    # The error stands next to the field; everything else is kept.
    error = page.locator("#postcode-error")
    assert await error.inner_text() == "Vul een geldige postcode in, zoals 9711 AB."
    assert await page.get_by_label("Postcode").get_attribute("aria-invalid") == "true"
    assert await page.get_by_label("Naam").input_value() == "Jan Jansen"
    assert (
        await page.get_by_label("Beschrijf de schade").input_value() == "Scheur boven de voordeur."
    )
    assert await page.get_by_label("Scheur", exact=True).is_checked()
    assert await serious_accessibility_violations(page) == []
    await screenshot(page, "report-form-error-nl")
    assert await conn.fetchval("SELECT count(*) FROM cases") == 0

    await page.get_by_label("Postcode").fill("9711 AB")
    await page.get_by_role("button", name="Melding versturen").click()
    assert await page.locator("h1").inner_text() == "Uw melding is ontvangen"
    reference = await conn.fetchval("SELECT reference FROM cases")
    done = await page.locator("main").inner_text()
    assert reference in done
    assert "Uw woning is van Lefier." in done  # and by when they will call
    # The answer cannot be fetched again: no language switch that would lose the link.
    assert await page.locator("a.language").count() == 0
    await screenshot(page, "report-done-nl")
    assert await serious_accessibility_violations(page) == []

    await page.get_by_role("link", name="Volg uw melding").click()
    assert await page.locator("h1").inner_text() == f"Uw melding {reference}"
    assert await page.locator(".status").inner_text() == "Doorgestuurd naar de corporatie"


async def test_the_language_switch_is_remembered(live_server, browser):
    page = await browser.new_page(viewport=PHONE)
    await page.goto(f"{live_server}/")
    await page.get_by_role("link", name="English").click()
    assert await page.get_attribute("html", "lang") == "en"
    assert await page.locator("h1").inner_text() == "Report damage"
    assert await serious_accessibility_violations(page) == []
    await screenshot(page, "report-form-en")
    await page.goto(f"{live_server}/")  # the cookie remembers
    assert await page.locator("h1").inner_text() == "Report damage"


async def test_every_option_is_a_tap_target_of_44_by_44_on_a_phone(live_server, browser):
    """WCAG 2.5.5: each radio button and checkbox, with its label, is at least 44 x 44 px,
    and a tap anywhere on that row chooses it."""
    page = await browser.new_page(viewport=PHONE)
    await page.goto(f"{live_server}/")
    options = page.locator(".choice input[type=radio], .choice input[type=checkbox]")
    assert await options.count() >= 2
    for index in range(await options.count()):
        option = options.nth(index)
        label = page.locator(f"label[for='{await option.get_attribute('id')}']")
        box, target = await option.bounding_box(), await label.bounding_box()
        assert box
        assert target
        assert target["width"] >= 44
        assert target["height"] >= 44
        # The label's row takes in the box: the whole row is one target.
        assert target["x"] <= box["x"]
        assert box["x"] + box["width"] <= target["x"] + target["width"]
        assert target["y"] <= box["y"]
        assert box["y"] + box["height"] <= target["y"] + target["height"]
    acute = page.get_by_label("Het is gevaarlijk, of het kan elk moment gevaarlijk worden (acuut)")
    await page.locator("label[for='acute']").scroll_into_view_if_needed()
    row = await page.locator("label[for='acute']").bounding_box()
    assert row
    # The right end of the row, away from the box and the words.
    await page.mouse.click(row["x"] + row["width"] - 5, row["y"] + row["height"] / 2)
    assert await acute.is_checked()
    await screenshot(page, "report-form-options-nl")


async def test_every_wrong_field_is_named_and_a_home_outside_the_area_can_still_be_sent(
    live_server, conn, browser
):
    lefier = await factories.corporation(conn, "lefier", "Lefier")
    await factories.home(conn, lefier, "9711AB", 14, house_letter="A", street="Herestraat")
    page = await browser.new_page(viewport=PHONE)
    await page.goto(f"{live_server}/")
    await page.get_by_label("Postcode").fill("97111 A")
    await page.get_by_label("Huisnummer").fill("14a")
    await page.get_by_label("Scheur", exact=True).check()
    await page.get_by_label("Beschrijf de schade").fill("x")
    await page.get_by_label("Naam").fill("Jan Jansen")
    await page.get_by_label("E-mailadres").fill("jan@")
    await page.get_by_role("button", name="Melding versturen").click()

    # All three at once, in the summary at the top and beside each field.
    summary = page.locator("#form-errors")
    assert await summary.get_attribute("role") == "alert"
    links = summary.get_by_role("link")
    assert await links.count() == 3
    for field in ("postcode", "description", "email"):
        assert await page.locator(f"#{field}-error").count() == 1
        assert await page.locator(f"#{field}").get_attribute("aria-invalid") == "true"
    await links.first.click()
    assert await page.evaluate("document.activeElement.id") == "postcode"
    assert await serious_accessibility_violations(page) == []
    await screenshot(page, "report-form-all-errors-nl")

    # Amsterdam: the form says what the service is for, and sends it once the tenant says so.
    await page.get_by_label("Postcode").fill("1011 AB")
    await page.get_by_label("Beschrijf de schade").fill("Scheur boven de voordeur.")
    await page.get_by_label("E-mailadres").fill("jan@example.nl")
    await page.get_by_role("button", name="Melding versturen").click()
    notice = page.locator("#outside-area")
    assert "Groningen en het noorden van Drenthe" in await notice.inner_text()
    assert await page.locator("#form-errors").count() == 0
    assert await serious_accessibility_violations(page) == []
    await screenshot(page, "report-form-outside-area-nl")
    assert await conn.fetchval("SELECT count(*) FROM cases") == 0
    await page.get_by_label("De postcode klopt").check()
    await page.get_by_role("button", name="Melding versturen").click()
    assert await page.locator("h1").inner_text() == "Uw melding is ontvangen"
    row = await conn.fetchrow("SELECT postcode, house_number, house_letter FROM cases")
    assert tuple(row) == ("1011AB", 14, "A")


async def test_the_lookup_reads_a_house_number_with_its_letter(live_server, conn, browser):
    lefier = await factories.corporation(conn, "lefier", "Lefier")
    await factories.home(
        conn, lefier, "9711AB", 14, house_letter="A", street="Herestraat", city="Groningen"
    )
    page = await browser.new_page(viewport=PHONE)
    await page.goto(f"{live_server}/")
    await page.get_by_label("Postcode").fill("9711 AB")
    await page.get_by_label("Huisnummer").fill("14a")
    await expect(page.locator("#address-lookup")).to_contain_text("Herestraat 14A")
