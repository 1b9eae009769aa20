"""Database outages: which errors mean one, and one log line when it begins and one when it ends.

While PostgreSQL is down, restarting or out of connections, every request that needs it fails
the same way; the log says so once per process instead of once per request.
"""

import asyncio
import contextlib
import logging
import time
from collections.abc import Iterator

import asyncpg

logger = logging.getLogger(__name__)

# What a request meets when the database cannot serve it right now: no connection (refused,
# reset, no socket, no free connection in time), a server starting up or shutting down, or no
# connection slot left. Handlers do no other network or file I/O, so any OSError (which
# includes TimeoutError) is the database's. asyncpg's InternalClientError ("cannot switch to
# state ...") is what a pooled connection whose server was killed under it can raise.
_UNAVAILABLE: tuple[type[BaseException], ...] = (
    OSError,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.TooManyConnectionsError,
    asyncpg.InternalClientError,
)
# A malformed message is our bug, not an outage, though asyncpg counts it a connection error.
_NOT_AN_OUTAGE: tuple[type[BaseException], ...] = (asyncpg.ProtocolViolationError,)
# asyncpg's words when a connection (or the pool) closed under a call.
_CLOSED_UNDER_US = ("connection is closed", "pool is closing", "pool is closed")
# How often a process in an outage tries the database again.
PROBE_INTERVAL = 0.5


def _chain(error: BaseException) -> Iterator[BaseException]:
    """The error and what it arose from (a failed rollback after the lost connection, say)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def database_unavailable(error: BaseException) -> bool:
    """Whether error means the database cannot serve us right now (rather than a bug)."""
    for link in _chain(error):
        if isinstance(link, _NOT_AN_OUTAGE):
            return False
        if isinstance(link, _UNAVAILABLE):
            return True
        if isinstance(link, asyncpg.InterfaceError) and any(
            words in str(link) for words in _CLOSED_UNDER_US
        ):
            return True
    return False


class DatabaseOutage:
    """One process's view of the database: answering, or not since when.

    The first request that finds the database unavailable logs the outage and starts a probe
    that tries the pool every PROBE_INTERVAL seconds; the probe's first success logs its end.
    """

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool
        self._since: float | None = None
        self._refused = 0
        self._probe: asyncio.Task[None] | None = None

    @property
    def ongoing(self) -> bool:
        return self._since is not None

    def unavailable(self, error: BaseException) -> None:
        """A request found the database unavailable (and answers 503)."""
        self._refused += 1
        if self._since is not None:
            return
        self._since = time.monotonic()
        # The type only: messages can quote values.
        logger.warning(
            "database unavailable (%s); answering 503 until it answers again",
            type(error).__name__,
        )
        self._probe = asyncio.get_running_loop().create_task(self._until_it_answers())

    async def _until_it_answers(self) -> None:
        while True:
            await asyncio.sleep(PROBE_INTERVAL)
            try:
                async with self._pool.acquire() as connection:
                    await connection.fetchval("SELECT 1")
            except Exception:  # noqa: S112 - still out: try again
                continue
            break
        since = self._since or time.monotonic()
        logger.warning(
            "database answers again after %.1f s; %d request(s) answered 503 meanwhile",
            time.monotonic() - since,
            self._refused,
        )
        self._since, self._refused, self._probe = None, 0, None

    async def close(self) -> None:
        """Stop probing (the app is stopping)."""
        if self._probe is not None:
            self._probe.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._probe
            self._probe = None
