"""Staff web pages: sign in and out, and the work queue."""

from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from typing import Annotated
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.di import Provide
from litestar.enums import RequestEncodingType
from litestar.params import Body, QueryParameter
from litestar.response import Redirect, Template

from service.auth.staff import CurrentStaff
from service.auth.store import user_by_email
from service.cases.controller import CaseFilterParameters, provide_case_filter
from service.cases.views import summary_of
from service.cases.work_list import DEFAULT_SORT, WorkSort, count_cases, work_page
from service.client_address import client_address
from service.dependencies import AppThrottle, DbPool, PasswordChecker
from service.domain.categories import category_choices
from service.domain.paging import Pages
from service.domain.workflow import OPEN_STATUSES, Status
from service.throttle.policy import retry_after
from service.web.language import LANGUAGE_SWITCH, chosen_language
from service.web.page_errors import PUBLIC_PAGE_HANDLERS
from service.web.pages import format_date, render
from service.web.staff_access import (
    SESSION_COOKIE,
    STAFF_PAGE_DEPENDENCIES,
    STAFF_PAGE_HANDLERS,
    end_session,
    safe_next,
    staff_render,
    start_session,
)
from service.web.texts import case_count, wait_words
from service.web.work_table import work_table

WORK_PAGE_SIZE = 50
LoginForm = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
NextPage = Annotated[str | None, QueryParameter(name="next", required=False, max_length=500)]


# The switch on the page that answered a sign-in sends the form back: the e-mail stays.
LOGIN_SWITCH = {"id": "login-form", "action": "/login"}


class SignInController(Controller):
    include_in_schema = False
    exception_handlers = PUBLIC_PAGE_HANDLERS

    @get("/login")
    async def login_form(self, request: Request, next_page: NextPage = None) -> Template:
        return render(
            request,
            "login.html",
            title_key="sign_in",
            email="",
            failed=False,
            wait=None,
            next=safe_next(next_page),
        )

    @post("/login", status_code=200)
    async def login(
        self,
        request: Request,
        data: LoginForm,
        db_pool: DbPool,
        throttle: AppThrottle,
        password_check: PasswordChecker,
    ) -> Template | Redirect:
        email = data.get("email", "").strip().lower()
        next_page = safe_next(data.get("next"))
        address = client_address(request)
        page = partial(
            render,
            request,
            "login.html",
            title_key="sign_in",
            email=email,
            next=next_page,
            switch_language_form=LOGIN_SWITCH,
        )
        if data.get(LANGUAGE_SWITCH):  # the form again in the other language: no attempt
            return page(failed=False, wait=None)
        wait = await throttle.sign_in_wait(email, address)
        if wait:  # refused before any hashing: a throttled attempt costs next to nothing
            language, _ = chosen_language(request)
            return page(
                status=429,
                headers=retry_after(wait),
                failed=True,
                wait=wait_words(wait, language),
            )
        # No connection is held while the password is hashed.
        async with db_pool.acquire() as connection:
            user = await user_by_email(connection, email) if email else None
        usable_hash = user["password_hash"] if user is not None and user["active"] else None
        # Hashed whether or not the account exists: the time of the answer tells nothing.
        matched = await password_check.matches(data.get("password", ""), usable_hash)
        if user is None or not matched:
            await throttle.sign_in_failed(email, address)
            return page(status=400, failed=True, wait=None)
        await throttle.sign_in_succeeded(email)
        async with db_pool.acquire() as connection:
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


async def drop_empty_filters(request: Request) -> Redirect | None:
    """A filter form sends its empty fields too; the queue's URL keeps only the chosen ones."""
    given = list(request.query_params.multi_items())
    chosen = [(key, value) for key, value in given if value]
    if len(chosen) == len(given):
        return None
    return Redirect(f"{request.url.path}?{urlencode(chosen)}", status_code=303)


class WorkQueueController(Controller):
    include_in_schema = False
    dependencies = STAFF_PAGE_DEPENDENCIES | {"case_filter": Provide(provide_case_filter)}
    exception_handlers = STAFF_PAGE_HANDLERS

    @get("/work", before_request=drop_empty_filters)
    async def work(
        self,
        request: Request,
        staff: CurrentStaff,
        db_pool: DbPool,
        case_filter: CaseFilterParameters,
        sort: Annotated[str, QueryParameter(max_length=40)] = str(DEFAULT_SORT),
        page: Annotated[int, QueryParameter(ge=1, le=1_000_000)] = 1,
    ) -> Template:
        language, _ = chosen_language(request)
        chosen_sort = WorkSort.parse(sort)
        filters = replace(case_filter, statuses=case_filter.statuses or sorted(OPEN_STATUSES))
        categories = category_choices(language)
        async with db_pool.acquire() as connection:
            total = await count_cases(
                connection, scope=staff.scope, user_id=staff.id, filters=filters
            )
            pages = Pages.of(total, WORK_PAGE_SIZE, page)
            rows = await work_page(
                connection,
                scope=staff.scope,
                user_id=staff.id,
                filters=filters,
                sort=chosen_sort or DEFAULT_SORT,
                category_order=[c["code"] for c in sorted(categories, key=lambda c: c["label"])],
                offset=pages.offset,
                limit=pages.size,
            )
        now = datetime.now(UTC)
        # Every filter, each value of a repeated one too (status=new&status=unrouted).
        filters_given = [
            (k, v) for k, v in request.query_params.multi_items() if k not in ("sort", "page")
        ]
        return staff_render(
            request,
            staff,
            "work.html",
            title_key="work_title",
            # A sort the page does not offer (an old bookmark, a typing error): the default
            # order, and a word on why.
            status=200 if chosen_sort else 400,
            table=work_table(filters_given, chosen_sort or DEFAULT_SORT, pages),
            sort_refused=chosen_sort is None,
            cases=[(summary_of(row, now), row["tenant_news"], row["erase_by"]) for row in rows],
            chosen=dict(filters_given),  # what the form's selects show
            statuses=list(Status),
            categories=categories,
            category_labels={c["code"]: c["label"] for c in categories},
            count_text=case_count(pages.total, language),
            format_date=format_date,
        )
