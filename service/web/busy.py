"""The page shown instead of the one asked for when the service cannot make it right now:
the database is unavailable (503), or too many exports are running (429)."""

from litestar import Request
from litestar.response import Template

from service.web.pages import render


def unavailable_page(request: Request, retry_after: int) -> Template:
    page = render(
        request,
        "busy.html",
        title_key="unavailable_title",
        text_key="unavailable_text",
        status=503,
        # Reporting can wait a minute; danger cannot.
        mention_emergency=True,
    )
    page.set_header("Retry-After", str(retry_after))
    return page


def exports_busy_page(request: Request, retry_after: int) -> Template:
    page = render(
        request,
        "busy.html",
        title_key="exports_busy_title",
        text_key="exports_busy_text",
        status=429,
        mention_emergency=False,
    )
    page.set_header("Retry-After", str(retry_after))
    return page
