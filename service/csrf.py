"""The web pages' CSRF protection: Litestar's, with the cookie's header made once.

A visitor without the CSRF cookie (every first visit: a tenant opening the link from an
e-mail) is given one with the page. Litestar builds that Set-Cookie header through the
standard library's cookie classes on every such answer, which cost the tracking page about
a fourteenth of its CPU (issue 15). Only the token differs between two of them, so the
header's text around it is made once, by Litestar's own Cookie, when the app starts. The
checks themselves (which requests need a token, and whether it matches) are Litestar's.
"""

from litestar.config.csrf import CSRFConfig
from litestar.datastructures.cookie import Cookie
from litestar.middleware import DefineMiddleware
from litestar.middleware.csrf import CSRFMiddleware
from litestar.types import ASGIApp, Message, Send

# Stands in for the token while the header is made; a token is hexadecimal only, which a
# cookie carries as it is (no quoting), so the text around it is the same for every token.
_HEX_STAND_IN = "0123456789abcdef"


def csrf_cookie_header(config: CSRFConfig, token: str) -> bytes:
    """The Set-Cookie header's value for this token, as Litestar writes it."""
    cookie = Cookie(
        key=config.cookie_name,
        value=token,
        path=config.cookie_path,
        secure=config.cookie_secure,
        httponly=config.cookie_httponly,
        samesite=config.cookie_samesite,
        domain=config.cookie_domain,
    )
    return cookie.to_header(header="").encode("latin-1")


class CookieOnceCSRFMiddleware(CSRFMiddleware):
    def __init__(self, app: ASGIApp, config: CSRFConfig) -> None:
        super().__init__(app, config)
        before, after = csrf_cookie_header(config, _HEX_STAND_IN).split(_HEX_STAND_IN.encode())
        self._around_token = (before, after)

    def create_send_wrapper(self, send: Send, token: str, csrf_cookie: str | None) -> Send:
        if csrf_cookie is not None:  # the visitor has one: nothing to add
            return send
        before, after = self._around_token
        cookie = (b"set-cookie", before + token.encode("ascii") + after)

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), cookie]
            await send(message)

        return send_with_cookie


def csrf_middleware(config: CSRFConfig) -> DefineMiddleware:
    """For the app's middleware, innermost, where Litestar puts its own from `csrf_config`."""
    return DefineMiddleware(CookieOnceCSRFMiddleware, config=config)
