"""The page a visitor sees when their address made too many requests: HTTP 429, with
Retry-After, saying in their language when to try again."""

from litestar import Request
from litestar.response import Template
from litestar.types import ExceptionHandlersMap

from service.throttle.policy import RateLimited, retry_after
from service.web.language import chosen_language
from service.web.pages import render
from service.web.texts import wait_words


def _too_many_requests(request: Request, limited: RateLimited) -> Template:
    language, _ = chosen_language(request)
    return render(
        request,
        "too_many.html",
        title_key="too_many_title",
        status=429,
        headers=retry_after(limited.wait),
        wait=wait_words(limited.wait, language),
    )


# For the controllers of pages whose routes are rate limited per address.
THROTTLED_PAGE_HANDLERS: ExceptionHandlersMap = {RateLimited: _too_many_requests}
