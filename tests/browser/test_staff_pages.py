"""An inspector signs in, sees the queue with acute cases on top, and signs out."""

from datetime import UTC, datetime, timedelta

import httpx

from tests import factories
from tests.browser.conftest import (
    PASSWORD,
    needs_chromium,
    screenshot,
    serious_accessibility_violations,
    staff_member,
)
from tests.factories import report_body

pytestmark = needs_chromium


async def test_inspector_signs_in_and_works_the_queue(live_server, conn, browser):
    lefier = await factories.corporation(conn, "lefier", "Lefier")
    acantus = await factories.corporation(conn, "acantus", "Acantus")
    await factories.home(conn, lefier, "9711AB", 12)
    await factories.home(conn, acantus, "9601AA", 3)
    await staff_member(conn, "inspector", lefier, "inge@example.nl", "Inge")
    async with httpx.AsyncClient(base_url=live_server) as http:
        normal = (await http.post("/api/v1/reports", json=report_body())).json()
        acute = (await http.post("/api/v1/reports", json=report_body(acute=True))).json()
        other = (
            await http.post(
                "/api/v1/reports",
                json=report_body(address={"postcode": "9601AA", "house_number": 3}),
            )
        ).json()
    # The normal case is overdue; it still comes after the acute one.
    past = datetime.now(UTC) - timedelta(days=1)
    await conn.execute(
        "UPDATE cases SET reported_at = $2::timestamptz - interval '3 days', acknowledge_by = $2 "
        "WHERE reference = $1",
        normal["reference"],
        past,
    )

    page = await browser.new_page()
    await page.goto(f"{live_server}/work")
    assert page.url.endswith("/login?next=%2Fwork")
    assert await serious_accessibility_violations(page) == []
    # The password field is styled as the e-mail field is: as wide, not a tiny native box.
    email_box = await page.get_by_label("E-mailadres").bounding_box()
    password_box = await page.get_by_label("Wachtwoord").bounding_box()
    assert email_box
    assert password_box
    assert password_box["width"] == email_box["width"]
    assert password_box["height"] == email_box["height"]
    await page.get_by_label("E-mailadres").fill("inge@example.nl")
    await page.get_by_label("Wachtwoord").fill("wrong password")
    await page.get_by_role("button", name="Inloggen").click()
    assert await page.get_by_role("alert").inner_text() == (
        "Dit e-mailadres en wachtwoord horen niet bij elkaar."
    )
    assert await page.get_by_label("E-mailadres").input_value() == "inge@example.nl"
    await page.get_by_label("Wachtwoord").fill(PASSWORD)
    await page.get_by_role("button", name="Inloggen").click()

    assert page.url.endswith("/work")
    references = await page.locator(".work-table tbody th.reference > a").all_inner_texts()
    assert references == [acute["reference"], normal["reference"]]  # acute on top; no Acantus
    assert other["reference"] not in await page.content()
    badges = await page.locator(".work-table .badge").all_inner_texts()
    assert "Acuut" in badges
    assert "Te laat" in badges
    assert await serious_accessibility_violations(page) == []
    await screenshot(page, "work-queue-nl")
    cookie = next(c for c in await page.context.cookies() if c["name"] == "session")
    assert cookie["httpOnly"]

    # A session ends on its own after a working day; signing in again leads back.
    await conn.execute("UPDATE api_tokens SET expires_at = now() WHERE label = 'web session'")
    await page.goto(f"{live_server}/work?deadline=breached")
    assert page.url.endswith("/login?next=%2Fwork%3Fdeadline%3Dbreached")
    await page.get_by_label("E-mailadres").fill("inge@example.nl")
    await page.get_by_label("Wachtwoord").fill(PASSWORD)
    await page.get_by_role("button", name="Inloggen").click()
    assert page.url.endswith("/work?deadline=breached")
    assert await page.locator(".work-table tbody th.reference > a").all_inner_texts() == [
        normal["reference"]
    ]
    # The filters are a plain form: choose, show, and the choice stays.
    await page.get_by_label("Termijn").select_option("")
    await page.get_by_label("Acuut").select_option("true")
    await page.get_by_role("button", name="Toon").click()
    assert await page.locator(".work-table tbody th.reference > a").all_inner_texts() == [
        acute["reference"]
    ]
    assert await page.get_by_label("Acuut").input_value() == "true"

    await page.get_by_role("button", name="Uitloggen").click()
    assert page.url.endswith("/login")
    await page.goto(f"{live_server}/work")
    assert page.url.endswith("/login?next=%2Fwork")  # the session was revoked
    assert await conn.fetchval(
        "SELECT revoked_at IS NOT NULL FROM api_tokens WHERE label = 'web session' "
        "ORDER BY id DESC LIMIT 1"
    )
