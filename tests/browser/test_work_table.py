"""Issue 13, point 7: 31 cases as cards made a 4,535 px page; as a table they fit on one
screen and a half, sort by a click on a heading, and fit a phone without scrolling sideways."""

from datetime import UTC, datetime

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
DESKTOP = {"width": 1280, "height": 900}
EMAIL = "inge@lefier.nl"

# 30 more cases like the first: other streets, kinds of damage, deadlines and report days.
_MORE_CASES = """
INSERT INTO cases (reference, category, acute, urgency, description, status, corporation_id,
    postcode, house_number, street, city, reporter_id, tracking_token_hash,
    acknowledge_by, inspect_by, resolve_by, reported_at)
SELECT 'SCH-2026-' || lpad((900000 + n)::text, 6, '0'),
       (ARRAY['crack', 'subsidence', 'unsafe_situation', 'other'])[1 + n % 4], false, 'normal',
       c.description, 'new', c.corporation_id, c.postcode, n,
       (ARRAY['Oude Boteringestraat', 'Herestraat', 'Damsterdiep', 'Hoofdweg'])[1 + n % 4],
       c.city, c.reporter_id, c.tracking_token_hash,
       $2::timestamptz + (n - 8) * interval '1 day', $2::timestamptz + (n + 20) * interval '1 day',
       $2::timestamptz + (n + 60) * interval '1 day', $2::timestamptz - (n % 9) * interval '1 day'
FROM cases c, generate_series(1, 30) AS n
WHERE c.reference = $1
"""


async def _thirty_one_cases(conn, live_server) -> str:
    """Lefier's 31 open cases; the first is Inge's and its tenant has added a message."""
    lefier = await factories.corporation(conn, "lefier", "Lefier")
    await factories.home(conn, lefier, "9711AB", 12)
    inge = await staff_member(conn, "inspector", lefier, EMAIL, "Inge de Vries")
    async with httpx.AsyncClient(base_url=live_server) as http:
        first = (await http.post("/api/v1/reports", json=report_body())).json()
        await conn.execute(
            "UPDATE cases SET assignee_id = $2 WHERE reference = $1", first["reference"], inge
        )
        added = await http.post(
            f"/api/v1/reports/{first['reference']}/messages",
            json={"text": "De scheur is langer geworden."},
            headers={"X-Tracking-Token": first["tracking_token"]},
        )
        assert added.status_code == 201, added.text
    await conn.execute(_MORE_CASES, first["reference"], datetime.now(UTC))
    return first["reference"]


async def test_the_queue_is_a_table_on_a_desktop_and_fits_a_phone(live_server, conn, browser):
    reference = await _thirty_one_cases(conn, live_server)

    for language, count, marker, heading in (
        ("nl", "31 zaken", "Nieuw van huurder", "Gemeld op"),
        ("en", "31 cases", "New from tenant", "Reported on"),
    ):
        desktop = await (await browser.new_context(viewport=DESKTOP)).new_page()
        await sign_in(desktop, live_server, EMAIL, language)
        assert await desktop.locator("#work-count").inner_text() == count
        assert await desktop.locator(".work-table tbody tr").count() == 31
        news = desktop.locator(".work-table tbody tr", has_text=marker)
        assert await news.locator("th a").all_inner_texts() == [reference]
        await screenshot(desktop, f"work-table-desktop-{language}")
        height = await desktop.evaluate("document.documentElement.scrollHeight")
        assert height < 2000, height
        assert await serious_accessibility_violations(desktop) == []

        await desktop.get_by_role("link", name=heading).click()
        await desktop.wait_for_url("**/work?sort=reported")
        sorted_heading = desktop.locator("th[aria-sort]")
        assert await sorted_heading.get_attribute("aria-sort") == "ascending"
        assert heading in await sorted_heading.inner_text()

        phone = await (await browser.new_context(viewport=PHONE)).new_page()
        await sign_in(phone, live_server, EMAIL, language)
        overflow = await phone.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow == 0
        assert await phone.get_by_text(marker).is_visible()
        assert await serious_accessibility_violations(phone) == []
        await screenshot(phone, f"work-table-phone-{language}")
