"""Rate limits per client address, counted before a request's handler runs and before its body
is read.

Hooks (`before_request=`), not route guards: Litestar copies the route handler for every
guard it calls, on every request, which showed in the status read's profile (issue 15).
"""

from litestar import Request

from service.client_address import client_address
from service.throttle.policy import Limited, Throttle


class PerAddress:
    """Counts the request against the limit of its kind for its client's address.

    An object rather than a function: set on a controller class, a function would become a
    method (Litestar undoes that at run time, the type checker does not)."""

    def __init__(self, kind: Limited) -> None:
        self.kind = kind

    async def __call__(self, request: Request) -> None:
        throttle: Throttle = request.app.state.throttle
        await throttle.admit(self.kind, client_address(request))


REPORTS_PER_ADDRESS = PerAddress(Limited.REPORTS)
TRACKING_PER_ADDRESS = PerAddress(Limited.TRACKING)
LINKS_PER_ADDRESS = PerAddress(Limited.LINKS)
OPEN311_PER_ADDRESS = PerAddress(Limited.OPEN311)
