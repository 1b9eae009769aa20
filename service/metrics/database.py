"""Numbers read from the database when a scrape asks, by the process that answers it.

They are the same for every process, so they are never added up over workers. One snapshot:
the outbox (three counts on its partial indexes) and the dashboard's own counters and deadline
ranges, so /metrics and the dashboard agree and neither counts the cases table.
"""

from datetime import datetime

import asyncpg
from prometheus_client.core import GaugeMetricFamily, Metric

from service.dashboard import backlog
from service.dashboard import store as dashboard
from service.db import certain_row

NONE = "none"

# Subqueries rather than FILTERs over one scan: each is answered by its own partial index
# (the queued and the failed), not by reading every message ever sent.
_OUTBOX = """
SELECT (SELECT count(*) FROM outbox WHERE status = 'queued') AS queued,
       (SELECT count(*) FROM outbox WHERE status = 'failed') AS failed,
       (SELECT min(created_at) FROM outbox WHERE status = 'queued') AS oldest_queued
"""


async def database_metrics(pool: asyncpg.Pool, now: datetime) -> list[Metric]:
    async with (
        pool.acquire() as connection,
        connection.transaction(isolation="repeatable_read", readonly=True),
    ):
        outbox = certain_row(await connection.fetchrow(_OUTBOX), "the outbox's counts")
        counts = await dashboard.counts(connection, None)
        ranges = await dashboard.deadline_ranges(connection, None, now)
    messages = GaugeMetricFamily(
        "schade_outbox_messages",
        "E-mails in the outbox not sent: waiting to be sent (queued) or given up (failed)",
        labels=["status"],
    )
    messages.add_metric(["queued"], outbox["queued"])
    messages.add_metric(["failed"], outbox["failed"])
    oldest = outbox["oldest_queued"]
    age = GaugeMetricFamily(
        "schade_outbox_oldest_queued_age_seconds",
        "Seconds since the oldest e-mail still waiting to be sent was queued; 0 when none waits",
        value=max((now - oldest).total_seconds(), 0.0) if oldest else 0.0,
    )

    by_status = backlog.by_dimension(counts, "status")
    cases = GaugeMetricFamily(
        "schade_open_cases",
        "Open cases by the stage of their next deadline and how it stands: on_time, at_risk "
        "(in its last fifth) or breached; stage and deadline 'none': no deadline runs "
        "(on hold, resolved)",
        labels=["stage", "deadline"],
    )
    with_deadline = 0
    for stage in backlog.stage_deadlines(by_status, ranges):
        for state, count in (
            ("on_time", stage.on_time),
            ("at_risk", stage.at_risk),
            ("breached", stage.breached),
        ):
            cases.add_metric([stage.stage.value, state], count)
            with_deadline += count
    cases.add_metric([NONE, NONE], sum(by_status.values()) - with_deadline)
    return [messages, age, cases]
