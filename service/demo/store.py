"""SQL of the demo: its corporations, homes and staff, and what it asks of the sample cases.

The sample cases themselves are made through the change pipeline, like every case.
"""

from collections.abc import Sequence
from datetime import datetime

import asyncpg

from service.db import Connection, certain_row
from service.demo.homes import Home
from service.demo.places import CORPORATIONS, corporation_email, corporation_emergency_phone

# Serialises concurrent loaders (several replicas starting on an empty database).
SEED_LOCK_KEY = 0x5C4ADE + 1


async def lock_loading(connection: Connection) -> None:
    """Wait for any other loader; the lock ends with the transaction."""
    await connection.execute("SELECT pg_advisory_xact_lock($1)", SEED_LOCK_KEY)


async def is_empty(connection: Connection) -> bool:
    """No corporation and no case: a database nobody has used yet."""
    return bool(
        await connection.fetchval(
            "SELECT NOT EXISTS (SELECT 1 FROM corporations) AND NOT EXISTS (SELECT 1 FROM cases)"
        )
    )


async def has_sample_cases(connection: Connection) -> bool:
    return bool(await connection.fetchval("SELECT EXISTS (SELECT 1 FROM cases WHERE synthetic)"))


async def counts(connection: Connection) -> asyncpg.Record:
    """How many demo corporations, synthetic homes and sample cases the database holds."""
    row = await connection.fetchrow(
        """
        SELECT (SELECT count(*) FROM corporations WHERE code = ANY($1::text[])) AS corporations,
               (SELECT count(*) FROM addresses WHERE synthetic) AS homes,
               (SELECT count(*) FROM cases WHERE synthetic) AS cases
        """,
        [c.code for c in CORPORATIONS],
    )
    return certain_row(row, "the demo counts")  # a SELECT without FROM: always one row


async def sample_cases_to_show(connection: Connection) -> list[asyncpg.Record]:
    """Sample cases, those with most to show a visitor first: open, routed, some history."""
    return await connection.fetch(
        """
        SELECT id, reference, tracking_token_hash FROM cases
        WHERE synthetic
        ORDER BY status IN ('inspection_planned', 'repair_planned', 'referred', 'inspected') DESC,
                 status NOT IN ('unrouted', 'on_hold', 'closed', 'rejected') DESC,
                 last_event_seq BETWEEN 4 AND 8 DESC,
                 reported_at DESC
        """
    )


async def load_corporations(connection: Connection) -> int:
    rows = await connection.fetch(
        """
        INSERT INTO corporations (code, name, email, emergency_phone)
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
        ON CONFLICT (code) DO NOTHING
        RETURNING id
        """,
        [c.code for c in CORPORATIONS],
        [c.name for c in CORPORATIONS],
        [corporation_email(c.code) for c in CORPORATIONS],
        [corporation_emergency_phone(c.code) for c in CORPORATIONS],
    )
    return len(rows)


async def load_homes(connection: Connection, homes: list[Home]) -> int:
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


async def registered_homes(
    connection: Connection, keys: Sequence[tuple[str, int, str, str]]
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


async def registered_numbers(
    connection: Connection, keys: Sequence[tuple[str, int]]
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


async def existing_emails(connection: Connection, emails: list[str]) -> set[str]:
    rows = await connection.fetch("SELECT email FROM users WHERE email = ANY($1::text[])", emails)
    return {row["email"] for row in rows}


async def insert_users(
    connection: Connection,
    users: list[tuple[str, str, str, str | None]],
    password_hash: str,
    created_at: datetime,
) -> dict[str, int]:
    """Add users (email, name, role, corporation code) who do not exist; email -> new id."""
    rows = await connection.fetch(
        """
        INSERT INTO users (email, name, role, corporation_id, password_hash, created_at)
        SELECT u.email, u.name, u.role, c.id, $5, $6
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
             AS u (email, name, role, corporation_code)
        LEFT JOIN corporations c ON c.code = u.corporation_code
        ON CONFLICT (email) DO NOTHING
        RETURNING id, email
        """,
        [u[0] for u in users],
        [u[1] for u in users],
        [u[2] for u in users],
        [u[3] for u in users],
        password_hash,
        created_at,
    )
    return {row["email"]: row["id"] for row in rows}


async def insert_tokens(
    connection: Connection, tokens: list[tuple[int, bytes, str]], created_at: datetime
) -> None:
    """API tokens (user id, token hash, label) that do not exist yet."""
    await connection.execute(
        """
        INSERT INTO api_tokens (user_id, token_hash, label, created_at)
        SELECT *, $4 FROM unnest($1::bigint[], $2::bytea[], $3::text[])
        ON CONFLICT (token_hash) DO NOTHING
        """,
        [t[0] for t in tokens],
        [t[1] for t in tokens],
        [t[2] for t in tokens],
        created_at,
    )


async def users_by_email(connection: Connection, emails: list[str]) -> list[asyncpg.Record]:
    return await connection.fetch(
        """
        SELECT u.id, u.email, u.name, u.role, u.corporation_id, c.code AS corporation_code
        FROM users u LEFT JOIN corporations c ON c.id = u.corporation_id
        WHERE u.email = ANY($1::text[])
        """,
        emails,
    )


async def working_token_hashes(connection: Connection, hashes: list[bytes]) -> set[bytes]:
    """Those of hashes that belong to tokens that work: not revoked, of an active user."""
    rows = await connection.fetch(
        """
        SELECT t.token_hash FROM api_tokens t JOIN users u ON u.id = t.user_id AND u.active
        WHERE t.token_hash = ANY($1::bytea[]) AND t.revoked_at IS NULL
        """,
        hashes,
    )
    return {bytes(row["token_hash"]) for row in rows}
