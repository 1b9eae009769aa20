"""Test database: a fresh database per run on TEST_DATABASE_URL's server, or on an embedded one.

Each run creates its own database, applies the migrations and drops it at the end.
"""

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from service import db
from service.app import create_app
from service.settings import Settings
from tests.servers import serve_in_loop
from tests.subscribers import Recorder

REPO = Path(__file__).resolve().parent.parent
TEST_SECRET = "test-secret-key"
# Every table with data; TRUNCATE fires no row triggers, so the counters are listed too.
# Every table but the migrations' own is emptied before each test (empty_database).
_TABLES_SQL = (
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
    "AND tablename <> 'schema_migrations' ORDER BY tablename"
)
_SEQUENCES_SQL = """
SELECT DISTINCT s.relname FROM pg_class s
JOIN pg_depend d ON d.objid = s.oid AND d.deptype IN ('a', 'i')
JOIN pg_class t ON t.oid = d.refobjid
WHERE s.relkind = 'S' AND t.relname = ANY($1::text[]) ORDER BY 1
"""


async def empty_database(connection: asyncpg.Connection) -> None:
    """Delete every row and restart the tables' own sequences, as TRUNCATE ... RESTART
    IDENTITY would. DELETE in replica mode (no foreign-key checks, no triggers) costs a
    fraction of TRUNCATE for the few rows a test leaves: TRUNCATE makes new files for each
    table and index, about 80 ms a test."""
    tables = [row["tablename"] for row in await connection.fetch(_TABLES_SQL)]
    sequences = [row["relname"] for row in await connection.fetch(_SEQUENCES_SQL, tables)]
    async with connection.transaction():
        await connection.execute("SET LOCAL session_replication_role = replica")
        # Names from the catalogue, not from input.
        await connection.execute("".join(f'DELETE FROM "{table}";' for table in tables))  # noqa: S608
        await connection.execute(
            "SELECT " + ", ".join(f"setval('\"{name}\"', 1, false)" for name in sequences)
        )


@pytest.fixture(scope="session")
def server_url() -> str:
    """URL of a PostgreSQL server whose maintenance database we may connect to."""
    return os.environ.get("TEST_DATABASE_URL") or db.embedded_database_url(
        REPO / ".data", "test-postgres"
    )


@pytest.fixture(scope="session")
async def make_database(server_url: str) -> AsyncIterator:
    """Factory for fresh, empty databases, all dropped when the run ends."""
    made: list[str] = []

    async def make() -> str:
        name = f"test_{uuid.uuid4().hex[:12]}"
        admin = await asyncpg.connect(server_url)
        try:
            await admin.execute(f'CREATE DATABASE "{name}"')
            # A test database need not survive a crash of the server: commits do not wait
            # for the disk (every other guarantee stays).
            await admin.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
        finally:
            await admin.close()
        made.append(name)
        return db.with_database(server_url, name)

    yield make

    admin = await asyncpg.connect(server_url)
    try:
        for name in made:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture(scope="session")
async def database_url(make_database) -> str:
    url = await make_database()
    connection = await db.connect(url)
    try:
        await db.migrate(connection)
    finally:
        await connection.close()
    return url


@pytest.fixture(scope="session")
async def pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    pool = await db.create_pool(database_url, min_size=1, max_size=30)
    yield pool
    await pool.close()


@pytest.fixture
async def conn(pool: asyncpg.Pool) -> AsyncIterator[asyncpg.Connection]:
    """A connection on an emptied database: each test starts from no data."""
    async with pool.acquire() as connection:
        await empty_database(connection)
        yield connection


@pytest.fixture(scope="session")
def settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        database_url=database_url,
        secret_key=TEST_SECRET,
        public_base_url="https://schade.example.nl",
        pool_min_size=1,
        pool_max_size=30,
        # The suite's own traffic comes from one address; tests/faults tests these limits.
        report_limit=None,
        tracking_limit=None,
        link_limit=None,
        link_per_email_limit=None,
        # The tests' webhook receivers run on this machine (tests/webhooks).
        webhook_allow_private=True,
        webhook_allow_http=True,
        # Photos and documents of the run, in a folder of its own.
        attachments_url=str(tmp_path_factory.mktemp("attachments")),
    )


@pytest.fixture(scope="session")
def app(settings: Settings) -> Litestar:
    """One app for the run: building one takes ~0.1 s, and each test starts and stops it anew
    (its lifespan makes the pools, the throttle and the password threads each time)."""
    return create_app(settings)


@pytest.fixture
async def client(conn: asyncpg.Connection, app: Litestar) -> AsyncIterator[AsyncTestClient]:
    async with AsyncTestClient(app) as test_client:
        yield test_client


@pytest.fixture
async def live_server(conn: asyncpg.Connection, settings: Settings) -> AsyncIterator[str]:
    # An app of its own: a test may use `client` beside it, and one app runs one lifespan.
    async with serve_in_loop(create_app(settings)) as url:
        yield url


@pytest.fixture
async def world(conn: asyncpg.Connection, client: AsyncTestClient):
    from tests.world import build_world

    return await build_world(conn, client)


@pytest.fixture(scope="session")
def session_recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def recorder(session_recorder: Recorder) -> Recorder:
    """A recorder that has seen nothing yet (one for the run, emptied for each test)."""
    session_recorder.forget()
    return session_recorder


@pytest.fixture(scope="session")
def recording_app(settings: Settings, session_recorder: Recorder) -> Litestar:
    """The app with the run's recorder among its pipeline's subscribers."""
    return create_app(settings, subscribers=[session_recorder])


@pytest.fixture
async def recording_client(
    conn: asyncpg.Connection, recording_app: Litestar, recorder: Recorder
) -> AsyncIterator[AsyncTestClient]:
    async with AsyncTestClient(recording_app) as test_client:
        yield test_client
