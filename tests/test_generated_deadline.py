"""The database's next_deadline_at and the Python rule in domain.sla agree for every status."""

from datetime import UTC, datetime, timedelta

from service.domain.sla import Deadlines, next_deadline
from service.domain.workflow import Status


async def test_generated_next_deadline_matches_the_domain_rule(conn):
    base = datetime(2026, 1, 5, 9, tzinfo=UTC)
    deadlines = Deadlines(
        base + timedelta(days=1), base + timedelta(days=5), base + timedelta(days=30)
    )
    for status in Status:
        row = await conn.fetchrow(
            """
            SELECT CASE
                WHEN $1 IN ('unrouted', 'new') THEN $2::timestamptz
                WHEN $1 IN ('acknowledged', 'inspection_planned') THEN $3::timestamptz
                WHEN $1 IN ('inspected', 'repair_planned', 'referred') THEN $4::timestamptz
            END AS due,
            pg_get_expr(d.adbin, d.adrelid) AS expression
            FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
            WHERE d.adrelid = 'cases'::regclass AND a.attname = 'next_deadline_at'
            """,
            status.value,
            deadlines.acknowledge_by,
            deadlines.inspect_by,
            deadlines.resolve_by,
        )
        expected = next_deadline(status, deadlines)
        assert row["due"] == (expected[1] if expected else None), status
        # The column's stored expression names exactly the statuses the domain knows.
        if expected is not None:
            assert f"'{status.value}'" in row["expression"], status
