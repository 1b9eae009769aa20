"""axe-core on every page, in Dutch and in English, on a phone: nothing serious or critical.

Each page is also checked for the language it claims, and saved as a screenshot.
"""

import httpx
import pytest

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
HEADINGS = {
    "nl": {"report": "Schade melden", "work": "Werkvoorraad", "login": "Inloggen"},
    "en": {"report": "Report damage", "work": "Work queue", "login": "Sign in"},
}


async def _check(page, name: str, language: str) -> None:
    assert await page.get_attribute("html", "lang") == language, name
    assert await serious_accessibility_violations(page) == [], name
    await screenshot(page, f"a11y-{name}-{language}")


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_every_page_passes_the_accessibility_check(live_server, conn, browser, language):
    lefier = await factories.corporation(conn, "lefier", "Lefier")
    await factories.home(conn, lefier, "9711AB", 12)
    await staff_member(conn, "coordinator", None, "cor@regio.nl", "Cor Dijkstra")
    await staff_member(conn, "inspector", lefier, "inge@lefier.nl", "Inge de Vries")
    body = report_body(acute=True)
    body["reporter"]["language"] = language
    async with httpx.AsyncClient(base_url=live_server) as http:
        routed = (await http.post("/api/v1/reports", json=body)).json()
        unrouted = (
            await http.post(
                "/api/v1/reports",
                json=report_body(address={"postcode": "9711AB", "house_number": 99}),
            )
        ).json()
    headings = HEADINGS[language]
    page = await browser.new_page(viewport=PHONE)

    # The tenant's pages.
    await page.goto(f"{live_server}/?lang={language}")
    assert await page.locator("h1").inner_text() == headings["report"]
    await _check(page, "report-form", language)
    await page.locator("main button[type=submit]").click()  # nothing filled in
    assert await page.locator(".error").count() >= 3
    # Issue 13, point 5: the answer to the form keeps the switch to the other language.
    assert await page.locator("button.language").is_visible()
    await _check(page, "report-form-errors", language)
    await page.locator("#postcode").fill("9711 AB")
    await page.locator("#house_number").fill("12")
    await page.locator("input[name=category]").first.check()
    await page.locator("#description").fill("Scheur in de muur.")
    await page.locator("#name").fill("Jan Jansen")
    await page.locator("#email").fill("jan@example.nl")
    await page.locator("main button[type=submit]").click()
    await _check(page, "report-done", language)
    await page.goto(f"{live_server}/t/{routed['tracking_url'].split('/t/', 1)[1]}")
    await _check(page, "tracking", language)
    await page.goto(f"{live_server}/t/{routed['reference']}?token=wrong")
    assert (await page.goto(page.url)).status == 404
    await _check(page, "tracking-not-found", language)

    # The staff pages, as a coordinator, who sees all of them.
    await page.goto(f"{live_server}/login?lang={language}")
    assert await page.locator("h1").inner_text() == headings["login"]
    # Issue 13, point 11: the password field is as wide as the e-mail field.
    email_box = await page.locator("#email").bounding_box()
    password_box = await page.locator("#password").bounding_box()
    assert email_box
    assert password_box
    assert password_box["width"] == email_box["width"]
    await _check(page, "login", language)
    await page.locator("#email").fill("cor@regio.nl")
    await page.locator("#password").fill("not the password")
    await page.locator("main button[type=submit]").click()
    await _check(page, "login-failed", language)
    await sign_in(page, live_server, "cor@regio.nl", language)
    assert await page.locator("h1").inner_text() == headings["work"]
    await _check(page, "work", language)
    await page.goto(f"{live_server}/cases/{routed['reference']}")
    await _check(page, "case", language)
    await page.locator("#move-on_hold summary").click()
    await page.locator("#move-on_hold button[type=submit]").click()  # no reason given
    assert await page.locator("#move-on_hold-reason-error").count() == 1
    await _check(page, "case-form-error", language)
    await page.goto(f"{live_server}/cases/SCH-2000-999999")
    await _check(page, "case-not-found", language)
    await page.goto(f"{live_server}/triage")
    assert unrouted["reference"] in await page.locator("main").inner_text()
    await _check(page, "triage", language)
    await page.goto(f"{live_server}/dashboard")
    await _check(page, "dashboard", language)
    # Issue 13, point 11: an address that does not exist is a page, not JSON.
    response = await page.goto(f"{live_server}/no/such/page")
    assert response is not None
    assert response.status == 404
    assert await page.locator("main a[href='/'], main a[href='/work']").count() == 1
    await _check(page, "page-not-found", language)

    # A page an inspector may not see.
    inspector = await browser.new_page(viewport=PHONE)
    await sign_in(inspector, live_server, "inge@lefier.nl", language)
    response = await inspector.goto(f"{live_server}/dashboard")
    assert response is not None
    assert response.status == 403
    await _check(inspector, "forbidden", language)


async def _tab_to(page, selector: str, most: int = 40) -> None:
    """Press Tab until the element is focused: it can be reached by keyboard, in order."""
    target = page.locator(selector)
    for _ in range(most):
        await page.keyboard.press("Tab")
        if await target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


async def test_an_inspector_works_by_keyboard_alone(live_server, conn, browser):
    lefier = await factories.corporation(conn, "lefier", "Lefier")
    await factories.home(conn, lefier, "9711AB", 12)
    await staff_member(conn, "inspector", lefier, "inge@lefier.nl", "Inge de Vries")
    async with httpx.AsyncClient(base_url=live_server) as http:
        created = (await http.post("/api/v1/reports", json=report_body())).json()
    reference = created["reference"]

    page = await browser.new_page()
    await page.goto(f"{live_server}/login")
    await page.keyboard.press("Tab")
    assert await page.evaluate("document.activeElement.textContent") == "Naar de inhoud"
    await _tab_to(page, "#email")
    await page.keyboard.type("inge@lefier.nl")
    await page.keyboard.press("Tab")
    await page.keyboard.type("correct horse battery")
    await page.keyboard.press("Enter")
    await page.wait_for_url(f"{live_server}/work")

    await _tab_to(page, f"a[href='/cases/{reference}']")
    await page.keyboard.press("Enter")
    await page.wait_for_url(f"{live_server}/cases/{reference}")
    await _tab_to(page, "#move-on_hold summary")
    await page.keyboard.press("Enter")  # opens the form
    await _tab_to(page, "#move-on_hold-reason")
    await page.keyboard.type("Huurder belt terug na de vakantie")
    await _tab_to(page, "#move-on_hold button[type=submit]")
    await page.keyboard.press("Enter")
    await page.wait_for_url(f"{live_server}/cases/{reference}?outcome=saved")
    assert await page.locator(".status").inner_text() == "In de wacht"
    await screenshot(page, "keyboard-on-hold-nl")
