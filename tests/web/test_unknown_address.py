"""An address the service does not have: a page for a browser, problem details for the API."""

from litestar.testing import AsyncTestClient

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


async def test_a_browser_gets_a_page_in_its_language_with_a_way_home(client: AsyncTestClient):
    answer = await client.get("/meldingen/oud-adres", headers=BROWSER)
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html")
    assert "Pagina niet gevonden" in answer.text
    assert '<a href="/">Naar de startpagina</a>' in answer.text
    english = await client.get("/meldingen/oud-adres", headers={**BROWSER, "Accept-Language": "en"})
    assert "Page not found" in english.text or "Pagina niet gevonden" in english.text


async def test_api_clients_keep_problem_details(client: AsyncTestClient):
    for path, headers in (
        ("/api/v1/nothing-here", BROWSER),  # the API is JSON, whoever asks
        ("/meldingen/oud-adres", {"Accept": "application/json"}),
        ("/meldingen/oud-adres", {}),
    ):
        answer = await client.get(path, headers=headers)
        assert answer.status_code == 404
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["detail"] == "There is nothing at this address."


async def test_the_site_name_leads_home(client: AsyncTestClient):
    form = await client.get("/")
    assert '<a class="site-name" href="/">' in form.text
