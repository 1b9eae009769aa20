""" "Lost your link?": one e-mail with a working link to each of the address's reports; the
same answer for a known and an unknown address; limited per client and per e-mail address."""

import re
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from service.app import create_app
from service.reports.lost_link import send_links
from service.reports.tokens import token_hash
from service.settings import RateLimit
from tests.notifications.smtp import BASE_URL
from tests.notifications.test_tenant_mail import LINK, deliver, only_one, plain_of
from tests.test_bench import service_transaction
from tests.web.session import csrf_token
from tests.world import OTHER_HOME, OWN_HOME, World

LINKS = "/api/v1/reports/links"


async def opens(world: World, reference: str, token: str) -> bool:
    response = await world.client.get(
        f"/api/v1/reports/{reference}", headers={"X-Tracking-Token": token}
    )
    assert response.status_code in (200, 404), response.text
    return response.status_code == 200


async def test_the_e_mail_lists_the_addresses_reports_with_working_links(pool, conn, world) -> None:
    first = await world.report(OWN_HOME)
    second = await world.report(OTHER_HOME, category="subsidence")
    old = await world.report(OWN_HOME)
    someone_else = await world.report(
        OWN_HOME, reporter={"name": "Piet", "email": "piet@example.nl"}
    )
    # Closed long ago: no longer listed.
    await conn.execute(
        "UPDATE cases SET status = 'rejected', rejection_reason = 'withdrawn', closed_at = $2 "
        "WHERE reference = $1",
        old["reference"],
        datetime.now(UTC) - timedelta(days=400),
    )
    await deliver(pool)  # the "report received" messages

    answer = await world.client.post(LINKS, json={"email": " JAN@Example.nl "})
    assert answer.status_code == 202, answer.text

    message = await only_one(pool)
    assert message["Subject"] == "Uw links naar uw schademeldingen"
    text = plain_of(message)
    found = dict(LINK.findall(text))
    assert set(found) == {first["reference"], second["reference"]}
    assert "gemeld op" in text
    assert "Doorgestuurd naar de corporatie" in text  # the status, in the tenant's words
    for reference, token in found.items():
        assert await opens(world, reference, token)
    assert someone_else["reference"] not in text
    # The links are the ones intake gave: nothing stopped working.
    assert found[first["reference"]] == first["tracking_token"]
    for token in found.values():
        assert (
            await conn.fetchval(
                "SELECT count(*) FROM outbox WHERE payload::text LIKE '%' || $1 || '%'", token
            )
            == 0
        )


async def test_known_and_unknown_addresses_get_the_same_answer(pool, conn, world) -> None:
    await world.report(OWN_HOME)
    await deliver(pool)

    known = await world.client.post(LINKS, json={"email": "jan@example.nl"})
    unknown = await world.client.post(LINKS, json={"email": "nobody@example.nl"})
    assert (known.status_code, unknown.status_code) == (202, 202)
    assert known.json() == unknown.json()
    assert "If there are reports made with this e-mail address" in known.json()["detail"]
    assert await conn.fetchval("SELECT count(*) FROM outbox WHERE kind = 'tenant_links'") == 1
    assert [m["To"] for m in await deliver(pool)] == ["jan@example.nl"]


async def test_a_bad_address_is_refused_with_a_reason(world) -> None:
    for body in ({"email": "jan at example"}, {"email": "jan@example.nl\n@x.nl"}):
        refused = await world.client.post(LINKS, json=body)
        assert refused.status_code == 400, refused.text
        assert refused.json()["errors"][0]["field"] == "email"
        assert "not an e-mail address" in refused.json()["errors"][0]["message"]
    missing = await world.client.post(LINKS, json={})
    assert missing.status_code == 400


async def test_a_case_from_before_the_salt_gets_a_new_link(pool, conn, world) -> None:
    """Its old token cannot be made again: the e-mail's link replaces it."""
    created = await world.report(OWN_HOME)
    reference = created["reference"]
    old_token = uuid.uuid4().hex
    await conn.execute(
        "UPDATE cases SET tracking_salt = NULL, tracking_token_hash = $2 WHERE reference = $1",
        reference,
        token_hash(old_token),
    )
    await deliver(pool)
    assert await opens(world, reference, old_token)

    # Its e-mails have no link to give: they point to "lost your link?".
    await world.move(reference, world.who("inspector"), "acknowledged")
    message = await only_one(pool)
    assert LINK.search(plain_of(message)) is None
    assert f"{BASE_URL}/lost-link" in plain_of(message)

    assert (await world.client.post(LINKS, json={"email": "jan@example.nl"})).status_code == 202
    [(listed, new_token)] = LINK.findall(plain_of(await only_one(pool)))
    assert listed == reference
    assert await opens(world, reference, new_token)
    assert not await opens(world, reference, old_token)
    assert await conn.fetchval(
        "SELECT tracking_salt IS NOT NULL FROM cases WHERE reference = $1", reference
    )


async def test_an_english_tenant_gets_the_list_in_english(pool, world) -> None:
    reporter = {"name": "Jane", "email": "jane@example.com", "language": "en"}
    created = await world.report(OWN_HOME, reporter=reporter)
    await deliver(pool)
    await world.client.post(LINKS, json={"email": "jane@example.com"})
    message = await only_one(pool, to="jane@example.com")
    assert message["Subject"] == "Your links to your damage reports"
    assert f"{created['reference']} – Passed to the corporation – reported on" in plain_of(message)


def limited(settings, **changes):
    return msgspec.structs.replace(settings, secret_key=uuid.uuid4().hex, **changes)


async def test_past_the_limit_per_client_the_answer_is_429(conn, settings) -> None:
    app = create_app(limited(settings, link_limit=RateLimit(2, 60), link_per_email_limit=None))
    async with AsyncTestClient(app) as client:
        for number in range(2):
            answer = await client.post(LINKS, json={"email": f"a{number}@example.nl"})
            assert answer.status_code == 202
        refused = await client.post(LINKS, json={"email": "a3@example.nl"})
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        # The page shares the count, and says when to try again.
        page = await client.get("/lost-link?lang=en")
        form = {"_csrf_token": csrf_token(page.text), "email": "a4@example.nl"}
        refused_page = await client.post("/lost-link", data=form)
        assert refused_page.status_code == 429
        assert re.search(r"\d+ (minute|second)", refused_page.text)


async def test_one_address_cannot_be_mail_bombed_from_many_clients(conn, settings) -> None:
    app = create_app(limited(settings, link_limit=None, link_per_email_limit=RateLimit(2, 3600)))
    async with AsyncTestClient(app) as client:
        await client.post("/api/v1/reports", json={**_report("jan@example.nl")})
        for _ in range(2):
            assert (await client.post(LINKS, json={"email": "jan@example.nl"})).status_code == 202
        # Counted per address whatever its case, and from any client.
        refused = await client.post(LINKS, json={"email": "Jan@Example.NL"})
        assert refused.status_code == 429
        other = await client.post(LINKS, json={"email": "piet@example.nl"})
        assert other.status_code == 202
    assert await conn.fetchval("SELECT count(*) FROM outbox WHERE kind = 'tenant_links'") == 2


def _report(email: str) -> dict:
    from tests.factories import report_body

    return report_body(reporter={"name": "Jan", "email": email})


async def test_the_page_asks_for_the_address_and_says_the_same_for_any(pool, conn, world) -> None:
    client = world.client
    await world.report(OWN_HOME)
    await deliver(pool)

    form_page = await client.get("/lost-link")
    assert form_page.status_code == 200
    assert "Link kwijt?" in form_page.text
    token = csrf_token(form_page.text)

    bad = await client.post("/lost-link", data={"_csrf_token": token, "email": "jan"})
    assert bad.status_code == 400
    assert "Dit is geen e-mailadres." in bad.text
    assert 'value="jan"' in bad.text

    answers = []
    for email in ("jan@example.nl", "onbekend@example.nl"):
        sent = await client.post("/lost-link", data={"_csrf_token": token, "email": email})
        assert sent.status_code == 200
        answers.append(sent.text)
    assert answers[0] == answers[1]
    assert "hebben wij een e-mail gestuurd" in answers[0]
    [message] = await deliver(pool)
    assert message["To"] == "jan@example.nl"

    # The tracking page's "not found" points here.
    not_found = await client.get("/t/SCH-2026-000001", params={"token": "wrong"})
    assert not_found.status_code == 404
    assert 'href="/lost-link"' in not_found.text


@pytest.fixture
def statements(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every statement sent through asyncpg, in order."""
    sent: list[str] = []
    for name in ("execute", "fetch", "fetchrow", "fetchval"):
        original = getattr(asyncpg.Connection, name)

        def wrapper(self, query, *args, _original=original, **kwargs):
            sent.append(query)
            return _original(self, query, *args, **kwargs)

        monkeypatch.setattr(asyncpg.Connection, name, wrapper)
    return sent


async def test_a_known_and_an_unknown_address_cost_the_same_statements(
    pool, world, statements: list[str]
) -> None:
    """So that the answer's timing does not tell whether an address is known."""
    await world.report(OWN_HOME)
    work = []
    for email in ("jan@example.nl", "nobody@example.nl"):
        statements.clear()
        await send_links(pool, email, "test-secret", datetime.now(UTC))
        work.append(service_transaction(statements))
    assert work[0] == work[1]
    assert len(work[0]) == 4  # BEGIN, the look-up, the queueing, COMMIT
