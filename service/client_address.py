"""Who is asking: the peer's address or, from a trusted proxy, the client it forwards for.

One place decides whom to believe: TRUSTED_PROXIES (settings). The app rewrites the
connection's client (X-Forwarded-For) and scheme (X-Forwarded-Proto) itself, with uvicorn's
own middleware, only for those peers; `serve` therefore runs uvicorn with proxy_headers off.
Behind a chain of proxies the client is the last address not among them.
"""

from collections.abc import Sequence
from typing import Any, cast

from litestar.connection import ASGIConnection
from litestar.types import ASGIApp, Middleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware


def trusted_proxy_middleware(trusted_proxies: Sequence[str]) -> Middleware:
    def middleware(app: ASGIApp) -> ASGIApp:
        return cast(ASGIApp, ProxyHeadersMiddleware(cast(Any, app), list(trusted_proxies)))

    return middleware


def client_address(connection: ASGIConnection) -> str:
    return connection.client.host if connection.client else "unknown"
