"""Small builders of test data, written with plain SQL."""

import uuid
from typing import Any

import asyncpg

from service.auth.secrets import api_token_hash, new_api_token


async def corporation(connection: asyncpg.Connection, code: str, name: str | None = None) -> int:
    return await connection.fetchval(
        "INSERT INTO corporations (code, name) VALUES ($1, $2) RETURNING id",
        code,
        name or code.title(),
    )


async def home(
    connection: asyncpg.Connection,
    corporation_id: int,
    postcode: str,
    house_number: int,
    *,
    house_letter: str = "",
    addition: str = "",
    bag_id: str | None = None,
    street: str = "Herestraat",
    city: str = "Groningen",
    municipality_code: str | None = "GM0014",
) -> int:
    return await connection.fetchval(
        """
        INSERT INTO addresses (corporation_id, bag_id, postcode, house_number, house_letter,
                               addition, street, city, municipality_code)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id
        """,
        corporation_id,
        bag_id,
        postcode,
        house_number,
        house_letter,
        addition,
        street,
        city,
        municipality_code,
    )


def report_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "category": "crack",
        "description": "Diagonale scheur boven de deur van de woonkamer.",
        "acute": False,
        "address": {"postcode": "9711 AB", "house_number": 12},
        "reporter": {"name": "Jan Jansen", "email": "jan@example.nl", "language": "nl"},
    }
    body.update(overrides)
    return body


async def user(
    connection: asyncpg.Connection,
    role: str,
    corporation_id: int | None = None,
    *,
    email: str | None = None,
    name: str | None = None,
) -> int:
    return await connection.fetchval(
        """
        INSERT INTO users (email, name, role, corporation_id) VALUES ($1, $2, $3, $4)
        RETURNING id
        """,
        email or f"{role}.{corporation_id or 'region'}.{uuid.uuid4().hex[:6]}@example.nl",
        name or f"{role.title()} {corporation_id or 'Regio'}",
        role,
        corporation_id,
    )


async def api_token(connection: asyncpg.Connection, user_id: int) -> str:
    token = new_api_token()
    await connection.execute(
        "INSERT INTO api_tokens (user_id, token_hash) VALUES ($1, $2)",
        user_id,
        api_token_hash(token),
    )
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def set_case_columns(connection: asyncpg.Connection, reference: str, **columns: Any) -> None:
    """Put one case in a state no API call makes quickly: old reports, past deadlines."""
    assignments = ", ".join(f"{name} = ${i}" for i, name in enumerate(columns, 2))
    done = await connection.execute(
        f"UPDATE cases SET {assignments} WHERE reference = $1",  # noqa: S608 - names are ours
        reference,
        *columns.values(),
    )
    assert done == "UPDATE 1"


def if_match(version: int) -> dict[str, str]:
    """The header that changes a case at the version the test read (its ETag)."""
    return {"If-Match": f'"{version}"'}


async def bulk_copies(connection: asyncpg.Connection, source: str, count: int) -> None:
    """count copies of case source, each with its own reference and token hash.

    One INSERT with the triggers off and the counters rebuilt after, as for any bulk load:
    with them on, 20,000 updates of the same few counter rows in one transaction take half
    a minute. The derived next_* columns are copied along.
    """
    async with connection.transaction():
        await connection.execute("SET LOCAL session_replication_role = replica")
        await connection.execute(
            """
            INSERT INTO cases (reference, category, acute, urgency, description, status,
                               corporation_id, address_id, postcode, house_number,
                               house_letter, addition, street, city, municipality_code,
                               reporter_id, tracking_token_hash, acknowledge_by, inspect_by,
                               resolve_by, next_stage, next_deadline_at, next_at_risk_at,
                               reported_at)
            SELECT 'SCH-1999-' || lpad(g::text, 6, '0'), c.category, c.acute, c.urgency,
                   c.description, c.status, c.corporation_id, c.address_id, c.postcode,
                   c.house_number, c.house_letter, c.addition, c.street, c.city,
                   c.municipality_code, c.reporter_id,
                   sha256(convert_to('bulk-copy-' || g, 'UTF8')),
                   c.acknowledge_by, c.inspect_by, c.resolve_by,
                   c.next_stage, c.next_deadline_at, c.next_at_risk_at,
                   c.reported_at - g * interval '1 second'
            FROM cases c CROSS JOIN generate_series(1, $2::int) AS g
            WHERE c.reference = $1
            """,
            source,
            count,
        )
    await connection.execute("SELECT rebuild_case_counters()")
