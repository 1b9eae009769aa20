"""JSON request bodies: read only when sent as JSON, and never a 500 however malformed.

Litestar reads the body of every handler that declares a JSON body (JSONBody[...], a Struct)
with Request.json(), so this request class decides for each route by what the route
declares, new routes included; form-encoded page routes never come here. It refuses:

- a body sent as another media type (415): a cross-site HTML form can post text/plain
  without a CORS preflight, and Litestar would read it as JSON all the same;
- a body msgspec cannot read with an error other than its own DecodeError (400): it raises
  RecursionError for deep nesting ([[[[...) and UnicodeDecodeError for bytes that are not
  UTF-8 inside a string, which Litestar would answer with a 500.
"""

import re
from typing import Any

from litestar import Request
from litestar.exceptions import ClientException, HTTPException

# application/json, and the +json types built on it (application/merge-patch+json);
# parameters such as charset=utf-8 are allowed.
JSON_MEDIA_TYPE = re.compile(r"application/(?:[a-z0-9!#$&^_.-]+\+)?json")


def is_json(media_type: str) -> bool:
    return JSON_MEDIA_TYPE.fullmatch(media_type) is not None


class JSONBodyRequest(Request[Any, Any, Any]):
    async def json(self) -> Any:
        media_type, _ = self.content_type
        if not is_json(media_type):
            raise HTTPException(
                status_code=415,
                detail="Send the body as JSON, with the header Content-Type: application/json.",
            )
        try:
            return await super().json()
        except RecursionError:
            raise ClientException("The request body is nested too deeply.") from None
        except UnicodeDecodeError:
            raise ClientException("The request body is not valid JSON.") from None
