"""Resolving and rejecting a case ask to confirm first, on a desktop and on a phone."""

from datetime import datetime, timedelta

import httpx

from service.domain.calendar import AMSTERDAM
from service.domain.dates_in_words import long_date
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


async def _inspected_case(conn, live_server) -> str:
    """A case of Lefier's, reported a week ago and inspected, with its findings on record."""
    lefier = await factories.corporation(conn, "lefier", "Lefier")
    await factories.home(conn, lefier, "9711AB", 12)
    inspector = await staff_member(conn, "inspector", lefier, "inge@lefier.nl", "Inge de Vries")
    async with httpx.AsyncClient(base_url=live_server) as http:
        reference = (await http.post("/api/v1/reports", json=report_body())).json()["reference"]
    await conn.execute(
        "UPDATE cases SET status = 'inspected', reported_at = reported_at - interval '7 days', "
        "acknowledged_at = now(), inspected_at = now() WHERE reference = $1",
        reference,
    )
    await conn.execute(
        """
        INSERT INTO case_findings
            (case_id, corporation_id, recorded_by, acute, earthquake_cause, visited_on)
        SELECT id, corporation_id, $2, false, 'likely', current_date FROM cases WHERE reference = $1
        """,
        reference,
        inspector,
    )
    return reference


async def test_resolving_and_rejecting_ask_to_confirm(live_server, conn, browser):
    reference = await _inspected_case(conn, live_server)
    repaired = datetime.now(AMSTERDAM).date() - timedelta(days=2)

    desktop = await (await browser.new_context(viewport={"width": 1100, "height": 900})).new_page()
    await sign_in(desktop, live_server, "inge@lefier.nl")
    await desktop.goto(f"{live_server}/cases/{reference}")
    await desktop.get_by_text("Afronden: schade hersteld", exact=True).first.click()
    await desktop.get_by_label("Datum van het herstel").fill(repaired.isoformat())
    await desktop.get_by_role("button", name="Afronden: schade hersteld").click()
    confirm = await desktop.locator("#confirm").inner_text()
    assert "Weet u zeker dat de schade is hersteld?" in confirm
    assert f"Hersteld op {long_date(repaired, 'nl')}." in confirm
    assert await serious_accessibility_violations(desktop) == []
    await screenshot(desktop, "case-page-confirm-resolved-nl")
    # Cancelling leaves the case as it was.
    await desktop.get_by_role("link", name="Nee, terug naar de zaak").click()
    assert await desktop.locator(".status").inner_text() == "Geïnspecteerd"

    phone = await (await browser.new_context(viewport=PHONE)).new_page()
    await sign_in(phone, live_server, "inge@lefier.nl", language="en")
    await phone.goto(f"{live_server}/cases/{reference}")
    await phone.get_by_text("Reject", exact=True).first.click()
    await phone.get_by_label("Reason for rejection").select_option("not_damage")
    await phone.get_by_role("button", name="Reject", exact=True).click()
    confirm = await phone.locator("#confirm").inner_text()
    assert "Are you sure you want to reject this report?" in confirm
    assert "Reason for rejection: Not damage" in confirm
    assert await serious_accessibility_violations(phone) == []
    await screenshot(phone, "case-page-confirm-rejected-en-phone")
    await phone.get_by_role("button", name="Yes, reject").click()
    assert await phone.get_by_role("status").inner_text() == "Saved."
    assert (
        await conn.fetchval("SELECT status FROM cases WHERE reference = $1", reference)
        == "rejected"
    )
