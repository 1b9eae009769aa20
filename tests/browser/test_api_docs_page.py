"""The API documentation renders in a browser that can reach nothing but the service.

Under its own Content-Security-Policy: a blocked script or style shows in the console.
"""

from urllib.parse import urlsplit

from tests.browser.conftest import needs_chromium, screenshot

pytestmark = needs_chromium


async def test_swagger_ui_renders_the_api_at_schema_without_internet(live_server, browser):
    origin = urlsplit(live_server).netloc
    elsewhere: list[str] = []
    errors: list[str] = []

    async def only_the_service(route) -> None:
        url = urlsplit(route.request.url)
        if url.scheme in ("http", "https") and url.netloc != origin:
            elsewhere.append(route.request.url)
            await route.abort()
        else:
            await route.continue_()

    page = await browser.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    await page.route("**/*", only_the_service)
    response = await page.goto(f"{live_server}/schema")
    assert response is not None
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]

    # Swagger UI draws one block per operation; /api/v1/reports is one of them.
    await page.locator(".opblock").first.wait_for(timeout=15_000)
    assert await page.locator(".opblock-summary-path", has_text="/api/v1/reports").count() >= 1
    assert await page.get_by_text("Unable to render this definition").count() == 0
    await screenshot(page, "api-docs")
    assert elsewhere == []
    assert errors == []
