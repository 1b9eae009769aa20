"""Who is signed in to the staff pages, and what happens when a visitor may not see one.

A web session is an API token of its own (label "web session") kept in an httponly, SameSite
cookie. It ends after SESSION_IDLE without a page view, and SESSION_LIFETIME after signing
in at the latest; signing out revokes it. The cookie is only read by
the staff pages, never by the JSON API, which the CSRF protection does not cover.
"""

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from litestar import Request
from litestar.datastructures import Cookie
from litestar.di import Provide
from litestar.exceptions import ValidationException
from litestar.response import Redirect, Template
from litestar.types import ExceptionHandlersMap

from service.auth import store as auth_store
from service.auth.secrets import api_token_hash, new_api_token
from service.auth.staff import Staff
from service.db import Connection
from service.dependencies import DbPool
from service.domain.errors import Forbidden, NotFound
from service.domain.roles import Permission
from service.web.language import chosen_language
from service.web.outcomes import outcome_of
from service.web.page_errors import STAFF_PAGE_REFUSALS
from service.web.pages import render
from service.web.texts import staff_status_label

SESSION_COOKIE = "session"
SESSION_LABEL = "web session"
# Long enough for a morning in the field between two page views; a working day at most, so
# a session left open on a shared computer is gone by the next morning.
SESSION_IDLE = timedelta(hours=4)
SESSION_LIFETIME = timedelta(hours=12)
HOME_PAGE = "/work"

# The staff menu: each page, the text of its link, and what a user needs to see it.
MENU: tuple[tuple[str, str, Permission], ...] = (
    ("/work", "work_title", Permission.WORK_CASES),
    ("/triage", "triage_title", Permission.ROUTE),
    ("/dashboard", "dashboard_title", Permission.SEE_DASHBOARD),
)


class SignInRequired(Exception):
    """The visitor has no valid session (never signed in, signed out, or expired)."""


async def start_session(connection: Connection, user_id: int, secure: bool) -> Cookie:
    token = new_api_token()
    await auth_store.start_session(
        connection, user_id, api_token_hash(token), SESSION_LABEL, SESSION_IDLE
    )
    return Cookie(
        key=SESSION_COOKIE,
        value=token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=secure,
        path="/",
    )


async def end_session(db_pool: DbPool, token: str) -> None:
    async with db_pool.acquire() as connection:
        await auth_store.end_session(connection, api_token_hash(token), SESSION_LABEL)


async def provide_page_staff(request: Request, db_pool: DbPool) -> Staff:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise SignInRequired
    token_hash = api_token_hash(token)
    async with db_pool.acquire() as connection:
        row = await auth_store.staff_by_token(connection, token_hash)
        if row is None:
            raise SignInRequired
        # A page view moves the idle end of the session on, never past its lifetime.
        await auth_store.keep_session(
            connection, token_hash, SESSION_LABEL, SESSION_IDLE, SESSION_LIFETIME
        )
    return Staff.from_row(row)


def safe_next(path: str | None) -> str:
    """Where to go after signing in: only a page of this site, never another host."""
    if path and path.startswith("/") and not path.startswith(("//", "/\\")):
        return path
    return HOME_PAGE


def _to_sign_in(request: Request, _: SignInRequired) -> Redirect:
    # Staff forms post to the page they are on, so the path alone leads back to it.
    wanted = request.url.path
    if request.method == "GET" and request.url.query:
        wanted += f"?{request.url.query}"
    return Redirect(f"/login?{urlencode({'next': wanted})}", status_code=303)


def _forbidden(request: Request, error: Forbidden) -> Template:
    return render(
        request,
        "message.html",
        title_key="forbidden_title",
        status=outcome_of(error).status,
        text_key="forbidden_text",
    )


def _bad_request(request: Request, _: ValidationException) -> Template:
    return render(
        request,
        "message.html",
        title_key="bad_request_title",
        status=400,
        text_key="bad_request_text",
    )


def _not_found(request: Request, error: NotFound) -> Template:
    return render(
        request,
        "message.html",
        title_key="case_not_found_title",
        status=outcome_of(error).status,
        text_key="case_not_found_text",
    )


# For every staff page controller: who the visitor is, and the pages shown instead.
STAFF_PAGE_DEPENDENCIES = {"staff": Provide(provide_page_staff)}
STAFF_PAGE_HANDLERS: ExceptionHandlersMap = {
    SignInRequired: _to_sign_in,
    Forbidden: _forbidden,
    NotFound: _not_found,
    ValidationException: _bad_request,
    **STAFF_PAGE_REFUSALS,  # a form too large, a stale CSRF token, a NUL character, ...
}


def staff_render(
    request: Request,
    staff: Staff,
    template: str,
    *,
    title_key: str,
    status: int = 200,
    **context: Any,
) -> Template:
    """A staff page: the page's own context plus who is signed in and their menu."""
    menu = [(path, text_key) for path, text_key, needs in MENU if staff.can(needs)]
    language, _ = chosen_language(request)
    return render(
        request,
        template,
        title_key=title_key,
        status=status,
        staff=staff,
        menu=menu,
        status_label=lambda status: staff_status_label(status, language),
        **context,
    )
