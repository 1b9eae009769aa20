"""Fill a database with N synthetic cases, fast: `python -m bench.fill DATABASE_URL --cases N`.

The corporations and the 32k homes of the demo portfolio (service.demo.homes) come first;
then N reporters and N cases stream through COPY in one transaction with
`session_replication_role = replica` (no triggers, no FK checks) and with the secondary
indexes of `cases` dropped and rebuilt afterwards. Because the BEFORE trigger
`cases_next_deadline` does not run, this loader computes next_stage / next_deadline_at /
next_at_risk_at itself, by the trigger's rule; `verify()` re-derives them with the real
trigger on a sample (an UPDATE rolled back) and compares. The dashboard counters are
rebuilt at the end with `rebuild_case_counters()`.

The spread: 10 corporations of uneven size, the demo's 10 municipalities, reports over
8 years (recent years denser), most old cases closed and most recent ones open, ~3% from
homes no corporation registered (unrouted while open), ~3% acute.
"""

# A seeded generator on purpose: the data must be reproducible, and nothing here is secret.
# ruff: noqa: S311

import argparse
import asyncio
import math
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from random import Random
from typing import Any

import asyncpg

from service import db
from service.demo.homes import generate_portfolio
from service.demo.store import load_corporations, load_homes
from service.domain.calendar import AMSTERDAM, working_days_deadline
from service.domain.sla import AT_RISK_FRACTION, STAGE_OF_STATUS, deadlines_for

YEARS = 8
CHUNK = 50_000
# Share of the cases per corporation: uneven, like the region.
CORPORATION_WEIGHTS = {
    "lefier": 30,
    "wierden-en-borgen": 18,
    "acantus": 14,
    "groninger-huis": 10,
    "nijestee": 9,
    "patrimonium": 6,
    "de-huismeesters": 5,
    "goud-wonen": 4,
    "woonzorg-nederland": 2.5,
    "wold-en-waard": 1.5,
}
PRIVATE_SHARE = 0.03  # reports from homes no corporation registered
ACUTE_SHARE = 0.03
CATEGORIES = (("crack", 60), ("subsidence", 15), ("unsafe_situation", 10), ("other", 15))
OPEN_STATUSES = (
    ("new", 15),
    ("acknowledged", 15),
    ("inspection_planned", 15),
    ("inspected", 10),
    ("repair_planned", 15),
    ("referred", 12),
    ("on_hold", 8),
    ("resolved", 10),
)
HOLD_FROM = ("new", "acknowledged", "inspection_planned", "repair_planned", "referred")
DESCRIPTIONS = (
    "Scheur in de muur van de woonkamer, boven het raam.",
    "Trapsgewijze scheur in de buitenmuur aan de achterkant.",
    "Deur klemt sinds de laatste beving, vloer lijkt te zakken.",
    "Tegels in de badkamer gescheurd en losgekomen.",
    "Schoorsteen staat scheef, stenen liggen los.",
    "Crack in the bedroom ceiling, getting wider.",
    "Scheuren in de fundering zichtbaar in de kruipruimte.",
    "Kozijn is vervormd, raam gaat niet meer dicht.",
)

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
    "acknowledged_at",
    "inspected_at",
    "resolved_at",
    "planned_at",
    "referred_to",
    "external_reference",
    "on_hold_since",
    "on_hold_previous_status",
    "rejection_reason",
    "next_stage",
    "next_deadline_at",
    "next_at_risk_at",
)
REPORTER_COLUMNS = ("id", "name", "email", "phone", "language", "created_at")


def _open_probability(age_days: float) -> float:
    if age_days < 30:
        return 0.95
    if age_days < 90:
        return 0.8
    if age_days < 365:
        return 0.55
    if age_days < 730:
        return 0.25
    if age_days < 1460:
        return 0.08
    return 0.03


class _Deadlines:
    """deadlines_for(), cached per urgency and Amsterdam day (working-day windows), in UTC."""

    def __init__(self) -> None:
        self._days: dict[tuple[date, int], datetime] = {}

    def _working(self, moment: datetime, day: date, count: int) -> datetime:
        key = (day, count)
        found = self._days.get(key)
        if found is None:
            found = self._days[key] = working_days_deadline(moment, count).astimezone(UTC)
        return found

    def __call__(self, urgency: str, reported: datetime) -> tuple[datetime, datetime, datetime]:
        day = reported.astimezone(AMSTERDAM).date()
        if urgency == "acute":
            return (
                reported + timedelta(hours=4),
                reported + timedelta(hours=24),
                self._working(reported, day, 5),
            )
        windows = (1, 5, 30) if urgency == "high" else (2, 15, 60)
        ack, inspect, resolve = (self._working(reported, day, n) for n in windows)
        return ack, inspect, resolve


def next_deadline_columns(
    status: str, reported: datetime, ack: datetime, inspect: datetime, resolve: datetime
) -> tuple[str | None, datetime | None, datetime | None]:
    """What the trigger cases_next_deadline (migration 0002) stores, for a UTC session."""
    stage = STAGE_OF_STATUS.get(status)
    if stage is None:
        return None, None, None
    due = {"acknowledge": ack, "inspect": inspect, "resolve": resolve}[stage]
    return str(stage), due, due - (due - reported) * AT_RISK_FRACTION


class Generator:
    """Rows for reporters and cases, from a seed; times are whole seconds in UTC."""

    def __init__(
        self,
        seed: int,
        now: datetime,
        homes: dict[int, list[asyncpg.Record]],
        private_homes: list[Any],
        first_reporter_id: int,
        first_reference: int,
    ) -> None:
        self.rng = Random(seed)
        self.now = now.replace(microsecond=0)
        self.span = YEARS * 365 * 86400
        self.start = self.now - timedelta(seconds=self.span)
        self.corporations = list(homes)
        self.homes = homes
        codes = {cid: rows[0]["corporation_code"] for cid, rows in homes.items()}
        self.weights = [CORPORATION_WEIGHTS.get(codes[cid], 1.0) for cid in self.corporations]
        self.private = private_homes
        self.reporter_id = first_reporter_id
        self.reference = first_reference
        self.deadlines = _Deadlines()
        self.categories = [c for c, _ in CATEGORIES]
        self.category_weights = [w for _, w in CATEGORIES]
        self.open_statuses = [s for s, _ in OPEN_STATUSES]
        self.open_weights = [w for _, w in OPEN_STATUSES]
        self.checked = 0

    def _reported_at(self) -> datetime:
        # Density grows linearly from 1 (8 years ago) to 3 (now): inverse of F(x) = (x + x^2)/2.
        u = self.rng.random()
        x = (-1 + math.sqrt(1 + 8 * u)) / 2
        return self.start + timedelta(seconds=int(x * self.span))

    def chunk(self, count: int) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        reporters = []
        cases = []
        for _ in range(count):
            reporter, case = self.one()
            reporters.append(reporter)
            cases.append(case)
        return reporters, cases

    def one(self) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
        rng = self.rng
        now = self.now
        reported = self._reported_at()
        age = (now - reported).total_seconds()
        age_days = age / 86400
        category = rng.choices(self.categories, self.category_weights)[0]
        acute = rng.random() < ACUTE_SHARE
        urgency = (
            "acute"
            if acute
            else "high"
            if category in ("unsafe_situation", "subsidence")
            else "normal"
        )
        ack, inspect, resolve = self.deadlines(urgency, reported)
        if self.checked < 200:  # the cache gives what the service computes
            expected = deadlines_for(urgency, reported)  # type: ignore[arg-type]
            assert (ack, inspect, resolve) == (
                expected.acknowledge_by,
                expected.inspect_by,
                expected.resolve_by,
            )
            self.checked += 1

        private = rng.random() < PRIVATE_SHARE
        if private:
            place = self.private[rng.randrange(len(self.private))]
            corporation_id = address_id = bag_id = None
            postcode, number, letter, addition = place.postcode, place.house_number, "", ""
            street, city, municipality = place.street, place.city, place.municipality_code
        else:
            corporation_id = rng.choices(self.corporations, self.weights)[0]
            home = rng.choice(self.homes[corporation_id])
            address_id = home["id"]
            bag_id = home["bag_id"]
            postcode, number = home["postcode"], home["house_number"]
            letter, addition = home["house_letter"], home["addition"]
            street, city, municipality = home["street"], home["city"], home["municipality_code"]

        acknowledged_at = inspected_at = resolved_at = closed_at = planned_at = None
        referred_to = external_reference = on_hold_since = on_hold_previous = None
        rejection_reason = None
        is_open = rng.random() < _open_probability(age_days)

        def after(start: datetime, low_days: float, high_days: float) -> datetime:
            """A moment low..high days after start, but not after now."""
            moment = start + timedelta(seconds=int(rng.uniform(low_days, high_days) * 86400))
            return min(moment, now)

        if not is_open:
            if private or rng.random() < 0.12:
                status = "rejected"
                rejection_reason = (
                    "not_our_home" if private else rng.choice(("not_damage", "withdrawn"))
                )
                if private:
                    corporation_id = None
                closed_at = after(reported, 1, 30)
            else:
                status = "closed"
                acknowledged_at = after(reported, 0.05, 2)
                inspected_at = after(acknowledged_at, 2, 30)
                resolved_at = after(inspected_at, 5, 120)
                closed_at = min(resolved_at + timedelta(days=14), now)
            updated = closed_at
        elif private:
            status = "unrouted"
            updated = reported
        else:
            status = rng.choices(self.open_statuses, self.open_weights)[0]
            spent = max(age_days, 0.01)
            updated = reported
            if status != "new":
                acknowledged_at = after(reported, 0, min(2, spent))
                updated = acknowledged_at
            if status == "on_hold":
                on_hold_previous = rng.choice(HOLD_FROM)
                on_hold_since = after(reported, 0, spent)
                updated = on_hold_since
                if on_hold_previous == "new":
                    acknowledged_at = None
            elif status in ("inspected", "repair_planned", "referred", "resolved"):
                inspected_at = after(acknowledged_at, 0, spent / 2)  # type: ignore[arg-type]
                updated = inspected_at
            if status in ("inspection_planned", "repair_planned"):
                planned_at = updated + timedelta(days=rng.randint(1, 21))
            elif status == "referred":
                referred_to = "IMG" if rng.random() < 0.8 else "NCG"
                external_reference = f"{referred_to}-{rng.randrange(10**7):07d}"
            elif status == "resolved":
                resolved_at = after(inspected_at, 0, 14)  # type: ignore[arg-type]
                updated = resolved_at

        stage, due, at_risk = next_deadline_columns(status, reported, ack, inspect, resolve)
        reporter_id = self.reporter_id
        self.reporter_id += 1
        reference = f"SCH-{reported.astimezone(AMSTERDAM).year}-{self.reference:06d}"
        self.reference += 1
        email = f"huurder{reporter_id}@example.nl" if rng.random() < 0.85 else None
        phone = f"06{rng.randrange(10**8):08d}" if email is None or rng.random() < 0.5 else None
        reporter = (
            reporter_id,
            f"Huurder {reporter_id}",
            email,
            phone,
            "nl" if rng.random() < 0.92 else "en",
            reported,
        )
        case = (
            uuid.UUID(int=rng.getrandbits(128), version=4),
            reference,
            category,
            acute,
            urgency,
            DESCRIPTIONS[rng.randrange(len(DESCRIPTIONS))],
            (reported - timedelta(days=rng.randint(0, 30))).date() if rng.random() < 0.6 else None,
            status,
            corporation_id,
            address_id,
            bag_id,
            postcode,
            number,
            letter,
            addition,
            street,
            city,
            municipality,
            reporter_id,
            rng.randbytes(32),
            ack,
            inspect,
            resolve,
            reported,
            updated,
            closed_at,
            1,
            0,
            # Not flagged synthetic: `serve` scans the synthetic cases for a demo link.
            False,
            acknowledged_at,
            inspected_at,
            resolved_at,
            planned_at,
            referred_to,
            external_reference,
            on_hold_since,
            on_hold_previous,
            rejection_reason,
            stage,
            due,
            at_risk,
        )
        return reporter, case


async def _homes(connection: asyncpg.Connection) -> dict[int, list[asyncpg.Record]]:
    rows = await connection.fetch(
        """
        SELECT a.id, a.corporation_id, c.code AS corporation_code, a.bag_id, a.postcode,
               a.house_number, a.house_letter, a.addition, a.street, a.city, a.municipality_code
        FROM addresses a JOIN corporations c ON c.id = a.corporation_id
        WHERE a.synthetic AND c.active
        ORDER BY a.id
        """
    )
    homes: dict[int, list[asyncpg.Record]] = {}
    for row in rows:
        homes.setdefault(row["corporation_id"], []).append(row)
    return homes


async def load_portfolio(connection: asyncpg.Connection) -> Any:
    """The demo corporations and homes (idempotent); returns the generated portfolio."""
    portfolio = await asyncio.to_thread(generate_portfolio)
    async with connection.transaction():
        await load_corporations(connection)
        await load_homes(connection, portfolio.homes)
    return portfolio


async def _reserve(connection: asyncpg.Connection, sequence: str, count: int) -> int:
    """The first of count numbers taken from sequence (this loader runs alone)."""
    first = await connection.fetchval("SELECT nextval($1::regclass)", sequence)
    await connection.execute("SELECT setval($1::regclass, $2)", sequence, first + count)
    return first


async def fill(
    url: str,
    cases: int,
    *,
    seed: int = 4,
    now: datetime | None = None,
    log: Any = print,
) -> dict[str, float]:
    """Add `cases` synthetic cases (and their reporters) to the database at url."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    connection = await db.connect(url)
    try:
        await db.migrate(connection)
        portfolio = await load_portfolio(connection)
        homes = await _homes(connection)
        timings["portfolio_s"] = time.perf_counter() - started
        first_reporter = await _reserve(connection, "reporters_id_seq", cases)  # identity sequence
        first_reference = await _reserve(connection, "case_reference_seq", cases)
        generator = Generator(
            seed,
            now or datetime.now(UTC),
            homes,
            portfolio.private_homes,
            first_reporter,
            first_reference,
        )
        load_started = time.perf_counter()
        generate_s = 0.0
        async with connection.transaction():
            await connection.execute("SET LOCAL session_replication_role = replica")
            await connection.execute("SET LOCAL maintenance_work_mem = '1GB'")
            await connection.execute("SET LOCAL synchronous_commit = off")
            indexes = await connection.fetch(
                """
                SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS sql
                FROM pg_index i
                WHERE i.indrelid = 'cases'::regclass
                  AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.indexrelid)
                """
            )
            for index in indexes:
                await connection.execute(f"DROP INDEX {index['name']}")
            done = 0
            while done < cases:
                count = min(CHUNK, cases - done)
                t0 = time.perf_counter()
                reporters, rows = generator.chunk(count)
                generate_s += time.perf_counter() - t0
                await connection.copy_records_to_table(
                    "reporters", records=reporters, columns=REPORTER_COLUMNS
                )
                await connection.copy_records_to_table("cases", records=rows, columns=CASE_COLUMNS)
                done += count
                if done % 200_000 == 0 or done == cases:
                    log(f"  {done:,} cases copied ({time.perf_counter() - load_started:.0f} s)")
            timings["generate_s"] = generate_s
            timings["copy_s"] = time.perf_counter() - load_started
            t0 = time.perf_counter()
            for index in indexes:
                await connection.execute(index["sql"])
            timings["indexes_s"] = time.perf_counter() - t0
            t0 = time.perf_counter()
            await connection.execute("SELECT rebuild_case_counters()")
            timings["counters_s"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        await connection.execute("VACUUM (ANALYZE) cases")
        await connection.execute("VACUUM (ANALYZE) reporters")
        await connection.execute("ANALYZE case_counts")
        await connection.execute("ANALYZE case_days")
        timings["vacuum_s"] = time.perf_counter() - t0
        timings["total_s"] = time.perf_counter() - started
    finally:
        await connection.close()
    return timings


VERIFY_SQL = """
    WITH sample AS (
        SELECT id, next_stage, next_deadline_at, next_at_risk_at FROM cases
        TABLESAMPLE BERNOULLI ($1) REPEATABLE (42)
    ),
    derived AS (
        UPDATE cases c SET status = c.status FROM sample s WHERE c.id = s.id
        RETURNING c.id, c.next_stage, c.next_deadline_at, c.next_at_risk_at
    )
    SELECT count(*) AS checked,
           count(*) FILTER (
               WHERE (s.next_stage, s.next_deadline_at, s.next_at_risk_at)
                     IS DISTINCT FROM (d.next_stage, d.next_deadline_at, d.next_at_risk_at)
           ) AS differing
    FROM sample s JOIN derived d USING (id)
"""


async def verify(url: str, percent: float = 1.0) -> dict[str, int]:
    """Re-derive the next_* columns with the real trigger on a sample; rolled back.

    Also checks that the counters equal a fresh rebuild (the counters compare by sum).
    """
    connection = await db.connect(url)  # a UTC session, like the service's
    try:
        tr = connection.transaction()
        await tr.start()
        try:
            row = await connection.fetchrow(VERIFY_SQL, percent)
        finally:
            await tr.rollback()
        counts = await connection.fetchrow(
            """
            SELECT count(*) AS cases,
                   count(*) FILTER (WHERE case_is_open(status)) AS open,
                   count(*) FILTER (WHERE status = 'unrouted') AS unrouted,
                   count(*) FILTER (WHERE acute) AS acute,
                   (SELECT sum(open_cases) FROM case_counts WHERE dimension = 'status') AS counted_open
            FROM cases
            """
        )
        return {**dict(row), **dict(counts)}
    finally:
        await connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database_url")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()
    timings = asyncio.run(fill(args.database_url, args.cases, seed=args.seed))
    print({k: round(v, 1) for k, v in timings.items()})
    print(asyncio.run(verify(args.database_url)))


if __name__ == "__main__":
    main()
