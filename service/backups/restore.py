"""`restore FILE`: a backup replaces the configured database's contents, all or nothing.

pg_restore runs as one transaction that stops at the first error, so a truncated or damaged
file leaves the database as it was. `--clean --if-exists` drops each object of the backup
before making it again (and drops nothing on an empty database); `--no-owner
--no-privileges` make the restoring user the owner of everything, whatever roles the
original server had. Restoring over data needs `force`, and never happens while the service
is connected: its requests would run against half-replaced tables.
"""

import asyncio
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from service.backups import tools
from service.backups.tools import BackupError, Connect
from service.db import Connection

# What db.create_pool names the connections of `serve` and `worker`.
SERVICE_APPLICATION_NAME = "schade-tracker"
# The kinds of object a migration makes, as `pg_restore --list` names them.
_OBJECT = re.compile(
    r"^\d+; \d+ \d+ (?:TABLE|VIEW|MATERIALIZED VIEW|SEQUENCE|FUNCTION|PROCEDURE) public ([^\s(]+)",
    re.M,
)


@dataclass(frozen=True)
class Archive:
    """What `pg_restore --list` says of a backup file, read before the database is touched."""

    created: str
    dumped_from: str
    dumped_by_major: int
    objects: frozenset[str]  # names of its tables, sequences, views and functions

    @property
    def dumped_from_major(self) -> int:
        return int(self.dumped_from.split(".")[0])

    @classmethod
    def read(cls, file: Path) -> "Archive":
        lister = tools.newest("pg_restore")  # reads the archives of every older pg_dump
        try:
            listing = tools.read(lister, ["--format=custom", "--list", str(file)])
        except BackupError as error:
            raise BackupError(
                f"{file} is not a backup that {lister.path.name} {lister.version} can read "
                f"(`backup` writes pg_dump's custom format): {error}"
            ) from None
        created = re.search(r"^; Archive created at (.+)$", listing, re.M)
        dumped_from = re.search(r"^;\s+Dumped from database version: (\S+)", listing, re.M)
        dumped_by = re.search(r"^;\s+Dumped by pg_dump version: (\d+)", listing, re.M)
        if not (created and dumped_from and dumped_by):
            raise BackupError(f"{file} is not a pg_dump archive ({lister} lists no header)")
        archive = cls(
            created.group(1),
            dumped_from.group(1),
            int(dumped_by.group(1)),
            frozenset(_OBJECT.findall(listing)),
        )
        if "schema_migrations" not in archive.objects:
            raise BackupError(
                f"{file} is a PostgreSQL backup, but not of this service "
                "(it has no schema_migrations table)"
            )
        return archive


@dataclass(frozen=True)
class Restored:
    cases: int
    events: int
    users: int
    migration: str

    def __str__(self) -> str:
        return (
            f"restored {self.cases} case(s), {self.events} event(s) and {self.users} staff "
            f"user(s); the schema is at migration {self.migration} "
            "(`serve` or `migrate` applies any newer ones)"
        )


def restore(
    url: str,
    file: Path,
    *,
    force: bool,
    embedded: bool,
    target: str,
    say: Callable[[str], None],
    connect: Connect,
) -> Restored:
    """Replace the contents of the database at url (target, in words) with file's."""
    if not file.is_file():
        raise BackupError(f"{file} is not a file")
    archive = Archive.read(file)
    return asyncio.run(
        _restore(
            url,
            file,
            archive,
            force=force,
            embedded=embedded,
            target=target,
            say=say,
            connect=connect,
        )
    )


async def _restore(
    url: str,
    file: Path,
    archive: Archive,
    *,
    force: bool,
    embedded: bool,
    target: str,
    say: Callable[[str], None],
    connect: Connect,
) -> Restored:
    connection = await connect(url)
    try:
        server_major = int(await connection.fetchval("SHOW server_version_num")) // 10000
        if archive.dumped_from_major > server_major:
            raise BackupError(
                f"the backup is of PostgreSQL {archive.dumped_from_major} and {target} runs "
                f"PostgreSQL {server_major}: a backup loads into the same major version or a "
                f"newer one. Restore into PostgreSQL {archive.dumped_from_major} or newer"
            )
        pg_restore = tools.choose(
            "pg_restore",
            max(server_major, archive.dumped_by_major),
            embedded_first=embedded,
        )
        await _refuse_while_served(connection)
        holding = await _tables_with_rows(connection)
        if holding and not force:
            raise BackupError(
                f"{target} already holds data (in {', '.join(holding)}); a restore replaces "
                "all of it with the backup's. Add --force to do so"
            )
        left_behind = await _objects(connection) - archive.objects
        if left_behind:
            raise BackupError(
                f"{target} has {', '.join(sorted(left_behind))}, which the backup has not (it "
                "was migrated past the backup, or holds something else), and a restore would "
                "leave them behind. Restore into an empty database instead"
            )
        replacing = f"replacing the data in {len(holding)} table(s)" if holding else "no data yet"
        say(
            f"restoring {file} (made {archive.created} from PostgreSQL {archive.dumped_from}) "
            f"into {target} ({replacing}) with {pg_restore}"
        )
        try:
            await tools.run(
                pg_restore,
                [
                    "--format=custom",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--exit-on-error",
                    str(file),
                ],
                url,
                purpose="restore",
            )
        except BackupError as error:
            raise BackupError(
                f"the restore failed and was undone: {target} is as it was.\n{error}"
            ) from None
        # A restored table has no planner statistics until analysed; the first queries need them.
        await connection.execute("ANALYZE")
        return Restored(
            await connection.fetchval("SELECT count(*) FROM cases"),
            await connection.fetchval("SELECT count(*) FROM case_events"),
            await connection.fetchval("SELECT count(*) FROM users"),
            await connection.fetchval(
                "SELECT name FROM schema_migrations ORDER BY version DESC LIMIT 1"
            ),
        )
    finally:
        await connection.close()


async def _refuse_while_served(connection: Connection) -> None:
    served = await connection.fetchval(
        """
        SELECT count(*) FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = $1
          AND pid <> pg_backend_pid()
        """,
        SERVICE_APPLICATION_NAME,
    )
    if served:
        raise BackupError(
            f"the service is connected to this database ({served} connection(s) of `serve` or "
            "`worker`): stop it first, restore, then start it again"
        )


async def _tables_with_rows(connection: Connection) -> list[str]:
    """The service's tables that hold a row; schema_migrations alone is no data."""
    tables = await connection.fetch(
        """
        SELECT c.relname, format('%I.%I', n.nspname, c.relname) AS qualified
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
          AND c.relname <> 'schema_migrations'
        ORDER BY c.relname
        """
    )
    return [
        table["relname"]
        for table in tables
        # The name was quoted by format('%I') above.
        if await connection.fetchval(f"SELECT EXISTS (SELECT FROM {table['qualified']})")  # noqa: S608
    ]


async def _objects(connection: Connection) -> set[str]:
    """Names of the tables, sequences, views and functions in the public schema (those of
    extensions aside: a backup holds the extension, not its parts)."""
    rows = await connection.fetch(
        """
        SELECT c.relname AS name
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
          AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
        UNION
        SELECT p.proname
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public'
          AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
        """
    )
    return {row["name"] for row in rows}
