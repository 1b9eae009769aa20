"""The managers' daily digest (a worker job): on working days from 08:00 Amsterdam time, each
manager gets one e-mail listing their corporation's open cases past their next deadline and
those at risk (its last fifth), each with a link.

A worker that was down at 08:00 sends the day's digests when it is back, that same day; none
on weekends and public holidays. A manager whose corporation has nothing past or near a
deadline gets no mail that day: an empty digest would teach people to skip it.
"""

from datetime import datetime, time

import asyncpg

from service.domain.calendar import AMSTERDAM, is_working_day
from service.notifications import outbox
from service.notifications.to_staff import WANTS_IT

SENT_FROM = time(8)
# Each list shows this many cases, the nearest deadlines first; the mail links to the work
# queue for the rest.
LISTED = 50

# One statement, so one transaction. digests_sent records each manager's day whether or not
# there is anything to send, so a round after it does nothing; its primary key keeps a worker
# beside this one from writing the same digest. Breached and at risk are split as the
# dashboard and the case list split them: by the columns cases.next_deadline_at and
# next_at_risk_at that the database derives with service.domain.sla's rule.
_DIGEST_SQL = f"""
WITH managers AS (
    INSERT INTO digests_sent (user_id, day, done_at)
    SELECT u.id, $3, $2 FROM users u
    WHERE u.role = 'manager' AND {WANTS_IT}
          AND NOT EXISTS (SELECT 1 FROM digests_sent d WHERE d.user_id = u.id AND d.day = $3)
    ON CONFLICT DO NOTHING
    RETURNING user_id
),
late AS (
    SELECT c.corporation_id, c.reference, c.next_stage, c.next_deadline_at,
           CASE WHEN c.next_deadline_at < $2 THEN 'breached' ELSE 'at_risk' END AS state
    FROM cases c
    WHERE (c.next_deadline_at < $2 OR c.next_at_risk_at <= $2)
          AND c.corporation_id IN (
              SELECT u.corporation_id FROM managers m JOIN users u ON u.id = m.user_id)
),
numbered AS (
    SELECT late.*, row_number() OVER (
               PARTITION BY corporation_id, state ORDER BY next_deadline_at, reference) AS n
    FROM late
),
lists AS (
    SELECT corporation_id,
           coalesce(jsonb_agg(jsonb_build_object(
                        'reference', reference, 'stage', next_stage, 'due', next_deadline_at)
                    ORDER BY n) FILTER (WHERE state = 'breached' AND n <= $4), '[]')
               AS breached,
           count(*) FILTER (WHERE state = 'breached') AS breached_total,
           coalesce(jsonb_agg(jsonb_build_object(
                        'reference', reference, 'stage', next_stage, 'due', next_deadline_at)
                    ORDER BY n) FILTER (WHERE state = 'at_risk' AND n <= $4), '[]')
               AS at_risk,
           count(*) FILTER (WHERE state = 'at_risk') AS at_risk_total
    FROM numbered
    GROUP BY corporation_id
),
queued AS (
    INSERT INTO outbox (kind, recipient, payload, next_attempt_at, created_at)
    SELECT $1, u.email,
           jsonb_build_object(
               'day', $3::date, 'corporation_name', co.name,
               'breached', l.breached, 'breached_total', l.breached_total,
               'at_risk', l.at_risk, 'at_risk_total', l.at_risk_total),
           $2, $2
    FROM managers m
    JOIN users u ON u.id = m.user_id
    JOIN corporations co ON co.id = u.corporation_id
    JOIN lists l ON l.corporation_id = u.corporation_id
    RETURNING 1
)
SELECT count(*) FROM queued
"""  # noqa: S608 - constant fragments


async def send_daily_digests(pool: asyncpg.Pool, now: datetime) -> int:
    """Queue today's digests not written yet, once it is time; the number of e-mails."""
    local = now.astimezone(AMSTERDAM)
    if not is_working_day(local.date()) or local.time() < SENT_FROM:
        return 0  # no round trip before 08:00 nor on days off
    async with pool.acquire() as connection:
        queued: int = await connection.fetchval(
            _DIGEST_SQL, outbox.DIGEST, now, local.date(), LISTED
        )
    return queued
