"""Staff web pages: sign in and out, and the work queue."""

from datetime import UTC, datetime
from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, QueryParameter
from litestar.response import Redirect, Template

from service.auth.secrets import password_matches
from service.auth.staff import CurrentStaff
from service.auth.store import user_by_email
from service.cases.queue import CaseFilter, Sort, list_cases
from service.cases.views import summary_of
from service.dependencies import DbPool
from service.domain.workflow import OPEN_STATUSES
from service.web.language import chosen_language
from service.web.pages import render
from service.web.staff_access import (
    SESSION_COOKIE,
    STAFF_PAGE_DEPENDENCIES,
    STAFF_PAGE_HANDLERS,
    end_session,
    safe_next,
    staff_render,
    start_session,
)
from service.web.texts import page_texts

WORK_PAGE_SIZE = 100
LoginForm = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
NextPage = Annotated[str | None, QueryParameter(name="next", required=False, max_length=500)]


class SignInController(Controller):
    include_in_schema = False

    @get("/login")
    async def login_form(self, request: Request, next_page: NextPage = None) -> Template:
        return render(
            request,
            "login.html",
            title_key="sign_in",
            email="",
            error=None,
            next=safe_next(next_page),
        )

    @post("/login", status_code=200)
    async def login(
        self, request: Request, data: LoginForm, db_pool: DbPool
    ) -> Template | Redirect:
        email = data.get("email", "").strip().lower()
        next_page = safe_next(data.get("next"))
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
                    next=next_page,
                )
            cookie = await start_session(connection, user["id"], request.url.scheme == "https")
        return Redirect(next_page, status_code=303, cookies=[cookie])

    @post("/logout", status_code=303)
    async def logout(self, request: Request, db_pool: DbPool) -> Redirect:
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            await end_session(db_pool, token)
        redirect = Redirect("/login", status_code=303)
        redirect.delete_cookie(SESSION_COOKIE, path="/")
        return redirect


class WorkQueueController(Controller):
    include_in_schema = False
    dependencies = STAFF_PAGE_DEPENDENCIES
    exception_handlers = STAFF_PAGE_HANDLERS

    @get("/work")
    async def work(self, request: Request, staff: CurrentStaff, db_pool: DbPool) -> Template:
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
        return staff_render(request, staff, "work.html", title_key="work_title", cases=cases)
