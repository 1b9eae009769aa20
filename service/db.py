"""Database access: the pool, the migrations runner and the embedded PostgreSQL."""

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import msgspec
from asyncpg.pool import PoolAcquireContext, PoolConnectionProxy

from service.outage import database_unavailable

logger = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "sql" / "migrations"
# Any constant works; it only has to be the same for every runner of this schema.
MIGRATION_LOCK_KEY = 0x5C4ADE

# Store functions run on a connection of their own (CLI, tests) or on one from the pool.
Connection: TypeAlias = asyncpg.Connection | PoolConnectionProxy


def certain_row(row: asyncpg.Record | None, query: str) -> asyncpg.Record:
    """The row of a query that always returns one (INSERT ... RETURNING, an aggregate, a row
    known to exist); its absence is a bug, reported here rather than as a TypeError later."""
    if row is None:
        raise RuntimeError(f"{query} returned no row")
    return row


async def _init_connection(connection: asyncpg.Connection) -> None:
    for json_type in ("json", "jsonb"):
        await connection.set_type_codec(
            json_type,
            encoder=lambda value: msgspec.json.encode(value).decode(),
            decoder=msgspec.json.decode,
            schema="pg_catalog",
        )


class Pool(asyncpg.Pool):
    """asyncpg's pool, but acquire() waits at most acquire_timeout seconds unless told otherwise.

    Every `pool.acquire()` of the service so meets a pool that is exhausted, or a server that
    does not answer, as a TimeoutError (answered 503) instead of waiting for ever.
    """

    __slots__ = ("acquire_timeout",)
    acquire_timeout: float

    def acquire(self, *, timeout: float | None = None) -> PoolAcquireContext:
        return super().acquire(timeout=self.acquire_timeout if timeout is None else timeout)


async def create_pool(
    dsn: str, min_size: int = 2, max_size: int = 10, *, acquire_timeout: float = 5.0
) -> Pool:
    # Built as asyncpg.create_pool builds its Pool, with the same defaults.
    pool = Pool(
        dsn,
        min_size=min_size,
        max_size=max_size,
        max_queries=50_000,
        max_inactive_connection_lifetime=300.0,
        init=_init_connection,
        reset=_nothing_to_reset,
        loop=None,
        connection_class=asyncpg.Connection,
        record_class=asyncpg.Record,
        server_settings={"application_name": "schade-tracker", "timezone": "UTC"},
    )
    pool.acquire_timeout = acquire_timeout
    return await pool


async def _nothing_to_reset(connection: asyncpg.Connection) -> None:
    """What a released connection needs besides asyncpg's own rollback of an open transaction:
    nothing. The service keeps no session state on pooled connections (settings are SET LOCAL,
    locks are transaction locks, cursors live in transactions), so asyncpg's default reset
    query (RESET ALL, UNLISTEN, CLOSE ALL, unlock) would be one more round trip per request
    for nothing."""


class _QuietFloorRetries(logging.Filter):
    """Drops asyncpg's traceback for each failed attempt to reopen the pool's floor of
    connections while the database is unavailable: service.outage logs an outage once."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return error is None or not database_unavailable(error)


logging.getLogger("asyncpg.pool").addFilter(_QuietFloorRetries())


async def connect(dsn: str) -> asyncpg.Connection:
    connection = await asyncpg.connect(dsn, server_settings={"timezone": "UTC"})
    await _init_connection(connection)
    return connection


class DatabaseUnreachable(RuntimeError):
    pass


async def reach(url: str) -> asyncpg.Connection:
    """connect() for the command line: the usual set-up mistakes (a wrong DATABASE_URL, the
    server down) become one line that says so."""
    try:
        return await connect(url)
    except (
        OSError,
        asyncpg.PostgresConnectionError,
        asyncpg.InvalidCatalogNameError,
        asyncpg.InvalidAuthorizationSpecificationError,
    ) as error:
        raise DatabaseUnreachable(f"cannot reach the database: {error}") from error


# --- migrations -------------------------------------------------------------


class MigrationError(RuntimeError):
    """The database and the migration files disagree; refuse to start."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def load_migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    migrations = []
    for path in sorted(directory.glob("*.sql")):
        number, _, _ = path.stem.partition("_")
        if not number.isdigit():
            raise MigrationError(f"migration file {path.name} does not start with a number")
        migrations.append(Migration(int(number), path.name, path.read_text()))
    versions = [m.version for m in migrations]
    if len(set(versions)) != len(versions):
        raise MigrationError("two migration files share a number")
    return migrations


async def migrate(connection: Connection, directory: Path = MIGRATIONS_DIR) -> list[str]:
    """Apply pending migrations in order, one transaction each; return the applied names.

    A session advisory lock serialises concurrent runners (several replicas
    starting at once): the second waits, then finds nothing left to do.
    """
    migrations = load_migrations(directory)
    await connection.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK_KEY)
    try:
        await connection.execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version     integer PRIMARY KEY,
                name        text NOT NULL,
                checksum    text NOT NULL,
                applied_at  timestamptz NOT NULL DEFAULT now()
            )
            """
        )
        applied = {
            row["version"]: row
            for row in await connection.fetch(
                "SELECT version, name, checksum FROM schema_migrations"
            )
        }
        known = {m.version for m in migrations}
        for version, row in applied.items():
            if version not in known:
                raise MigrationError(
                    f"the database has migration {row['name']}, which this code does not know; "
                    "is this an older version of the service?"
                )
        done = []
        for migration in migrations:
            landed = applied.get(migration.version)
            if landed is not None:
                if landed["checksum"] != migration.checksum:
                    raise MigrationError(
                        f"migration {migration.name} changed after it was applied; "
                        "landed migrations must never be edited, add a new one instead"
                    )
                continue
            async with connection.transaction():
                await connection.execute(migration.sql)
                await connection.execute(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                    migration.version,
                    migration.name,
                    migration.checksum,
                )
            logger.info("applied migration %s", migration.name)
            done.append(migration.name)
        return done
    finally:
        await connection.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK_KEY)


# --- embedded PostgreSQL ----------------------------------------------------


def embedded_database_url(data_dir: Path, folder: str = "postgres") -> str:
    """Start (or join) the embedded PostgreSQL in data_dir/folder and return its URL.

    The server keeps running while any process of ours holds it; the last one to exit
    stops it (service/embedded.py). Several CLI commands can so share the server that
    `serve` started.
    """
    from service import embedded  # needs the optional 'embedded' extra

    return embedded.join(data_dir, folder).url


def resolve_database_url(database_url: str | None, data_dir: Path) -> str:
    """DATABASE_URL when set; otherwise the embedded PostgreSQL's."""
    return database_url or embedded_database_url(data_dir)


def with_database(url: str, name: str) -> str:
    """The same server URL pointing at another database."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))
