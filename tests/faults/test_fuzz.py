"""Fuzz: every endpoint that takes a body gets malformed ones and answers 4xx, never 500.

The endpoints come from the app's own route list, so a new one is fuzzed without a change
here: JSON endpoints (a JSON body declared) answer problem+json, page forms (a form body
declared) an HTML page. Bodies: deep nesting, bytes that are not UTF-8, NUL bytes, numbers
beyond any range, wrong types, truncated JSON, an empty body and one of 2 MB; then each field
of the endpoint's own Struct with values of the wrong kind. Over-long headers answer 431.
"""

from dataclasses import dataclass
from typing import Any

import msgspec
import pytest
from litestar import Litestar
from litestar.enums import RequestEncodingType
from litestar.routes import HTTPRoute

from tests.factories import if_match
from tests.web.session import csrf_token, sign_in
from tests.world import World

MALFORMED: tuple[tuple[str, bytes], ...] = (
    ("arrays nested 100,000 deep", b"[" * 100_000),
    ("objects nested 100,000 deep", b'{"a":' * 100_000),
    ("complete but 5,000 deep", b"[" * 5_000 + b"]" * 5_000),
    ("bytes that are not UTF-8", b"\xff\xfe\xfd"),
    ("not UTF-8 inside a string", b'{"text": "\xff\xfe", "reason": "\xc0\xaf"}'),
    ("a lone surrogate", b'{"text": "\\ud800", "reason": "\\udfff"}'),
    ("a NUL byte", b'{"text": "a"}\x00'),
    ("a NUL byte in a key", b'{"te\x00xt": "a"}'),
    ("an integer of 5,000 digits", b'{"assignee_id": ' + b"9" * 5_000 + b"}"),
    ("a number beyond float", b'{"assignee_id": 1e400}'),
    ("a list", b"[]"),
    ("a number", b"42"),
    ("a string", b'"text"'),
    ("null", b"null"),
    ("true", b"true"),
    ("truncated in a string", b'{"text": "unfinished'),
    ("truncated in a list", b'{"items": [1, 2'),
    ("truncated after a key", b'{"text"'),
    ("trailing garbage", b'{"text": "a"} {"text": "b"}'),
    ("2 MB", b'{"text": "' + b"x" * 2_000_000 + b'"}'),
    ("empty", b""),
)
# Put in each field of a body in turn: wrong types, numbers beyond bigint, text PostgreSQL
# cannot store. Some are right for some field; then the answer may be 2xx, but never 5xx.
WRONG_VALUES: tuple[Any, ...] = (
    1.5, 2**63, -(2**63) - 1, 10**30, -1, 0, "x", "", "²", True, None, [], {}, [[[[[]]]]],
    {"a": {"b": {}}}, "\u0000", "x" * 6_000, "1986-01-01T25:00:00",
)  # fmt: skip
OVERSIZED_HEADER = {"X-Oversized": "x" * 100_000}


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # as routed: /api/v1/cases/{reference:str}/notes
    body: Any  # the declared body type
    media_type: RequestEncodingType

    def url(self, reference: str) -> str:
        # An attachment nobody has: its routes still read the body and answer.
        return self.path.replace("{reference:str}", reference).replace(
            "{attachment_id:uuid}", "00000000-0000-4000-8000-000000000000"
        )


def endpoints_with_a_body(app: Litestar) -> list[Endpoint]:
    found = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            data = handler.parsed_fn_signature.parameters.get("data")
            if data is not None:
                body = data.annotation
                media_type = getattr(data.kwarg_definition, "media_type", RequestEncodingType.JSON)
            elif handler.opt.get("multipart_page_form"):  # reads Request.form() itself
                body, media_type = None, RequestEncodingType.MULTI_PART
            else:
                continue
            for method in sorted(handler.http_methods & {"POST", "PUT", "PATCH"}):
                found.append(Endpoint(method, route.path, body, media_type))
    return found


def bodies_of_wrong_fields(body_type: Any) -> list[bytes]:
    """Each field of the body's Struct, alone, with each wrong value."""
    if not (isinstance(body_type, type) and issubclass(body_type, msgspec.Struct)):
        return []
    return [
        msgspec.json.encode({field.encode_name: value})
        for field in msgspec.structs.fields(body_type)
        for value in WRONG_VALUES
    ]


@pytest.fixture
async def fuzzed(world: World, conn) -> dict[str, Any]:
    """A case to aim at, the headers that open its endpoints, a signed-in page session."""
    created = await world.report()
    admin = world.who("admin")
    await sign_in(world.client, conn, admin.id)
    page = await world.client.get(f"/cases/{created['reference']}")
    return {
        "reference": created["reference"],
        "api_headers": {
            **admin.headers,
            **if_match(1),
            "X-Tracking-Token": created["tracking_token"],
            "Content-Type": "application/json",
        },
        "form_headers": {
            "X-CSRFToken": csrf_token(page.text),
            "Content-Type": "application/x-www-form-urlencoded",
        },
    }


def assert_refused_as_json(response, what: str) -> None:
    assert 400 <= response.status_code < 500, (what, response.status_code, response.text[:200])
    assert response.headers["content-type"].startswith("application/problem+json"), what
    assert response.json()["status"] == response.status_code, what
    assert response.headers["x-content-type-options"] == "nosniff", what
    assert response.headers["cache-control"] == "no-store", what


def assert_refused_as_page(response, what: str) -> None:
    assert 400 <= response.status_code < 500, (what, response.status_code, response.text[:200])
    assert response.headers["content-type"].startswith("text/html"), (what, response.text[:200])
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"], what


async def test_the_route_list_finds_the_endpoints(world: World):
    found = {(e.method, e.path, e.media_type) for e in endpoints_with_a_body(world.client.app)}
    assert ("POST", "/api/v1/reports", RequestEncodingType.JSON) in found
    assert ("PUT", "/api/v1/cases/{reference:str}/assignee", RequestEncodingType.JSON) in found
    assert ("POST", "/report", RequestEncodingType.MULTI_PART) in found
    assert ("POST", "/t/{reference:str}/message", RequestEncodingType.URL_ENCODED) in found
    assert len(found) >= 15


async def test_every_json_endpoint_refuses_malformed_bodies(world: World, fuzzed):
    client = world.client
    json_endpoints = [
        e for e in endpoints_with_a_body(client.app) if e.media_type is RequestEncodingType.JSON
    ]
    for endpoint in json_endpoints:
        url = endpoint.url(fuzzed["reference"])
        for name, body in MALFORMED:
            response = await client.request(
                endpoint.method, url, content=body, headers=fuzzed["api_headers"]
            )
            assert_refused_as_json(response, f"{endpoint.method} {endpoint.path}: {name}")
        for body in bodies_of_wrong_fields(endpoint.body):
            response = await client.request(
                endpoint.method, url, content=body, headers=fuzzed["api_headers"]
            )
            what = f"{endpoint.method} {endpoint.path}: {body[:60]!r}"
            assert response.status_code < 500, (what, response.text[:200])
        response = await client.request(
            endpoint.method,
            url,
            content=b"{}",
            headers={**fuzzed["api_headers"], **OVERSIZED_HEADER},
        )
        assert response.status_code == 431, endpoint.path
        assert_refused_as_json(response, f"{endpoint.path}: an oversized header")


async def test_every_page_form_answers_malformed_bodies_with_a_page(world: World, fuzzed):
    client = world.client
    forms = [
        e
        for e in endpoints_with_a_body(client.app)
        if e.media_type in (RequestEncodingType.URL_ENCODED, RequestEncodingType.MULTI_PART)
    ]
    answers = set()
    for endpoint in forms:
        url = endpoint.url(fuzzed["reference"])
        for name, body in MALFORMED:
            response = await client.request(
                endpoint.method,
                url,
                content=body,
                headers=fuzzed["form_headers"],
                follow_redirects=False,
            )
            what = f"{endpoint.method} {endpoint.path}: {name}"
            assert response.status_code < 500, (what, response.text[:200])
            if response.status_code >= 400:
                assert_refused_as_page(response, what)
            answers.add(response.status_code)
        for headers, status in (
            ({"Content-Type": "application/x-www-form-urlencoded"}, 403),  # no CSRF token
            ({**fuzzed["form_headers"], **OVERSIZED_HEADER}, 431),
        ):
            response = await client.request(endpoint.method, url, content=b"a=b", headers=headers)
            assert response.status_code == status, endpoint.path
            assert_refused_as_page(response, f"{endpoint.path}: {status}")
    assert answers - {403}, "the CSRF check refused everything: the forms were not reached"
