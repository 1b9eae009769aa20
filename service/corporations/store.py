"""SQL for corporations."""

import asyncpg

from service.db import Connection, certain_row


class CorporationExists(ValueError):
    pass


async def add_corporation(
    connection: Connection,
    code: str,
    name: str,
    email: str | None = None,
    phone: str | None = None,
    emergency_phone: str | None = None,
) -> asyncpg.Record:
    try:
        row = await connection.fetchrow(
            """
            INSERT INTO corporations (code, name, email, phone, emergency_phone)
            VALUES ($1, $2, $3, $4, $5)
            RETURNING id, code, name, email, phone, emergency_phone, active
            """,
            code,
            name,
            email,
            phone,
            emergency_phone,
        )
    except asyncpg.UniqueViolationError as error:
        raise CorporationExists(f"a corporation with code {code!r} exists already") from error
    return certain_row(row, "INSERT INTO corporations ... RETURNING")


async def list_corporations(connection: Connection) -> list[asyncpg.Record]:
    return await connection.fetch(
        """
        SELECT c.id, c.code, c.name, c.email, c.phone, c.emergency_phone, c.active,
               (SELECT count(*) FROM addresses a WHERE a.corporation_id = c.id) AS homes
        FROM corporations c ORDER BY c.code
        """
    )


async def set_emergency_phone(
    connection: Connection, code: str, emergency_phone: str | None
) -> bool:
    """Set (or, with None, remove) the number; False when no corporation has this code."""
    result = await connection.execute(
        "UPDATE corporations SET emergency_phone = $2 WHERE code = $1", code, emergency_phone
    )
    return result != "UPDATE 0"


async def corporation_by_code(connection: Connection, code: str) -> asyncpg.Record | None:
    return await connection.fetchrow(
        "SELECT id, code, name, email, phone, active FROM corporations WHERE code = $1", code
    )


async def active_corporation(connection: Connection, code: str) -> asyncpg.Record | None:
    """The corporation with this code, if it takes cases."""
    return await connection.fetchrow(
        "SELECT id, code, name FROM corporations WHERE code = $1 AND active", code
    )


async def active_corporations(connection: Connection) -> dict[str, str]:
    """Code -> name of every corporation a case may be routed or transferred to, by name."""
    rows = await connection.fetch("SELECT code, name FROM corporations WHERE active ORDER BY name")
    return {row["code"]: row["name"] for row in rows}


async def corporation_id(connection: Connection, code: str) -> int | None:
    """The id of the corporation with this code, active or not."""
    return await connection.fetchval("SELECT id FROM corporations WHERE code = $1", code)


async def corporations_by_id(connection: Connection, ids: list[int]) -> dict[int, asyncpg.Record]:
    """Id -> (id, code, name) of the corporations with these ids."""
    rows = await connection.fetch(
        "SELECT id, code, name FROM corporations WHERE id = ANY($1::bigint[])", ids
    )
    return {row["id"]: row for row in rows}


async def all_corporations(connection: Connection) -> dict[int, asyncpg.Record]:
    """Id -> (id, code, name) of every corporation, active or not."""
    rows = await connection.fetch("SELECT id, code, name FROM corporations")
    return {row["id"]: row for row in rows}
