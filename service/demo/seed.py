"""Load the demo: the region's corporations, a synthetic portfolio and sample cases.

Everything is generated from fixed seeds, so every install gets the same homes
and the same kind of cases; only the case times follow the clock, so that the
sample cases are always from the last four months. Loading is idempotent:
corporations and homes that exist already are left alone (ON CONFLICT DO
NOTHING), and sample cases are only made while no synthetic case exists.

Sample cases get tracking tokens derived from the server's secret, so that
`demo_tracking_link` can hand out a working link at every start.
"""

# Seeded generators on purpose: the demo must be reproducible, and nothing here is secret.
# ruff: noqa: S311

import asyncio
import json
import math
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from random import Random
from typing import Any

import asyncpg

from service.demo import texts
from service.demo.places import (
    CITY_DISTRICT_OFFSET_KM,
    CORPORATIONS,
    STREET_PREFIXES,
    STREET_SUFFIXES,
    STREET_WHOLE,
    TOWNS,
    Town,
    corporation_email,
)
from service.domain.addresses import NONEXISTENT_POSTCODE_LETTERS
from service.domain.calendar import AMSTERDAM, is_working_day
from service.domain.categories import Category
from service.domain.routing import RoutingReason
from service.domain.sla import Deadlines, Urgency, deadlines_for, urgency_for
from service.domain.workflow import Status, can_transition
from service.portfolio import store as portfolio
from service.reports.intake import tracking_url
from service.reports.tokens import derived_tracking_token, token_hash, token_matches

PORTFOLIO_SEED = 20_260_001
CASES_SEED = 20_260_002
DEMO_TOKEN_SALT = b"demo"
# Serialises concurrent loaders (several replicas starting on an empty database).
SEED_LOCK_KEY = 0x5C4ADE + 1
# How far back sample cases are reported.
MAX_CASE_AGE = timedelta(days=120)

S = Status
# How many sample cases end in each status: every status of the workflow.
CASES_PER_STATUS: dict[Status, int] = {
    S.UNROUTED: 14,
    S.NEW: 18,
    S.ACKNOWLEDGED: 20,
    S.INSPECTION_PLANNED: 24,
    S.INSPECTED: 14,
    S.REPAIR_PLANNED: 20,
    S.REFERRED: 18,
    S.ON_HOLD: 12,
    S.RESOLVED: 14,
    S.CLOSED: 32,
    S.REJECTED: 14,
}
CASES_PER_CATEGORY: dict[Category, int] = {
    Category.CRACK: 108,
    Category.SUBSIDENCE: 40,
    Category.UNSAFE_SITUATION: 26,
    Category.OTHER: 26,
}
ACUTE_SHARE: dict[Category, float] = {
    Category.CRACK: 0.03,
    Category.SUBSIDENCE: 0.08,
    Category.UNSAFE_SITUATION: 0.5,
    Category.OTHER: 0.0,
}
# The last event of a case in this status lies at most this long ago: a resolved
# case older than 14 days would have been closed, a new one would be picked up.
STALENESS: dict[Status, timedelta] = {
    S.UNROUTED: timedelta(days=9),
    S.NEW: timedelta(days=8),
    S.ACKNOWLEDGED: timedelta(days=14),
    S.INSPECTION_PLANNED: timedelta(days=21),
    S.INSPECTED: timedelta(days=14),
    S.REPAIR_PLANNED: timedelta(days=30),
    S.REFERRED: timedelta(days=45),
    S.ON_HOLD: timedelta(days=25),
    S.RESOLVED: timedelta(days=13),
    S.CLOSED: timedelta(days=110),
    S.REJECTED: timedelta(days=110),
}
# Reports come in more where the earth shakes most: around Loppersum.
MUNICIPALITY_CASE_WEIGHT: dict[str, float] = {
    "GM1979": 5.0,
    "GM1966": 2.5,
    "GM1952": 2.5,
    "GM0014": 1.0,
}
AUTO_CLOSE_AFTER = timedelta(days=14)


@dataclass(frozen=True)
class DemoSummary:
    corporations: int  # demo corporations in the database
    corporations_added: int
    homes: int  # synthetic homes in the register
    homes_added: int
    cases: int  # synthetic cases
    cases_added: int
    seconds: float = 0.0

    @property
    def added_anything(self) -> bool:
        return bool(self.corporations_added or self.homes_added or self.cases_added)

    def __str__(self) -> str:
        counts = (
            f"{self.corporations} corporations ({self.corporations_added} new), "
            f"{self.homes:,} synthetic homes ({self.homes_added:,} new), "
            f"{self.cases} sample cases ({self.cases_added} new)"
        )
        if not self.added_anything:
            return f"demo data already loaded, nothing added: {counts}"
        return f"demo data loaded in {self.seconds:.1f} s: {counts}"


# --- the portfolio ------------------------------------------------------------


@dataclass(frozen=True)
class Home:
    corporation_code: str
    bag_id: str | None
    postcode: str
    house_number: int
    house_letter: str
    addition: str
    street: str
    city: str
    municipality_code: str
    lat: float
    lon: float

    @property
    def key(self) -> tuple[str, int, str, str]:
        return (self.postcode, self.house_number, self.house_letter, self.addition)


@dataclass(frozen=True)
class PrivateHome:
    """A home in the region no corporation registered (owner-occupied or a private landlord)."""

    postcode: str
    house_number: int
    street: str
    city: str
    municipality_code: str


@dataclass(frozen=True)
class Portfolio:
    homes: list[Home]
    # Postcodes without any registered home: reports there end up unrouted.
    private_homes: list[PrivateHome]


# PostNL long left out F, I, O, Q, U and Y; older neighbourhoods still look like that.
_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"
_POSTCODE_LETTERS = tuple(
    a + b for a in _LETTERS for b in _LETTERS if a + b not in NONEXISTENT_POSTCODE_LETTERS
)
_KM_PER_DEGREE_LAT = 111.2


@dataclass
class _Street:
    name: str
    north_km: float
    east_km: float
    angle: float
    next_number: dict[int, int] = field(default_factory=lambda: {1: 1, 0: 2})


def generate_portfolio(seed: int = PORTFOLIO_SEED) -> Portfolio:
    """The synthetic register: the same homes for the same seed, on every machine."""
    rng = Random(seed)
    homes: list[Home] = []
    private: list[PrivateHome] = []
    bag_counters: dict[str, int] = {}
    for town in TOWNS:
        _town_homes(town, rng, homes, private, bag_counters)
    return Portfolio(homes, private)


def _street_names(rng: Random) -> list[str]:
    names = {*STREET_WHOLE, *(p + s for p in STREET_PREFIXES for s in STREET_SUFFIXES)}
    ordered = sorted(names)
    rng.shuffle(ordered)
    return ordered


def _town_homes(
    town: Town,
    rng: Random,
    homes: list[Home],
    private: list[PrivateHome],
    bag_counters: dict[str, int],
) -> None:
    names = iter(_street_names(rng))
    owners = [code for code, _ in town.owners]
    weights = [weight for _, weight in town.owners]
    streets: dict[str, _Street | None] = dict.fromkeys(town.areas)
    next_pair = {area: rng.randint(0, 3) for area in town.areas}
    made = 0
    turn = 0
    while made < town.homes:
        area = town.areas[turn % len(town.areas)]
        turn += 1
        street = streets[area]
        if street is None or rng.random() < 0.3:
            north, east = CITY_DISTRICT_OFFSET_KM.get(area[:3], (0.0, 0.0))
            if town.name != "Groningen":
                north = east = 0.0
            street = _Street(
                name=next(names),
                north_km=north + rng.gauss(0, town.radius_km / 2),
                east_km=east + rng.gauss(0, town.radius_km / 2),
                angle=rng.uniform(0, math.pi),
            )
            streets[area] = street
        if next_pair[area] >= len(_POSTCODE_LETTERS):
            raise RuntimeError(f"postcode area {area} is full; lower the homes of {town.name}")
        postcode = area + _POSTCODE_LETTERS[next_pair[area]]
        next_pair[area] += rng.randint(1, 3)
        parity = rng.randint(0, 1)

        if rng.random() < 0.2:
            # Owner-occupied homes: a postcode with no registered home at all.
            for _ in range(rng.randint(6, 16)):
                number = street.next_number[parity]
                street.next_number[parity] += 2
                private.append(
                    PrivateHome(postcode, number, street.name, town.name, town.municipality_code)
                )
            continue

        units = _units(rng, street, parity, flats=rng.random() < town.flats)
        owner = rng.choices(owners, weights)[0]
        split = len(units) if rng.random() > 0.15 else rng.randint(1, len(units) - 1)
        other = rng.choices(owners, weights)[0]
        for index, (number, letter, addition) in enumerate(units):
            lat, lon = _position(town, street, number, parity, rng)
            counter = bag_counters.get(town.municipality_code, 0) + rng.randint(1, 9)
            bag_counters[town.municipality_code] = counter
            bag_id = (
                f"{town.municipality_code[2:]}01{9_000_000_000 + counter:010d}"
                if rng.random() < 0.97
                else None
            )
            homes.append(
                Home(
                    corporation_code=owner if index < split else other,
                    bag_id=bag_id,
                    postcode=postcode,
                    house_number=number,
                    house_letter=letter,
                    addition=addition,
                    street=street.name,
                    city=town.name,
                    municipality_code=town.municipality_code,
                    lat=lat,
                    lon=lon,
                )
            )
        made += len(units)


def _units(rng: Random, street: _Street, parity: int, *, flats: bool) -> list[tuple[int, str, str]]:
    """(house number, letter, addition) of the homes under one postcode."""
    units: list[tuple[int, str, str]] = []
    if not flats:
        # A row of family homes, one side of the street; now and then a 12A beside 12.
        for _ in range(rng.randint(6, 18)):
            number = street.next_number[parity]
            street.next_number[parity] += 2
            roll = rng.random()
            if roll < 0.04:
                units += [(number, "A", ""), (number, "B", "")]
            elif roll < 0.09:
                units += [(number, "", ""), (number, "A", "")]
            else:
                units.append((number, "", ""))
        return units
    style = rng.random()
    number = street.next_number[parity]
    if style < 0.45:
        # A block of flats under one number: 120-1, 120-2, ...
        street.next_number[parity] += 2
        prefix = "" if rng.random() < 0.8 else rng.choice("ABC")
        units = [(number, "", f"{prefix}{i}") for i in range(1, rng.randint(6, 24) + 1)]
    elif style < 0.65:
        # Upstairs and downstairs homes with letters: 34A, 34B, ...
        for _ in range(rng.randint(3, 8)):
            number = street.next_number[parity]
            street.next_number[parity] += 2
            units += [(number, letter, "") for letter in "ABCD"[: rng.randint(2, 4)]]
    else:
        # A gallery flat numbered straight through: 201, 202, ... 236.
        start = (max(street.next_number.values()) // 100 + 1) * 100 + 1
        count = rng.randint(12, 40)
        units = [(start + i, "", "") for i in range(count)]
        # The flat takes both sides' numbers; the street goes on after it.
        after = start + count
        for side in (0, 1):
            street.next_number[side] = max(street.next_number[side], after + (after - side) % 2)
    return units


def _position(
    town: Town, street: _Street, number: int, parity: int, rng: Random
) -> tuple[float, float]:
    along = (number % 200) * 0.006
    side = 0.012 if parity else -0.012
    north = street.north_km + along * math.sin(street.angle) + side * math.cos(street.angle)
    east = street.east_km + along * math.cos(street.angle) - side * math.sin(street.angle)
    north += rng.gauss(0, 0.004)
    east += rng.gauss(0, 0.004)
    lat = town.lat + north / _KM_PER_DEGREE_LAT
    lon = town.lon + east / (_KM_PER_DEGREE_LAT * math.cos(math.radians(town.lat)))
    return round(lat, 6), round(lon, 6)


# --- sample cases ---------------------------------------------------------------

# Who acts: filled in per case once its corporation is known.
TENANT = "tenant"
SYSTEM = "system"
INSPECTOR = "@inspector"
COORDINATOR = "@coordinator"


@dataclass
class _Step:
    at: datetime
    actor: str
    kind: str
    from_status: Status | None
    to_status: Status | None
    public: bool
    data: dict[str, Any]


@dataclass
class _Plan:
    """A sample case before it meets the database."""

    index: int
    id: uuid.UUID
    category: Category
    acute: bool
    urgency: Urgency
    status: Status
    path: list[Status]
    steps: list[_Step]
    description: str
    noticed_on: date | None
    reporter_name: str
    reporter_email: str
    routing: RoutingReason
    home: Home | None = None
    private_home: PrivateHome | None = None
    duplicate_of: "_Plan | None" = None
    reference: str = ""

    @property
    def reported_at(self) -> datetime:
        return self.steps[0].at


def _core_path(target: Status, rng: Random) -> list[Status]:
    """A path through the workflow from new to target."""
    if target is S.NEW:
        return [S.NEW]
    if target is S.ACKNOWLEDGED:
        return [S.NEW, S.ACKNOWLEDGED]
    if target is S.INSPECTION_PLANNED:
        path = [S.NEW, S.ACKNOWLEDGED, S.INSPECTION_PLANNED]
        return [*path, S.INSPECTION_PLANNED] if rng.random() < 0.2 else path
    if target is S.INSPECTED:
        return [*_core_path(S.INSPECTION_PLANNED, rng), S.INSPECTED]
    if target is S.REFERRED:
        if rng.random() < 0.3:
            return [S.NEW, S.ACKNOWLEDGED, S.REFERRED]
        return [*_core_path(S.INSPECTED, rng), S.REFERRED]
    if target is S.REPAIR_PLANNED:
        before = S.REFERRED if rng.random() < 0.35 else S.INSPECTED
        path = [*_core_path(before, rng), S.REPAIR_PLANNED]
        return [*path, S.REPAIR_PLANNED] if rng.random() < 0.15 else path
    if target is S.RESOLVED:
        roll = rng.random()
        before = S.INSPECTED if roll < 0.25 else S.REFERRED if roll < 0.4 else S.REPAIR_PLANNED
        return [*_core_path(before, rng), S.RESOLVED]
    if target is S.CLOSED:
        path = [*_core_path(S.RESOLVED, rng), S.CLOSED]
        if rng.random() < 0.1:
            # Reopened by the tenant within 14 days, repaired again.
            path = [
                *path[:-1],
                S.ACKNOWLEDGED,
                S.INSPECTION_PLANNED,
                S.INSPECTED,
                S.RESOLVED,
                S.CLOSED,
            ]
        return path
    if target is S.REJECTED:
        roll = rng.random()
        if roll < 0.35:
            return [S.NEW, S.REJECTED]
        if roll < 0.6:
            return [S.NEW, S.ACKNOWLEDGED, S.REJECTED]
        return [*_core_path(S.INSPECTED, rng), S.REJECTED]
    if target is S.ON_HOLD:
        before = rng.choices(
            [S.NEW, S.ACKNOWLEDGED, S.INSPECTION_PLANNED, S.REPAIR_PLANNED, S.REFERRED],
            [1, 3, 3, 2, 2],
        )[0]
        return [*_core_path(before, rng), S.ON_HOLD]
    raise ValueError(target)


_HOLDABLE = (S.NEW, S.ACKNOWLEDGED, S.INSPECTION_PLANNED, S.REPAIR_PLANNED, S.REFERRED)


def plan_path(target: Status, rng: Random) -> list[Status]:
    """Statuses a case passes, from its first (unrouted or new) to target."""
    if target is S.UNROUTED:
        return [S.UNROUTED]
    if target is S.REJECTED and rng.random() < 0.25:
        return [S.UNROUTED, S.REJECTED]
    if target is S.ACKNOWLEDGED and rng.random() < 0.2:
        # Reopened by the tenant after the repair.
        path = [*_core_path(S.RESOLVED, rng), S.ACKNOWLEDGED]
    else:
        path = _core_path(target, rng)
    if rng.random() < 0.12:
        path = [S.UNROUTED, *path]
    # Now and then a pause on the way: waiting for the tenant, then back.
    if S.ON_HOLD not in path and rng.random() < 0.15:
        spots = [i for i, s in enumerate(path[:-1]) if s in _HOLDABLE]
        if spots:
            i = rng.choice(spots)
            path = [*path[: i + 1], S.ON_HOLD, path[i], *path[i + 1 :]]
    _check_path(path)
    return path


def _check_path(path: Sequence[Status]) -> None:
    for i in range(1, len(path)):
        previous = path[i - 2] if path[i - 1] is S.ON_HOLD else None
        if not can_transition(path[i - 1], path[i], previous):
            raise AssertionError(f"invalid sample path {path}")


def _hours(rng: Random, low: float, high: float) -> timedelta:
    return timedelta(hours=rng.uniform(low, high))


def _days(rng: Random, low: float, high: float) -> timedelta:
    return timedelta(days=rng.uniform(low, high))


def _office(moment: datetime, rng: Random) -> datetime:
    """The first moment in office hours (08:00-17:00 on a working day) from moment on."""
    local = moment.astimezone(AMSTERDAM)
    while not is_working_day(local.date()) or local.hour >= 17:
        next_day = local.date() + timedelta(days=1)
        local = datetime(next_day.year, next_day.month, next_day.day, 8, tzinfo=AMSTERDAM)
        local += timedelta(minutes=rng.randint(0, 90))
    if local.hour < 8:
        local = local.replace(hour=8, minute=rng.randint(0, 59))
    return local


def _awake(moment: datetime, rng: Random) -> datetime:
    """The first moment from moment on that a tenant is likely awake (07:00-23:00)."""
    local = moment.astimezone(AMSTERDAM)
    if local.hour >= 23:
        local += timedelta(days=1)
    if local.hour < 7 or local.hour >= 23:
        local = local.replace(hour=7, minute=rng.randint(0, 59)) + timedelta(
            hours=rng.randint(0, 12)
        )
    return local


def _appointment(moment: datetime, rng: Random) -> datetime:
    """A visit slot on a working day at or after moment: 09:00, 10:30, 13:00 or 14:30."""
    local = moment.astimezone(AMSTERDAM)
    day = local.date() + timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    hour, minute = rng.choice([(9, 0), (10, 30), (13, 0), (14, 30)])
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMSTERDAM)


class _Timeline:
    """Times of a case's steps, made forward from the moment of the report."""

    def __init__(self, rng: Random, urgency: Urgency, scale: float) -> None:
        self.rng = rng
        self.urgency = urgency
        self.scale = scale

    def later(
        self, moment: datetime, low_days: float, high_days: float, *, staff: bool
    ) -> datetime:
        speed = {Urgency.ACUTE: 0.1, Urgency.HIGH: 0.6, Urgency.NORMAL: 1.0}[self.urgency]
        gap = _days(self.rng, low_days, high_days) * speed * self.scale
        moment = moment + max(gap, timedelta(minutes=5))
        if staff and self.urgency is not Urgency.ACUTE:
            moment = _office(moment, self.rng)
        return moment

    def before(self, start: datetime, visit: datetime) -> datetime:
        """A staff moment after start, well before the visit at visit (to cancel or re-plan it)."""
        moment = start + (visit - start) * self.rng.uniform(0.3, 0.8)
        if self.urgency is not Urgency.ACUTE:
            moment = _office(moment, self.rng)
        if moment > visit - timedelta(minutes=30):
            moment = max(start + timedelta(minutes=5), visit - timedelta(minutes=30))
        return moment

    def appointment(self, moment: datetime, low_days: float, high_days: float) -> datetime:
        if self.urgency is Urgency.ACUTE:
            # Acute: a visit within the day, at any hour.
            return (moment + _hours(self.rng, 2, 20)).replace(second=0, microsecond=0)
        return _appointment(self.later(moment, low_days, high_days, staff=False), self.rng)


def _build_steps(
    path: list[Status],
    category: Category,
    acute: bool,
    urgency: Urgency,
    reported_at: datetime,
    rng: Random,
    scale: float,
) -> list[_Step]:
    """Every event of the case, with placeholders for actors and corporations."""
    line = _Timeline(rng, urgency, scale)
    steps = [
        _Step(
            reported_at,
            TENANT,
            "reported",
            None,
            None,
            True,
            {"category": category, "acute": acute},
        ),
    ]
    first = path[0]
    steps.append(
        _Step(
            reported_at,
            SYSTEM,
            "unrouted" if first is S.UNROUTED else "routed",
            None,
            first,
            True,
            {},
        )
    )
    at = reported_at
    planned_at: datetime | None = None
    resume = ""
    for i in range(1, len(path)):
        current, target = path[i - 1], path[i]
        actor = INSPECTOR
        kind = "status_changed"
        data: dict[str, Any] = {}
        if current is S.UNROUTED:
            actor = COORDINATOR
            at = line.later(at, 0.2, 3, staff=True)
            if target is S.NEW:
                kind = "routed"
            else:
                reason, explanation = rng.choice(texts.REJECTIONS_UNROUTED)
                data = {"reason": reason, "explanation": explanation}
        elif target is S.ON_HOLD:
            if planned_at is None:
                at = line.later(at, 0.5, 6, staff=True)
            else:
                at = line.before(at, planned_at)
            hold, resume = rng.choice(texts.HOLD_REASONS)
            data = {"reason": hold, "previous_status": current}
        elif current is S.ON_HOLD:
            at = line.later(at, 3, 20, staff=True)
            data = {"reason": resume}
        elif target is S.ACKNOWLEDGED and current in (S.RESOLVED, S.CLOSED, S.REJECTED):
            if current is S.RESOLVED:
                actor = TENANT
                at = _awake(at + _days(rng, 1, 12), rng)
            else:
                actor = COORDINATOR
                at = line.later(at, 3, 30, staff=True)
            data = {"reason": rng.choice(texts.REOPEN_REASONS), "reopened": True}
        elif target is S.ACKNOWLEDGED:
            at = line.later(at, 0.05, 2.5, staff=True)
            data = {"urgency": urgency}
        elif target is S.INSPECTION_PLANNED and current is S.INSPECTION_PLANNED:
            assert planned_at is not None
            at = line.before(at, planned_at)
            old = planned_at
            planned_at = line.appointment(old, 2, 8)
            data = {
                "planned_at": planned_at,
                "previous_planned_at": old,
                "reason": rng.choice(texts.REPLAN_REASONS),
            }
        elif target is S.INSPECTION_PLANNED:
            at = line.later(at, 0.2, 4, staff=True)
            planned_at = line.appointment(at, 2, 15)
            data = {"planned_at": planned_at}
        elif target is S.INSPECTED:
            assert planned_at is not None
            at = max(planned_at + _hours(rng, 1, 3), at + timedelta(minutes=30))
            count = rng.randint(1, 3)
            worst = 4 if category is Category.UNSAFE_SITUATION else 3
            items = [f for f in texts.FINDINGS if f[1] <= worst]
            data = {
                "damage_items": [
                    {"description": text, "damage_class": damage_class}
                    for text, damage_class in rng.sample(items, count)
                ]
            }
            planned_at = None
        elif target is S.REFERRED:
            at = line.later(at, 0.5, 5, staff=True)
            to = "NCG" if category is Category.UNSAFE_SITUATION or rng.random() < 0.25 else "IMG"
            number = rng.randint(10_000, 99_999)
            data = {
                "referred_to": to,
                "external_reference": f"{to}-{at.year}-{number}",
            }
        elif target is S.REPAIR_PLANNED:
            old = planned_at
            if current is S.REPAIR_PLANNED:
                assert old is not None
                at = line.before(at, old)
                planned_at = line.appointment(old, 3, 14)
                data = {"planned_at": planned_at, "previous_planned_at": old}
            else:
                waiting = (10, 40) if current is S.REFERRED else (1, 8)
                at = line.later(at, *waiting, staff=True)
                planned_at = line.appointment(at, 5, 25)
                data = {"planned_at": planned_at}
        elif target is S.RESOLVED:
            if planned_at is not None and current is S.REPAIR_PLANNED:
                at = max(planned_at + _hours(rng, 3, 30), at + timedelta(minutes=30))
                if urgency is not Urgency.ACUTE:
                    at = _office(at, rng)
            else:
                waiting = (15, 45) if current is S.REFERRED else (0.1, 3)
                at = line.later(at, *waiting, staff=True)
            data = {"summary": rng.choice(texts.RESOLUTIONS)}
            planned_at = None
        elif target is S.CLOSED:
            if rng.random() < 0.55:
                actor = TENANT
                at = _awake(at + _days(rng, 0.5, 10), rng)
                data = {"confirmed_by": "tenant"}
            else:
                actor = SYSTEM
                at = at + AUTO_CLOSE_AFTER
                data = {"reason": "no_reaction_in_14_days"}
        elif target is S.REJECTED:
            at = line.later(at, 0.2, 4, staff=True)
            reasons = (
                texts.REJECTIONS_INSPECTED if current is S.INSPECTED else texts.REJECTIONS_ROUTED
            )
            reason, explanation = rng.choice(reasons)
            data = {"reason": reason, "explanation": explanation}
        else:  # pragma: no cover - every transition of the sample paths is handled above
            raise AssertionError(f"no sample step for {current} -> {target}")
        if target in (S.INSPECTION_PLANNED, S.REPAIR_PLANNED) and current is S.ON_HOLD:
            planned_at = line.appointment(at, 2, 10)
            data["planned_at"] = planned_at
        at = at.replace(microsecond=0)
        if at <= steps[-1].at:
            at = steps[-1].at + timedelta(minutes=rng.randint(5, 60))
        steps.append(_Step(at, actor, kind, current, target, True, data))
        if target in (S.ACKNOWLEDGED, S.INSPECTED) and rng.random() < 0.3:
            at = at + timedelta(minutes=rng.randint(10, 90))
            steps.append(
                _Step(at, INSPECTOR, "note", None, None, False, {"text": rng.choice(texts.NOTES)})
            )
    return steps


def _shift(steps: list[_Step], by: timedelta) -> list[_Step]:
    """The same steps, moved by whole weeks of wall-clock time (office hours stay office hours)."""

    def move(value: Any) -> Any:
        return value + by if isinstance(value, datetime) else value

    return [
        _Step(
            move(s.at),
            s.actor,
            s.kind,
            s.from_status,
            s.to_status,
            s.public,
            {k: move(v) for k, v in s.data.items()},
        )
        for s in steps
    ]


def _timed_steps(
    path: list[Status],
    category: Category,
    acute: bool,
    urgency: Urgency,
    now: datetime,
    rng: Random,
) -> list[_Step]:
    """Steps that end a plausible while before now, starting at most MAX_CASE_AGE ago."""
    status = path[-1]
    scale = 1.0
    state = rng.getstate()
    local_now = now.astimezone(AMSTERDAM)
    newest = now - timedelta(minutes=10)
    oldest = now - STALENESS[status]
    for _ in range(12):
        rng.setstate(state)
        draft_start = local_now - timedelta(days=rng.randint(70, 76))
        draft_start = draft_start.replace(
            hour=rng.randint(7, 22),
            minute=rng.randint(0, 59),
            second=rng.randint(0, 59),
            microsecond=0,
        )
        steps = _build_steps(path, category, acute, urgency, draft_start, rng, scale)
        end = steps[-1].at
        week = timedelta(weeks=1)
        latest = math.floor((newest - end) / week)
        weeks = [k for k in range(latest - 30, latest + 1) if oldest <= end + k * week <= newest]
        fitting = [k for k in weeks if steps[0].at + k * week >= now - MAX_CASE_AGE]
        if fitting:
            return _shift(steps, rng.choice(fitting) * week)
        scale *= 0.75
    raise AssertionError(f"cannot fit a sample case ending in {status} into {MAX_CASE_AGE}")


def _description(category: Category, acute: bool, rng: Random) -> str:
    if category is Category.CRACK:
        room = rng.choice(texts.ROOMS)
        text = f"{rng.choice(texts.CRACKS)} {room}. {rng.choice(texts.CRACK_DETAILS)}"
    elif category is Category.SUBSIDENCE:
        text = " ".join(rng.sample(texts.SUBSIDENCE, rng.randint(1, 2)))
    elif category is Category.UNSAFE_SITUATION:
        text = rng.choice(texts.UNSAFE)
    else:
        text = rng.choice(texts.OTHER)
    worry = rng.choice(texts.ACUTE_WORRIES if acute else texts.WORRIES)
    return " ".join(f"{text} {worry}".split())


def _email_name(name: str) -> str:
    plain = name.lower().replace("ë", "e").replace(" ", ".")
    return "".join(ch for ch in plain if ch.isalnum() or ch == ".")


def plan_cases(now: datetime, seed: int = CASES_SEED) -> list[_Plan]:
    """The sample cases, without homes and references yet; sorted by the time of report."""
    rng = Random(seed)
    statuses = [status for status, count in CASES_PER_STATUS.items() for _ in range(count)]
    categories = [cat for cat, count in CASES_PER_CATEGORY.items() for _ in range(count)]
    rng.shuffle(categories)
    plans = []
    for index, (status, category) in enumerate(zip(statuses, categories, strict=True)):
        case_rng = Random(f"{seed}:{index}")
        acute = case_rng.random() < ACUTE_SHARE[category]
        urgency = urgency_for(category, acute)
        path = plan_path(status, case_rng)
        steps = _timed_steps(path, category, acute, urgency, now, case_rng)
        name = f"{case_rng.choice(texts.FIRST_NAMES)} {case_rng.choice(texts.SURNAMES)}"
        noticed = None
        if case_rng.random() < 0.7:
            reported_day = steps[0].at.astimezone(AMSTERDAM).date()
            noticed = reported_day - timedelta(days=case_rng.randint(0, 14))
        plans.append(
            _Plan(
                index=index,
                id=uuid.UUID(int=case_rng.getrandbits(128), version=4),
                category=category,
                acute=acute,
                urgency=urgency,
                status=status,
                path=path,
                steps=steps,
                description=_description(category, acute, case_rng),
                noticed_on=noticed,
                reporter_name=name,
                reporter_email=f"{_email_name(name)}.{index + 1}@example.nl",
                routing=RoutingReason.BAG_ID if case_rng.random() < 0.1 else RoutingReason.ADDRESS,
            )
        )
    plans.sort(key=lambda p: (p.reported_at, p.index))
    return plans


def case_deadlines(plan: _Plan) -> Deadlines:
    """Deadlines from the report, moved later by every finished pause (DESIGN.md section 7)."""
    deadlines = deadlines_for(plan.urgency, plan.reported_at)
    shifts = [timedelta(0), timedelta(0), timedelta(0)]
    # When each clock stopped: acknowledged, inspected (or referred), resolved.
    met: list[datetime | None] = [None, None, None]
    held_since: datetime | None = None
    for step in plan.steps:
        target = step.to_status
        if target is None or step.from_status is None:
            continue
        if target is S.ON_HOLD:
            held_since = step.at
            continue
        if step.from_status is S.ON_HOLD and held_since is not None:
            for i in range(3):
                if met[i] is None:
                    shifts[i] += step.at - held_since
            held_since = None
        reached = [
            target not in (S.UNROUTED, S.NEW),
            target in (S.INSPECTED, S.REFERRED, S.RESOLVED, S.CLOSED, S.REJECTED),
            target in (S.RESOLVED, S.CLOSED, S.REJECTED),
        ]
        for i in range(3):
            if reached[i] and met[i] is None:
                met[i] = step.at
    return Deadlines(
        acknowledge_by=deadlines.acknowledge_by + shifts[0],
        inspect_by=deadlines.inspect_by + shifts[1],
        resolve_by=deadlines.resolve_by + shifts[2],
    )


def _inspectors(code: str, name: str) -> list[str]:
    rng = Random(f"inspectors:{code}")
    return [
        f"{rng.choice(texts.FIRST_NAMES)[0]}. {rng.choice(texts.SURNAMES)} ({name})"
        for _ in range(3)
    ]


# --- loading --------------------------------------------------------------------


async def seed_demo(
    connection: asyncpg.Connection, secret_key: str, *, now: datetime | None = None
) -> DemoSummary:
    """Load the demo data; a second run adds nothing (see DemoSummary's text)."""
    async with connection.transaction():
        await connection.execute("SELECT pg_advisory_xact_lock($1)", SEED_LOCK_KEY)
        return await _seed(connection, secret_key, now or datetime.now(UTC))


async def seed_demo_if_empty(
    connection: asyncpg.Connection, secret_key: str, *, now: datetime | None = None
) -> DemoSummary | None:
    """Load the demo data into a database without corporations and cases; else do nothing."""
    async with connection.transaction():
        await connection.execute("SELECT pg_advisory_xact_lock($1)", SEED_LOCK_KEY)
        empty = await connection.fetchval(
            "SELECT NOT EXISTS (SELECT 1 FROM corporations) AND NOT EXISTS (SELECT 1 FROM cases)"
        )
        if not empty:
            return None
        return await _seed(connection, secret_key, now or datetime.now(UTC))


async def demo_tracking_link(
    connection: asyncpg.Connection, secret_key: str, public_base_url: str
) -> str | None:
    """A tracking link that opens a sample case: preferably an open, routed one with some history.

    None when there are no sample cases, or when they were made with another secret key.
    """
    rows = await connection.fetch(
        """
        SELECT id, reference, tracking_token_hash FROM cases
        WHERE synthetic
        ORDER BY status IN ('inspection_planned', 'repair_planned', 'referred', 'inspected') DESC,
                 status NOT IN ('unrouted', 'on_hold', 'closed', 'rejected') DESC,
                 last_event_seq BETWEEN 4 AND 8 DESC,
                 reported_at DESC
        """
    )
    for row in rows:
        token = derived_tracking_token(secret_key, row["id"], DEMO_TOKEN_SALT)
        if token_matches(token, row["tracking_token_hash"]):
            return tracking_url(public_base_url.rstrip("/"), row["reference"], token)
    return None


async def _seed(connection: asyncpg.Connection, secret_key: str, now: datetime) -> DemoSummary:
    started = time.perf_counter()
    corporations_added = await _load_corporations(connection)
    generated = await asyncio.to_thread(generate_portfolio)
    homes_added = await _load_homes(connection, generated.homes)
    cases_added = 0
    if not await connection.fetchval("SELECT EXISTS (SELECT 1 FROM cases WHERE synthetic)"):
        plans = await asyncio.to_thread(plan_cases, now)
        cases_added = await _load_cases(connection, plans, generated, secret_key)
    counts = await connection.fetchrow(
        """
        SELECT (SELECT count(*) FROM corporations WHERE code = ANY($1::text[])) AS corporations,
               (SELECT count(*) FROM addresses WHERE synthetic) AS homes,
               (SELECT count(*) FROM cases WHERE synthetic) AS cases
        """,
        [c.code for c in CORPORATIONS],
    )
    return DemoSummary(
        corporations=counts["corporations"],
        corporations_added=corporations_added,
        homes=counts["homes"],
        homes_added=homes_added,
        cases=counts["cases"],
        cases_added=cases_added,
        seconds=time.perf_counter() - started,
    )


async def _load_corporations(connection: asyncpg.Connection) -> int:
    rows = await connection.fetch(
        """
        INSERT INTO corporations (code, name, email)
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
        ON CONFLICT (code) DO NOTHING
        RETURNING id
        """,
        [c.code for c in CORPORATIONS],
        [c.name for c in CORPORATIONS],
        [corporation_email(c.code) for c in CORPORATIONS],
    )
    return len(rows)


async def _load_homes(connection: asyncpg.Connection, homes: list[Home]) -> int:
    """COPY into a scratch table, then insert what the register does not have yet."""
    await connection.execute(
        """
        CREATE TEMP TABLE demo_homes (
            corporation_code text, bag_id text, postcode text, house_number integer,
            house_letter text, addition text, street text, city text,
            municipality_code text, lat double precision, lon double precision
        ) ON COMMIT DROP
        """
    )
    await connection.copy_records_to_table(
        "demo_homes",
        records=[
            (
                h.corporation_code,
                h.bag_id,
                h.postcode,
                h.house_number,
                h.house_letter,
                h.addition,
                h.street,
                h.city,
                h.municipality_code,
                h.lat,
                h.lon,
            )
            for h in homes
        ],
    )
    status = await connection.execute(
        """
        INSERT INTO addresses (corporation_id, bag_id, postcode, house_number, house_letter,
                               addition, street, city, municipality_code, lat, lon, synthetic)
        SELECT c.id, d.bag_id, d.postcode, d.house_number, d.house_letter, d.addition,
               d.street, d.city, d.municipality_code, d.lat, d.lon, true
        FROM demo_homes d JOIN corporations c ON c.code = d.corporation_code
        ON CONFLICT DO NOTHING
        """
    )
    await connection.execute("DROP TABLE demo_homes")
    return int(status.split()[-1])


async def _registered(
    connection: asyncpg.Connection, keys: Sequence[tuple[str, int, str, str]]
) -> dict[tuple[str, int, str, str], asyncpg.Record]:
    """The registered homes (with an active owner) at these addresses."""
    rows = await connection.fetch(
        """
        SELECT a.id, a.bag_id, a.postcode, a.house_number, a.house_letter, a.addition,
               a.street, a.city, a.municipality_code,
               c.id AS corporation_id, c.code AS corporation_code, c.name AS corporation_name
        FROM unnest($1::text[], $2::integer[], $3::text[], $4::text[])
             AS k (postcode, house_number, house_letter, addition)
        JOIN addresses a USING (postcode, house_number, house_letter, addition)
        JOIN corporations c ON c.id = a.corporation_id AND c.active
        """,
        [k[0] for k in keys],
        [k[1] for k in keys],
        [k[2] for k in keys],
        [k[3] for k in keys],
    )
    return {(r["postcode"], r["house_number"], r["house_letter"], r["addition"]): r for r in rows}


async def _any_registered(
    connection: asyncpg.Connection, keys: Sequence[tuple[str, int]]
) -> set[tuple[str, int]]:
    rows = await connection.fetch(
        """
        SELECT DISTINCT a.postcode, a.house_number
        FROM unnest($1::text[], $2::integer[]) AS k (postcode, house_number)
        JOIN addresses a USING (postcode, house_number)
        """,
        [k[0] for k in keys],
        [k[1] for k in keys],
    )
    return {(r["postcode"], r["house_number"]) for r in rows}


def _weighted_sample(
    rng: Random, items: Sequence[Any], weights: Sequence[float], count: int
) -> list[Any]:
    """count different items, drawn with the weights."""
    chosen: dict[int, None] = {}
    while len(chosen) < min(count, len(items)):
        chosen.setdefault(rng.choices(range(len(items)), weights)[0], None)
    return [items[i] for i in chosen]


async def _load_cases(
    connection: asyncpg.Connection, plans: list[_Plan], generated: Portfolio, secret_key: str
) -> int:
    rng = Random(CASES_SEED + 1)
    unrouted = [p for p in plans if _never_routed(p)]
    routed = [p for p in plans if not _never_routed(p)]

    # Homes for routed cases: more where the earth shakes most.
    weights = [MUNICIPALITY_CASE_WEIGHT.get(h.municipality_code, 1.0) for h in generated.homes]
    candidates = _weighted_sample(rng, generated.homes, weights, len(routed) * 2)
    registered = await _registered(connection, [h.key for h in candidates])
    usable = iter([h for h in candidates if h.key in registered])
    by_key: dict[tuple[str, int, str, str], asyncpg.Record] = {}
    for plan in routed:
        is_duplicate = plan.steps[-1].data.get("reason") == "duplicate"
        earlier = [
            p
            for p in routed
            if p.reported_at < plan.reported_at
            and p.home is not None
            and p.status is not S.REJECTED
        ]
        if is_duplicate and earlier:
            plan.duplicate_of = rng.choice(earlier)
            plan.home = plan.duplicate_of.home
        else:
            if is_duplicate:
                plan.steps[-1].data.update(
                    reason="withdrawn", explanation="Huurder heeft de melding ingetrokken."
                )
            plan.home = _take(usable, "registered demo homes")
        assert plan.home is not None
        by_key[plan.home.key] = registered[plan.home.key]

    # Reports from homes no corporation registered: they wait in the triage queue.
    private = rng.sample(generated.private_homes, len(unrouted) * 2)
    taken = await _any_registered(connection, [(h.postcode, h.house_number) for h in private])
    free = iter([h for h in private if (h.postcode, h.house_number) not in taken])
    for plan in unrouted:
        plan.private_home = _take(free, "unregistered demo addresses")

    numbers = await connection.fetchval(
        """
        SELECT array_agg(n ORDER BY n)
        FROM (SELECT nextval('case_reference_seq') AS n FROM generate_series(1, $1)) s
        """,
        len(plans),
    )
    for plan, number in zip(plans, numbers, strict=True):
        plan.reference = f"SCH-{plan.reported_at.astimezone(UTC).year}-{number:06d}"

    reporter_rows = await connection.fetch(
        """
        INSERT INTO reporters (name, email, language, created_at)
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[])
        RETURNING id, email
        """,
        [p.reporter_name for p in plans],
        [p.reporter_email for p in plans],
        ["nl"] * len(plans),
        [p.reported_at for p in plans],
    )
    reporter_ids = {r["email"]: r["id"] for r in reporter_rows}

    case_records = []
    event_records = []
    inspectors: dict[str, list[str]] = {}
    for plan in plans:
        home = by_key[plan.home.key] if plan.home is not None else None
        if home is not None:
            team = inspectors.setdefault(
                home["corporation_code"],
                _inspectors(home["corporation_code"], home["corporation_name"]),
            )
            inspector = Random(plan.id.int).choice(team)
        else:
            inspector = texts.COORDINATORS[0]
        coordinator = texts.COORDINATORS[plan.index % len(texts.COORDINATORS)]
        typed_postcode = plan.private_home.postcode if plan.private_home else plan.home.postcode
        suggestions = (
            await portfolio.suggest_corporations(connection, typed_postcode)
            if plan.path[0] is S.UNROUTED
            else []
        )
        for step in plan.steps:
            if step.kind == "routed":
                assert home is not None
                step.data.update(
                    reason=RoutingReason.MANUAL
                    if step.from_status is S.UNROUTED
                    else plan.routing
                    if home["bag_id"]
                    else RoutingReason.ADDRESS,
                    corporation_code=home["corporation_code"],
                    corporation_name=home["corporation_name"],
                )
            elif step.kind == "unrouted":
                step.data.update(reason=RoutingReason.NO_MATCH, suggestions=suggestions)
            if step.data.get("reason") == "duplicate" and plan.duplicate_of is not None:
                step.data["duplicate_of"] = plan.duplicate_of.reference
            step.actor = {INSPECTOR: inspector, COORDINATOR: coordinator}.get(
                step.actor, step.actor
            )
        case_records.append(_case_record(plan, home, reporter_ids[plan.reporter_email], secret_key))
        event_records += [
            (
                plan.id,
                seq,
                step.at,
                step.actor,
                step.kind,
                step.from_status,
                step.to_status,
                step.public,
                json.dumps(step.data, default=_json_default, ensure_ascii=False),
            )
            for seq, step in enumerate(plan.steps, 1)
        ]

    await connection.copy_records_to_table("cases", records=case_records, columns=CASE_COLUMNS)
    await connection.executemany(
        """
        INSERT INTO case_events (case_id, seq, at, actor, kind, from_status, to_status, public, data)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text::jsonb)
        """,
        event_records,
    )
    return len(plans)


def _take(items: Iterator[Any], what: str) -> Any:
    try:
        return next(items)
    except StopIteration:
        raise RuntimeError(
            f"too few {what} for the sample cases; does the register hold other data?"
        ) from None


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    raise TypeError(f"cannot store {type(value).__name__} in event data")


CASE_COLUMNS = (
    "id",
    "reference",
    "category",
    "acute",
    "urgency",
    "description",
    "noticed_on",
    "status",
    "corporation_id",
    "address_id",
    "bag_id",
    "postcode",
    "house_number",
    "house_letter",
    "addition",
    "street",
    "city",
    "municipality_code",
    "reporter_id",
    "tracking_token_hash",
    "acknowledge_by",
    "inspect_by",
    "resolve_by",
    "reported_at",
    "updated_at",
    "closed_at",
    "version",
    "last_event_seq",
    "synthetic",
)


def _case_record(
    plan: _Plan, home: asyncpg.Record | None, reporter_id: int, secret_key: str
) -> tuple[Any, ...]:
    deadlines = case_deadlines(plan)
    last = plan.steps[-1]
    closing = next(
        (s.at for s in reversed(plan.steps) if s.to_status in (S.CLOSED, S.REJECTED)), None
    )
    if home is not None:
        location = (
            home["id"],
            home["bag_id"],
            home["postcode"],
            home["house_number"],
            home["house_letter"],
            home["addition"],
            home["street"],
            home["city"],
            home["municipality_code"],
        )
        corporation_id = home["corporation_id"]
    else:
        typed = plan.private_home
        assert typed is not None
        # As typed by the tenant: no register, so no street, city or BAG id.
        location = (None, None, typed.postcode, typed.house_number, "", "", None, None, None)
        corporation_id = None
    token = derived_tracking_token(secret_key, plan.id, DEMO_TOKEN_SALT)
    return (
        plan.id,
        plan.reference,
        str(plan.category),
        plan.acute,
        str(plan.urgency),
        plan.description,
        plan.noticed_on,
        str(plan.status),
        corporation_id,
        *location,
        reporter_id,
        token_hash(token),
        deadlines.acknowledge_by,
        deadlines.inspect_by,
        deadlines.resolve_by,
        plan.reported_at,
        last.at,
        closing if plan.status in (S.CLOSED, S.REJECTED) else None,
        1 + len(plan.steps) - 2,
        len(plan.steps),
        True,
    )


def _never_routed(plan: _Plan) -> bool:
    return S.NEW not in plan.path
