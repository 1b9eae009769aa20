"""The page a browser gets for an address the service does not have (API clients get JSON)."""

from litestar import Request
from litestar.response import Template

from service.web.pages import render


def accepts_html(request: Request) -> bool:
    """A browser: HTML among what it accepts (API clients ask for JSON, or say nothing)."""
    return "text/html" in request.headers.get("accept", "")


def unknown_address_page(request: Request) -> Template:
    return render(
        request,
        "message.html",
        title_key="page_not_found_title",
        status=404,
        text_key="page_not_found_text",
        public=True,
    )
