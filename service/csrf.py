"""The web pages' CSRF protection: Litestar's, with the cookie's header made once.

A visitor without the CSRF cookie (every first visit: a tenant opening the link from an
e-mail) is given one with the page. Litestar builds that Set-Cookie header through the
standard library's cookie classes on every such answer, which cost the tracking page about
a fourteenth of its CPU (issue 15). Only the token differs between two of them, so the
header's text around it is made once, by Litestar's own Cookie, when the app starts. The
checks themselves (which requests need a token, and whether it matches) are Litestar's.

A GET (or another safe method) needs no check, only the visitor's token: Litestar's middleware
still parses the request's content type and looks for a token in its headers and form first,
which a safe method never uses. Here a safe method goes straight to what Litestar does with it:
the cookies are parsed only when the request has any, and a new token is made as Litestar makes
it (random bytes in hexadecimal, then their HMAC with the secret), with the random bytes read
from the operating system a page at a time rather than in one system call per visitor.
"""

import hashlib
import hmac
import os

from litestar.config.csrf import CSRFConfig
from litestar.connection import ASGIConnection
from litestar.datastructures.cookie import Cookie
from litestar.enums import ScopeType
from litestar.middleware import DefineMiddleware
from litestar.middleware._utils import should_bypass_middleware
from litestar.middleware.csrf import CSRF_SECRET_BYTES, CSRFMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from litestar.utils.scope.state import ScopeState

from service.cookie_header import sends_cookies

# Stands in for the token while the header is made; a token is hexadecimal only, which a
# cookie carries as it is (no quoting), so the text around it is the same for every token.
_HEX_STAND_IN = "0123456789abcdef"


class RandomBytes:
    """Bytes from os.urandom, read PAGE of them at a time and handed out once each. Called
    from the event loop only; a forked child starts with none (never its parent's)."""

    PAGE = 4096

    def __init__(self) -> None:
        self._page = b""
        self._taken = 0
        os.register_at_fork(after_in_child=self._forget)

    def take(self, count: int) -> bytes:
        start = self._taken
        if start + count > len(self._page):
            self._page, start = os.urandom(max(self.PAGE, count)), 0
        self._taken = start + count
        return self._page[start : start + count]

    def _forget(self) -> None:
        self._page, self._taken = b"", 0


_RANDOM_BYTES = RandomBytes()


def new_csrf_token(signer: hmac.HMAC) -> str:
    """A token as Litestar's generate_csrf_token makes it, which its middleware checks;
    signer: an HMAC-SHA256 keyed with the secret and given nothing yet, copied for each."""
    random_part = _RANDOM_BYTES.take(CSRF_SECRET_BYTES).hex()
    signature = signer.copy()
    signature.update(random_part.encode())
    return random_part + signature.hexdigest()


def _cookie_token(scope: Scope, cookie_name: str) -> str | None:
    """The visitor's CSRF cookie; most first visits send no cookies to parse at all."""
    return ASGIConnection(scope).cookies.get(cookie_name) if sends_cookies(scope) else None


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
        # Keyed once: copying it is cheaper than keying an HMAC for each new visitor.
        self._signer = hmac.new(config.secret.encode(), digestmod=hashlib.sha256)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope["method"] not in self.config.safe_methods:
            await super().__call__(scope, receive, send)
            return
        if should_bypass_middleware(
            scope=scope,
            scopes=self.scopes,
            exclude_opt_key=self.config.exclude_from_csrf_key,
            exclude_path_pattern=self.exclude,
        ):
            # An excluded path (the API) or route: passed on as Litestar's middleware does,
            # without asking Litestar's to check the exclusion again.
            await self.app(scope, receive, send)
            return
        # Litestar's branch for a safe method: the visitor's token, or a new one in a cookie.
        csrf_cookie = _cookie_token(scope, self.config.cookie_name)
        token = csrf_cookie or new_csrf_token(self._signer)
        ScopeState.from_scope(scope).csrf_token = token
        await self.app(scope, receive, self.create_send_wrapper(send, token, csrf_cookie))

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
