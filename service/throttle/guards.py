"""Route guards that count each request per client address, before its body is read."""

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.types import Guard

from service.client_address import client_address
from service.throttle.policy import Limited, Throttle


def per_address(kind: Limited) -> Guard:
    async def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
        throttle: Throttle = connection.app.state.throttle
        await throttle.admit(kind, client_address(connection))

    return guard


REPORTS_PER_ADDRESS = per_address(Limited.REPORTS)
TRACKING_PER_ADDRESS = per_address(Limited.TRACKING)
LINKS_PER_ADDRESS = per_address(Limited.LINKS)
OPEN311_PER_ADDRESS = per_address(Limited.OPEN311)
