"""Headless Chromium (Debian's, driven by Playwright) against the app under a real uvicorn."""

import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.conftest import REPO

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium")
SCREENSHOTS = REPO / "test-output" / "screenshots"
PHONE = {"width": 390, "height": 844}

# CI installs Chromium (.ci/run); only a developer's machine without it may skip.
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="needs Debian's chromium (apt-get install chromium)",
)


@pytest.fixture
async def browser() -> AsyncIterator:
    from playwright.async_api import async_playwright

    assert CHROMIUM, "chromium is not installed: apt-get install chromium"
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        await browser.close()


async def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    await page.screenshot(path=str(path), full_page=True)
    return path


async def serious_accessibility_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page, as readable lines."""
    from axe_playwright_python.async_playwright import Axe

    results = await Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} element(s)"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


PASSWORD = "correct horse battery"


async def staff_member(conn, role: str, corporation_id: int | None, email: str, name: str) -> int:
    """A user of role who can sign in to the web pages with PASSWORD."""
    from service.auth.secrets import hash_password
    from tests import factories

    user_id = await factories.user(conn, role, corporation_id, email=email, name=name)
    await conn.execute(
        "UPDATE users SET password_hash = $1 WHERE id = $2", hash_password(PASSWORD), user_id
    )
    return user_id


async def sign_in(page, base_url: str, email: str, language: str = "nl") -> None:
    await page.goto(f"{base_url}/login?lang={language}")
    await submit_sign_in(page, email)
    await page.wait_for_url(f"{base_url}/work")


async def submit_sign_in(page, email: str) -> None:
    """Fill in and send the sign-in form the page shows."""
    await page.locator("#email").fill(email)
    await page.locator("#password").fill(PASSWORD)
    await page.locator("main button[type=submit]").click()
