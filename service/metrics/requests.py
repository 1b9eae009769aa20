"""Every answer counted by method, route template and status, with its duration.

Wrapped around the whole of Litestar's request handling (`Litestar.asgi_handler`) rather than
added as a middleware: Litestar runs middleware only for requests that found a route, and an
unknown address (404) or a wrong method (405) must be counted too. They count as the route
UNMATCHED. The route is the template (`/api/v1/cases/{reference}`), never the path itself:
paths carry references and tokens, and each distinct path would make series of its own.
"""

import time

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from service.metrics.instruments import LATENCY, REQUESTS

UNMATCHED = "unmatched"
# Any other word a client sends as its method counts as "other": no client makes new series.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def count_requests(app: ASGIApp) -> ASGIApp:
    async def counted(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # when the app fails before it answers

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await app(scope, receive, send_and_note)
        finally:
            method = scope["method"] if scope["method"] in METHODS else "other"
            # Set by Litestar's router once the request found its route.
            route = scope.get("path_template") or UNMATCHED
            REQUESTS.labels(method, route, str(status)).inc()
            LATENCY.labels(method, route).observe(time.perf_counter() - started)

    return counted
