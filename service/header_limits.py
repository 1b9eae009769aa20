"""Request headers of a sane size: 431 (Request Header Fields Too Large) beyond the limits.

uvicorn[standard] parses HTTP with httptools, which takes headers of any size; uvicorn's
h11_max_incomplete_event_size only applies to its h11 parser. So the app checks them: one
header (name and value) may have 16 KB, all of them together 64 KB. Browsers send a few KB;
the largest in practice are cookies, and ours are small. A proxy in front (nginx: 8 KB per
line by default) may refuse earlier, before the service reads them at all.
"""

from litestar.enums import ScopeType
from litestar.exceptions import HTTPException
from litestar.types import ASGIApp, Receive, Scope, Send

MAX_HEADER_BYTES = 16 * 1024
MAX_HEADERS_BYTES = 64 * 1024


def headers_too_large(headers: list[tuple[bytes, bytes]]) -> bool:
    sizes = [len(name) + len(value) for name, value in headers]
    return max(sizes, default=0) > MAX_HEADER_BYTES or sum(sizes) > MAX_HEADERS_BYTES


def header_limits_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP and headers_too_large(list(scope["headers"])):
            raise HTTPException(
                status_code=431,
                detail="The request headers are too large: at most 16 KB for one header "
                "and 64 KB for all of them.",
            )
        await app(scope, receive, send)

    return middleware
