"""Whether a request sent any cookies at all, from its raw headers.

A tenant opening the tracking link from an e-mail usually sends none. Asking Litestar for a
cookie builds the request's headers and parses them, which on the tracking page cost more than
looking for the one header first (issue 15).
"""

from litestar.types import Scope


def sends_cookies(scope: Scope) -> bool:
    return any(name == b"cookie" for name, _ in scope["headers"])
