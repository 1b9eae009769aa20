"""The tenant's status read again (the tracking page, the API) is answered as made before,
until anything it shows changes; each visitor of a page still gets a CSRF token of their own
(service/kept_answers.py, service/csrf.py)."""

import hashlib
import hmac
import os
from datetime import UTC, datetime, timedelta

import pytest
from litestar import Litestar, Request, get, post
from litestar.config.csrf import CSRFConfig
from litestar.middleware.csrf import generate_csrf_hash
from litestar.testing import AsyncTestClient
from litestar.utils.scope.state import ScopeState

from service.csrf import RandomBytes, csrf_middleware, new_csrf_token
from service.kept_answers import KeptAnswers, answer_key
from service.reports import controller as api
from service.web import controller
from tests.factories import report_body
from tests.web.session import csrf_token


def _path(created: dict) -> str:
    return str(created["tracking_url"]).removeprefix("https://schade.example.nl")


@pytest.fixture
def kept(monkeypatch) -> KeptAnswers:
    """The answers kept, none yet for this test."""
    answers = KeptAnswers()
    for module in (controller, api):
        monkeypatch.setattr(module, "TENANT_READS", answers)
    return answers


async def test_a_page_read_again_is_kept_until_the_case_changes(client, conn, kept):
    created = (await client.post("/api/v1/reports", json=report_body())).json()
    first = await client.get(_path(created))
    assert (first.status_code, len(kept)) == (200, 1)
    again = await client.get(_path(created))
    assert len(kept) == 1  # served as kept, not rendered again
    token = csrf_token(first.text)
    assert again.text == first.text.replace(token, csrf_token(again.text))

    sent = await client.post(
        f"/t/{created['reference']}/message",
        data={
            "_csrf_token": csrf_token(again.text),
            "token": created["tracking_token"],
            "text": "De scheur loopt nu door tot het raam.",
        },
        follow_redirects=False,
    )
    assert sent.status_code == 303
    after = await client.get(_path(created))
    assert len(kept) == 2  # the case changed: another page
    assert "De scheur loopt nu door tot het raam." in after.text
    english = await client.get(f"{_path(created)}&lang=en")
    assert '<html lang="en">' in english.text  # the language is part of what is kept
    assert len(kept) == 3


async def test_the_api_answers_a_status_read_again_as_kept_until_the_case_changes(
    client, conn, kept
):
    created = (await client.post("/api/v1/reports", json=report_body())).json()
    path = f"/api/v1/reports/{created['reference']}"
    headers = {"X-Tracking-Token": created["tracking_token"]}
    first, again = [await client.get(path, headers=headers) for _ in range(2)]
    assert (first.status_code, first.headers["content-type"]) == (200, "application/json")
    assert again.content == first.content
    assert len(kept) == 1
    added = await client.post(f"{path}/messages", headers=headers, json={"text": "Nog een."})
    assert added.status_code == 201
    after = await client.get(path, headers=headers)
    assert after.json()["timeline"][-1]["kind"] == "tenant_message"
    assert after.json() == added.json()  # the answer to the message: the same view
    assert len(kept) == 2
    wrong = await client.get(path, headers={"X-Tracking-Token": "wrong"})
    assert wrong.status_code == 404


async def test_the_api_documents_the_status_read_as_before(client):
    document = (await client.get("/schema/openapi.json")).json()
    answer = document["paths"]["/api/v1/reports/{reference}"]["get"]["responses"]["200"]
    assert answer["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/TenantCaseView"
    }


async def test_each_visitor_of_a_kept_page_gets_a_csrf_token_of_their_own(client, conn, kept):
    created = (await client.post("/api/v1/reports", json=report_body())).json()
    pages = []
    for _visitor in range(2):
        client.cookies.clear()  # a browser of its own: no CSRF cookie yet
        pages.append(await client.get(_path(created)))
    assert len(kept) == 1
    tokens = [csrf_token(page.text) for page in pages]
    assert tokens[0] != tokens[1]
    for page, token in zip(pages, tokens, strict=True):
        assert f"csrftoken={token};" in page.headers["set-cookie"]
    # The second visitor's form, with the token of the page they were served, is taken.
    sent = await client.post(
        f"/t/{created['reference']}/message",
        data={"_csrf_token": tokens[1], "token": created["tracking_token"], "text": "Nog een."},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    # Without it, refused as before.
    refused = await client.post(
        f"/t/{created['reference']}/message",
        data={"token": created["tracking_token"], "text": "Nog een."},
        follow_redirects=False,
    )
    assert refused.status_code == 403


async def test_the_csrf_cookie_is_the_one_litestar_would_set():
    config = CSRFConfig(secret="s" * 32, cookie_httponly=True, cookie_samesite="strict")

    @get("/form", media_type="text/plain")
    async def form() -> str:
        return "form"

    ours = Litestar([form], middleware=[csrf_middleware(config)])
    litestars = Litestar([form], csrf_config=config)
    headers = []
    for app in (ours, litestars):
        async with AsyncTestClient(app) as client:
            answer = await client.get("/form")
            token = answer.cookies["csrftoken"]
            headers.append(answer.headers["set-cookie"].replace(token, "TOKEN"))
            with_cookie = await client.get("/form")  # the cookie sent back: none set again
            assert "set-cookie" not in with_cookie.headers
    assert headers[0] == headers[1]


async def test_a_safe_method_is_treated_as_litestar_would():
    """The middleware's own way for a GET (service/csrf.py) gives what Litestar's gives:
    a cookie where Litestar sets one (other cookies or none) and the same token for the page,
    a token Litestar's check takes, none on excluded paths or routes."""
    config = CSRFConfig(secret="s" * 32, exclude=["/api/"], exclude_from_csrf_key="no_csrf")

    @get("/form", media_type="text/plain")
    async def form(request: Request) -> str:
        return str(ScopeState.from_scope(request.scope).csrf_token)

    @post("/form", media_type="text/plain")
    async def form_sent() -> str:
        return "taken"

    @get("/api/read", media_type="text/plain")
    async def excluded_path() -> str:
        return "read"

    @get("/skip", media_type="text/plain", opt={"no_csrf": True})
    async def excluded_route() -> str:
        return "skipped"

    seen = []
    for app in (
        Litestar(
            [form, form_sent, excluded_path, excluded_route],
            middleware=[csrf_middleware(config)],
        ),
        Litestar([form, form_sent, excluded_path, excluded_route], csrf_config=config),
    ):
        async with AsyncTestClient(app) as client:
            answers = [await client.get(p) for p in ("/api/read", "/skip")]  # no cookie yet
            client.cookies.set("lang", "en")  # a cookie, not the CSRF one
            first = await client.get("/form")
            again = await client.get("/form")  # with the cookie now
            sent = await client.post("/form", data={"_csrf_token": first.text})
            forged = await client.post("/form", data={"_csrf_token": "0" * 128})
        assert first.text == first.cookies["csrftoken"] == again.text
        assert len(first.text) == 128
        assert "set-cookie" not in again.headers
        assert (sent.status_code, sent.text, forged.status_code) == (201, "taken", 403)
        seen.append([(a.status_code, a.text, "set-cookie" in a.headers) for a in answers])
    assert seen[0] == seen[1] == [(200, "read", False), (200, "skipped", False)]


def test_new_csrf_tokens_are_signed_as_litestar_signs_them_and_never_repeat():
    secret = "s" * 32
    signer = hmac.new(secret.encode(), digestmod=hashlib.sha256)
    # Over several pages of random bytes: each token's own, each signed.
    tokens = [new_csrf_token(signer) for _ in range(3 * RandomBytes.PAGE // 32 + 5)]
    assert len(set(tokens)) == len(tokens)
    for token in tokens:
        assert token[64:] == generate_csrf_hash(token[:64], secret)


def test_a_forked_process_takes_random_bytes_of_its_own():
    random_bytes = RandomBytes()
    random_bytes.take(32)  # the parent has a page of them now
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through the pipe
        os.write(writing, random_bytes.take(32))
        os._exit(0)
    os.close(writing)
    os.waitpid(child, 0)
    childs = os.read(reading, 32)
    os.close(reading)
    assert len(childs) == 32
    assert childs != random_bytes.take(32)


def test_the_least_recently_read_pages_go_first():
    pages = KeptAnswers(max_bytes=20)
    renders: list[bytes] = []

    def render(text: bytes):
        def rendered() -> bytes:
            renders.append(text)
            return text

        return rendered

    pages.answer(b"a", render(b"A" * 8))
    pages.answer(b"b", render(b"B" * 8))
    assert pages.answer(b"a", render(b"a" * 8)) == b"A" * 8  # read: now the most recent
    pages.answer(b"c", render(b"C" * 8))  # 24 bytes: b goes
    assert pages.answer(b"a", render(b"a" * 8)) == b"A" * 8
    assert pages.answer(b"b", render(b"b" * 8)) == b"b" * 8  # rendered again; c goes
    assert pages.answer(b"large", render(b"L" * 19)) == b"L" * 19  # all others go
    assert len(pages) == 1
    assert renders == [b"A" * 8, b"B" * 8, b"C" * 8, b"b" * 8, b"L" * 19]


def test_a_page_kept_in_parts_counts_all_of_them():
    pages = KeptAnswers(max_bytes=20)
    assert pages.answer(b"page", lambda: (b"A" * 6, b"B" * 6)) == (b"A" * 6, b"B" * 6)
    pages.answer(b"json", lambda: b"J" * 8)  # 12 + 8: both fit
    assert len(pages) == 2
    pages.answer(b"more", lambda: b"M")  # 21 bytes: the page, read first, goes
    assert pages.answer(b"page", lambda: (b"again",)) == (b"again",)


def test_an_answer_not_read_for_a_while_goes():
    now = [0.0]
    answers = KeptAnswers(max_idle=600, clock=lambda: now[0])
    answers.answer(b"read", lambda: b"R")
    answers.answer(b"left", lambda: b"L")
    now[0] = 400
    answers.answer(b"read", lambda: b"again")  # read: idle from now
    now[0] = 700  # "left" was last read 700 s ago, "read" 300 s ago
    answers.answer(b"new", lambda: b"N")
    assert len(answers) == 2
    assert answers.answer(b"read", lambda: b"made again") == b"R"
    assert answers.answer(b"left", lambda: b"made again") == b"made again"


def test_the_key_changes_with_any_input():
    at = datetime(2026, 11, 30, 12, tzinfo=UTC)
    inputs = (("SCH-2026-000001", "new", at, b"hash", None), ("message",), "nl", b"token=x")
    key = answer_key("tracking.html", inputs)
    assert answer_key("tracking.html", inputs) == key
    for changed in (
        (("SCH-2026-000001", "acknowledged", at, b"hash", None), ("message",), "nl", b"token=x"),
        (
            ("SCH-2026-000001", "new", at.replace(second=1), b"hash", None),
            ("message",),
            "nl",
            b"token=x",
        ),
        (("SCH-2026-000001", "new", at, b"hash", None), (), "nl", b"token=x"),
        (("SCH-2026-000001", "new", at, b"hash", None), ("message",), "en", b"token=x"),
        (("SCH-2026-000001", "new", at, b"hash", None), ("message",), "nl", b"token=y"),
    ):
        assert answer_key("tracking.html", changed) != key
    assert answer_key("case.html", inputs) != key


async def test_a_kept_page_follows_the_time_as_well(app, world, conn, kept, monkeypatch):
    """Confirming the repair is possible for 14 days after it: on the 15th, the same case's
    page has no button for it, though nothing in the case changed."""
    created = await world.report()
    resolved_at = await conn.fetchval(
        "UPDATE cases SET status = 'resolved', resolved_at = now() WHERE reference = $1 "
        "RETURNING resolved_at",
        created["reference"],
    )
    confirm_form = f'action="/t/{created["reference"]}/confirm"'
    pipeline = app.state.essentials.pipeline
    pages = []
    for days in (13, 15):
        monkeypatch.setattr(pipeline, "clock", lambda days=days: resolved_at + timedelta(days))
        pages.append((await world.client.get(_path(created))).text)
    assert confirm_form in pages[0]
    assert confirm_form not in pages[1]
    assert len(kept) == 2
