"""Where a webhook may go: https only, and never to an address inside our own network.

A subscription's URL is checked when it is made and again before every delivery (DNS can
change), and the POST goes to the very address that was checked, so a host that resolves
to a public address for the check and a private one for the connection gets nowhere.
Private, loopback, link-local and reserved addresses are refused unless WEBHOOK_ALLOW_PRIVATE
allows them (tests, a receiver on the same machine); plain http unless WEBHOOK_ALLOW_HTTP.
"""

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from service.settings import Settings

MAX_URL_LENGTH = 2000


class UrlRefused(ValueError):
    """A URL a webhook may not go to; the message says why, in an operator's words."""


@dataclass(frozen=True)
class UrlPolicy:
    allow_http: bool = False
    allow_private: bool = False

    @classmethod
    def of(cls, settings: Settings) -> "UrlPolicy":
        return cls(settings.webhook_allow_http, settings.webhook_allow_private)


@dataclass(frozen=True)
class Target:
    """A checked URL and the address to connect to."""

    url: SplitResult
    address: str

    @property
    def port(self) -> int:
        return self.url.port or (443 if self.url.scheme == "https" else 80)

    @property
    def connect_url(self) -> str:
        """The URL with the checked address in place of the host name."""
        host = f"[{self.address}]" if ":" in self.address else self.address
        return self.url._replace(netloc=f"{host}:{self.port}", fragment="").geturl()


def check_form(url: str, policy: UrlPolicy) -> SplitResult:
    """The URL's own form: scheme, host, no credentials."""
    if len(url) > MAX_URL_LENGTH:
        raise UrlRefused(f"The URL is longer than {MAX_URL_LENGTH} characters.")
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError for a port that is no number
    except ValueError:
        raise UrlRefused("This is not a URL like https://example.nl/webhooks.") from None
    schemes = ("https", "http") if policy.allow_http else ("https",)
    if parts.scheme not in schemes:
        raise UrlRefused("The URL must start with https://.")
    if not parts.hostname:
        raise UrlRefused("The URL has no host name.")
    if not parts.hostname.isascii():
        raise UrlRefused("Write the host name in its ASCII form (xn--...), as DNS knows it.")
    if parts.username is not None or parts.password is not None:
        raise UrlRefused(
            "Put no user name or password in the URL: the signature shows the receiver "
            "that a message comes from us."
        )
    return parts


def refused_address(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


async def resolve(url: str, policy: UrlPolicy) -> Target:
    """The URL checked, with the address to connect to; UrlRefused when it may not be used."""
    parts = check_form(url, policy)
    host = parts.hostname or ""
    try:
        found = await asyncio.get_running_loop().getaddrinfo(
            host, parts.port or 443, type=socket.SOCK_STREAM
        )
    except (socket.gaierror, UnicodeError):
        raise UrlRefused(f"The host {host} cannot be found.") from None
    addresses = [str(info[4][0]).partition("%")[0] for info in found]
    if not addresses:
        raise UrlRefused(f"The host {host} cannot be found.")
    # Every address must be allowed: a host may answer with any of them.
    if not policy.allow_private and any(refused_address(a) for a in addresses):
        raise UrlRefused(
            f"The host {host} has a private, loopback or reserved address; webhooks go to "
            "the internet only."
        )
    return Target(parts, addresses[0])
