"""The "lost your link?" page, reached from the tracking page's "not found": by keyboard and
mouse alike, axe-core finds nothing serious, in Dutch and in English."""

import httpx
import pytest

from tests import factories
from tests.browser.conftest import (
    PHONE,
    needs_chromium,
    screenshot,
    serious_accessibility_violations,
)
from tests.factories import report_body

pytestmark = needs_chromium
TEXTS = {
    "nl": ("Link kwijt?", "Dit is geen e-mailadres.", "hebben wij een e-mail gestuurd"),
    "en": ("Lost your link?", "This is not an e-mail address.", "we have sent an e-mail"),
}


async def _check(page, name: str, language: str) -> None:
    assert await page.get_attribute("html", "lang") == language, name
    assert await serious_accessibility_violations(page) == [], name
    await screenshot(page, f"lost-link-{name}-{language}")


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_a_tenant_asks_for_their_links_again(live_server, conn, browser, language):
    lefier = await factories.corporation(conn, "lefier", "Lefier")
    await factories.home(conn, lefier, "9711AB", 12)
    async with httpx.AsyncClient(base_url=live_server) as http:
        created = (await http.post("/api/v1/reports", json=report_body())).json()
    title, bad_email, sent = TEXTS[language]
    page = await browser.new_page(viewport=PHONE)

    await page.goto(f"{live_server}/t/{created['reference']}?token=wrong&lang={language}")
    await page.locator("main a[href='/lost-link']").click()
    assert await page.locator("h1").inner_text() == title
    await _check(page, "form", language)

    await page.locator("#email").fill("jan")
    await page.locator("main button[type=submit]").click()
    assert (await page.locator("#email-error").inner_text()).startswith(bad_email)
    await _check(page, "error", language)

    await page.locator("#email").fill("jan@example.nl")
    await page.locator("#email").press("Enter")
    await page.wait_for_selector("[role=status]")
    assert sent in await page.locator("[role=status]").inner_text()
    await _check(page, "sent", language)
    assert await conn.fetchval("SELECT count(*) FROM outbox WHERE kind = 'tenant_links'") == 1
