"""Staff web pages: sign in and out, and the work queue.

A web session is an API token of its own (label "web session") kept in an httponly,
SameSite cookie; signing out revokes it. The cookie is only read by these pages, never by
the JSON API, which the CSRF protection does not cover.
"""

from datetime import UTC, datetime
from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.datastructures import Cookie
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from service.auth.secrets import api_token_hash, new_api_token, password_matches
from service.auth.staff import Staff, staff_for_token
from service.auth.store import user_by_email
from service.cases.queue import CaseFilter, Sort, list_cases
from service.cases.views import summary_of
from service.dependencies import DbPool
from service.domain.workflow import OPEN_STATUSES
from service.web.language import chosen_language
from service.web.pages import render
from service.web.texts import page_texts

SESSION_COOKIE = "session"
SESSION_LABEL = "web session"
WORK_PAGE_SIZE = 100
LoginForm = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


async def signed_in(request: Request, db_pool: DbPool) -> Staff | None:
    token = request.cookies.get(SESSION_COOKIE)
    return await staff_for_token(db_pool, token) if token else None


class StaffPagesController(Controller):
    include_in_schema = False

    @get("/login")
    async def login_form(self, request: Request) -> Template:
        return render(request, "login.html", title_key="sign_in", email="", error=None)

    @post("/login", status_code=200)
    async def login(
        self, request: Request, data: LoginForm, db_pool: DbPool
    ) -> Template | Redirect:
        email = data.get("email", "").strip().lower()
        async with db_pool.acquire() as connection:
            user = await user_by_email(connection, email) if email else None
            if (
                user is None
                or not user["active"]
                or not password_matches(data.get("password", ""), user["password_hash"])
            ):
                failed = page_texts(chosen_language(request)[0])["sign_in_failed"]
                return render(
                    request,
                    "login.html",
                    title_key="sign_in",
                    status=400,
                    email=email,
                    error=failed,
                )
            token = new_api_token()
            await connection.execute(
                "INSERT INTO api_tokens (user_id, token_hash, label) VALUES ($1, $2, $3)",
                user["id"],
                api_token_hash(token),
                SESSION_LABEL,
            )
        cookie = Cookie(
            key=SESSION_COOKIE,
            value=token,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
            path="/",
        )
        return Redirect("/work", status_code=303, cookies=[cookie])

    @post("/logout", status_code=303)
    async def logout(self, request: Request, db_pool: DbPool) -> Redirect:
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            async with db_pool.acquire() as connection:
                await connection.execute(
                    "UPDATE api_tokens SET revoked_at = now() WHERE token_hash = $1 AND label = $2",
                    api_token_hash(token),
                    SESSION_LABEL,
                )
        redirect = Redirect("/login", status_code=303)
        redirect.delete_cookie(SESSION_COOKIE, path="/")
        return redirect

    @get("/work")
    async def work(self, request: Request, db_pool: DbPool) -> Template | Redirect:
        staff = await signed_in(request, db_pool)
        if staff is None:
            return Redirect("/login", status_code=303)
        async with db_pool.acquire() as connection:
            rows, _ = await list_cases(
                connection,
                scope=staff.scope,
                user_id=staff.id,
                filters=CaseFilter(statuses=sorted(OPEN_STATUSES)),
                sort=Sort.DEADLINE,
                after=None,
                limit=WORK_PAGE_SIZE,
            )
        now = datetime.now(UTC)
        cases = [summary_of(row, now) for row in rows]
        # Acute cases first, then by next deadline.
        cases.sort(key=lambda case: not case.acute)
        return render(request, "work.html", title_key="work_title", staff=staff, cases=cases)
