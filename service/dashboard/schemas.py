"""The backlog dashboard's answer."""

from datetime import date, datetime

import msgspec

from service.api_types import CorporationRef
from service.domain.sla import Stage


class CorporationBacklog(msgspec.Struct):
    corporation: CorporationRef
    open_cases: int


class MunicipalityBacklog(msgspec.Struct):
    municipality_code: str | None  # null: not known (unrouted, or not in the register)
    open_cases: int


class AgeBucket(msgspec.Struct):
    bucket: str  # "0-7", "8-30", "31-90", "91-365", ">365" days since the report
    open_cases: int


class StageDeadlines(msgspec.Struct):
    stage: Stage
    on_time: int
    at_risk: int
    breached: int


class AcuteCase(msgspec.Struct):
    reference: str
    status: str
    corporation: CorporationRef | None
    reported_at: datetime
    acknowledge_by: datetime


class Triage(msgspec.Struct):
    unrouted: int
    oldest_reported_at: datetime | None


class Week(msgspec.Struct):
    week: str  # ISO week, like "2026-W48"
    starts_on: date
    reported: int
    closed: int


class ResolutionTime(msgspec.Struct):
    corporation: CorporationRef
    resolved: int  # cases resolved in the last 90 days
    p50_days: float
    p90_days: float


class Backlog(msgspec.Struct):
    generated_at: datetime
    corporation: CorporationRef | None  # null: the whole region
    open_cases: int
    by_status: dict[str, int]
    by_urgency: dict[str, int]
    by_category: dict[str, int]
    by_corporation: list[CorporationBacklog]
    by_municipality: list[MunicipalityBacklog]
    age_buckets: list[AgeBucket]
    deadlines: list[StageDeadlines]
    acute_waiting: list[AcuteCase]  # acute and not acknowledged, oldest first (20 at most)
    acute_waiting_count: int  # how many there are in all
    triage: Triage
    weekly: list[Week]  # the last 26 ISO weeks, oldest first
    resolution_times: list[ResolutionTime]  # reported to resolved, last 90 days
