"""The page a browser gets for an address the service does not have (API clients get JSON)."""

from litestar import Request
from litestar.response import Template

from service.web.pages import render


def wants_a_page(request: Request) -> bool:
    """A browser asking for a page: not under /api/, and HTML among what it accepts."""
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get(
        "accept", ""
    )


def unknown_address_page(request: Request) -> Template:
    return render(
        request,
        "message.html",
        title_key="page_not_found_title",
        status=404,
        text_key="page_not_found_text",
        public=True,
    )
