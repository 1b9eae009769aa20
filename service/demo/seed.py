"""Load the demo: the region's corporations, a synthetic portfolio, demo staff and sample cases.

Everything is generated from fixed seeds, so every install gets the same homes, staff
and the same kind of cases; only the case times follow the clock, so that the sample
cases are always from the last four months. Loading is idempotent: corporations, homes
and staff that exist already are left alone (ON CONFLICT DO NOTHING), and sample cases
are only made while no synthetic case exists.

Sample cases get tracking tokens, and four demo users API tokens, derived from the
server's secret, so that `demo_tracking_link` and `demo_staff_tokens` can hand out
working credentials at every start.

The pieces: `homes` (the portfolio), `staff` (users and tokens), `cases` (the sample
cases as plans), `store` (the demo's SQL); this module puts them in the database, the
sample cases through the real actions and the change pipeline.
"""

# Seeded generators on purpose: the demo must be reproducible, and nothing here is secret.
# ruff: noqa: S311

import asyncio
import itertools
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from random import Random
from typing import Any, Literal

import asyncpg

from service.attachments import changes as attachment_changes
from service.attachments.processing import prepare_upload
from service.attachments.storage import ObjectStorage
from service.attachments.uploads import put_objects
from service.cases import actions
from service.cases.actions import close_without_reaction
from service.cases.schemas import (
    AssigneeIn,
    DamageItemIn,
    FindingsIn,
    NoteIn,
    RouteIn,
    TransitionIn,
)
from service.changes.pipeline import CaseAt, Pipeline, Subscriber
from service.db import Connection
from service.demo import store
from service.demo.cases import (
    CASES_SEED,
    MAX_CASE_AGE,
    MUNICIPALITY_CASE_WEIGHT,
    Assign,
    AutoClose,
    Confirm,
    Finding,
    Move,
    Note,
    Plan,
    Record,
    Reopen,
    Route,
    Step,
    plan_cases,
)
from service.demo.homes import Home, Portfolio, generate_portfolio
from service.demo.photos import damage_photo
from service.demo.places import CORPORATIONS
from service.demo.staff import (
    DemoStaff,
    demo_password,
    demo_staff_tokens,
    hash_demo_password,
    load_staff,
    missing_staff,
)
from service.domain.calendar import AMSTERDAM
from service.domain.events import TENANT
from service.domain.roles import Role
from service.domain.routing import RoutingReason
from service.domain.workflow import Status
from service.portfolio import store as portfolio
from service.reports.intake import file_report, tracking_url, validate_report
from service.reports.schemas import AddressIn, ReporterIn, ReportIn
from service.reports.tenant_actions import confirm, reopen, tenant_change
from service.reports.tokens import derived_tracking_token, token_hash, token_matches

__all__ = [
    "DemoSummary",
    "demo_password",
    "demo_staff_tokens",
    "demo_tracking_link",
    "generate_portfolio",
    "seed_demo",
    "seed_demo_if_empty",
]

DEMO_TOKEN_SALT = b"demo"
# Demo staff exist a while before the oldest sample case.
STAFF_AGE = MAX_CASE_AGE * 1.25
# Sample cases that get the tenant's photos (one or two each), those shown first.
PHOTO_CASES = 8

S = Status


@dataclass(frozen=True)
class DemoSummary:
    corporations: int  # demo corporations in the database
    corporations_added: int
    homes: int  # synthetic homes in the register
    homes_added: int
    staff: int  # demo users
    staff_added: int
    cases: int  # synthetic cases
    cases_added: int
    seconds: float = 0.0

    @property
    def added_anything(self) -> bool:
        return bool(
            self.corporations_added or self.homes_added or self.staff_added or self.cases_added
        )

    def __str__(self) -> str:
        counts = (
            f"{self.corporations} corporations ({self.corporations_added} new), "
            f"{self.homes:,} synthetic homes ({self.homes_added:,} new), "
            f"{self.staff} demo staff ({self.staff_added} new), "
            f"{self.cases} sample cases ({self.cases_added} new)"
        )
        if not self.added_anything:
            return f"demo data already loaded, nothing added: {counts}"
        return f"demo data loaded in {self.seconds:.1f} s: {counts}"


async def seed_demo(
    connection: Connection,
    secret_key: str,
    *,
    now: datetime | None = None,
    subscribers: Sequence[Subscriber] = (),
    storage: ObjectStorage | None = None,
) -> DemoSummary:
    """Load the demo data; a second run adds nothing (see DemoSummary's text).

    The sample cases' changes are handed to subscribers, like every change of a case. With a
    storage, some of the new sample cases get the tenant's photos.
    """
    async with connection.transaction():
        await store.lock_loading(connection)
        return await _seed(connection, secret_key, now or datetime.now(UTC), subscribers, storage)


async def seed_demo_if_empty(
    connection: Connection,
    secret_key: str,
    *,
    now: datetime | None = None,
    storage: ObjectStorage | None = None,
) -> DemoSummary | None:
    """Load the demo data into a database without corporations and cases; else do nothing."""
    async with connection.transaction():
        await store.lock_loading(connection)
        if not await store.is_empty(connection):
            return None
        return await _seed(connection, secret_key, now or datetime.now(UTC), storage=storage)


async def demo_tracking_link(
    connection: Connection, secret_key: str, public_base_url: str
) -> str | None:
    """A tracking link that opens a sample case: preferably an open, routed one with some history.

    None when there are no sample cases, or when they were made with another secret key.
    """
    for row in await store.sample_cases_to_show(connection):
        token = derived_tracking_token(secret_key, row["id"], DEMO_TOKEN_SALT)
        if token_matches(token, row["tracking_token_hash"]):
            return tracking_url(public_base_url.rstrip("/"), row["reference"], token)
    return None


async def _seed(
    connection: Connection,
    secret_key: str,
    now: datetime,
    subscribers: Sequence[Subscriber] = (),
    storage: ObjectStorage | None = None,
) -> DemoSummary:
    started = time.perf_counter()
    corporations_added = await store.load_corporations(connection)
    missing = await missing_staff(connection)
    # Hash the demo password (slow on purpose) while the homes are made and loaded.
    hashing = (
        asyncio.ensure_future(asyncio.to_thread(hash_demo_password, secret_key))
        if missing
        else None
    )
    try:
        generated = await asyncio.to_thread(generate_portfolio)
        homes_added = await store.load_homes(connection, generated.homes)
        password_hash = await hashing if hashing is not None else None
    finally:
        if hashing is not None:
            hashing.cancel()
    staff_added, staff = await load_staff(
        connection, secret_key, missing, password_hash, created_at=now - STAFF_AGE
    )
    cases_added = 0
    if not await store.has_sample_cases(connection):
        plans = await asyncio.to_thread(plan_cases, now)
        cases_added = await _load_cases(
            connection, plans, generated, secret_key, staff, subscribers
        )
        if storage is not None:
            await _add_photos(connection, storage, now, subscribers)
    counts = await store.counts(connection)
    return DemoSummary(
        corporations=counts["corporations"],
        corporations_added=corporations_added,
        homes=counts["homes"],
        homes_added=homes_added,
        staff=len(staff.by_email),
        staff_added=staff_added,
        cases=counts["cases"],
        cases_added=cases_added,
        seconds=time.perf_counter() - started,
    )


# --- sample cases ---------------------------------------------------------------


def _weighted_sample(
    rng: Random, items: Sequence[Any], weights: Sequence[float], count: int
) -> list[Any]:
    """count different items, drawn with the weights."""
    # Summed once: choices() would sum all 30,000 weights again for every draw.
    cumulative = list(itertools.accumulate(weights))
    chosen: dict[int, None] = {}
    while len(chosen) < min(count, len(items)):
        chosen.setdefault(rng.choices(range(len(items)), cum_weights=cumulative)[0], None)
    return [items[i] for i in chosen]


def _take(items: Iterator[Any], what: str) -> Any:
    try:
        return next(items)
    except StopIteration:
        raise RuntimeError(
            f"too few {what} for the sample cases; does the register hold other data?"
        ) from None


def _rejection(plan: Plan) -> Move | None:
    moves = [s.command for s in plan.steps if isinstance(s.command, Move)]
    return next((move for move in reversed(moves) if move.to is S.REJECTED), None)


async def _place_cases(
    connection: Connection, plans: list[Plan], generated: Portfolio, staff: DemoStaff
) -> None:
    """Give every plan a home: a registered one, or an address no corporation registered.

    Cases at a registered home are routed by intake; the others wait for triage, where some
    are routed to a corporation with demo staff (plan.route_to).
    """
    rng = Random(CASES_SEED + 1)
    registered_plans = [p for p in plans if p.registered]
    unregistered = [p for p in plans if not p.registered]

    # Homes for routed cases: more where the earth shakes most; only homes of a
    # corporation with demo staff (the register may hold other data too).
    weights = [MUNICIPALITY_CASE_WEIGHT.get(h.municipality_code, 1.0) for h in generated.homes]
    candidates: list[Home] = _weighted_sample(
        rng, generated.homes, weights, len(registered_plans) * 2
    )
    registered = await store.registered_homes(connection, [h.key for h in candidates])
    usable = iter(
        [
            h
            for h in candidates
            if h.key in registered and staff.has_team(registered[h.key]["corporation_code"])
        ]
    )
    for plan in registered_plans:
        rejection = _rejection(plan)
        is_duplicate = rejection is not None and rejection.fields["reason"] == "duplicate"
        earlier = [
            p
            for p in registered_plans
            if p.reported_at < plan.reported_at
            and p.home is not None
            and p.status is not S.REJECTED
        ]
        if is_duplicate and earlier:
            # The same home, so the same corporation.
            plan.duplicate_of = rng.choice(earlier)
            plan.home = plan.duplicate_of.home
        else:
            if is_duplicate:
                assert rejection is not None
                rejection.fields.update(
                    reason="withdrawn", note="Huurder heeft de melding ingetrokken."
                )
            plan.home = _take(usable, "registered demo homes")

    # Reports from homes no corporation registered: they wait in the triage queue.
    private = rng.sample(generated.private_homes, len(unregistered) * 2)
    taken = await store.registered_numbers(
        connection, [(h.postcode, h.house_number) for h in private]
    )
    free = iter([h for h in private if (h.postcode, h.house_number) not in taken])
    teams = sorted(code for code in (c.code for c in CORPORATIONS) if staff.has_team(code))
    for plan in unregistered:
        plan.private_home = _take(free, "unregistered demo addresses")
        if S.NEW in plan.path:
            # The coordinator routes it as triage suggests: most homes nearby.
            near = await portfolio.suggest_corporations(connection, plan.private_home.postcode)
            suggested = [
                s["corporation_code"] for s in near if staff.has_team(s["corporation_code"])
            ]
            plan.route_to = suggested[0] if suggested else rng.choice(teams)


def _report(plan: Plan) -> ReportIn:
    """What the tenant of the plan sends: the home's address (or its BAG id)."""
    if plan.home is not None and plan.routing is RoutingReason.BAG_ID and plan.home.bag_id:
        address = AddressIn(bag_id=plan.home.bag_id)
    elif plan.home is not None:
        address = AddressIn(
            postcode=plan.home.postcode,
            house_number=plan.home.house_number,
            house_letter=plan.home.house_letter or None,
            addition=plan.home.addition or None,
        )
    else:
        assert plan.private_home is not None
        address = AddressIn(
            postcode=plan.private_home.postcode, house_number=plan.private_home.house_number
        )
    return ReportIn(
        category=plan.category,
        description=plan.description,
        address=address,
        reporter=ReporterIn(name=plan.reporter_name, email=plan.reporter_email, language="nl"),
        acute=plan.acute,
        noticed_on=plan.noticed_on,
    )


def _findings(finding: Finding) -> FindingsIn:
    return FindingsIn(
        items=[
            DamageItemIn(
                location=item.location,
                kind=item.kind,
                damage_class=item.damage_class,
                crack_width_mm=item.crack_width_mm,
                description=item.description,
            )
            for item in finding.items
        ],
        acute=finding.acute,
        earthquake_cause=finding.earthquake_cause,
        summary=finding.summary,
    )


class _Clock:
    """The pipeline's clock while the demo loads: the moment of the step carried out."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


async def _carry_out(
    connection: Connection,
    pipeline: Pipeline,
    plan: Plan,
    step: Step,
    staff: DemoStaff,
    token: str,
) -> None:
    """One step of a sample case, through the same action the service offers for it."""
    corporation = plan.home.corporation_code if plan.home is not None else plan.route_to
    command = step.command
    if isinstance(command, Confirm | Reopen):
        decide = confirm() if isinstance(command, Confirm) else reopen(command.reason)
        await tenant_change(connection, pipeline, plan.reference, token, decide)
        return
    if isinstance(command, AutoClose):
        await pipeline.run(connection, CaseAt(plan.reference), close_without_reaction())
        return
    assert isinstance(step.actor, Role)  # the tenant and the system acted above
    member = staff.member(step.actor, corporation)
    match command:
        case Route():
            assert plan.route_to is not None
            decide = actions.route(member, RouteIn(corporation=plan.route_to))
        case Move(to=to, fields=fields):
            if to is S.REJECTED and plan.duplicate_of is not None:
                fields = fields | {"duplicate_of": plan.duplicate_of.reference}
            decide = actions.transition(member, TransitionIn(to=to, **fields))
        case Note(text=text, for_tenant=for_tenant):
            visibility: Literal["internal", "tenant"] = "tenant" if for_tenant else "internal"
            decide = actions.note(member, NoteIn(text, visibility))
        case Record(finding=finding):
            decide = actions.findings(member, _findings(finding))
        case Assign():
            assert corporation is not None
            decide = actions.assign(member, AssigneeIn(staff.inspector(corporation).id))
        case _:
            raise AssertionError(f"no action for {command!r}")
    await pipeline.run(connection, CaseAt(plan.reference), decide)


async def _add_photos(
    connection: Connection,
    storage: ObjectStorage,
    now: datetime,
    subscribers: Sequence[Subscriber],
) -> None:
    """The tenant's photos of the damage, added today to the sample cases shown first (the
    sample tracking link's among them), through the same change as a tenant's upload.

    The objects' notes are written in the demo's transaction: if it fails, the objects it
    wrote stay in the store without them.
    """
    pipeline = Pipeline(clock=lambda: now, subscribers=subscribers)
    shown = await store.sample_cases_to_show(connection)
    for n, case in enumerate(shown[:PHOTO_CASES]):
        for k in range(1 + n % 2):
            drawn = await asyncio.to_thread(damage_photo, n * 10 + k)
            prepared = await asyncio.to_thread(prepare_upload, drawn, False)
            attachment_id, _ = await put_objects(connection, storage, prepared, now)
            decide = attachment_changes.add(
                attachment_id, prepared, TENANT, visible_to_tenant=True, check=_as_planned
            )
            await pipeline.run(connection, CaseAt(case["reference"]), decide)


async def _as_planned(connection: Connection, case: asyncpg.Record, now: datetime) -> None:
    """The demo adds its photos whatever the case's status."""


async def _load_cases(
    connection: Connection,
    plans: list[Plan],
    generated: Portfolio,
    secret_key: str,
    staff: DemoStaff,
    subscribers: Sequence[Subscriber],
) -> int:
    """Carry out every step of every plan at its moment, in the order they were reported."""
    await _place_cases(connection, plans, generated, staff)
    clock = _Clock(plans[0].reported_at)
    pipeline = Pipeline(clock=clock, subscribers=subscribers)
    for plan in plans:
        token = derived_tracking_token(secret_key, plan.id, DEMO_TOKEN_SALT)
        report, *steps = plan.steps
        clock.moment = report.at
        filed = await file_report(
            connection,
            pipeline,
            validate_report(_report(plan), report.at.astimezone(AMSTERDAM).date()),
            case_id=plan.id,
            tracking_token_hash=token_hash(token),
            tracking_salt=DEMO_TOKEN_SALT,
            synthetic=True,
        )
        plan.reference = filed.reference
        for step in steps:
            clock.moment = step.at
            await _carry_out(connection, pipeline, plan, step, staff, token)
    return len(plans)
