"""Assembling the backlog dashboard from one consistent snapshot of the database."""

from datetime import UTC, datetime, timedelta

import asyncpg

from service.api_types import CorporationRef
from service.corporations import store as corporations
from service.dashboard import store
from service.dashboard.schemas import (
    AcuteCase,
    AgeBucket,
    Backlog,
    CorporationBacklog,
    MunicipalityBacklog,
    ResolutionTime,
    StageDeadlines,
    Triage,
    Week,
)
from service.domain.calendar import AMSTERDAM
from service.domain.sla import STAGE_OF_STATUS, Stage

ACUTE_LIST = 20
WEEKS = 26
RESOLUTION_WINDOW = timedelta(days=90)
AGE_BUCKETS = ("0-7", "8-30", "31-90", "91-365", ">365")


def by_dimension(rows: list[asyncpg.Record], dimension: str) -> dict[str, int]:
    """Open cases by one dimension of store.counts (status, urgency...), corporations added up."""
    totals: dict[str, int] = {}
    for row in rows:
        if row["dimension"] == dimension:
            totals[row["value"]] = totals.get(row["value"], 0) + row["open_cases"]
    return dict(sorted(totals.items()))


def stage_deadlines(
    by_status: dict[str, int], ranges: list[asyncpg.Record]
) -> list[StageDeadlines]:
    """Per stage, its open cases on time, at risk and breached (from store.deadline_ranges)."""
    in_stage = dict.fromkeys(Stage, 0)
    for status, count in by_status.items():
        if status in STAGE_OF_STATUS:
            in_stage[STAGE_OF_STATUS[status]] += count
    return [
        StageDeadlines(
            stage=Stage(row["stage"]),
            on_time=row["on_time"],
            at_risk=row["not_breached"] - row["on_time"],
            breached=in_stage[Stage(row["stage"])] - row["not_breached"],
        )
        for row in ranges
    ]


async def backlog(
    pool: asyncpg.Pool, corporation_id: int | None, now: datetime | None = None
) -> Backlog:
    now = now or datetime.now(UTC)
    today = now.astimezone(AMSTERDAM).date()
    this_monday = today - timedelta(days=today.weekday())
    first_monday = this_monday - timedelta(weeks=WEEKS - 1)
    # One snapshot: counters and cases are read as of the same moment.
    async with (
        pool.acquire() as connection,
        connection.transaction(isolation="repeatable_read", readonly=True),
    ):
        names = await corporations.all_corporations(connection)
        counts = await store.counts(connection, corporation_id)
        ages = await store.open_by_report_day(connection, corporation_id, today)
        ranges = await store.deadline_ranges(connection, corporation_id, now)
        acute = await store.acute_waiting(connection, corporation_id, ACUTE_LIST)
        oldest_unrouted = None if corporation_id else await store.oldest_unrouted(connection)
        weeks = await store.weekly_flow(connection, corporation_id, first_monday)
        resolution = await store.resolution_times(
            connection, corporation_id, now - RESOLUTION_WINDOW
        )

    def ref(corporation: int | None) -> CorporationRef | None:
        row = names.get(corporation) if corporation else None
        return CorporationRef(row["code"], row["name"]) if row else None

    def known(corporation: int) -> CorporationRef:
        row = names[corporation]
        return CorporationRef(row["code"], row["name"])

    by_status = by_dimension(counts, "status")
    per_corporation: dict[int, int] = {}
    for row in counts:
        if row["dimension"] == "status" and row["corporation_key"]:
            key = row["corporation_key"]
            per_corporation[key] = per_corporation.get(key, 0) + row["open_cases"]
    weekly = {row["starts_on"]: row for row in weeks}

    return Backlog(
        generated_at=now,
        corporation=ref(corporation_id),
        open_cases=sum(by_status.values()),
        by_status=by_status,
        by_urgency=by_dimension(counts, "urgency"),
        by_category=by_dimension(counts, "category"),
        by_corporation=sorted(
            (CorporationBacklog(known(key), count) for key, count in per_corporation.items()),
            key=lambda c: c.corporation.code,
        ),
        by_municipality=[
            MunicipalityBacklog(code or None, count)
            for code, count in by_dimension(counts, "municipality").items()
        ],
        age_buckets=[AgeBucket(bucket, ages[bucket]) for bucket in AGE_BUCKETS],
        deadlines=stage_deadlines(by_status, ranges),
        acute_waiting=[
            AcuteCase(
                reference=row["reference"],
                status=row["status"],
                corporation=ref(row["corporation_id"]),
                reported_at=row["reported_at"],
                acknowledge_by=row["acknowledge_by"],
            )
            for row in acute
        ],
        acute_waiting_count=acute[0]["waiting"] if acute else 0,
        triage=Triage(unrouted=by_status.get("unrouted", 0), oldest_reported_at=oldest_unrouted),
        weekly=[
            Week(
                week=f"{monday.isocalendar().year}-W{monday.isocalendar().week:02d}",
                starts_on=monday,
                reported=weekly[monday]["reported"] if monday in weekly else 0,
                closed=weekly[monday]["closed"] if monday in weekly else 0,
            )
            for monday in (first_monday + timedelta(weeks=n) for n in range(WEEKS))
        ],
        resolution_times=sorted(
            (
                ResolutionTime(
                    corporation=known(row["corporation_id"]),
                    resolved=row["resolved"],
                    p50_days=round(row["p50_days"], 2),
                    p90_days=round(row["p90_days"], 2),
                )
                for row in resolution
            ),
            key=lambda r: r.corporation.code,
        ),
    )
