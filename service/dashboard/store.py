"""SQL of the dashboard. Each query reads counters or an index range, never all cases.

`corporation` is a corporation id to narrow to, or None for the whole region. Queries are
written out for both cases rather than with `$1 IS NULL OR ...`, so that each gets its own
plan and index.
"""

from datetime import date, datetime

import asyncpg

from service.db import Connection, certain_row


def _narrow(corporation: int | None, column: str) -> str:
    return f"AND {column} = $1" if corporation is not None else "AND $1::bigint IS NULL"


async def counts(connection: Connection, corporation: int | None) -> list[asyncpg.Record]:
    """Open cases per corporation (0: none yet) by status, urgency, category, municipality."""
    return await connection.fetch(
        f"""
        SELECT corporation_key, dimension, value, sum(open_cases)::bigint AS open_cases
        FROM case_counts
        WHERE true {_narrow(corporation, "corporation_key")}
        GROUP BY corporation_key, dimension, value
        HAVING sum(open_cases) <> 0
        """,  # noqa: S608 - constant fragments
        corporation,
    )


async def open_by_report_day(
    connection: Connection, corporation: int | None, today: date
) -> asyncpg.Record:
    """Open cases by age since the report, in the dashboard's five buckets."""
    row = await connection.fetchrow(
        f"""
        SELECT
            coalesce(sum(open_now) FILTER (WHERE day >= $2::date - 7), 0)::bigint AS "0-7",
            coalesce(sum(open_now) FILTER (WHERE day BETWEEN $2::date - 30 AND $2::date - 8), 0)::bigint AS "8-30",
            coalesce(sum(open_now) FILTER (WHERE day BETWEEN $2::date - 90 AND $2::date - 31), 0)::bigint AS "31-90",
            coalesce(sum(open_now) FILTER (WHERE day BETWEEN $2::date - 365 AND $2::date - 91), 0)::bigint
                AS "91-365",
            coalesce(sum(open_now) FILTER (WHERE day < $2::date - 365), 0)::bigint AS ">365"
        FROM case_days
        WHERE open_now <> 0 {_narrow(corporation, "corporation_key")}
        """,  # noqa: S608 - constant fragments
        corporation,
        today,
    )
    # An aggregate without GROUP BY: always one row.
    return certain_row(row, "the open cases by report day")


async def deadline_ranges(
    connection: Connection, corporation: int | None, now: datetime
) -> list[asyncpg.Record]:
    """Per stage: cases whose deadline is still ahead, and those not yet in their at-risk fifth.

    Only cases with deadlines ahead are counted (a few weeks of intake at most); the breached
    ones are the stage's open total, from the counters, minus these.
    """
    narrow = _narrow(corporation, "corporation_id")
    return await connection.fetch(
        f"""
        SELECT s.stage,
               (SELECT count(*) FROM cases
                WHERE next_stage = s.stage AND next_deadline_at >= $2 {narrow}) AS not_breached,
               (SELECT count(*) FROM cases
                WHERE next_stage = s.stage AND next_at_risk_at > $2 {narrow}) AS on_time
        FROM unnest(ARRAY['acknowledge', 'inspect', 'resolve']) AS s (stage)
        """,  # noqa: S608 - constant fragments
        corporation,
        now,
    )


async def acute_waiting(
    connection: Connection, corporation: int | None, limit: int
) -> list[asyncpg.Record]:
    return await connection.fetch(
        f"""
        SELECT c.reference, c.status, c.reported_at, c.acknowledge_by, c.corporation_id,
               count(*) OVER () AS waiting  -- all of them, before the LIMIT
        FROM cases c
        WHERE c.urgency = 'acute' AND c.status IN ('unrouted', 'new')
              {_narrow(corporation, "c.corporation_id")}
        ORDER BY c.reported_at
        LIMIT $2
        """,  # noqa: S608 - constant fragments
        corporation,
        limit,
    )


async def oldest_unrouted(connection: Connection) -> datetime | None:
    return await connection.fetchval("SELECT min(reported_at) FROM cases WHERE status = 'unrouted'")


async def weekly_flow(
    connection: Connection, corporation: int | None, first_day: date
) -> list[asyncpg.Record]:
    return await connection.fetch(
        f"""
        SELECT date_trunc('week', day)::date AS starts_on,
               sum(reported)::bigint AS reported, sum(closed)::bigint AS closed
        FROM case_days
        WHERE day >= $2 {_narrow(corporation, "corporation_key")}
        GROUP BY 1
        """,  # noqa: S608 - constant fragments
        corporation,
        first_day,
    )


async def resolution_times(
    connection: Connection, corporation: int | None, since: datetime
) -> list[asyncpg.Record]:
    return await connection.fetch(
        f"""
        SELECT corporation_id, count(*) AS resolved,
               percentile_cont(0.5) WITHIN GROUP (
                   ORDER BY extract(epoch FROM resolved_at - reported_at)) / 86400 AS p50_days,
               percentile_cont(0.9) WITHIN GROUP (
                   ORDER BY extract(epoch FROM resolved_at - reported_at)) / 86400 AS p90_days
        FROM cases
        WHERE resolved_at >= $2 AND corporation_id IS NOT NULL {_narrow(corporation, "corporation_id")}
        GROUP BY corporation_id
        """,  # noqa: S608 - constant fragments
        corporation,
        since,
    )
