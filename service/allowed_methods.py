"""OPTIONS answers that name every method of a path served by several handlers.

Litestar (2.25) answers OPTIONS on a path with the methods of the handler registered first,
and a controller registers its handlers in the order of their names. A controller with more
than one handler on a path gets this one, under a name that sorts before its other handlers'
(accepted_methods...), so that the answer lists them all.
"""

from typing import Any

from litestar import Response, route
from litestar.enums import HttpMethod
from litestar.handlers import HTTPRouteHandler


def accepted_methods(path: str, methods: str) -> HTTPRouteHandler:
    """A handler of OPTIONS on path answering Allow: methods ("GET, OPTIONS, POST")."""

    @route(path, http_method=[HttpMethod.OPTIONS], include_in_schema=False, status_code=204)
    async def answer(self: Any) -> Response[None]:
        return Response(None, status_code=204, headers={"Allow": methods})

    return answer
