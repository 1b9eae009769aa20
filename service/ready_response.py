"""A response whose body is already complete bytes: sent without Litestar's header handling.

The tenant's status read (the API's JSON and the tracking page) mostly serves an answer kept
whole (service/kept_answers.py). Litestar's Response then still copies its headers and
cookies into dictionaries, merges them with the route's, and adds each header to the ASGI
answer one by one, checking and encoding it: about 9 us of a read that costs the service
about 200 (issue 15). Here the handler's own headers and the two Litestar would write
after them (content-type, content-length) are put in the raw list at once.

Anything this does not do the way Litestar does it (a route's own response headers or
cookies, a background task, cookies on the response, a HEAD answer) goes through Litestar's
Response as before.
"""

import functools
from collections.abc import Iterable, Sequence
from typing import Any

from litestar import Request, Response
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.enums import MediaType
from litestar.response.base import ASGIResponse
from litestar.types.asgi_types import RawHeadersList
from litestar.utils.helpers import get_enum_string_value

HeaderPairs = tuple[tuple[bytes, bytes], ...]


class _AsMade(ASGIResponse):
    """An ASGIResponse over a header list made in full by the caller."""

    def __init__(self, body: bytes, status_code: int, headers: RawHeadersList) -> None:
        # ASGIResponse's attributes, set as its own __init__ would for this body.
        self.background = None
        self.body = body
        self.content_length = len(body)
        self.encoding = "utf-8"
        self.headers = MutableScopeHeaders({"headers": headers})
        self.is_head_response = False
        self.status_code = status_code
        self._encoded_cookies = ()


class ReadyResponse(Response[bytes]):
    """body: the answer as sent; headers: the handler's own, as lowercase raw pairs; with
    cookies, it is sent as a Response is."""

    __slots__ = ("_content_type", "_raw_headers")

    def __init__(
        self,
        body: bytes,
        *,
        media_type: MediaType | str,
        headers: HeaderPairs = (),
        cookies: Sequence[Cookie] = (),
    ) -> None:
        super().__init__(body, media_type=media_type, cookies=cookies)
        self._raw_headers = headers
        self._content_type = _content_type(get_enum_string_value(media_type))

    def to_asgi_response(
        self,
        app: Any,
        request: Request,
        *,
        background: Any = None,
        cookies: Iterable[Any] | None = None,
        encoded_headers: Iterable[tuple[bytes, bytes]] | None = None,
        headers: dict[str, str] | None = None,
        is_head_response: bool = False,
        media_type: Any = None,
        status_code: int | None = None,
        type_encoders: Any = None,
    ) -> ASGIResponse:
        if (
            background
            or cookies
            or encoded_headers
            or headers
            or is_head_response
            or self.cookies
            or self.headers  # set by a hook after the handler
            or self.background
        ):
            return super().to_asgi_response(
                app,
                request,
                background=background,
                cookies=cookies,
                encoded_headers=encoded_headers,
                headers={**(headers or {}), **self._as_dict()},
                is_head_response=is_head_response,
                media_type=media_type,
                status_code=status_code,
                type_encoders=type_encoders,
            )
        body = self.content
        raw = [
            *self._raw_headers,
            (b"content-type", self._content_type),
            (b"content-length", str(len(body)).encode("ascii")),
        ]
        return _AsMade(body, self.status_code or status_code or 200, raw)

    def _as_dict(self) -> dict[str, str]:
        return {
            name.decode("latin-1"): value.decode("latin-1") for name, value in self._raw_headers
        }


@functools.cache
def _content_type(media_type: str) -> bytes:
    """As Litestar's ASGIResponse writes it: a text type with its encoding."""
    return (
        f"{media_type}; charset=utf-8" if media_type.startswith("text/") else media_type
    ).encode()
