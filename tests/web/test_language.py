"""The visitor's language from the query and the cookie (service/web/language.py), read
without Litestar's parsing where the request cannot hold a choice."""

import pytest
from litestar import Litestar, Request

from service.web.language import chosen_language, explicit_language


def _request(query: bytes, cookie: bytes | None = None) -> Request:
    headers = [(b"host", b"example.nl")] + ([(b"cookie", cookie)] if cookie else [])
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/t/SCH-2026-000001",
        "query_string": query,
        "headers": headers,
        "app": Litestar(),
        "litestar_app": Litestar(),
        "state": {},
    }
    return Request(scope)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("query", "cookie", "language"),
    [
        (b"token=abc", None, None),
        (b"token=abc&lang=en", None, "en"),
        (b"lang=en&token=abc", b"lang=nl", "en"),
        (b"token=abc&l%61ng=en", None, "en"),  # percent-encoded, as Litestar reads it
        (b"token=abc&lang=de", None, None),
        (b"token=abc", b"lang=en", "en"),
        (b"token=abc", b"csrftoken=x", None),
        (b"token=lang", None, None),
    ],
)
def test_the_language_chosen_now_or_remembered(query, cookie, language):
    assert explicit_language(_request(query, cookie)) == language


def test_a_language_asked_for_is_remembered_in_a_cookie():
    language, cookies = chosen_language(_request(b"token=abc&lang=en"), "nl")
    assert (language, [c.value for c in cookies]) == ("en", ["en"])
    assert chosen_language(_request(b"token=abc"), "nl") == ("nl", [])
