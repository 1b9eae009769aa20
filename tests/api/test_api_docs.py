"""The API documentation at /schema works without internet: the service serves every asset itself."""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

DOC_PAGES = ["/schema", "/schema/swagger"]
# A URL with a host in an inline script or style: scheme://host, or //host in quotes or url(...).
URL_WITH_HOST = re.compile(r"""\b[a-z][a-z0-9+.-]*://[^\s'"<>)]+|(?<=['"(])//[^/\s'"<>)]+""", re.I)
CONTENT_TYPES = {
    ".js": ("text/javascript", "application/javascript"),
    ".css": ("text/css",),
    ".png": ("image/png",),
}


class _Page(HTMLParser):
    """Every src= and href= of the page, and the text of its inline scripts and styles."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.inline: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value is not None:
                self.links.append((tag, name, value))
        if tag in ("script", "style"):
            self._in = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self.inline.append(data)


async def _page(client, path: str) -> tuple[str, _Page]:
    response = await client.get(path)
    assert response.status_code == 200, path
    assert response.headers["content-type"].startswith("text/html"), path
    page = _Page()
    page.feed(response.text)
    page.close()
    return str(response.url), page


@pytest.mark.parametrize("path", DOC_PAGES)
async def test_the_docs_page_loads_nothing_from_another_host(client, path):
    page_url, page = await _page(client, path)
    origin = urlsplit(page_url)

    assert page.links, "the page links no assets at all"
    foreign = [
        f"<{tag} {attribute}={value!r}>"
        for tag, attribute, value in page.links
        if (url := urlsplit(urljoin(page_url, value))).scheme != "data"
        and (url.scheme, url.netloc) != (origin.scheme, origin.netloc)
    ]
    assert foreign == []
    inline_urls = [url for text in page.inline for url in URL_WITH_HOST.findall(text)]
    assert inline_urls == []


@pytest.mark.parametrize("path", DOC_PAGES)
async def test_every_asset_of_the_docs_page_is_served_with_its_type(client, path):
    page_url, page = await _page(client, path)
    scripts = [value for tag, _, value in page.links if tag == "script"]
    styles = [value for tag, _, value in page.links if tag == "link"]
    assert scripts, "no <script src=...>: Swagger UI's bundle and preset"
    assert styles, "no <link href=...>: Swagger UI's stylesheet"

    for value in scripts + styles:
        response = await client.get(urljoin(page_url, value))
        assert response.status_code == 200, value
        suffix = "." + urlsplit(value).path.rsplit(".", 1)[-1]
        assert response.headers["content-type"].startswith(CONTENT_TYPES[suffix]), (
            value,
            response.headers["content-type"],
        )
        assert response.content, value


async def test_the_served_swagger_ui_can_render_the_documents_openapi_version(client):
    """Swagger UI before 5 refuses OpenAPI 3.1 ("Unable to render this definition"): a blank
    page of another kind. Version 5's bundle carries the OpenAPI 3.1 plugin (its isOAS31)."""
    document = (await client.get("/schema/openapi.json")).json()
    page_url, page = await _page(client, "/schema")
    bundles = [value for tag, _, value in page.links if tag == "script" and "bundle" in value]
    assert len(bundles) == 1, "the page loads no (or more than one) Swagger UI bundle"
    source = (await client.get(urljoin(page_url, bundles[0]))).content

    assert document["openapi"].startswith("3.1")
    assert b"isOAS31" in source


async def test_the_openapi_document_is_still_served(client):
    response = await client.get("/schema/openapi.json")

    assert response.status_code == 200
    document = response.json()
    assert document["info"]["title"] == "Groningen earthquake-damage case tracker"
    assert "/api/v1/reports" in document["paths"]
