"""Throttle counters in PostgreSQL (sql/migrations/0006_throttle.sql): one statement a call.

Windows are aligned on the epoch and their ends come from the database's clock, so every
process and replica counts in the same windows.
"""

from datetime import timedelta

import asyncpg

from service.db import Connection
from service.throttle.store import SignInRecord, Window

# A window of $n seconds (an interval) ends at: date_bin($n, now(), timestamptz 'epoch') + $n.

_COUNT = """
    INSERT INTO throttle_counts AS c (bucket, window_ends, hits)
    VALUES ($1, date_bin($2::interval, now(), timestamptz 'epoch') + $2::interval, 1)
    ON CONFLICT (bucket, window_ends) DO UPDATE SET hits = c.hits + 1
    RETURNING hits, extract(epoch FROM window_ends - now())::float8 AS seconds_left
"""

_SIGN_IN_RECORD = """
    SELECT coalesce(f.failures, 0) AS failures,
           coalesce(extract(epoch FROM now() - f.last_failure_at)::float8, 0) AS since,
           coalesce(c.hits, 0) AS address_failures,
           coalesce(extract(epoch FROM c.window_ends - now())::float8, 0) AS address_left
    FROM (VALUES (1)) AS one (x)
    LEFT JOIN sign_in_failures f
           ON f.account = $1 AND f.last_failure_at > now() - $4::interval
    LEFT JOIN throttle_counts c
           ON c.bucket = $2
          AND c.window_ends = date_bin($3::interval, now(), timestamptz 'epoch') + $3::interval
"""

# Both counts in one statement; an account's failures older than $4 are forgotten: the
# count starts again from 1.
_SIGN_IN_FAILED = """
    WITH account AS (
        INSERT INTO sign_in_failures AS f (account, failures, last_failure_at)
        VALUES ($1, 1, now())
        ON CONFLICT (account) DO UPDATE
        SET failures = CASE WHEN f.last_failure_at > now() - $4::interval
                            THEN f.failures + 1 ELSE 1 END,
            last_failure_at = now()
    )
    INSERT INTO throttle_counts AS c (bucket, window_ends, hits)
    SELECT $2, date_bin($3::interval, now(), timestamptz 'epoch') + $3::interval, 1
    WHERE $2::bytea IS NOT NULL
    ON CONFLICT (bucket, window_ends) DO UPDATE SET hits = c.hits + 1
"""


class PostgresStore:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def count(self, bucket: bytes, window_seconds: int) -> Window:
        row = await self._pool.fetchrow(_COUNT, bucket, timedelta(seconds=window_seconds))
        assert row is not None  # an upsert with RETURNING returns its row
        return Window(row["hits"], row["seconds_left"])

    async def sign_in_record(
        self, account: bytes, address: bytes | None, window_seconds: int, forget_seconds: int
    ) -> SignInRecord:
        row = await self._pool.fetchrow(
            _SIGN_IN_RECORD,
            account,
            address,
            timedelta(seconds=window_seconds),
            timedelta(seconds=forget_seconds),
        )
        assert row is not None  # one row, always
        return SignInRecord(*row)

    async def sign_in_failed(
        self, account: bytes, address: bytes | None, window_seconds: int, forget_seconds: int
    ) -> None:
        await self._pool.execute(
            _SIGN_IN_FAILED,
            account,
            address,
            timedelta(seconds=window_seconds),
            timedelta(seconds=forget_seconds),
        )

    async def sign_in_succeeded(self, account: bytes) -> None:
        await self._pool.execute("DELETE FROM sign_in_failures WHERE account = $1", account)

    async def close(self) -> None:
        """The pool is the app's; it closes it."""


async def forget_ended(connection: Connection, forget_after: timedelta) -> int:
    """Delete windows that ended and failures older than forget_after; how many rows went."""
    windows = await connection.fetchval(
        "WITH gone AS (DELETE FROM throttle_counts WHERE window_ends <= now() RETURNING 1) "
        "SELECT count(*) FROM gone"
    )
    failures = await connection.fetchval(
        "WITH gone AS (DELETE FROM sign_in_failures WHERE last_failure_at <= now() - $1::interval "
        "RETURNING 1) SELECT count(*) FROM gone",
        forget_after,
    )
    return windows + failures
