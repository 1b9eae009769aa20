"""The tracking page's download of everything kept about the report, in a real browser:
the link is there on a phone and a desktop, in both languages, and the file arrives."""

import io
import zipfile

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
DESKTOP = {"width": 1280, "height": 900}


async def test_the_tenant_downloads_their_data_from_the_tracking_page(live_server, conn, browser):
    await factories.home(conn, await factories.corporation(conn, "lefier", "Lefier"), "9711AB", 12)
    async with httpx.AsyncClient(base_url=live_server) as http:
        created = (await http.post("/api/v1/reports", json=report_body())).json()
    path = created["tracking_url"].split("/t/", 1)[1]
    for viewport, language, words, json_name in (
        (PHONE, "nl", "Download alles wat wij over uw melding bewaren", "melding.json"),
        (DESKTOP, "en", "Download everything we keep about your report", "report.json"),
    ):
        page = await browser.new_page(viewport=viewport, accept_downloads=True)
        await page.goto(f"{live_server}/t/{path}&lang={language}")
        link = page.get_by_role("link", name=words)
        await link.scroll_into_view_if_needed()
        await screenshot(page, f"tracking-page-download-{language}")
        assert await serious_accessibility_violations(page) == []
        async with page.expect_download() as started:
            await link.click()
        download = await started.value
        assert download.suggested_filename.startswith(created["reference"])
        with zipfile.ZipFile(io.BytesIO((await download.path()).read_bytes())) as archive:
            assert archive.namelist() == [json_name]
        await page.close()
