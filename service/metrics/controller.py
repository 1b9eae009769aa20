"""GET /metrics, for Prometheus: never for the internet.

With METRICS_TOKEN set, only a request with `Authorization: Bearer <METRICS_TOKEN>` gets the
numbers; others get 401. Without it, only this machine does (a loopback client address, as
TRUSTED_PROXIES decides it: a visitor forwarded by a proxy on this machine is not this
machine); others get the 404 of any unknown address.
"""

import hmac
import ipaddress

from litestar import Controller, Request, Response, get
from litestar.exceptions import NotAuthorizedException, NotFoundException

from service.client_address import client_address
from service.dependencies import AppSettings, DbPool
from service.metrics.exposition import CONTENT_TYPE, exposition


def _from_this_machine(request: Request) -> bool:
    try:
        address = ipaddress.ip_address(client_address(request))
    except ValueError:
        return False  # no address at all
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_loopback


def _check_access(request: Request, token: str | None) -> None:
    if token is None:
        if not _from_this_machine(request):
            raise NotFoundException()
        return
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    # compare_digest: the time taken does not tell how much of a guess was right.
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given.strip().encode(), token.encode()
    ):
        raise NotAuthorizedException(
            "Send the metrics token: Authorization: Bearer <METRICS_TOKEN>.",
            headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
        )


class MetricsController(Controller):
    path = "/metrics"
    # For operators' Prometheus, not part of the API.
    include_in_schema = False

    @get()
    async def metrics(
        self, request: Request, settings: AppSettings, db_pool: DbPool
    ) -> Response[bytes]:
        _check_access(request, settings.metrics_token)
        state = request.app.state
        body = await exposition(
            {"requests": db_pool, "exports": state.export_pool}, db_pool, state.db_outage
        )
        return Response(body, media_type=CONTENT_TYPE)
