"""One log line per request, without query strings: they can hold addresses and tokens."""

import logging
import time

from litestar.enums import ScopeType
from litestar.exceptions import HTTPException
from litestar.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("service.access")


def access_log_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        # ScopeType is a str enum: it equals the plain "http" a server puts in the scope,
        # and comparing with it narrows Scope to HTTPScope (which has a method).
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await app(scope, receive, send_and_note)
        except HTTPException as error:
            # Raised by a middleware inside this one (a CSRF refusal, headers too large); the
            # exception handlers around the middleware answer with its status.
            status = error.status_code
            raise
        finally:
            logger.info(
                "%s %s %s %.1fms",
                scope["method"],
                scope["path"],
                status,
                (time.perf_counter() - started) * 1000,
            )

    return middleware
