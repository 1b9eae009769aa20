"""No input makes Open311 answer 500: malformed bodies (tests/faults' list), random forms and
query strings; every refusal is the spec's error array. POST requests are throttled per
client address (RATE_LIMIT_OPEN311), answered as an error array with Retry-After."""

import uuid

import msgspec
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from litestar.testing import AsyncTestClient

from service.app import create_app
from service.settings import RateLimit
from tests import factories
from tests.faults.test_fuzz import MALFORMED
from tests.open311.support import BASE, FORM, partner, request_form, xml_items

FIELDS = (
    "api_key", "service_code", "address_string", "address_id", "lat", "long", "email",
    "first_name", "last_name", "phone", "description", "attribute[acute]", "attribute[x]",
    "jurisdiction_id", "media_url",
)  # fmt: skip
TEXT = st.text(st.characters(codec="utf-8"), max_size=300) | st.sampled_from(
    ["", "\x00", "9" * 400, "1e400", "true", "Herestraat 12, 9711 AB", "0014010011067299"]
)


def assert_error_array(response, what: str) -> None:
    assert 400 <= response.status_code < 500, (what, response.status_code, response.text[:200])
    errors = response.json()
    assert isinstance(errors, list), (what, errors)
    assert all(error["code"] == response.status_code for error in errors), what


async def test_malformed_bodies_answer_the_error_array(client, conn):
    api_key = await partner(conn)
    for name, body in MALFORMED:
        for content_type in (FORM, "application/json", "text/plain"):
            response = await client.post(
                f"{BASE}/requests.json", content=body, headers={"Content-Type": content_type}
            )
            assert_error_array(response, f"{name} as {content_type}")
    # A real key with fields too long for any column, or text PostgreSQL cannot store.
    for changes in ({"description": "x" * 6000}, {"first_name": "x" * 300}, {"phone": "9" * 40}):
        response = await client.post(f"{BASE}/requests.json", data=request_form(api_key, **changes))
        assert_error_array(response, str(changes))


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(form=st.dictionaries(st.sampled_from(FIELDS), TEXT, max_size=8), xml=st.booleans())
async def test_random_forms_never_answer_500(client, conn, form, xml):
    lefier = await conn.fetchval("SELECT id FROM corporations WHERE code = 'lefier'")
    if lefier is None:
        lefier = await factories.corporation(conn, "lefier", "Lefier")
        await factories.home(conn, lefier, "9711AB", 12)
    response = await client.post(f"{BASE}/requests.{'xml' if xml else 'json'}", data=form)
    assert response.status_code < 500, response.text[:300]
    if response.status_code >= 400 and xml:
        assert xml_items(response.text, "errors", "error")


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(params=st.dictionaries(st.sampled_from(
    ["service_request_id", "service_code", "start_date", "end_date", "status", "api_key"]
), TEXT, max_size=5))  # fmt: skip
async def test_random_queries_never_answer_500(client, conn, params):
    response = await client.get(f"{BASE}/requests.json", params=params)
    assert response.status_code in (200, 400, 403), response.text[:300]


async def test_posts_past_the_limit_answer_429_as_an_error_array(conn, settings):
    limited = msgspec.structs.replace(
        settings, secret_key=uuid.uuid4().hex, open311_limit=RateLimit(2, 600)
    )
    api_key = await partner(conn)
    async with AsyncTestClient(create_app(limited)) as client:
        for _ in range(2):
            response = await client.post(f"{BASE}/requests.json", data=request_form(api_key))
            assert response.status_code in (201, 400)
        refused = await client.post(f"{BASE}/requests.xml", data=request_form(api_key))
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["retry-after"]) <= 600
        [error] = xml_items(refused.text, "errors", "error")
        assert error["code"] == "429"
        assert "Too many requests" in error["description"]
        # Reading is not limited by it.
        assert (await client.get(f"{BASE}/services.json")).status_code == 200
