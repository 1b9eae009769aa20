"""The page shown instead of the one asked for when the service cannot make it right now:
the database is unavailable (503), or too many exports are running (429)."""

from litestar import Request
from litestar.response import Template

from service.web.pages import render


def _busy_page(
    request: Request, retry_after: int, *, status: int, texts: str, mention_emergency: bool
) -> Template:
    page = render(
        request,
        "busy.html",
        title_key=f"{texts}_title",
        text_key=f"{texts}_text",
        status=status,
        mention_emergency=mention_emergency,
    )
    page.set_header("Retry-After", str(retry_after))
    return page


def unavailable_page(request: Request, retry_after: int) -> Template:
    # Reporting can wait a minute; danger cannot.
    return _busy_page(request, retry_after, status=503, texts="unavailable", mention_emergency=True)


def exports_busy_page(request: Request, retry_after: int) -> Template:
    return _busy_page(
        request, retry_after, status=429, texts="exports_busy", mention_emergency=False
    )
