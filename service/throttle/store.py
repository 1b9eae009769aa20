"""What a throttle store counts, and the store the settings choose."""

from typing import NamedTuple, Protocol

import asyncpg

from service.settings import Settings


class Window(NamedTuple):
    """Hits so far in the current window of a bucket, and the seconds until it ends."""

    hits: int
    seconds_left: float


class SignInRecord(NamedTuple):
    """An account's failed sign-ins in a row (none once forgotten), seconds since the last,
    and the address's failed sign-ins in its current window with the seconds it has left."""

    failures: int
    seconds_since_failure: float
    address_failures: int
    address_seconds_left: float


class ThrottleStore(Protocol):
    async def count(self, bucket: bytes, window_seconds: int) -> Window:
        """One more hit of the bucket in its current window."""
        ...

    async def sign_in_record(
        self, account: bytes, address: bytes | None, window_seconds: int, forget_seconds: int
    ) -> SignInRecord: ...

    async def sign_in_failed(
        self, account: bytes, address: bytes | None, window_seconds: int, forget_seconds: int
    ) -> None:
        """One more failure of the account (counted from 1 again once forgotten) and, when
        given, of the address in its current window."""
        ...

    async def sign_in_succeeded(self, account: bytes) -> None: ...

    async def close(self) -> None: ...


def open_store(settings: Settings, pool: asyncpg.Pool) -> ThrottleStore:
    if settings.redis_url is None:
        from service.throttle.postgres_store import PostgresStore

        return PostgresStore(pool)
    try:
        from service.throttle.redis_store import RedisStore
    except ImportError:
        raise RuntimeError(
            "REDIS_URL is set, but the redis package is not installed: "
            "pip install 'schade-tracker[redis]'"
        ) from None
    return RedisStore(settings.redis_url)
