"""The page a visitor sees when HTTP itself refuses a request to a page, instead of JSON.

The JSON API answers these refusals with problem details (service/errors.py). A page answers
a form that is too large (413), a CSRF token that is missing or stale (403), a body that is
not a form (400), headers that are too large (431) or text PostgreSQL cannot store (a NUL
character, 400) with a page in the visitor's language. Every page controller has these
handlers: public pages PUBLIC_PAGE_HANDLERS, staff pages through STAFF_PAGE_HANDLERS.
Server errors (5xx) keep the general handling.
"""

from dataclasses import dataclass

import asyncpg
from litestar import Request, Response
from litestar.exceptions import HTTPException
from litestar.types import ExceptionHandlersMap

from service.errors import handle_http_exception
from service.web.pages import render


@dataclass(frozen=True)
class Refusal:
    title_key: str
    text_key: str


REFUSALS = {
    403: Refusal(title_key="form_expired_title", text_key="form_expired_text"),
    413: Refusal(title_key="form_too_large_title", text_key="form_too_large_text"),
    431: Refusal(title_key="headers_too_large_title", text_key="headers_too_large_text"),
}
NOT_UNDERSTOOD = Refusal(title_key="bad_request_title", text_key="bad_request_text")
# What PostgreSQL says of a NUL character in text (CharacterNotInRepertoire) or in jsonb
# (UntranslatableCharacter); the change was rolled back.
UNSTORABLE_TEXT = (asyncpg.CharacterNotInRepertoireError, asyncpg.UntranslatableCharacterError)


def _refused(request: Request, error: HTTPException, *, public: bool) -> Response:
    if error.status_code >= 500:
        return handle_http_exception(request, error)
    refusal = REFUSALS.get(error.status_code, NOT_UNDERSTOOD)
    page = render(
        request,
        "message.html",
        title_key=refusal.title_key,
        status=error.status_code,
        text_key=refusal.text_key,
        public=public,  # no link to the staff's work queue
    )
    page.headers.update(error.headers or {})
    return page


def _page_handlers(*, public: bool) -> ExceptionHandlersMap:
    def refused(request: Request, error: HTTPException) -> Response:
        return _refused(request, error, public=public)

    def unstorable(request: Request, _: Exception) -> Response:
        return _refused(request, HTTPException(status_code=400), public=public)

    return {HTTPException: refused, **dict.fromkeys(UNSTORABLE_TEXT, unstorable)}


PUBLIC_PAGE_HANDLERS = _page_handlers(public=True)
STAFF_PAGE_REFUSALS = _page_handlers(public=False)
