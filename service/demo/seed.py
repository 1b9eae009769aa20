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
cases as plans); this module puts them in the database.
"""

# Seeded generators on purpose: the demo must be reproducible, and nothing here is secret.
# ruff: noqa: S311

import asyncio
import json
import time
from collections.abc import Iterator, Sequence
from dataclasses import astuple, dataclass
from datetime import UTC, datetime
from random import Random
from typing import Any

import asyncpg

from service.demo.cases import (
    CASES_SEED,
    MAX_CASE_AGE,
    MUNICIPALITY_CASE_WEIGHT,
    SYSTEM,
    TENANT,
    Plan,
    Step,
    case_state,
    plan_cases,
)
from service.demo.homes import (
    Home,
    Portfolio,
    generate_portfolio,
    load_corporations,
    load_homes,
    registered_homes,
    registered_numbers,
)
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
from service.domain.roles import Role
from service.domain.routing import RoutingReason
from service.domain.workflow import Status
from service.portfolio import store as portfolio
from service.reports.intake import tracking_url
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
# Serialises concurrent loaders (several replicas starting on an empty database).
SEED_LOCK_KEY = 0x5C4ADE + 1
# Demo staff exist a while before the oldest sample case.
STAFF_AGE = MAX_CASE_AGE * 1.25

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
    corporations_added = await load_corporations(connection)
    missing = await missing_staff(connection)
    # Hash the demo password (slow on purpose) while the homes are made and loaded.
    hashing = (
        asyncio.ensure_future(asyncio.to_thread(hash_demo_password, secret_key))
        if missing
        else None
    )
    try:
        generated = await asyncio.to_thread(generate_portfolio)
        homes_added = await load_homes(connection, generated.homes)
        password_hash = await hashing if hashing is not None else None
    finally:
        if hashing is not None:
            hashing.cancel()
    staff_added, staff = await load_staff(
        connection, secret_key, missing, password_hash, created_at=now - STAFF_AGE
    )
    cases_added = 0
    if not await connection.fetchval("SELECT EXISTS (SELECT 1 FROM cases WHERE synthetic)"):
        plans = await asyncio.to_thread(plan_cases, now)
        cases_added = await _load_cases(connection, plans, generated, secret_key, staff)
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
    chosen: dict[int, None] = {}
    while len(chosen) < min(count, len(items)):
        chosen.setdefault(rng.choices(range(len(items)), weights)[0], None)
    return [items[i] for i in chosen]


def _take(items: Iterator[Any], what: str) -> Any:
    try:
        return next(items)
    except StopIteration:
        raise RuntimeError(
            f"too few {what} for the sample cases; does the register hold other data?"
        ) from None


def _rejection(plan: Plan) -> Step | None:
    return next((s for s in reversed(plan.steps) if s.to_status is S.REJECTED), None)


async def _place_cases(
    connection: asyncpg.Connection, plans: list[Plan], generated: Portfolio, staff: DemoStaff
) -> dict[tuple[str, int, str, str], asyncpg.Record]:
    """Give every plan a home (routed) or an unregistered address (never routed).

    Returns the registered homes of the routed plans, by address.
    """
    rng = Random(CASES_SEED + 1)
    unrouted = [p for p in plans if p.never_routed]
    routed = [p for p in plans if not p.never_routed]

    # Homes for routed cases: more where the earth shakes most; only homes of a
    # corporation with demo staff (the register may hold other data too).
    weights = [MUNICIPALITY_CASE_WEIGHT.get(h.municipality_code, 1.0) for h in generated.homes]
    candidates: list[Home] = _weighted_sample(rng, generated.homes, weights, len(routed) * 2)
    registered = await registered_homes(connection, [h.key for h in candidates])
    usable = iter(
        [
            h
            for h in candidates
            if h.key in registered and staff.has_team(registered[h.key]["corporation_code"])
        ]
    )
    by_key: dict[tuple[str, int, str, str], asyncpg.Record] = {}
    for plan in routed:
        rejection = _rejection(plan)
        is_duplicate = rejection is not None and rejection.data["reason"] == "duplicate"
        earlier = [
            p
            for p in routed
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
                rejection.data.update(
                    reason="withdrawn", note="Huurder heeft de melding ingetrokken."
                )
            plan.home = _take(usable, "registered demo homes")
        assert plan.home is not None
        by_key[plan.home.key] = registered[plan.home.key]

    # Reports from homes no corporation registered: they wait in the triage queue.
    private = rng.sample(generated.private_homes, len(unrouted) * 2)
    taken = await registered_numbers(connection, [(h.postcode, h.house_number) for h in private])
    free = iter([h for h in private if (h.postcode, h.house_number) not in taken])
    for plan in unrouted:
        plan.private_home = _take(free, "unregistered demo addresses")
    return by_key


async def _load_cases(
    connection: asyncpg.Connection,
    plans: list[Plan],
    generated: Portfolio,
    secret_key: str,
    staff: DemoStaff,
) -> int:
    by_key = await _place_cases(connection, plans, generated, staff)

    numbers = await connection.fetchval(
        """
        SELECT array_agg(n ORDER BY n)
        FROM (SELECT nextval('case_reference_seq') AS n FROM generate_series(1, $1)) s
        """,
        len(plans),
    )
    for plan, number in zip(plans, numbers, strict=True):
        # The year in the reference is the Dutch calendar year of the report.
        plan.reference = f"SCH-{plan.reported_at.astimezone(AMSTERDAM).year}-{number:06d}"

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

    finding_count = sum(1 for p in plans for s in p.steps if s.finding is not None)
    finding_ids = iter(
        await connection.fetchval(
            """
            SELECT coalesce(array_agg(n ORDER BY n), '{}')
            FROM (SELECT nextval(pg_get_serial_sequence('case_findings', 'id')) AS n
                  FROM generate_series(1, $1)) s
            """,
            finding_count,
        )
    )

    case_records = []
    event_records = []
    finding_records = []
    item_records = []
    for plan in plans:
        home = by_key[plan.home.key] if plan.home is not None else None
        code = home["corporation_code"] if home is not None else None
        typed_postcode = plan.private_home.postcode if plan.private_home else plan.home.postcode
        suggestions = (
            await portfolio.suggest_corporations(connection, typed_postcode)
            if plan.path[0] is S.UNROUTED
            else []
        )
        assignee_id = finding_id = None
        for seq, step in enumerate(plan.steps, 1):
            if step.actor in (TENANT, SYSTEM):
                actor, actor_id = step.actor, None
            else:
                member = staff.member(Role(step.actor), code)
                actor, actor_id = member.display_name, member.id
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
                if step.from_status is S.UNROUTED:
                    step.data["added_to_portfolio"] = False
            elif step.kind == "unrouted":
                step.data.update(reason=RoutingReason.NO_MATCH, suggestions=suggestions)
            elif step.kind == "assigned":
                assert code is not None
                inspector = staff.inspector(code)
                assignee_id = inspector.id
                step.data.update(assignee_id=inspector.id, assignee_name=inspector.name)
            elif step.finding is not None:
                assert home is not None
                assert actor_id is not None
                finding_id = next(finding_ids)
                step.data = {"finding_id": finding_id, **step.data}
                finding = step.finding
                finding_records.append(
                    (
                        finding_id,
                        plan.id,
                        home["corporation_id"],
                        step.at,
                        actor_id,
                        finding.acute,
                        finding.earthquake_cause,
                        finding.summary,
                    )
                )
                item_records += [
                    (finding_id, position, *astuple(item))
                    for position, item in enumerate(finding.items, 1)
                ]
            elif step.to_status is S.INSPECTED:
                # Marked inspected by recording the findings just before.
                step.data = {"finding_id": finding_id}
            if step.to_status is S.REJECTED and plan.duplicate_of is not None:
                step.data["duplicate_of"] = plan.duplicate_of.reference
            event_records.append(
                (
                    plan.id,
                    seq,
                    step.at,
                    actor,
                    actor_id,
                    step.kind,
                    step.from_status,
                    step.to_status,
                    step.public,
                    json.dumps(step.data, default=_json_default, ensure_ascii=False),
                )
            )
        case_records.append(
            _case_record(plan, home, reporter_ids[plan.reporter_email], assignee_id, secret_key)
        )

    await connection.copy_records_to_table("cases", records=case_records, columns=CASE_COLUMNS)
    await connection.copy_records_to_table(
        "case_findings",
        records=finding_records,
        columns=(
            "id",
            "case_id",
            "corporation_id",
            "recorded_at",
            "recorded_by",
            "acute",
            "earthquake_cause",
            "summary",
        ),
    )
    await connection.copy_records_to_table(
        "damage_items",
        records=item_records,
        columns=(
            "finding_id",
            "position",
            "location",
            "kind",
            "damage_class",
            "crack_width_mm",
            "description",
        ),
    )
    await connection.executemany(
        """
        INSERT INTO case_events (case_id, seq, at, actor, actor_user_id, kind,
                                 from_status, to_status, public, data)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text::jsonb)
        """,
        event_records,
    )
    return len(plans)


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()  # with its offset, as the service writes planned_at
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
    "assignee_id",
    "acknowledged_at",
    "inspected_at",
    "resolved_at",
    "planned_at",
    "referred_to",
    "external_reference",
    "on_hold_since",
    "on_hold_previous_status",
    "rejection_reason",
    "duplicate_of",
)


def _version(plan: Plan) -> int:
    """1 for the report (and its routing), plus one for every change after it.

    Recording the findings of a planned inspection is one change with two events.
    """
    changes = [
        step
        for step in plan.steps[2:]
        if not (step.to_status is S.INSPECTED and step.from_status is S.INSPECTION_PLANNED)
    ]
    return 1 + len(changes)


def _case_record(
    plan: Plan,
    home: asyncpg.Record | None,
    reporter_id: int,
    assignee_id: int | None,
    secret_key: str,
) -> tuple[Any, ...]:
    state = case_state(plan)
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
        state.deadlines.acknowledge_by,
        state.deadlines.inspect_by,
        state.deadlines.resolve_by,
        plan.reported_at,
        plan.steps[-1].at,
        state.closed_at,
        _version(plan),
        len(plan.steps),
        True,
        assignee_id,
        state.acknowledged_at,
        state.inspected_at,
        state.resolved_at,
        state.planned_at,
        state.referred_to,
        state.external_reference,
        state.on_hold_since,
        state.on_hold_previous_status,
        state.rejection_reason,
        plan.duplicate_of.id if plan.duplicate_of is not None else None,
    )
