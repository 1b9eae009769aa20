"""Each answer seen once, from outside all of Litestar's handling: its access-log line and its
metrics.

Wrapped around `Litestar.asgi_handler` rather than added as a middleware: Litestar runs
middleware only for requests that found a route, and an unknown address (404) or a wrong
method (405) must be logged and counted too. Out here every exception has become an answer,
so the status sent is the status.
"""

import time

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from service.access_log import log_request
from service.metrics.requests import count_request


def observed(app: ASGIApp) -> ASGIApp:
    async def handle(scope: Scope, receive: Receive, send: Send) -> None:
        # ScopeType is a str enum: it equals the plain "http" a server puts in the scope,
        # and comparing with it narrows Scope to HTTPScope (which has a method).
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
            seconds = time.perf_counter() - started
            log_request(scope, status, seconds)
            count_request(scope, status, seconds)

    return handle
