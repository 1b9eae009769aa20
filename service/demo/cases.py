"""Sample cases: paths through the workflow, and what people do on the way, as plans.

Planning is pure: each case gets its path of statuses and a timed list of steps, each a
command (report, move, note, findings, ...) for someone in a role, filled in with the
corporation's demo user once the case has a home. service/demo/seed.py carries the steps
out through the real actions and the change pipeline, at their moments, so the demo can
never disagree with the rules. Everything comes from fixed seeds; only the times follow
the clock, so that the sample cases are always from the last four months.
"""

# Seeded generators on purpose: the demo must be reproducible, and nothing here is secret.
# ruff: noqa: S311

import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from random import Random
from typing import Any, Literal, TypeAlias

from service.demo import texts
from service.demo.homes import Home, PrivateHome
from service.domain.calendar import AMSTERDAM, is_working_day
from service.domain.categories import Category
from service.domain.events import SYSTEM, TENANT, Actor
from service.domain.roles import Role
from service.domain.routing import RoutingReason
from service.domain.sla import Urgency, urgency_for
from service.domain.workflow import (
    FINISHED_STATUSES,
    PLANNED_VISIT_STATUSES,
    REOPEN_FROM,
    TENANT_REACTION_DAYS,
    WORKFLOW,
    Status,
    can_transition,
)

CASES_SEED = 20_260_002
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
# The worker closes a resolved case once the tenant's time to react is over: a little after,
# more than an hour, so that a change of summer time on the way cannot make it early.
AUTO_CLOSE_AFTER = timedelta(days=TENANT_REACTION_DAYS, hours=2)
# Share of cases with the corporation's inspector assigned: routed open ones, finished ones.
ASSIGNED_SHARE = {"open": 2 / 3, "finished": 0.9}
# The worst damage class an inspection finds, per category of report (acute: one more).
WORST_CLASS: dict[Category, int] = {
    Category.CRACK: 3,
    Category.SUBSIDENCE: 3,
    Category.UNSAFE_SITUATION: 4,
    Category.OTHER: 2,
}
# Crack width in mm per damage class on the Burland scale: 0 <0.1, 1 <1, 2 <5, 3 5-15,
# 4 15-25, 5 >25.
CRACK_WIDTH_MM: dict[int, tuple[float, float]] = {
    0: (0.02, 0.09),
    1: (0.1, 0.9),
    2: (1.0, 4.9),
    3: (5.0, 15.0),
    4: (15.1, 25.0),
    5: (25.1, 40.0),
}

# Who acts in a step: the tenant, the system, or a role that is filled in with the
# case's corporation's demo user (inspector, manager) or the region's (coordinator, admin).
Who: TypeAlias = Role | Actor
# What the inspector concludes about the cause (FindingsIn.earthquake_cause).
EarthquakeCause: TypeAlias = Literal["likely", "unlikely", "unknown"]


@dataclass(frozen=True)
class DamageItem:
    """One damaged spot, as an inspector records it."""

    location: str
    kind: str
    damage_class: int
    crack_width_mm: float | None
    description: str


@dataclass(frozen=True)
class Finding:
    """What an inspection recorded."""

    acute: bool
    earthquake_cause: EarthquakeCause
    summary: str
    items: tuple[DamageItem, ...]


# --- what happens in a step: each is one action of the service -----------------------


@dataclass(frozen=True)
class Report:
    """The tenant reports the damage (intake routes it, or leaves it for triage)."""


@dataclass(frozen=True)
class Route:
    """The coordinator routes an unrouted case to a corporation with demo staff."""


@dataclass(frozen=True)
class Move:
    """A transition, with the fields it carries (planned_at, reason, note, ...)."""

    to: Status
    fields: dict[str, Any]


@dataclass(frozen=True)
class Note:
    text: str
    for_tenant: bool


@dataclass(frozen=True)
class Record:
    """Inspection findings; recording them marks a planned inspection inspected."""

    finding: Finding


@dataclass(frozen=True)
class Assign:
    """The corporation's demo inspector gets the case: taken, or given by the manager."""


@dataclass(frozen=True)
class Confirm:
    """The tenant confirms the repair."""


@dataclass(frozen=True)
class Reopen:
    """The tenant says the damage is not repaired."""

    reason: str


@dataclass(frozen=True)
class AutoClose:
    """The worker closes a resolved case the tenant did not react to."""


Command = Report | Route | Move | Note | Record | Assign | Confirm | Reopen | AutoClose


@dataclass(frozen=True)
class Step:
    at: datetime
    actor: Who
    command: Command


@dataclass
class Plan:
    """A sample case before it meets the database."""

    index: int
    id: uuid.UUID
    category: Category
    acute: bool
    urgency: Urgency
    status: Status
    path: list[Status]
    steps: list[Step]
    description: str
    noticed_on: date | None
    reporter_name: str
    reporter_email: str
    routing: RoutingReason  # how intake finds a registered home: by address or BAG id
    home: Home | None = None
    private_home: PrivateHome | None = None
    duplicate_of: "Plan | None" = None
    # An unregistered home's case is routed by the coordinator, to this corporation.
    route_to: str | None = None
    reference: str = ""

    @property
    def reported_at(self) -> datetime:
        return self.steps[0].at

    @property
    def registered(self) -> bool:
        """Reported at a home in the register: intake routes it."""
        return self.path[0] is S.NEW


# --- paths through the workflow ---------------------------------------------------


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


# Where the workflow lets a case be put on hold.
_HOLDABLE = frozenset(rule.status for rule in WORKFLOW if S.ON_HOLD in rule.next)


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
    # Now and then a pause on the way: waiting for the tenant, then back. A visit planned
    # before the pause is planned anew after it.
    if S.ON_HOLD not in path and rng.random() < 0.15:
        spots = [i for i, s in enumerate(path[:-1]) if s in _HOLDABLE]
        if spots:
            i = rng.choice(spots)
            back = [path[i], path[i]] if path[i] in PLANNED_VISIT_STATUSES else [path[i]]
            path = [*path[: i + 1], S.ON_HOLD, *back, *path[i + 1 :]]
    _check_path(path)
    return path


def _check_path(path: Sequence[Status]) -> None:
    for i in range(1, len(path)):
        previous = path[i - 2] if path[i - 1] is S.ON_HOLD else None
        if not can_transition(path[i - 1], path[i], previous):
            raise AssertionError(f"invalid sample path {path}")


# --- times ----------------------------------------------------------------------


def _hours(rng: Random, low: float, high: float) -> timedelta:
    return timedelta(hours=rng.uniform(low, high))


def _days(rng: Random, low: float, high: float) -> timedelta:
    return timedelta(days=rng.uniform(low, high))


def _minutes(rng: Random, low: int, high: int) -> timedelta:
    return timedelta(minutes=rng.randint(low, high))


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


# --- findings -------------------------------------------------------------------


def _crack_width(damage_class: int, rng: Random) -> float:
    low, high = CRACK_WIDTH_MM[damage_class]
    digits = 2 if damage_class == 0 else 1
    return round(rng.uniform(low, high), digits)


def _damage_item(category: Category, damage_class: int, rng: Random) -> DamageItem:
    others = [
        other
        for other in texts.OTHER_DAMAGE[category.value]
        if other[3] <= damage_class <= other[4]
    ]
    if others and rng.random() < 0.35:
        kind, description, locations, _, _ = rng.choice(others)
        return DamageItem(rng.choice(locations), kind, damage_class, None, description)
    kind, description = rng.choice(texts.CRACKS_BY_CLASS[damage_class])
    width = _crack_width(damage_class, rng)
    shown = f"{width:g}".replace(".", ",")
    return DamageItem(
        rng.choice(texts.DAMAGE_LOCATIONS),
        kind,
        damage_class,
        width,
        f"{description}, {shown} mm breed.",
    )


def _finding(category: Category, acute: bool, next_status: Status, rng: Random) -> Finding:
    """The findings of one inspection: 1-4 damage items, the worst first."""
    worst = WORST_CLASS[category] + (1 if acute and category is Category.UNSAFE_SITUATION else 0)
    highest = worst if acute else rng.randint(max(0, worst - 2), worst)
    count = rng.choices([1, 2, 3, 4], [3, 4, 2, 1])[0]
    classes = [highest, *sorted((rng.randint(0, highest) for _ in range(count - 1)), reverse=True)]
    items = tuple(_damage_item(category, damage_class, rng) for damage_class in classes)
    cause: EarthquakeCause
    if next_status is S.REJECTED:
        cause = "unlikely"  # rejected after the inspection: not earthquake damage
    elif next_status is S.REFERRED:
        cause = "likely"
    else:
        causes: list[EarthquakeCause] = ["likely", "unknown", "unlikely"]
        cause = rng.choices(causes, [75, 20, 5])[0]
    found_acute = acute and highest >= 3 and rng.random() < 0.8
    summary = (
        f"{count} schadepunt{'en' if count > 1 else ''} vastgelegd, "
        f"zwaarste schadeklasse {highest}. {texts.EARTHQUAKE_CAUSES[cause]}"
    )
    if found_acute:
        summary += f" {texts.ACUTE_FINDING}"
    return Finding(found_acute, cause, summary, items)


# --- the steps of a case ---------------------------------------------------------------


class _Steps:
    """The steps of one case, in order: each after the one before it."""

    def __init__(self, rng: Random, first: Step) -> None:
        self.rng = rng
        self.items = [first]

    @property
    def last_at(self) -> datetime:
        return self.items[-1].at

    def add(self, at: datetime, actor: Who, command: Command) -> datetime:
        """Append a step at at, or a little after the last one if at is not later."""
        at = at.replace(microsecond=0)
        if at <= self.last_at:
            at = self.last_at + _minutes(self.rng, 5, 60)
        self.items.append(Step(at, actor, command))
        return at

    def note(self, at: datetime, actor: Who, text: str, *, tenant: bool = False) -> datetime:
        return self.add(at, actor, Note(text, for_tenant=tenant))


def _staff(rng: Random, manager_share: float) -> Role:
    return Role.MANAGER if rng.random() < manager_share else Role.INSPECTOR


def _assigned_after(path: list[Status], rng: Random) -> int | None:
    """The index in path after which the corporation's inspector is assigned, if at all."""
    if S.NEW not in path:
        return None
    share = ASSIGNED_SHARE["finished" if path[-1] in FINISHED_STATUSES else "open"]
    if rng.random() >= share:
        return None
    return path.index(S.ACKNOWLEDGED) if S.ACKNOWLEDGED in path else path.index(S.NEW)


def _build_steps(
    path: list[Status],
    category: Category,
    acute: bool,
    urgency: Urgency,
    reported_at: datetime,
    rng: Random,
    scale: float,
) -> list[Step]:
    """Every step of the case, with roles for who acts."""
    line = _Timeline(rng, urgency, scale)
    steps = _Steps(rng, Step(reported_at.replace(microsecond=0), TENANT, Report()))
    at = steps.last_at
    assign_after = _assigned_after(path, rng)
    visit: datetime | None = None  # the planned visit of the current status
    resume = ""

    def assign(at: datetime, index: int) -> datetime:
        if index != assign_after:
            return at
        if path[index] is S.ACKNOWLEDGED:
            at = at + _minutes(rng, 2, 90)
        else:
            at = line.later(at, 0.05, 1.5, staff=True)
        actor = Role.INSPECTOR if rng.random() < 0.4 else Role.MANAGER  # self, or by the manager
        return steps.add(at, actor, Assign())

    at = assign(at, 0)
    for i in range(1, len(path)):
        current, target = path[i - 1], path[i]
        back_from_hold = i >= 2 and path[i - 2] is S.ON_HOLD
        actor: Who = Role.INSPECTOR
        command: Command = Move(target, {})
        if current is S.UNROUTED:
            actor = Role.ADMIN if rng.random() < 0.2 else Role.COORDINATOR
            at = line.later(at, 0.2, 3, staff=True)
            if target is S.NEW:
                command = Route()  # to a corporation with demo staff, chosen when loading
            else:
                reason, note = rng.choice(texts.REJECTIONS_UNROUTED)
                command = Move(target, {"reason": reason, "note": note})
        elif target is S.ON_HOLD:
            actor = _staff(rng, 0.3)
            at = line.later(at, 0.5, 6, staff=True) if visit is None else line.before(at, visit)
            hold, resume = rng.choice(texts.HOLD_REASONS)
            command = Move(target, {"reason": hold})
        elif current is S.ON_HOLD:
            actor = _staff(rng, 0.3)
            at = steps.note(line.later(at, 3, 20, staff=True), actor, resume)
            at = at + _minutes(rng, 2, 30)
        elif target is S.ACKNOWLEDGED and current in REOPEN_FROM:
            reason = rng.choice(texts.REOPEN_REASONS)
            if current is S.RESOLVED:
                actor = TENANT
                at = _awake(at + _days(rng, 1, 12), rng)
                command = Reopen(reason)
            else:
                actor = Role.COORDINATOR
                at = line.later(at, 3, 30, staff=True)
                command = Move(target, {"reason": reason})
        elif target is S.ACKNOWLEDGED:
            actor = _staff(rng, 0.3)
            at = line.later(at, 0.05, 2.5, staff=True)
        elif target is current and target in PLANNED_VISIT_STATUSES:
            # A visit planned anew: after a pause, or moved before it was due.
            assert visit is not None
            if back_from_hold:
                at = at + _minutes(rng, 5, 60)
                visit = line.appointment(at, 2, 10)
            else:
                at = steps.note(
                    line.before(at, visit), actor, rng.choice(texts.REPLAN_NOTES), tenant=True
                )
                visit = (
                    line.appointment(visit, 2, 8)
                    if target is S.INSPECTION_PLANNED
                    else line.appointment(visit, 3, 14)
                )
            command = Move(target, {"planned_at": visit})
        elif target is S.INSPECTION_PLANNED:
            at = line.later(at, 0.2, 4, staff=True)
            visit = line.appointment(at, 2, 15)
            command = Move(target, {"planned_at": visit})
        elif target is S.INSPECTED:
            assert visit is not None
            at = max(visit + _hours(rng, 1, 3), at + timedelta(minutes=30))
            following = path[i + 1] if i + 1 < len(path) else target
            command = Record(_finding(category, acute, following, rng))
        elif target is S.REFERRED:
            actor = _staff(rng, 0.5)
            at = line.later(at, 0.5, 5, staff=True)
            to = "NCG" if category is Category.UNSAFE_SITUATION or rng.random() < 0.25 else "IMG"
            number = rng.randint(10_000, 99_999)
            command = Move(
                target, {"referred_to": to, "external_reference": f"{to}-{at.year}-{number}"}
            )
        elif target is S.REPAIR_PLANNED:
            actor = _staff(rng, 0.4)
            waiting: tuple[float, float] = (10, 40) if current is S.REFERRED else (1, 8)
            at = line.later(at, *waiting, staff=True)
            visit = line.appointment(at, 5, 25)
            command = Move(target, {"planned_at": visit})
        elif target is S.RESOLVED:
            if visit is not None and current is S.REPAIR_PLANNED:
                at = max(visit + _hours(rng, 3, 30), at + timedelta(minutes=30))
                if urgency is not Urgency.ACUTE:
                    at = _office(at, rng)
            else:
                waiting = (15, 45) if current is S.REFERRED else (0.1, 3)
                at = line.later(at, *waiting, staff=True)
            at = steps.note(at, actor, rng.choice(texts.RESOLUTIONS), tenant=True)
            at = at + _minutes(rng, 1, 15)
        elif target is S.CLOSED:
            if rng.random() < 0.55:
                actor = TENANT
                at = _awake(at + _days(rng, 0.5, 10), rng)
                command = Confirm()
            else:
                actor = SYSTEM
                at = at + AUTO_CLOSE_AFTER + _minutes(rng, 0, 600)
                command = AutoClose()
        elif target is S.REJECTED:
            actor = _staff(rng, 0.5)
            at = line.later(at, 0.2, 4, staff=True)
            reasons = (
                texts.REJECTIONS_INSPECTED if current is S.INSPECTED else texts.REJECTIONS_ROUTED
            )
            reason, note = rng.choice(reasons)
            command = Move(target, {"reason": reason, "note": note})
        else:  # pragma: no cover - every transition of the sample paths is handled above
            raise AssertionError(f"no sample step for {current} -> {target}")
        if target not in PLANNED_VISIT_STATUSES and target is not S.ON_HOLD:
            visit = None
        at = steps.add(at, actor, command)
        at = assign(at, i)
        if target in (S.ACKNOWLEDGED, S.INSPECTED) and rng.random() < 0.3:
            at = steps.note(at + _minutes(rng, 10, 90), Role.INSPECTOR, rng.choice(texts.NOTES))
    return steps.items


def _shift(steps: list[Step], by: timedelta) -> list[Step]:
    """The same steps, moved by whole weeks of wall-clock time (office hours stay office hours)."""

    def move(command: Command) -> Command:
        if not isinstance(command, Move):
            return command
        fields = {k: v + by if isinstance(v, datetime) else v for k, v in command.fields.items()}
        return Move(command.to, fields)

    return [Step(step.at + by, step.actor, move(step.command)) for step in steps]


def _timed_steps(
    path: list[Status],
    category: Category,
    acute: bool,
    urgency: Urgency,
    now: datetime,
    rng: Random,
) -> list[Step]:
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


def plan_cases(now: datetime, seed: int = CASES_SEED) -> list[Plan]:
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
            Plan(
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
