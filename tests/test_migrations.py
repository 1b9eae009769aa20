"""The migrations runner: ordered, checksummed, safe when replicas start at once."""

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from service import db


async def test_two_runners_at_once_apply_each_migration_exactly_once(make_database):
    url = await make_database()
    first, second = await db.connect(url), await db.connect(url)
    try:
        applied_a, applied_b = await asyncio.gather(db.migrate(first), db.migrate(second))
        every = [m.name for m in db.load_migrations()]
        # One runner did all the work; the other waited for the lock and found nothing to do.
        assert sorted([applied_a, applied_b], key=len) == [[], every]
        rows = await first.fetch("SELECT version, count(*) FROM schema_migrations GROUP BY version")
        assert all(row["count"] == 1 for row in rows)
        assert len(rows) == len(every)
    finally:
        await first.close()
        await second.close()


async def test_many_runners_at_once(make_database):
    url = await make_database()
    connections = [await db.connect(url) for _ in range(5)]
    try:
        results = await asyncio.gather(*(db.migrate(c) for c in connections))
        assert sum(len(r) for r in results) == len(db.load_migrations())
    finally:
        for connection in connections:
            await connection.close()


def _copy_migrations(target: Path, below: int | None = None) -> None:
    """The landed migrations in target; only those numbered below `below` when given."""
    target.mkdir()
    for migration in db.load_migrations():
        if below is None or migration.version < below:
            (target / migration.name).write_text(migration.sql)


async def _lefier_and_a_reporter(connection) -> tuple[int, int]:
    corporation = await connection.fetchval(
        "INSERT INTO corporations (code, name) VALUES ('lefier', 'Lefier') RETURNING id"
    )
    reporter = await connection.fetchval(
        "INSERT INTO reporters (name, email) VALUES ('A', 'a@example.nl') RETURNING id"
    )
    return corporation, reporter


async def _old_case(
    connection, number: int, status: str, corporation: int | None, reporter: int, closed_ago
) -> None:
    """A case as an older schema stored it; closed closed_ago before now (None: not closed)."""
    await connection.execute(
        """
        INSERT INTO cases (reference, category, acute, urgency, description, status,
            corporation_id, postcode, house_number, reporter_id, tracking_token_hash,
            acknowledge_by, inspect_by, resolve_by, closed_at)
        VALUES ($1, 'crack', false, 'normal', 'x', $2, $3, '9711AB', 1, $4,
            sha256('t'::bytea), now(), now(), now(), now() - $5::interval)
        """,
        f"SCH-2026-{number:06d}",
        status,
        corporation,
        reporter,
        closed_ago,
    )


async def test_a_changed_landed_migration_is_refused(make_database, tmp_path):
    url = await make_database()
    folder = tmp_path / "migrations"
    _copy_migrations(folder)
    connection = await db.connect(url)
    try:
        await db.migrate(connection, folder)
        first = sorted(folder.glob("*.sql"))[0]
        first.write_text(first.read_text() + "\n-- edited after landing\n")
        with pytest.raises(db.MigrationError, match="changed after it was applied"):
            await db.migrate(connection, folder)
    finally:
        await connection.close()


async def test_a_failing_migration_leaves_no_trace(make_database, tmp_path):
    url = await make_database()
    folder = tmp_path / "migrations"
    _copy_migrations(folder)
    (folder / "9998_good.sql").write_text("CREATE TABLE scratch_good (id int);")
    (folder / "9999_bad.sql").write_text("CREATE TABLE scratch_bad (id int); SELECT 1/0;")
    connection = await db.connect(url)
    try:
        with pytest.raises(Exception, match="division by zero"):
            await db.migrate(connection, folder)
        versions = {
            r["version"] for r in await connection.fetch("SELECT version FROM schema_migrations")
        }
        assert 9998 in versions
        assert 9999 not in versions
        assert await connection.fetchval("SELECT to_regclass('scratch_bad')") is None
        assert await connection.fetchval("SELECT to_regclass('scratch_good')") is not None
    finally:
        await connection.close()


async def test_a_database_newer_than_the_code_is_refused(make_database, tmp_path):
    url = await make_database()
    folder = tmp_path / "migrations"
    _copy_migrations(folder)
    connection = await db.connect(url)
    try:
        await db.migrate(connection)
        await connection.execute(
            "INSERT INTO schema_migrations (version, name, checksum) VALUES (9999, '9999_x.sql', 'x')"
        )
        with pytest.raises(db.MigrationError, match="does not know"):
            await db.migrate(connection, folder)
    finally:
        await connection.close()


async def test_staff_migration_upgrades_a_database_with_cases_in_every_status(
    make_database, tmp_path
):
    """0002 adds rules for workflow fields; cases made before it must still satisfy them."""
    url = await make_database()
    first_only = tmp_path / "first"
    _copy_migrations(first_only, below=2)
    connection = await db.connect(url)
    try:
        await db.migrate(connection, first_only)
        corporation, reporter = await _lefier_and_a_reporter(connection)
        statuses = [
            "unrouted", "new", "acknowledged", "inspection_planned", "inspected",
            "repair_planned", "referred", "on_hold", "resolved", "closed", "rejected",
        ]  # fmt: skip
        for number, status in enumerate(statuses, 1):
            finished = status in ("closed", "rejected")
            await _old_case(
                connection,
                number,
                status,
                None if status == "unrouted" else corporation,
                reporter,
                timedelta(0) if finished else None,
            )
        applied = await db.migrate(connection)
        assert applied == [m.name for m in db.load_migrations()[1:]]
        held = await connection.fetchrow(
            "SELECT on_hold_previous_status, next_deadline_at FROM cases WHERE status = 'on_hold'"
        )
        assert held["on_hold_previous_status"] == "acknowledged"
        assert held["next_deadline_at"] is None
    finally:
        await connection.close()


async def test_counters_migration_recounts_the_closures_of_an_existing_database(
    make_database, tmp_path
):
    """0005 counts closures from closed_at; databases counted by 0003's trigger are rebuilt."""
    url = await make_database()
    before = tmp_path / "before"
    _copy_migrations(before, below=5)
    connection = await db.connect(url)
    try:
        await db.migrate(connection, before)
        corporation, reporter = await _lefier_and_a_reporter(connection)
        # Inserted closed (0003 never counted it), and closed then reopened (0003 kept it).
        await _old_case(connection, 1, "closed", corporation, reporter, timedelta(days=10))
        await _old_case(connection, 2, "new", corporation, reporter, None)
        await connection.execute(
            "UPDATE cases SET status = 'closed', closed_at = now() WHERE status = 'new'"
        )
        await connection.execute(
            "UPDATE cases SET status = 'acknowledged', closed_at = NULL WHERE reference = $1",
            "SCH-2026-000002",
        )
        closures = (
            "SELECT day, sum(closed)::bigint FROM case_days GROUP BY day HAVING sum(closed) <> 0"
        )
        assert [row["day"] for row in await connection.fetch(closures)] == [
            await connection.fetchval("SELECT amsterdam_day(now())")
        ]

        applied = await db.migrate(connection)
        assert applied == [m.name for m in db.load_migrations() if m.version >= 5]
        assert [tuple(row) for row in await connection.fetch(closures)] == [
            (await connection.fetchval("SELECT amsterdam_day(now() - interval '10 days')"), 1)
        ]
    finally:
        await connection.close()
