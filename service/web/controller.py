"""Web pages for tenants: the tracking page behind the link they were given."""

from typing import Annotated
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, PathParameter, QueryParameter
from litestar.response import Redirect, Template

from service.changes.pipeline import Decide
from service.dependencies import ChangePipeline, DbPool
from service.domain.categories import category_label
from service.domain.errors import DomainError
from service.domain.references import MAX_REFERENCE_LENGTH
from service.reports.tenant_actions import add_message, confirm, reopen, tenant_change
from service.reports.tracking import tenant_view
from service.throttle.guards import TRACKING_PER_ADDRESS
from service.web.language import explicit_language
from service.web.outcomes import NOT_FOUND, outcome_of
from service.web.page_errors import PUBLIC_PAGE_HANDLERS
from service.web.pages import SECURITY_HEADERS, render
from service.web.texts import page_texts
from service.web.throttled import THROTTLED_PAGE_HANDLERS

TrackedReference = Annotated[str, PathParameter(max_length=MAX_REFERENCE_LENGTH)]


def _not_found(request: Request) -> Template:
    return render(request, "not_found.html", title_key="not_found_title", status=NOT_FOUND.status)


class TrackingPageController(Controller):
    include_in_schema = False
    guards = [TRACKING_PER_ADDRESS]
    exception_handlers = {**THROTTLED_PAGE_HANDLERS, **PUBLIC_PAGE_HANDLERS}

    @get("/t/{reference:str}")
    async def tracking_page(
        self,
        request: Request,
        reference: TrackedReference,
        db_pool: DbPool,
        pipeline: ChangePipeline,
        token: Annotated[str | None, QueryParameter(required=False)] = None,
        outcome: Annotated[str | None, QueryParameter(required=False, max_length=20)] = None,
    ) -> Template:
        language = explicit_language(request)
        view = await tenant_view(db_pool, reference, token, pipeline.clock(), language)
        if view is None:
            return _not_found(request)
        texts = page_texts(view.language)
        return render(
            request,
            "tracking.html",
            title_key="your_report",
            default_language=view.language,
            title=f"{texts['your_report']} {view.reference}",
            case=view,
            token=token,
            outcome=outcome,
            category_label=category_label(view.category, view.language),
        )


TenantForm = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


class TenantActionsController(Controller):
    """The forms on the tracking page; each goes back to the page, which shows the result."""

    include_in_schema = False
    guards = [TRACKING_PER_ADDRESS]
    exception_handlers = {**THROTTLED_PAGE_HANDLERS, **PUBLIC_PAGE_HANDLERS}

    async def _act(
        self,
        request: Request,
        db_pool: DbPool,
        pipeline: ChangePipeline,
        reference: str,
        data: dict[str, str],
        decide: Decide,
    ) -> Redirect | Template:
        token = data.get("token", "")
        try:
            await tenant_change(db_pool, pipeline, reference, token, decide)
            outcome = "done"
        except DomainError as error:
            shown = outcome_of(error)
            if shown is NOT_FOUND:
                return _not_found(request)
            outcome = shown.notice
        return Redirect(
            f"/t/{reference}?{urlencode({'token': token, 'outcome': outcome})}",
            status_code=303,
            headers=SECURITY_HEADERS,
        )

    @post("/t/{reference:str}/message")
    async def message(
        self,
        request: Request,
        reference: TrackedReference,
        data: TenantForm,
        db_pool: DbPool,
        pipeline: ChangePipeline,
    ) -> Redirect | Template:
        text = data.get("text", "").strip()[:5000]
        if not text:
            return Redirect(
                f"/t/{reference}?{urlencode({'token': data.get('token', '')})}", status_code=303
            )
        return await self._act(request, db_pool, pipeline, reference, data, add_message(text))

    @post("/t/{reference:str}/confirm")
    async def confirm(
        self,
        request: Request,
        reference: TrackedReference,
        data: TenantForm,
        db_pool: DbPool,
        pipeline: ChangePipeline,
    ) -> Redirect | Template:
        return await self._act(request, db_pool, pipeline, reference, data, confirm())

    @post("/t/{reference:str}/reopen")
    async def reopen(
        self,
        request: Request,
        reference: TrackedReference,
        data: TenantForm,
        db_pool: DbPool,
        pipeline: ChangePipeline,
    ) -> Redirect | Template:
        reason = data.get("reason", "").strip()[:2000] or "-"
        return await self._act(request, db_pool, pipeline, reference, data, reopen(reason))
