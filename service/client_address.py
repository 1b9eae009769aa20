"""Who is asking: the peer's address or, from a trusted proxy, the client it forwards for.

One place decides whom to believe: TRUSTED_PROXIES (settings). The app rewrites the
connection's client (X-Forwarded-For) and scheme (X-Forwarded-Proto) itself, with uvicorn's
own middleware, only for those peers; `serve` therefore runs uvicorn with proxy_headers off.
Behind a chain of proxies the client is the last address not among them.

uvicorn decides whether an address is a proxy's by parsing it with the ipaddress module,
keeping the last 4,096 answers. After an earthquake most reports come from addresses it has
not seen, and that parse cost 4 us of a status read's 200 (issue 15). When the proxies are
addresses only (no network), an address is compared in its packed form instead, from the
system's inet_pton; whatever inet_pton does not read (a network configured, a name, a
scoped IPv6 address) is decided by uvicorn as before.
"""

import socket
from collections.abc import Sequence
from typing import Any, cast

from litestar.connection import ASGIConnection
from litestar.types import ASGIApp, Middleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware, _TrustedHosts


class PackedTrustedHosts(_TrustedHosts):
    """uvicorn's trusted hosts, an address compared packed when they are addresses only."""

    def __init__(self, trusted_hosts: list[str]) -> None:
        super().__init__(trusted_hosts)
        self._packed = frozenset(ip.packed for ip in self.trusted_hosts)
        self._addresses_only = not (
            self.always_trust or self.trusted_networks or self.trusted_literals
        )

    def __contains__(self, host: str | None) -> bool:
        if self._addresses_only and host:
            packed = _packed(host)
            if packed is not None:
                return packed in self._packed
        return super().__contains__(host)


def _packed(host: str) -> bytes | None:
    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            return socket.inet_pton(family, host)
        except (OSError, ValueError):  # not of this family; ValueError: a NUL in it
            continue
    return None


def trusted_proxy_middleware(trusted_proxies: Sequence[str]) -> Middleware:
    def middleware(app: ASGIApp) -> ASGIApp:
        proxy_headers = ProxyHeadersMiddleware(cast(Any, app), list(trusted_proxies))
        proxy_headers.trusted_hosts = PackedTrustedHosts(list(trusted_proxies))
        return cast(ASGIApp, proxy_headers)

    return middleware


def client_address(connection: ASGIConnection) -> str:
    return connection.client.host if connection.client else "unknown"
