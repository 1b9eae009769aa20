"""SQL for corporations."""

import asyncpg


class CorporationExists(ValueError):
    pass


async def add_corporation(
    connection: asyncpg.Connection,
    code: str,
    name: str,
    email: str | None = None,
    phone: str | None = None,
) -> asyncpg.Record:
    try:
        return await connection.fetchrow(
            """
            INSERT INTO corporations (code, name, email, phone) VALUES ($1, $2, $3, $4)
            RETURNING id, code, name, email, phone, active
            """,
            code,
            name,
            email,
            phone,
        )
    except asyncpg.UniqueViolationError as error:
        raise CorporationExists(f"a corporation with code {code!r} exists already") from error


async def list_corporations(connection: asyncpg.Connection) -> list[asyncpg.Record]:
    return await connection.fetch(
        """
        SELECT c.id, c.code, c.name, c.email, c.phone, c.active,
               (SELECT count(*) FROM addresses a WHERE a.corporation_id = c.id) AS homes
        FROM corporations c ORDER BY c.code
        """
    )


async def corporation_by_code(connection: asyncpg.Connection, code: str) -> asyncpg.Record | None:
    return await connection.fetchrow(
        "SELECT id, code, name, email, phone, active FROM corporations WHERE code = $1", code
    )
