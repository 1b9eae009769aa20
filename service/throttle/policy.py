"""How much is allowed and how long to wait: per client address, and per sign-in account.

Per address, fixed windows: at most `count` reports (or tracking look-ups, or failed
sign-ins) in each window of `seconds`. Per account, a backoff: the first failed sign-ins
are free, then each failure makes the next attempt wait twice as long as the one before,
from 1 second up to the longest wait (15 minutes by default); a success forgets them, and
so does a day without failures. The account's owner is never locked out for longer than
the longest wait, and a throttled attempt is refused without hashing and counts for nothing.

Whatever is counted is keyed by an HMAC of it with SECRET_KEY: no store holds an address.
"""

import hashlib
import hmac
import ipaddress
import math
from datetime import timedelta
from enum import StrEnum

from litestar.exceptions import HTTPException

from service.settings import Settings
from service.throttle.store import ThrottleStore

FORGET_FAILURES_AFTER = timedelta(days=1)


class Limited(StrEnum):
    """What is counted per client address."""

    REPORTS = "reports"
    TRACKING = "tracking"
    SIGN_IN_FAILURES = "sign-in-failures"
    LINKS = "links"  # "lost your link?" requests
    LINKS_PER_EMAIL = "links-per-email"  # counted per e-mail address asked for, not per client
    OPEN311 = "open311"  # Open311 POST requests: a partner's server files for many tenants


class RateLimited(HTTPException):
    """Too many requests: try again after `wait` seconds (Retry-After)."""

    status_code = 429

    def __init__(self, wait: int) -> None:
        self.wait = wait
        super().__init__(
            detail=f"Too many requests from your address; try again in {wait} seconds.",
            headers=retry_after(wait),
        )


def retry_after(wait: int) -> dict[str, str]:
    return {"Retry-After": str(wait)}


def counted_as(address: str) -> str:
    """The address a limit counts: an IPv6 address by its /64, the block one household gets
    (and 2^64 addresses to hop between); anything else as it is."""
    if ":" not in address:  # IPv4, or no address at all: as it is, without parsing it
        return address
    try:
        ip = ipaddress.IPv6Address(address)
    except ValueError:
        return address
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ipaddress.IPv6Network((ip, 64), strict=False))


def whole_seconds(seconds: float) -> int:
    """A wait as Retry-After says it: whole seconds, rounded up, at least 1."""
    return max(1, math.ceil(seconds))


def backoff_seconds(failures: int, free: int, longest: int) -> int:
    """How long an account waits after `failures` failed sign-ins in a row."""
    if failures <= free:
        return 0
    return min(longest, 2 ** min(failures - free - 1, 30))


class Throttle:
    def __init__(self, store: ThrottleStore, settings: Settings) -> None:
        self._store = store
        self._secret = settings.secret_key.encode()
        self._limits = {
            Limited.REPORTS: settings.report_limit,
            Limited.TRACKING: settings.tracking_limit,
            Limited.SIGN_IN_FAILURES: settings.sign_in_failure_limit,
            Limited.LINKS: settings.link_limit,
            Limited.LINKS_PER_EMAIL: settings.link_per_email_limit,
            Limited.OPEN311: settings.open311_limit,
        }
        self._free_failures = settings.sign_in_free_failures
        self._longest_wait = settings.sign_in_longest_wait
        self._forget = int(FORGET_FAILURES_AFTER.total_seconds())

    def _key(self, kind: str, value: str) -> bytes:
        return hmac.new(self._secret, f"{kind}\0{value}".encode(), hashlib.sha256).digest()[:16]

    async def admit(self, kind: Limited, address: str) -> None:
        """Count one request of this kind from address; RateLimited past the limit."""
        await self._count(kind, counted_as(address))

    async def admit_email(self, kind: Limited, email: str) -> None:
        """Count one request of this kind for an e-mail address, in any case."""
        await self._count(kind, email.strip().lower())

    async def _count(self, kind: Limited, value: str) -> None:
        limit = self._limits[kind]
        if limit is None:
            return
        window = await self._store.count(self._key(kind, value), limit.seconds)
        if window.hits > limit.count:
            raise RateLimited(whole_seconds(window.seconds_left))

    def _account(self, email: str) -> bytes:
        return self._key("sign-in-account", email)

    def _address(self, address: str) -> tuple[bytes | None, int]:
        """The address's failure bucket and window; no bucket when failures are not limited."""
        limit = self._limits[Limited.SIGN_IN_FAILURES]
        if limit is None:
            return None, 1
        return self._key(Limited.SIGN_IN_FAILURES, counted_as(address)), limit.seconds

    async def sign_in_wait(self, email: str, address: str) -> int:
        """Seconds before this account may try again from this address; 0: now."""
        bucket, window = self._address(address)
        record = await self._store.sign_in_record(
            self._account(email), bucket, window, self._forget
        )
        account_wait = (
            backoff_seconds(record.failures, self._free_failures, self._longest_wait)
            - record.seconds_since_failure
        )
        limit = self._limits[Limited.SIGN_IN_FAILURES]
        address_full = limit is not None and record.address_failures >= limit.count
        wait = max(account_wait, record.address_seconds_left if address_full else 0)
        return whole_seconds(wait) if wait > 0 else 0

    async def sign_in_failed(self, email: str, address: str) -> None:
        bucket, window = self._address(address)
        await self._store.sign_in_failed(self._account(email), bucket, window, self._forget)

    async def sign_in_succeeded(self, email: str) -> None:
        await self._store.sign_in_succeeded(self._account(email))

    async def close(self) -> None:
        await self._store.close()
