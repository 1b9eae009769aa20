"""SQL for staff accounts and their API tokens."""

from datetime import timedelta

import asyncpg

from service.corporations import store as corporations
from service.db import Connection, certain_row

_STAFF_COLUMNS = """
    u.id, u.email, u.name, u.role, u.corporation_id, u.active, u.created_at,
    c.code AS corporation_code, c.name AS corporation_name
"""


class UserError(ValueError):
    """A user or token that cannot be made or found; the message says why."""


async def add_user(
    connection: Connection,
    *,
    email: str,
    name: str,
    role: str,
    corporation_code: str | None,
    password_hash: str | None,
) -> asyncpg.Record:
    corporation_id = None
    if corporation_code is not None:
        corporation_id = await corporations.corporation_id(connection, corporation_code.lower())
        if corporation_id is None:
            raise UserError(f"no corporation with code {corporation_code!r}")
    try:
        user_id = await connection.fetchval(
            """
            INSERT INTO users (email, name, role, corporation_id, password_hash)
            VALUES ($1, $2, $3, $4, $5) RETURNING id
            """,
            email,
            name,
            role,
            corporation_id,
            password_hash,
        )
    except asyncpg.UniqueViolationError:
        raise UserError(f"a user with email {email} exists already") from None
    return certain_row(await user_by_id(connection, user_id), "the user just added")


async def user_by_id(connection: Connection, user_id: int) -> asyncpg.Record | None:
    return await connection.fetchrow(
        f"""
        SELECT {_STAFF_COLUMNS}
        FROM users u LEFT JOIN corporations c ON c.id = u.corporation_id
        WHERE u.id = $1
        """,  # noqa: S608 - a constant column list
        user_id,
    )


async def user_by_email(connection: Connection, email: str) -> asyncpg.Record | None:
    return await connection.fetchrow(
        f"""
        SELECT {_STAFF_COLUMNS}, u.password_hash
        FROM users u LEFT JOIN corporations c ON c.id = u.corporation_id
        WHERE u.email = lower($1)
        """,  # noqa: S608 - a constant column list
        email,
    )


async def staff_by_token(connection: Connection, token_hash: bytes) -> asyncpg.Record | None:
    """The active user behind a token that is neither revoked nor expired."""
    return await connection.fetchrow(
        f"""
        SELECT {_STAFF_COLUMNS}
        FROM api_tokens t
        JOIN users u ON u.id = t.user_id AND u.active
        LEFT JOIN corporations c ON c.id = u.corporation_id
        WHERE t.token_hash = $1 AND t.revoked_at IS NULL
          AND (t.expires_at IS NULL OR t.expires_at > now())
        """,  # noqa: S608 - a constant column list
        token_hash,
    )


async def list_users(connection: Connection) -> list[asyncpg.Record]:
    return await connection.fetch(
        f"""
        SELECT {_STAFF_COLUMNS}, u.muted_notifications,
               (SELECT count(*) FROM api_tokens t
                WHERE t.user_id = u.id AND t.revoked_at IS NULL) AS tokens
        FROM users u LEFT JOIN corporations c ON c.id = u.corporation_id
        ORDER BY c.code NULLS FIRST, u.role, u.email
        """  # noqa: S608 - a constant column list
    )


async def deactivate_user(connection: Connection, email: str) -> None:
    """Deactivated users cannot sign in; their tokens stop working at once."""
    done = await connection.fetchval(
        """
        UPDATE users SET active = false, deactivated_at = coalesce(deactivated_at, now())
        WHERE email = lower($1) RETURNING id
        """,
        email,
    )
    if done is None:
        raise UserError(f"no user with email {email}")


async def create_token(
    connection: Connection, email: str, token_hash: bytes, label: str = ""
) -> int:
    user = await user_by_email(connection, email)
    if user is None:
        raise UserError(f"no user with email {email}")
    if not user["active"]:
        raise UserError(f"{email} is deactivated")
    return await connection.fetchval(
        "INSERT INTO api_tokens (user_id, token_hash, label) VALUES ($1, $2, $3) RETURNING id",
        user["id"],
        token_hash,
        label,
    )


async def revoke_token(connection: Connection, token_id: int) -> None:
    done = await connection.fetchval(
        """
        UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now())
        WHERE id = $1 RETURNING id
        """,
        token_id,
    )
    if done is None:
        raise UserError(f"no token with id {token_id}")


# --- web sessions: API tokens of their own, that end when unused or old -----------------


async def start_session(
    connection: Connection,
    user_id: int,
    token_hash: bytes,
    label: str,
    idle: timedelta,
) -> None:
    await connection.execute(
        """
        INSERT INTO api_tokens (user_id, token_hash, label, expires_at)
        VALUES ($1, $2, $3, now() + $4::interval)
        """,
        user_id,
        token_hash,
        label,
        idle,
    )


async def keep_session(
    connection: Connection,
    token_hash: bytes,
    label: str,
    idle: timedelta,
    lifetime: timedelta,
) -> None:
    """Move the session's idle end on, never past its lifetime."""
    await connection.execute(
        """
        UPDATE api_tokens SET expires_at = least(now() + $3::interval, created_at + $4::interval)
        WHERE token_hash = $1 AND label = $2 AND revoked_at IS NULL
        """,
        token_hash,
        label,
        idle,
        lifetime,
    )


async def end_session(connection: Connection, token_hash: bytes, label: str) -> None:
    await connection.execute(
        """
        UPDATE api_tokens SET revoked_at = now()
        WHERE token_hash = $1 AND label = $2 AND revoked_at IS NULL
        """,
        token_hash,
        label,
    )
