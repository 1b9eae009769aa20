"""Escalation (a worker job): an acute case nobody has acknowledged yet is e-mailed to the
managers of its corporation and to the regional coordinators, 2 hours after the report and
again at its acknowledge deadline (4 hours after the report, later if it was on hold).

"Not acknowledged" is a status of unrouted or new, as the dashboard's "acute, not yet
acknowledged" counts it. An unrouted case has no corporation: only the coordinators hear of it.
"""

from datetime import datetime, timedelta

import asyncpg

from service.notifications import outbox
from service.notifications.to_staff import CASE_FIELDS, WANTS_IT

FIRST_WARNING = timedelta(hours=2)

# One statement, so one transaction: the case_escalations row and the messages commit
# together. Its primary key makes each stage of a case happen once: a worker beside this one
# that inserts the same row waits for this one to commit and then inserts nothing. A worker
# that was down past the deadline sends only the deadline's message, not the 2-hour one too.
_ESCALATE_SQL = f"""
WITH due AS (
    SELECT c.id, CASE WHEN c.acknowledge_by <= $2 THEN 'deadline' ELSE 'two_hours' END AS stage
    FROM cases c
    WHERE c.urgency = 'acute' AND c.status IN ('unrouted', 'new') AND c.reported_at <= $3
),
escalated AS (
    INSERT INTO case_escalations (case_id, stage, escalated_at)
    SELECT due.id, due.stage, $2 FROM due
    WHERE NOT EXISTS (
        SELECT 1 FROM case_escalations e WHERE e.case_id = due.id AND e.stage = due.stage)
    ON CONFLICT DO NOTHING
    RETURNING case_id, stage
),
queued AS (
    INSERT INTO outbox (kind, recipient, payload, next_attempt_at, created_at)
    SELECT $1, u.email,
           jsonb_build_object({CASE_FIELDS},
               'stage', e.stage, 'reported_at', c.reported_at,
               'acknowledge_by', c.acknowledge_by, 'corporation_name', co.name),
           $2, $2
    FROM escalated e
    JOIN cases c ON c.id = e.case_id
    LEFT JOIN corporations co ON co.id = c.corporation_id
    JOIN users u ON (u.role = 'coordinator'
                     OR (u.role = 'manager' AND u.corporation_id = c.corporation_id))
                    AND {WANTS_IT}
)
-- queued runs although nothing reads it, as every data-modifying WITH does.
SELECT count(*) FROM escalated
"""  # noqa: S608 - constant fragments


async def escalate_unacknowledged(pool: asyncpg.Pool, now: datetime) -> int:
    """Queue the e-mails of every escalation due at now; the number of escalations."""
    async with pool.acquire() as connection:
        escalated: int = await connection.fetchval(
            _ESCALATE_SQL, outbox.ESCALATION, now, now - FIRST_WARNING
        )
    return escalated
