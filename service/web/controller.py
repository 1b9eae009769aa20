"""Web pages for tenants: the tracking page behind the link they were given."""

from typing import Annotated
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, PathParameter, QueryParameter
from litestar.response import Redirect, Template

from service.cases.changes import Conflict, Decide
from service.dependencies import DbPool
from service.domain.categories import category_label
from service.reports.tenant_actions import add_message, confirm, reopen, tenant_change
from service.reports.tracking import tenant_view
from service.web.language import explicit_language
from service.web.pages import SECURITY_HEADERS, render
from service.web.texts import page_texts


class TrackingPageController(Controller):
    include_in_schema = False

    @get("/t/{reference:str}")
    async def tracking_page(
        self,
        request: Request,
        reference: Annotated[str, PathParameter(max_length=30)],
        db_pool: DbPool,
        token: Annotated[str | None, QueryParameter(required=False)] = None,
        outcome: Annotated[str | None, QueryParameter(required=False, max_length=20)] = None,
    ) -> Template:
        view = await tenant_view(db_pool, reference, token, explicit_language(request))
        if view is None:
            return render(request, "not_found.html", title_key="not_found_title", status=404)
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

    async def _act(
        self, db_pool: DbPool, reference: str, data: dict[str, str], decide: Decide
    ) -> Redirect:
        token = data.get("token", "")
        try:
            await tenant_change(db_pool, reference, token, decide)
            outcome = "done"
        except Conflict:
            outcome = "not_possible"
        return Redirect(
            f"/t/{reference}?{urlencode({'token': token, 'outcome': outcome})}",
            status_code=303,
            headers=SECURITY_HEADERS,
        )

    @post("/t/{reference:str}/message")
    async def message(
        self,
        reference: Annotated[str, PathParameter(max_length=30)],
        data: TenantForm,
        db_pool: DbPool,
    ) -> Redirect:
        text = data.get("text", "").strip()[:5000]
        if not text:
            return Redirect(
                f"/t/{reference}?{urlencode({'token': data.get('token', '')})}", status_code=303
            )
        return await self._act(db_pool, reference, data, add_message(text))

    @post("/t/{reference:str}/confirm")
    async def confirm(
        self,
        reference: Annotated[str, PathParameter(max_length=30)],
        data: TenantForm,
        db_pool: DbPool,
    ) -> Redirect:
        return await self._act(db_pool, reference, data, confirm())

    @post("/t/{reference:str}/reopen")
    async def reopen(
        self,
        reference: Annotated[str, PathParameter(max_length=30)],
        data: TenantForm,
        db_pool: DbPool,
    ) -> Redirect:
        reason = data.get("reason", "").strip()[:2000] or "-"
        return await self._act(db_pool, reference, data, reopen(reason))
