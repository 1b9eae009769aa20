"""Headers of every answer, and the size of the headers a request may have.

Every dynamic answer says nosniff, no-store (tracking tokens and personal data stay out of
caches), and that no other site may frame it; pages and the API docs have a policy of their
own with frame-ancestors 'none'. Static files keep their caching. The request-header limit
and the missing server banner are checked against a real uvicorn: the test client has no
HTTP parser and no server.
"""

import logging

import httpx
import pytest
from litestar.testing import AsyncTestClient

from service.header_limits import MAX_HEADER_BYTES, MAX_HEADERS_BYTES
from tests.factories import report_body
from tests.web.session import sign_in
from tests.world import World


def assert_private(response: httpx.Response) -> None:
    what = f"{response.request.method} {response.request.url.path} {response.status_code}"
    assert response.headers["x-content-type-options"] == "nosniff", what
    assert response.headers["x-frame-options"] == "DENY", what
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"], what
    assert response.headers["cache-control"] == "no-store", what


async def test_every_kind_of_answer_is_private_and_unframeable(world: World, conn):
    client: AsyncTestClient = world.client
    created = await client.post("/api/v1/reports", json=report_body())
    reference, token = created.json()["reference"], created.json()["tracking_token"]
    coordinator = world.who("coordinator")
    answers = [
        created,  # the tracking token
        await client.get(f"/api/v1/reports/{reference}", headers={"X-Tracking-Token": token}),
        await client.get(f"/api/v1/cases/{reference}", headers=coordinator.headers),
        await client.get("/api/v1/cases.csv", headers=coordinator.headers),
        await client.get("/api/v1/categories"),
        await client.post("/api/v1/reports", json={}),  # 400
        await client.get("/api/v1/cases"),  # 401
        await client.get("/api/v1/nothing-here"),  # 404 without a route
        await client.delete("/api/v1/reports"),  # 405
        await client.get("/health"),
        await client.get("/"),  # the report form
        await client.get(f"/t/{reference}", params={"token": token}),  # the tracking page
        await client.get("/schema"),
        await client.get("/schema/openapi.json"),
    ]
    await sign_in(client, conn, coordinator.id)
    answers.append(await client.get("/work"))
    answers.append(await client.get(f"/cases/{reference}"))
    for response in answers:
        assert response.status_code < 500, response.text
        assert_private(response)
    assert {r.status_code for r in answers} >= {200, 201, 400, 401, 404, 405}


async def test_html_pages_and_the_api_docs_have_a_policy_without_inline_scripts(client):
    for path in ("/", "/login", "/schema", "/schema/swagger"):
        response = await client.get(path)
        assert response.headers["content-type"].startswith("text/html"), path
        policy = response.headers["content-security-policy"]
        assert "default-src 'self'" in policy, path
        assert "frame-ancestors 'none'" in policy, path
        assert "unsafe-inline" not in policy, path
        assert "<script>" not in response.text, path  # only <script src=...>
        assert "<style" not in response.text, path


async def test_static_files_keep_their_caching(client):
    for path in ("/static/site.css", "/schema/assets/swagger-ui.css"):
        response = await client.get(path)
        assert response.status_code == 200, path
        assert response.headers["x-content-type-options"] == "nosniff", path
        assert "cache-control" not in response.headers, path
        assert "last-modified" in response.headers, path


async def test_no_server_banner_and_oversized_headers_are_431(live_server):
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
        fine = await http.get("/health", headers={"X-Large": "x" * (MAX_HEADER_BYTES - 100)})
        assert fine.status_code == 200
        assert "server" not in fine.headers
        assert_private(fine)
        for headers in (
            {"X-Huge": "x" * 1_000_000},  # a megabyte, as the attack sent it
            {"Cookie": "a=" + "x" * MAX_HEADER_BYTES},  # one header just too large
            {f"X-Part-{n}": "x" * 15_000 for n in range(MAX_HEADERS_BYTES // 15_000 + 1)},
        ):
            for path in ("/health", "/api/v1/categories"):
                response = await http.get(path, headers=headers)
                assert response.status_code == 431, (path, response.text[:200])
                assert response.headers["content-type"].startswith("application/problem+json")
                assert "16 KB" in response.json()["detail"]
                assert "server" not in response.headers
            page = await http.get("/", headers=headers)  # a page answers with a page
            assert page.status_code == 431
            assert page.headers["content-type"].startswith("text/html")
            assert "Verzoek te groot" in page.text


async def test_the_access_log_has_the_status_a_middleware_refused_with(
    client, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.INFO, logger="service.access")
    oversized = await client.get("/health", headers={"X-Huge": "x" * 100_000})
    no_csrf_token = await client.post("/report", data={"name": "Jan"})
    assert (oversized.status_code, no_csrf_token.status_code) == (431, 403)
    lines = [r.getMessage() for r in caplog.records if r.name == "service.access"]
    assert lines[0].startswith("GET /health 431 ")
    assert lines[1].startswith("POST /report 403 ")
