"""The database's next stage, deadline and at-risk moment agree with domain.sla for every status."""

from datetime import UTC, datetime, timedelta

from service.domain.sla import (
    AT_RISK_FRACTION,
    Deadlines,
    DeadlineState,
    deadline_state,
    next_deadline,
)
from service.domain.workflow import Status

REPORTED = datetime(2026, 1, 5, 9, tzinfo=UTC)
DEADLINES = Deadlines(
    REPORTED + timedelta(days=1), REPORTED + timedelta(days=5), REPORTED + timedelta(days=30)
)


async def test_trigger_matches_the_domain_rule_for_every_status(conn):
    # A scratch table shaped like cases, without its checks, carrying the same trigger.
    async with conn.transaction():
        await conn.execute(
            "CREATE TEMP TABLE scratch_cases ON COMMIT DROP AS SELECT * FROM cases WITH NO DATA"
        )
        await conn.execute(
            "CREATE TRIGGER next_deadline BEFORE INSERT ON scratch_cases "
            "FOR EACH ROW EXECUTE FUNCTION cases_next_deadline()"
        )
        for status in Status:
            row = await conn.fetchrow(
                """
                INSERT INTO scratch_cases (status, reported_at, acknowledge_by, inspect_by, resolve_by)
                VALUES ($1, $2, $3, $4, $5)
                RETURNING next_stage, next_deadline_at, next_at_risk_at
                """,
                status.value,
                REPORTED,
                DEADLINES.acknowledge_by,
                DEADLINES.inspect_by,
                DEADLINES.resolve_by,
            )
            expected = next_deadline(status, DEADLINES)
            if expected is None:
                assert tuple(row.values()) == (None, None, None), status
                continue
            stage, due = expected
            assert (row["next_stage"], row["next_deadline_at"]) == (stage, due), status
            at_risk = row["next_at_risk_at"]
            assert at_risk == due - (due - REPORTED) * AT_RISK_FRACTION, status
            # The stored moment is exactly where the Python rule turns "at risk".
            assert deadline_state(REPORTED, due, at_risk) is DeadlineState.AT_RISK
            assert deadline_state(REPORTED, due, at_risk - timedelta(microseconds=1)) is (
                DeadlineState.ON_TIME
            )
