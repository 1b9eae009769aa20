"""Web pages for tenants: the tracking page behind the link they were given."""

from datetime import datetime
from pathlib import Path
from typing import Annotated

from litestar import Controller, get
from litestar.params import PathParameter, QueryParameter
from litestar.response import Template

from service.dependencies import DbPool
from service.domain.calendar import AMSTERDAM
from service.domain.categories import category_label
from service.reports.tracking import tenant_view
from service.web.texts import page_texts, status_label

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"

# The token is in the URL: no page of ours may send it on, nor load anything foreign.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


def format_time(moment: datetime) -> str:
    return moment.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M")


class TrackingPageController(Controller):
    include_in_schema = False

    @get("/t/{reference:str}")
    async def tracking_page(
        self,
        reference: Annotated[str, PathParameter(max_length=30)],
        db_pool: DbPool,
        token: Annotated[str | None, QueryParameter(required=False)] = None,
    ) -> Template:
        view = await tenant_view(db_pool, reference, token)
        if view is None:
            texts = page_texts("nl")
            return Template(
                "not_found.html",
                context={"language": "nl", "title": texts["not_found_title"], "t": texts},
                status_code=404,
                headers=SECURITY_HEADERS,
            )
        texts = page_texts(view.language)
        return Template(
            "tracking.html",
            context={
                "language": view.language,
                "title": f"{texts['your_report']} {view.reference}",
                "t": texts,
                "case": view,
                "status_text": status_label(view.status, view.language),
                "category_label": category_label(view.category, view.language),
                "format_time": format_time,
            },
            headers=SECURITY_HEADERS,
        )
