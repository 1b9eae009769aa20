"""The backlog dashboard, GET /api/v1/dashboard/backlog, against a hand-built region.

The cases are filed through the API, so the counter triggers run as in production, and then
shaped with SQL: status, report time, deadlines, resolved_at and closed_at are set directly
so that every number below is known by hand. Times are relative to the moment the data is
built (report days are Amsterdam calendar days), deadlines lie hours or days from any edge.
The counters themselves are also checked against cases loaded by plain INSERTs, as a bulk
load writes them, and against reopening and deleting.
"""

import hashlib
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Any

import asyncpg
import pytest

from service.domain.calendar import AMSTERDAM
from service.domain.sla import STAGE_OF_STATUS, Stage
from tests import factories
from tests.factories import if_match
from tests.world import OTHER_HOME, OWN_HOME, UNKNOWN_HOME, World

DASHBOARD = "/api/v1/dashboard/backlog"
SECOND_HOME = {"postcode": "9951AB", "house_number": 5}  # Lefier's, in Winsum (GM1966)
ACANTUS_SECOND_HOME = {"postcode": "9641AB", "house_number": 7}  # Acantus's, in GM0037
DAY, HOUR, MINUTE = timedelta(days=1), timedelta(hours=1), timedelta(minutes=1)
STAGES = list(Stage)
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
AGE_BUCKETS = ("0-7", "8-30", "31-90", "91-365", ">365")


# --- building the region ---------------------------------------------------------------


@dataclass
class Spec:
    home: str  # L, L2 (Lefier), A, A2 (Acantus), U (no corporation)
    category: str
    acute: bool
    status: str
    reported: datetime
    due: datetime | None = None  # the deadline of the stage the status works towards
    resolved: datetime | None = None
    closed: datetime | None = None


@dataclass
class Region:
    world: World
    conn: asyncpg.Connection
    now: datetime
    today: date
    this_monday: date
    specs: dict[str, Spec]
    refs: dict[str, str] = field(default_factory=dict)  # name -> reference

    async def board(self, person: str = "coordinator", **params: Any) -> dict[str, Any]:
        return await board(self.world, person, **params)


def who(world: World, person: str):
    role, _, corporation = person.partition("@")
    return world.who(role, corporation or "lefier")


async def board(world: World, person: str = "coordinator", **params: Any) -> dict[str, Any]:
    response = await world.client.get(DASHBOARD, params=params, headers=who(world, person).headers)
    assert response.status_code == 200, response.text
    return response.json()


async def shape(conn: asyncpg.Connection, reference: str, spec: Spec, now: datetime) -> None:
    """Give the filed case the status, times and deadlines of its spec, in one UPDATE."""
    stage = STAGE_OF_STATUS.get(spec.status)
    if stage is None:
        assert spec.due is None
        deadlines = [spec.reported + n * DAY for n in (1, 2, 3)]
    else:
        assert spec.due is not None
        index = STAGES.index(stage)
        # Earlier stages an hour apart before the due one, later ones a day apart after it.
        deadlines = [spec.due + (i - index) * (HOUR if i < index else DAY) for i in range(3)]
    columns: dict[str, Any] = {
        "status": spec.status,
        "reported_at": spec.reported,
        "acknowledge_by": deadlines[0],
        "inspect_by": deadlines[1],
        "resolve_by": deadlines[2],
        "resolved_at": spec.resolved,
        "closed_at": spec.closed,
    }
    if spec.status in ("inspection_planned", "repair_planned"):
        columns["planned_at"] = now + DAY
    if spec.status == "referred":
        columns |= {"referred_to": "IMG", "external_reference": "IMG-2026-0042"}
    if spec.status == "on_hold":
        columns |= {"on_hold_since": now - DAY, "on_hold_previous_status": "acknowledged"}
    if spec.status == "rejected":
        columns["rejection_reason"] = "not_damage"
    assignments = ", ".join(f"{name} = ${i}" for i, name in enumerate(columns, 2))
    done = await conn.execute(
        f"UPDATE cases SET {assignments} WHERE reference = $1",  # noqa: S608 - names are ours
        reference,
        *columns.values(),
    )
    assert done == "UPDATE 1"


def plan(now: datetime) -> dict[str, Spec]:
    """The region, case by case; the expected numbers below are counted from this table."""
    today = now.astimezone(AMSTERDAM).date()
    this_monday = today - timedelta(days=today.weekday())

    def ago(**delta: float) -> datetime:
        return now - timedelta(**delta)

    def later(**delta: float) -> datetime:
        return now + timedelta(**delta)

    def on_day(days_ago: int, hour: int, minute: int = 0) -> datetime:
        """A moment on the Amsterdam calendar day `days_ago` days before today."""
        return datetime.combine(today - timedelta(days=days_ago), time(hour, minute), AMSTERDAM)

    def in_week(weeks_ago: int, weekday: int, hour: int, minute: int = 0) -> datetime:
        """A moment in the ISO week `weeks_ago` weeks before this one, Amsterdam time."""
        day = this_monday - timedelta(weeks=weeks_ago) + timedelta(days=weekday)
        return datetime.combine(day, time(hour, minute), AMSTERDAM)

    def closed(home: str, category: str, at: datetime, days: int, before: timedelta) -> Spec:
        """Closed at `at`, resolved `before` that, `days` days after the report."""
        resolved = at - before
        return Spec(home, category, False, "closed", resolved - days * DAY, None, resolved, at)

    def rejected(home: str, category: str, at: datetime, acute: bool = False) -> Spec:
        return Spec(home, category, acute, "rejected", at - 2 * HOUR, closed=at)

    return {
        # Open, Lefier. Age edges: day 7/8, 30/31, 90/91 and 365/366, by Amsterdam day.
        "l_new_fresh": Spec("L", "crack", False, "new", ago(hours=1), later(days=2)),
        # 00:30 in Amsterdam is the evening before in UTC: 7 days by Amsterdam, 8 by UTC.
        "l_new_day7": Spec("L", "subsidence", False, "new", on_day(7, 0, 30), later(hours=10)),
        "l_new_day8": Spec("L2", "crack", False, "new", on_day(8, 23, 30), ago(days=1)),
        # The same window start: due in 3 days is on time (the last 20% of 13 days is 2.6
        # days), due in 2 days at risk (the last 20% of 12 days is 2.4 days).
        "l_ack_10d": Spec("L", "crack", False, "acknowledged", ago(days=10), later(days=3)),
        "l_planned_10d": Spec(
            "L", "unsafe_situation", False, "inspection_planned", ago(days=10), later(days=2)
        ),
        "l_ack_day30": Spec("L2", "crack", False, "acknowledged", on_day(30, 0, 30), ago(days=2)),
        "l_inspected_day31": Spec("L", "crack", False, "inspected", on_day(31, 12), later(days=30)),
        "l_repair_day90": Spec(
            "L2", "subsidence", False, "repair_planned", on_day(90, 0, 30), later(days=5)
        ),
        "l_referred_day91": Spec("L", "crack", False, "referred", on_day(91, 12), ago(days=3)),
        "l_on_hold_day365": Spec("L", "other", False, "on_hold", on_day(365, 0, 30)),
        "l_ack_day366": Spec("L", "other", False, "acknowledged", on_day(366, 12), later(days=200)),
        "l_acute_new": Spec("L", "crack", True, "new", ago(hours=5), ago(hours=1)),
        "l_acute_ack": Spec(
            "L", "unsafe_situation", True, "acknowledged", ago(hours=6), later(hours=18)
        ),
        "l_resolved_1": Spec("L", "crack", False, "resolved", ago(days=3), resolved=ago(days=2)),
        "l_resolved_4": Spec(
            "L", "subsidence", False, "resolved", ago(days=5), resolved=ago(days=1)
        ),
        # Open, no corporation yet.
        "u_acute": Spec("U", "unsafe_situation", True, "unrouted", ago(hours=2), later(hours=2)),
        "u_old": Spec("U", "crack", False, "unrouted", ago(days=40), ago(days=30)),
        # Open, Acantus.
        "a_acute_new": Spec("A", "crack", True, "new", ago(hours=3.5), later(minutes=30)),
        "a_new": Spec("A", "crack", False, "new", ago(days=1), later(days=5)),
        "a_ack_breached": Spec(
            "A2", "subsidence", False, "acknowledged", ago(days=45), ago(days=2)
        ),
        "a_inspected": Spec("A", "crack", False, "inspected", ago(days=400), later(days=10)),
        "a_resolved_2": Spec("A", "crack", False, "resolved", ago(days=4), resolved=ago(days=2)),
        # Finished: closed (resolved first) and rejected, by the week of closed_at.
        # Resolution times in days: Lefier 1 and 4 above, 2, 3, 10 here (and 5, more than
        # 90 days ago); Acantus 2 above, 4 and 6 here.
        "l_closed_2": closed("L", "crack", in_week(1, TUE, 10), 2, DAY),
        "l_closed_3": closed("L2", "crack", in_week(3, WED, 15), 3, 2 * DAY),
        # Monday 00:30 in Amsterdam is Sunday evening in UTC: still week 11 ago.
        "l_closed_10": closed("L", "subsidence", in_week(11, MON, 0, 30), 10, DAY),
        "l_closed_old": closed("L", "crack", in_week(16, FRI, 12), 5, 3 * DAY),
        "l_rejected_now": Spec("L", "crack", False, "rejected", ago(days=20), closed=now),
        # The first Monday of the 26 weeks, and the Sunday before it (not in the list).
        "l_rejected_first_week": rejected("L", "other", in_week(25, MON, 0, 30)),
        "l_rejected_before": rejected("L", "other", in_week(26, SUN, 23, 30)),
        "u_rejected_acute": rejected("U", "unsafe_situation", in_week(2, SUN, 23, 30), True),
        "a_closed_4": closed("A", "crack", in_week(2, THU, 9), 4, DAY),
        "a_closed_6": closed("A2", "subsidence", in_week(5, SAT, 18), 6, HOUR),
        "a_rejected": rejected("A", "crack", in_week(1, MON, 0, 30)),
    }


async def add_homes(world: World, conn: asyncpg.Connection) -> None:
    await factories.home(
        conn,
        world.corporations["lefier"],
        SECOND_HOME["postcode"],
        SECOND_HOME["house_number"],
        street="Oude Ebbingestraat",
        city="Winsum",
        municipality_code="GM1966",
    )
    await factories.home(
        conn,
        world.corporations["acantus"],
        ACANTUS_SECOND_HOME["postcode"],
        ACANTUS_SECOND_HOME["house_number"],
        street="Kerkstraat",
        city="Veendam",
        municipality_code="GM0037",
    )


HOMES = {
    "L": OWN_HOME,
    "L2": SECOND_HOME,
    "A": OTHER_HOME,
    "A2": ACANTUS_SECOND_HOME,
    "U": UNKNOWN_HOME,
}


@pytest.fixture
async def region(world: World, conn: asyncpg.Connection) -> Region:
    await add_homes(world, conn)
    now = datetime.now(UTC)
    today = now.astimezone(AMSTERDAM).date()
    specs = plan(now)
    result = Region(world, conn, now, today, today - timedelta(days=today.weekday()), specs)
    for name, spec in specs.items():
        created = await world.report(HOMES[spec.home], category=spec.category, acute=spec.acute)
        result.refs[name] = created["reference"]
        await shape(conn, created["reference"], spec, now)
    return result


async def fresh(region: Region, person: str = "coordinator", **params: Any) -> dict[str, Any]:
    """The dashboard, on the Amsterdam day the region was built for."""
    body = await region.board(person, **params)
    generated = datetime.fromisoformat(body["generated_at"]).astimezone(AMSTERDAM).date()
    assert generated == region.today, "midnight passed while the test ran; run it again"
    return body


# The views of the region: a coordinator's (all), and each corporation's.
VIEWS = {
    "region": ("coordinator", {}),
    "region_admin": ("admin", {}),
    "lefier": ("manager@lefier", {}),
    "lefier_by_coordinator": ("coordinator", {"corporation": "lefier"}),
    "acantus": ("manager@acantus", {}),
    "acantus_by_admin": ("admin", {"corporation": "acantus"}),
}


# --- open cases -----------------------------------------------------------------------

OPEN = {
    "region": {
        "open_cases": 22,
        "by_status": {
            "unrouted": 2,
            "new": 6,
            "acknowledged": 5,
            "inspection_planned": 1,
            "inspected": 2,
            "repair_planned": 1,
            "referred": 1,
            "on_hold": 1,
            "resolved": 3,
        },
        "by_urgency": {"acute": 4, "high": 5, "normal": 13},
        "by_category": {"crack": 13, "subsidence": 4, "unsafe_situation": 3, "other": 2},
        "by_corporation": {"acantus": 5, "lefier": 15},
        "by_municipality": {None: 2, "GM0014": 16, "GM0037": 1, "GM1966": 3},
    },
    "lefier": {
        "open_cases": 15,
        "by_status": {
            "new": 4,
            "acknowledged": 4,
            "inspection_planned": 1,
            "inspected": 1,
            "repair_planned": 1,
            "referred": 1,
            "on_hold": 1,
            "resolved": 2,
        },
        "by_urgency": {"acute": 2, "high": 4, "normal": 9},
        "by_category": {"crack": 8, "subsidence": 3, "unsafe_situation": 2, "other": 2},
        "by_corporation": {"lefier": 15},
        "by_municipality": {"GM0014": 12, "GM1966": 3},
    },
    "acantus": {
        "open_cases": 5,
        "by_status": {"new": 2, "acknowledged": 1, "inspected": 1, "resolved": 1},
        "by_urgency": {"acute": 1, "high": 1, "normal": 3},
        "by_category": {"crack": 4, "subsidence": 1},
        "by_corporation": {"acantus": 5},
        "by_municipality": {"GM0014": 4, "GM0037": 1},
    },
}

AGES = {
    "region": {"0-7": 10, "8-30": 4, "31-90": 4, "91-365": 2, ">365": 2},
    "lefier": {"0-7": 6, "8-30": 4, "31-90": 2, "91-365": 2, ">365": 1},
    "acantus": {"0-7": 3, "8-30": 0, "31-90": 1, "91-365": 0, ">365": 1},
}

# stage: (on_time, at_risk, breached)
DEADLINES = {
    "region": {"acknowledge": (3, 2, 3), "inspect": (3, 1, 2), "resolve": (1, 2, 1)},
    "lefier": {"acknowledge": (1, 1, 2), "inspect": (3, 1, 1), "resolve": (1, 1, 1)},
    "acantus": {"acknowledge": (1, 1, 0), "inspect": (0, 0, 1), "resolve": (0, 1, 0)},
}

ACUTE_WAITING = {
    "region": ["l_acute_new", "a_acute_new", "u_acute"],
    "lefier": ["l_acute_new"],
    "acantus": ["a_acute_new"],
}

# Closures (into closed or rejected) by weeks before this one, on the day of closed_at.
CLOSED_BY_WEEKS_AGO = {
    "region": {0: 1, 1: 2, 2: 2, 3: 1, 5: 1, 11: 1, 16: 1, 25: 1},
    "lefier": {0: 1, 1: 1, 3: 1, 11: 1, 16: 1, 25: 1},
    "acantus": {1: 1, 2: 1, 5: 1},
}

# code: (resolved, p50, p90), by percentile_cont's linear interpolation:
# Lefier 1, 2, 3, 4, 10 days: p50 is the 3rd value, 3.0; p90 lies at 0.9 * 4 = 3.6 places,
# 4 + 0.6 * (10 - 4) = 7.6. Acantus 2, 4, 6: p50 4.0; p90 at 1.8 places, 4 + 0.8 * 2 = 5.6.
RESOLUTION = {
    "region": {"acantus": (3, 4.0, 5.6), "lefier": (5, 3.0, 7.6)},
    "lefier": {"lefier": (5, 3.0, 7.6)},
    "acantus": {"acantus": (3, 4.0, 5.6)},
}


async def views(region: Region) -> AsyncIterator[tuple[str, dict[str, Any]]]:
    """Each view's dashboard, with the name of its expected numbers: region, lefier, acantus."""
    for view, (person, params) in VIEWS.items():
        yield view.split("_")[0], await fresh(region, person, **params)


async def test_open_cases_by_status_urgency_category_corporation_and_municipality(
    region: Region,
) -> None:
    async for scope, body in views(region):
        expected = OPEN[scope]
        assert body["open_cases"] == expected["open_cases"], scope
        assert body["by_status"] == expected["by_status"], scope
        assert body["by_urgency"] == expected["by_urgency"], scope
        assert body["by_category"] == expected["by_category"], scope
        corporations = {c["corporation"]["code"]: c["open_cases"] for c in body["by_corporation"]}
        assert corporations == expected["by_corporation"], scope
        assert [c["corporation"]["code"] for c in body["by_corporation"]] == sorted(corporations)
        municipalities = {m["municipality_code"]: m["open_cases"] for m in body["by_municipality"]}
        assert municipalities == expected["by_municipality"], scope


async def test_age_buckets_count_amsterdam_days_since_the_report(region: Region) -> None:
    async for scope, body in views(region):
        assert [b["bucket"] for b in body["age_buckets"]] == list(AGE_BUCKETS)
        assert {b["bucket"]: b["open_cases"] for b in body["age_buckets"]} == AGES[scope], scope


async def test_deadline_state_per_stage(region: Region) -> None:
    async for scope, body in views(region):
        assert [d["stage"] for d in body["deadlines"]] == ["acknowledge", "inspect", "resolve"]
        got = {d["stage"]: (d["on_time"], d["at_risk"], d["breached"]) for d in body["deadlines"]}
        assert got == DEADLINES[scope], scope


async def test_at_risk_is_the_last_fifth_of_the_window_from_the_report(region: Region) -> None:
    """Two cases reported 10 days ago: due in 3 days is on time, due in 2 days at risk."""
    rows = await region.conn.fetch(
        "SELECT reference, next_at_risk_at FROM cases WHERE reference = ANY($1::text[])",
        [region.refs["l_ack_10d"], region.refs["l_planned_10d"]],
    )
    at_risk_from = {row["reference"]: row["next_at_risk_at"] for row in rows}
    now = region.now
    assert at_risk_from[region.refs["l_ack_10d"]] == now + 3 * DAY - 13 * DAY / 5  # > now
    assert at_risk_from[region.refs["l_planned_10d"]] == now + 2 * DAY - 12 * DAY / 5  # < now
    # The queue's deadline filter agrees with the dashboard on these two.
    for state, name in (("on_time", "l_ack_10d"), ("at_risk", "l_planned_10d")):
        response = await region.world.client.get(
            "/api/v1/cases",
            params={"deadline": state, "q": region.refs[name]},
            headers=region.world.who("coordinator").headers,
        )
        assert [c["reference"] for c in response.json()["items"]] == [region.refs[name]]


async def test_acute_cases_not_acknowledged_oldest_first(region: Region) -> None:
    async for scope, body in views(region):
        names = ACUTE_WAITING[scope]
        assert [a["reference"] for a in body["acute_waiting"]] == [region.refs[n] for n in names]
        for item, name in zip(body["acute_waiting"], names, strict=True):
            spec = region.specs[name]
            assert item["status"] == spec.status
            assert datetime.fromisoformat(item["reported_at"]) == spec.reported
            assert datetime.fromisoformat(item["acknowledge_by"]) == spec.due
            code = {"L": "lefier", "A": "acantus"}.get(spec.home[0])
            assert (item["corporation"] or {}).get("code") == code


async def test_triage_counts_unrouted_cases_and_the_oldest(region: Region) -> None:
    async for scope, body in views(region):
        if scope == "region":
            assert body["triage"]["unrouted"] == 2
            oldest = datetime.fromisoformat(body["triage"]["oldest_reported_at"])
            assert oldest == region.specs["u_old"].reported
        else:
            assert body["triage"] == {"unrouted": 0, "oldest_reported_at": None}, scope


def expected_weeks(region: Region, by_weeks_ago: dict[int, int]) -> list[tuple[str, str, int]]:
    """The 26 weeks, oldest first: (ISO week, its Monday, the count given by weeks ago)."""
    weeks = []
    for weeks_ago in range(25, -1, -1):
        monday = region.this_monday - timedelta(weeks=weeks_ago)
        iso = monday.isocalendar()
        count = by_weeks_ago.get(weeks_ago, 0)
        weeks.append((f"{iso.year}-W{iso.week:02d}", monday.isoformat(), count))
    return weeks


def monday_of(moment: datetime) -> date:
    day = moment.astimezone(AMSTERDAM).date()
    return day - timedelta(days=day.weekday())


async def test_closures_per_iso_week_on_the_day_of_closed_at(region: Region) -> None:
    async for scope, body in views(region):
        got = [(w["week"], w["starts_on"], w["closed"]) for w in body["weekly"]]
        assert got == expected_weeks(region, CLOSED_BY_WEEKS_AGO[scope]), scope
        year, week, _ = region.today.isocalendar()
        assert body["weekly"][-1]["week"] == f"{year}-W{week:02d}"


async def test_intake_per_iso_week_on_the_day_of_the_report(region: Region) -> None:
    in_scope = {
        "region": lambda spec: True,
        "lefier": lambda spec: spec.home.startswith("L"),
        "acantus": lambda spec: spec.home.startswith("A"),
    }
    async for scope, body in views(region):
        weeks_ago = Counter(
            (region.this_monday - monday_of(spec.reported)).days // 7
            for spec in region.specs.values()
            if in_scope[scope](spec)
        )
        got = [(w["week"], w["starts_on"], w["reported"]) for w in body["weekly"]]
        assert got == expected_weeks(region, weeks_ago), scope


async def test_resolution_time_percentiles_per_corporation_last_90_days(region: Region) -> None:
    async for scope, body in views(region):
        got = {
            r["corporation"]["code"]: (r["resolved"], r["p50_days"], r["p90_days"])
            for r in body["resolution_times"]
        }
        assert got == RESOLUTION[scope], scope
        assert [r["corporation"]["code"] for r in body["resolution_times"]] == sorted(got)


async def test_the_whole_region_body_at_a_glance(region: Region) -> None:
    body = await fresh(region)
    assert body["corporation"] is None
    assert len(body["weekly"]) == 26
    mondays = [date.fromisoformat(w["starts_on"]) for w in body["weekly"]]
    assert all(m.weekday() == MON for m in mondays)
    assert all(b - a == timedelta(weeks=1) for a, b in pairwise(mondays))
    lefier = await fresh(region, "manager@lefier")
    assert lefier["corporation"] == {"code": "lefier", "name": "Lefier"}


async def test_acute_list_holds_the_twenty_oldest(world: World, conn: asyncpg.Connection) -> None:
    now = datetime.now(UTC)
    refs: list[tuple[str, datetime, str]] = []  # reference, reported_at, home
    for n in range(23):
        home = OWN_HOME if n % 2 == 0 else UNKNOWN_HOME
        created = await world.report(home, category="unsafe_situation", acute=True)
        reported = now - (n + 1) * 10 * MINUTE
        await conn.execute(
            "UPDATE cases SET reported_at = $2 WHERE reference = $1", created["reference"], reported
        )
        refs.append((created["reference"], reported, "L" if n % 2 == 0 else "U"))
    # An acute case already acknowledged, older than all: not waiting.
    acknowledged = await world.report(OWN_HOME, acute=True)
    await world.move(acknowledged["reference"], world.who("manager"), "acknowledged")
    await conn.execute(
        "UPDATE cases SET reported_at = $2 WHERE reference = $1",
        acknowledged["reference"],
        now - 30 * DAY,
    )
    oldest_first = sorted(refs, key=lambda r: r[1])
    region = await board(world)
    assert [a["reference"] for a in region["acute_waiting"]] == [r[0] for r in oldest_first[:20]]
    assert region["acute_waiting_count"] == 23  # the list stops at 20; the count does not
    lefier = await board(world, "manager@lefier")
    assert [a["reference"] for a in lefier["acute_waiting"]] == [
        r[0] for r in oldest_first if r[2] == "L"
    ]
    assert lefier["acute_waiting_count"] == 12
    assert region["by_urgency"]["acute"] == 24


# --- never stale --------------------------------------------------------------------


async def test_each_change_shows_in_the_next_dashboard_call(world: World) -> None:
    manager, coordinator = world.who("manager"), world.who("coordinator")

    async def lefier() -> dict[str, Any]:
        return await board(world, "manager@lefier")

    empty = await lefier()
    assert empty["open_cases"] == 0
    assert sum(w["reported"] for w in empty["weekly"]) == 0

    created = await world.report(OWN_HOME)
    reference = created["reference"]
    one = await lefier()
    assert one["open_cases"] == 1
    assert one["by_status"] == {"new": 1}
    assert one["age_buckets"][0] == {"bucket": "0-7", "open_cases": 1}
    assert one["deadlines"][0] == {
        "stage": "acknowledge",
        "on_time": 1,
        "at_risk": 0,
        "breached": 0,
    }
    assert one["weekly"][-1]["reported"] == 1

    await world.move(reference, manager, "acknowledged")
    acknowledged = await lefier()
    assert acknowledged["by_status"] == {"acknowledged": 1}
    assert [d["on_time"] for d in acknowledged["deadlines"]] == [0, 1, 0]

    await world.move(reference, manager, "rejected", reason="not_damage")
    rejected = await lefier()
    assert rejected["open_cases"] == 0
    assert rejected["by_status"] == {}
    assert rejected["weekly"][-1]["closed"] == 1

    await world.move(reference, coordinator, "acknowledged", reason="Toch schade")
    reopened = await lefier()
    assert reopened["by_status"] == {"acknowledged": 1}
    assert reopened["age_buckets"][0]["open_cases"] == 1

    acute = await world.report(OWN_HOME, acute=True)
    now_acute = await lefier()
    assert [a["reference"] for a in now_acute["acute_waiting"]] == [acute["reference"]]
    assert now_acute["by_urgency"] == {"acute": 1, "normal": 1}

    await post(
        world,
        acute["reference"],
        "transfer",
        manager,
        {"corporation": "acantus", "reason": "Niet onze woning"},
    )
    transferred = await lefier()
    assert transferred["acute_waiting"] == []
    assert transferred["open_cases"] == 1
    acantus = await board(world, "manager@acantus")
    assert [a["reference"] for a in acantus["acute_waiting"]] == [acute["reference"]]
    assert acantus["by_urgency"] == {"acute": 1}

    unrouted = await world.report(UNKNOWN_HOME)
    region = await board(world)
    assert region["triage"]["unrouted"] == 1
    await post(world, unrouted["reference"], "route", coordinator, {"corporation": "lefier"})
    routed = await board(world)
    assert routed["triage"] == {"unrouted": 0, "oldest_reported_at": None}
    assert (await lefier())["by_status"] == {"acknowledged": 1, "new": 1}


# --- counters against the cases table --------------------------------------------------

COUNTS_FROM_COUNTERS = """
    SELECT corporation_key, dimension, value, sum(open_cases)::bigint AS n
    FROM case_counts GROUP BY 1, 2, 3 HAVING sum(open_cases) <> 0
"""
COUNTS_FROM_CASES = """
    SELECT coalesce(c.corporation_id, 0) AS corporation_key, d.dimension, d.value, count(*) AS n
    FROM cases c
    CROSS JOIN LATERAL (VALUES ('status', c.status), ('urgency', c.urgency),
                               ('category', c.category),
                               ('municipality', coalesce(c.municipality_code, '')))
               AS d (dimension, value)
    WHERE c.status NOT IN ('closed', 'rejected')
    GROUP BY 1, 2, 3
"""
DAYS_FROM_COUNTERS = """
    SELECT corporation_key, day, sum({column})::bigint AS n
    FROM case_days GROUP BY 1, 2 HAVING sum({column}) <> 0
"""
DAYS_FROM_CASES = """
    SELECT coalesce(corporation_id, 0) AS corporation_key,
           (reported_at AT TIME ZONE 'Europe/Amsterdam')::date AS day, count(*) AS n
    FROM cases WHERE {condition} GROUP BY 1, 2
"""
CLOSED_FROM_CASES = """
    SELECT coalesce(corporation_id, 0) AS corporation_key,
           (closed_at AT TIME ZONE 'Europe/Amsterdam')::date AS day, count(*) AS n
    FROM cases WHERE closed_at IS NOT NULL GROUP BY 1, 2
"""


async def tally(conn: asyncpg.Connection, sql: str) -> dict[tuple, int]:
    rows = await conn.fetch(sql)
    return {tuple(row.values())[:-1]: row["n"] for row in rows}


async def open_counters(conn: asyncpg.Connection) -> tuple[dict, dict]:
    return (
        await tally(conn, COUNTS_FROM_COUNTERS),
        await tally(conn, DAYS_FROM_COUNTERS.format(column="open_now")),
    )


async def open_from_cases(conn: asyncpg.Connection) -> tuple[dict, dict]:
    return (
        await tally(conn, COUNTS_FROM_CASES),
        await tally(conn, DAYS_FROM_CASES.format(condition="status NOT IN ('closed', 'rejected')")),
    )


async def post(world: World, reference: str, action: str, person, body: dict) -> None:
    version = (await world.case(reference, world.who("admin")))["version"]
    response = await world.client.post(
        f"/api/v1/cases/{reference}/{action}",
        json=body,
        headers={**person.headers, **if_match(version)},
    )
    assert response.status_code == 200, response.text


@pytest.fixture
async def changed(world: World, conn: asyncpg.Connection) -> World:
    """A varied series of changes, through the API and straight in SQL."""
    await add_homes(world, conn)
    manager, coordinator = world.who("manager"), world.who("coordinator")
    acantus = world.who("manager", "acantus")
    reports = [
        (OWN_HOME, {}),
        (OWN_HOME, {"category": "subsidence"}),
        (OWN_HOME, {"category": "unsafe_situation", "acute": True}),
        (OTHER_HOME, {}),
        (OTHER_HOME, {"category": "other"}),
        (UNKNOWN_HOME, {}),
        (UNKNOWN_HOME, {"acute": True}),
        (SECOND_HOME, {}),
        (ACANTUS_SECOND_HOME, {"category": "subsidence"}),
    ]
    r = [(await world.report(home, **overrides))["reference"] for home, overrides in reports]

    # Through the workflow to closed, reopened, rejected and reopened again.
    await world.move(r[0], manager, "acknowledged")
    await world.move(r[0], manager, "referred", referred_to="IMG", external_reference="IMG-1")
    await world.move(r[0], manager, "resolved")
    await world.move(r[0], coordinator, "closed")
    await world.move(r[0], coordinator, "acknowledged", reason="Scheur komt terug")
    await world.move(r[0], manager, "rejected", reason="withdrawn")
    await world.move(r[0], coordinator, "acknowledged", reason="Toch niet ingetrokken")
    # Transferred, then worked on by the other corporation.
    await post(world, r[1], "transfer", manager, {"corporation": "acantus", "reason": "Verkocht"})
    await world.move(r[1], acantus, "acknowledged")
    # On hold and back.
    await world.move(r[2], manager, "on_hold", reason="Huurder op vakantie")
    await world.move(r[2], manager, "new")
    await world.move(r[3], acantus, "rejected", reason="not_our_home")
    # Routed by a coordinator, then transferred; another unrouted one rejected.
    await post(world, r[5], "route", coordinator, {"corporation": "lefier"})
    await post(world, r[5], "transfer", manager, {"corporation": "acantus", "reason": "Buurpand"})
    await world.move(r[6], coordinator, "rejected", reason="not_damage")
    await world.move(r[8], acantus, "acknowledged")
    await world.move(r[8], acantus, "resolved", expect=409)  # not allowed: changes nothing

    # Straight in SQL: report times (open, closed and rejected cases) and municipalities.
    await conn.execute(
        "UPDATE cases SET reported_at = reported_at - interval '40 days' "
        "WHERE reference = ANY($1::text[])",
        [r[0], r[4], r[3]],
    )
    await conn.execute(
        "UPDATE cases SET reported_at = reported_at - interval '400 days', "
        "municipality_code = NULL WHERE reference = $1",
        r[7],
    )
    await conn.execute("UPDATE cases SET municipality_code = 'GM0037' WHERE reference = $1", r[2])
    # And more reports after all that.
    await world.report(OTHER_HOME, acute=True)
    await world.report(UNKNOWN_HOME, category="other")
    return world


async def test_counters_equal_a_group_by_over_the_cases(
    changed: World, conn: asyncpg.Connection
) -> None:
    counts, open_days = await open_counters(conn)
    expected_counts, expected_days = await open_from_cases(conn)
    assert counts == expected_counts
    assert open_days == expected_days
    assert sum(n for (_, dimension, _), n in counts.items() if dimension == "status") == 9
    # Closures: every case closed or rejected now, on the day of its closed_at (all today
    # here). Of the 4 moves into closed or rejected, the first case's 2 count no more: it
    # was reopened after each, and reopening sets closed_at back to NULL.
    closed = await tally(conn, DAYS_FROM_COUNTERS.format(column="closed"))
    assert closed == await tally(conn, CLOSED_FROM_CASES)
    moves = await conn.fetchval(
        "SELECT count(*) FROM case_events WHERE kind = 'status_changed' "
        "AND to_status IN ('closed', 'rejected')"
    )
    assert moves == 4
    assert sum(closed.values()) == 2


async def test_rebuilding_the_counters_changes_no_open_count(
    changed: World, conn: asyncpg.Connection
) -> None:
    before = await open_counters(conn)
    dashboard_before = await board(changed)
    await conn.execute("SELECT rebuild_case_counters()")
    assert await open_counters(conn) == before == await open_from_cases(conn)
    dashboard_after = await board(changed)
    for key in ("open_cases", "by_status", "by_urgency", "by_category", "by_corporation"):
        assert dashboard_after[key] == dashboard_before[key]
    for key in ("by_municipality", "age_buckets", "deadlines", "acute_waiting", "triage"):
        assert dashboard_after[key] == dashboard_before[key]
    # Closures too: the trigger counts them from closed_at, as the rebuild does.
    assert dashboard_after["weekly"] == dashboard_before["weekly"]


async def test_reported_per_day_equals_a_group_by_and_survives_a_rebuild(
    changed: World, conn: asyncpg.Connection
) -> None:
    reported = await tally(conn, DAYS_FROM_COUNTERS.format(column="reported"))
    assert reported == await tally(conn, DAYS_FROM_CASES.format(condition="true"))
    await conn.execute("SELECT rebuild_case_counters()")
    assert await tally(conn, DAYS_FROM_COUNTERS.format(column="reported")) == reported


# --- counters follow the row: bulk loads, reopening, deletes ----------------------------

COUNTER_COLUMNS = ("reported", "closed", "open_now")


async def counters(conn: asyncpg.Connection) -> dict[str, dict[tuple, int]]:
    """Every counter, its shards added up: open counts, and per day each column."""
    return {
        "counts": await tally(conn, COUNTS_FROM_COUNTERS),
        **{c: await tally(conn, DAYS_FROM_COUNTERS.format(column=c)) for c in COUNTER_COLUMNS},
    }


async def recount(conn: asyncpg.Connection) -> dict[str, dict[tuple, int]]:
    """The same counters, counted plainly from the cases table."""
    counts, open_now = await open_from_cases(conn)
    return {
        "counts": counts,
        "reported": await tally(conn, DAYS_FROM_CASES.format(condition="true")),
        "closed": await tally(conn, CLOSED_FROM_CASES),
        "open_now": open_now,
    }


async def rebuilt(conn: asyncpg.Connection) -> dict[str, dict[tuple, int]]:
    """What rebuild_case_counters() makes of the cases table, in a transaction rolled back."""
    transaction = conn.transaction()
    await transaction.start()
    try:
        await conn.execute("SELECT rebuild_case_counters()")
        return await counters(conn)
    finally:
        await transaction.rollback()


async def assert_counters_follow_the_cases(conn: asyncpg.Connection) -> dict[str, dict]:
    """The counters equal a plain recount, and what a rebuild would make of them."""
    counted = await counters(conn)
    assert counted == await recount(conn)
    assert counted == await rebuilt(conn)
    return counted


@dataclass
class Row:
    """A case as a bulk load writes it: its row, finished or not, in one INSERT."""

    status: str
    corporation: str | None  # lefier, acantus, or None: no corporation
    reported: datetime
    closed: datetime | None = None
    category: str = "crack"
    urgency: str = "normal"


ROW_HOMES = {"lefier": OWN_HOME, "acantus": OTHER_HOME, None: UNKNOWN_HOME}
ROW_COLUMNS = (
    "reference", "category", "acute", "urgency", "description", "status", "corporation_id",
    "postcode", "house_number", "municipality_code", "reporter_id", "tracking_token_hash",
    "acknowledge_by", "inspect_by", "resolve_by", "reported_at", "resolved_at", "closed_at",
    "rejection_reason",
)  # fmt: skip


async def load(world: World, conn: asyncpg.Connection, rows: list[Row]) -> list[str]:
    """INSERT the rows, one plain INSERT each with the triggers on; return their references."""
    reporter = await conn.fetchval(
        "INSERT INTO reporters (name, email) VALUES ('Bulk', 'bulk@example.nl') RETURNING id"
    )
    first = await conn.fetchval("SELECT count(*) FROM cases") + 1
    records, references = [], []
    for number, row in enumerate(rows, first):
        reference = f"SCH-2020-{number:06d}"
        home = ROW_HOMES[row.corporation]
        resolved = row.closed - DAY if row.status == "closed" and row.closed else None
        if row.status == "resolved":
            resolved = row.reported + DAY
        records.append(
            (
                reference,
                row.category,
                row.urgency == "acute",
                row.urgency,
                "Scheur in de gevel, al jaren.",
                row.status,
                world.corporations[row.corporation] if row.corporation else None,
                home["postcode"],
                home["house_number"],
                "GM0014" if row.corporation else None,
                reporter,
                hashlib.sha256(reference.encode()).digest(),
                row.reported + DAY,
                row.reported + 2 * DAY,
                row.reported + 3 * DAY,
                row.reported,
                resolved,
                row.closed,
                "not_damage" if row.status == "rejected" else None,
            )
        )
        references.append(reference)
    placeholders = ", ".join(f"${i}" for i in range(1, len(ROW_COLUMNS) + 1))
    await conn.executemany(
        f"INSERT INTO cases ({', '.join(ROW_COLUMNS)}) VALUES ({placeholders})",  # noqa: S608
        records,
    )
    return references


def in_week(today: date, weeks_ago: int, weekday: int, hour: int, minute: int = 0) -> datetime:
    """A moment in the ISO week `weeks_ago` weeks before today's, Amsterdam time."""
    monday = today - timedelta(days=today.weekday(), weeks=weeks_ago)
    return datetime.combine(monday + timedelta(days=weekday), time(hour, minute), AMSTERDAM)


async def closed_by_weeks_ago(
    world: World, today: date, person: str = "coordinator", **params: Any
) -> dict[int, int]:
    """The dashboard's closures per week, by weeks before this one, the empty weeks left out."""
    body = await board(world, person, **params)
    generated = datetime.fromisoformat(body["generated_at"]).astimezone(AMSTERDAM).date()
    assert generated == today, "midnight passed while the test ran; run it again"
    assert len(body["weekly"]) == 26
    this_monday = today - timedelta(days=today.weekday())
    return {
        (this_monday - date.fromisoformat(w["starts_on"])).days // 7: w["closed"]
        for w in body["weekly"]
        if w["closed"]
    }


async def test_cases_inserted_closed_or_rejected_count_as_closures(
    world: World, conn: asyncpg.Connection
) -> None:
    """A bulk load (the demo data) INSERTs finished cases as they are: each is a closure."""
    now = datetime.now(UTC)
    today = now.astimezone(AMSTERDAM).date()
    rows = [
        Row("closed", "lefier", now - 30 * DAY, in_week(today, 1, TUE, 10)),
        # Monday 00:30 in Amsterdam is Sunday evening in UTC: still week 3 ago.
        Row("closed", "lefier", now - 40 * DAY, in_week(today, 3, MON, 0, 30), "subsidence"),
        Row("rejected", "lefier", now - 2 * HOUR, now, urgency="acute"),
        Row("rejected", None, now - 20 * DAY, in_week(today, 2, SUN, 23, 30), "other"),
        Row("closed", "acantus", now - 60 * DAY, in_week(today, 5, SAT, 18)),
        Row("rejected", "acantus", now - 50 * DAY, in_week(today, 5, SAT, 19), "other"),
        Row("new", "lefier", now - HOUR),
        Row("resolved", "lefier", now - 10 * DAY, category="subsidence"),
        Row("acknowledged", "acantus", now - 3 * DAY, urgency="high"),
        Row("unrouted", None, now - 5 * DAY, urgency="acute"),
    ]
    await load(world, conn, rows)

    loaded = await assert_counters_follow_the_cases(conn)
    assert sum(loaded["closed"].values()) == 6
    assert sum(loaded["reported"].values()) == 10
    assert sum(n for (_, dimension, _), n in loaded["counts"].items() if dimension == "status") == 4
    assert await closed_by_weeks_ago(world, today) == {0: 1, 1: 1, 2: 1, 3: 1, 5: 2}
    assert await closed_by_weeks_ago(world, today, "manager@lefier") == {0: 1, 1: 1, 3: 1}
    assert await closed_by_weeks_ago(world, today, "coordinator", corporation="acantus") == {5: 2}
    region = await board(world)
    assert region["open_cases"] == 4
    assert region["by_status"] == {"new": 1, "resolved": 1, "acknowledged": 1, "unrouted": 1}

    # A bulk change of closure times with the triggers on: the closures move along.
    await conn.execute("UPDATE cases SET closed_at = closed_at - interval '7 days'")
    await assert_counters_follow_the_cases(conn)
    assert await closed_by_weeks_ago(world, today) == {1: 1, 2: 1, 3: 1, 4: 1, 6: 2}


async def test_a_case_closed_reopened_and_closed_again_counts_one_closure(
    world: World, conn: asyncpg.Connection
) -> None:
    manager, coordinator = world.who("manager"), world.who("coordinator")
    today = datetime.now(UTC).astimezone(AMSTERDAM).date()
    reference = (await world.report(OWN_HOME))["reference"]
    await assert_counters_follow_the_cases(conn)

    async def through_to_closed() -> None:
        await world.move(reference, manager, "referred", referred_to="IMG", external_reference="1")
        await assert_counters_follow_the_cases(conn)
        await world.move(reference, manager, "resolved")
        await assert_counters_follow_the_cases(conn)
        await world.move(reference, coordinator, "closed")

    await world.move(reference, manager, "acknowledged")
    await through_to_closed()
    closed = await assert_counters_follow_the_cases(conn)
    assert sum(closed["closed"].values()) == 1
    assert await closed_by_weeks_ago(world, today) == {0: 1}

    await world.move(reference, coordinator, "acknowledged", reason="Scheur komt terug")
    reopened = await assert_counters_follow_the_cases(conn)
    assert reopened["closed"] == {}
    assert await closed_by_weeks_ago(world, today) == {}

    await through_to_closed()
    again = await assert_counters_follow_the_cases(conn)
    assert sum(again["closed"].values()) == 1
    assert await closed_by_weeks_ago(world, today) == {0: 1}

    # Straight in SQL: only closed_at changes (nothing else the counters read), then the case
    # is reopened, then closed once more on another day, and rejected after that.
    three_weeks_ago = in_week(today, 3, WED, 12)
    await factories.set_case_columns(conn, reference, closed_at=three_weeks_ago)
    await assert_counters_follow_the_cases(conn)
    assert await closed_by_weeks_ago(world, today) == {3: 1}
    await factories.set_case_columns(
        conn, reference, status="acknowledged", resolved_at=None, closed_at=None
    )
    assert (await assert_counters_follow_the_cases(conn))["closed"] == {}
    assert await closed_by_weeks_ago(world, today) == {}
    await factories.set_case_columns(
        conn,
        reference,
        status="closed",
        resolved_at=three_weeks_ago,
        closed_at=in_week(today, 1, FRI, 9),
    )
    await assert_counters_follow_the_cases(conn)
    assert await closed_by_weeks_ago(world, today) == {1: 1}
    await factories.set_case_columns(
        conn,
        reference,
        status="rejected",
        rejection_reason="withdrawn",
        closed_at=in_week(today, 2, FRI, 9),
    )
    await assert_counters_follow_the_cases(conn)
    assert await closed_by_weeks_ago(world, today) == {2: 1}


async def test_deleting_cases_takes_all_they_counted_along(
    world: World, conn: asyncpg.Connection
) -> None:
    """Cases without events (case_events refuses deletes) can be deleted: nothing stays."""
    now = datetime.now(UTC)
    today = now.astimezone(AMSTERDAM).date()
    refs = await load(
        world,
        conn,
        [
            Row("closed", "lefier", now - 30 * DAY, in_week(today, 1, TUE, 10)),
            Row("rejected", None, now - 20 * DAY, in_week(today, 2, WED, 10)),
            Row("new", "lefier", now - HOUR, urgency="acute"),
            Row("acknowledged", "acantus", now - 3 * DAY),
            Row("closed", "acantus", now - 9 * DAY, in_week(today, 0, MON, 0, 30)),
        ],
    )
    await assert_counters_follow_the_cases(conn)
    # A finished case moves to another corporation: its report and closure go along.
    await conn.execute(
        "UPDATE cases SET corporation_id = $2 WHERE reference = $1",
        refs[0],
        world.corporations["acantus"],
    )
    await assert_counters_follow_the_cases(conn)
    assert await closed_by_weeks_ago(world, today, "manager@acantus") == {0: 1, 1: 1}

    await conn.execute("DELETE FROM cases WHERE reference = ANY($1::text[])", [refs[0], refs[2]])
    left = await assert_counters_follow_the_cases(conn)
    assert sum(left["reported"].values()) == 3
    assert await closed_by_weeks_ago(world, today) == {0: 1, 2: 1}
    await conn.execute("DELETE FROM cases")
    assert await assert_counters_follow_the_cases(conn) == {
        "counts": {},
        "reported": {},
        "closed": {},
        "open_now": {},
    }
    assert await closed_by_weeks_ago(world, today) == {}


# --- scope ------------------------------------------------------------------------------


async def problem(world: World, person: str | None, status: int, **params: Any) -> dict:
    headers = who(world, person).headers if person else {}
    response = await world.client.get(DASHBOARD, params=params, headers=headers)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return response.json()


async def test_a_manager_sees_only_the_own_corporation(region: Region) -> None:
    mine = await fresh(region, "manager@lefier")
    assert mine == {
        **await fresh(region, "manager@lefier", corporation="lefier"),
        "generated_at": mine["generated_at"],
    }
    text = str(mine).lower()
    assert "acantus" not in text
    for name, reference in region.refs.items():
        if not region.specs[name].home.startswith("L"):
            assert reference not in text.upper()
    for person in ("manager@lefier", "manager@acantus"):
        other = "acantus" if person.endswith("lefier") else "lefier"
        body = await problem(region.world, person, 400, corporation=other)
        assert [e["field"] for e in body["errors"]] == ["corporation"]
        assert other not in str(body).lower()


async def test_coordinators_and_admins_see_all_or_one_corporation(region: Region) -> None:
    for person in ("coordinator", "admin"):
        whole = await fresh(region, person)
        assert whole["corporation"] is None
        one = await fresh(region, person, corporation="acantus")
        mine = await fresh(region, "manager@acantus")
        assert one == {**mine, "generated_at": one["generated_at"]}
        assert one["corporation"] == {"code": "acantus", "name": "Acantus"}


async def test_an_unknown_corporation_is_bad_input(world: World) -> None:
    for person in ("coordinator", "admin", "manager@lefier"):
        body = await problem(world, person, 400, corporation="woonstad")
        assert [e["field"] for e in body["errors"]] == ["corporation"]
    await problem(world, "coordinator", 400, corporation="x" * 41)


async def test_inspectors_may_not_and_strangers_must_log_in(world: World) -> None:
    await problem(world, "inspector@lefier", 403)
    await problem(world, "inspector@acantus", 403, corporation="acantus")
    await problem(world, None, 401)
    response = await world.client.get(DASHBOARD, headers={"Authorization": "Bearer nonsense"})
    assert response.status_code == 401
