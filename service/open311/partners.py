"""Partners that file Open311 requests: one api_key each, shown once and stored as SHA-256
(as the staff's API tokens, service/auth/secrets.py), revocable."""

import secrets
import uuid

import asyncpg

from service.auth.secrets import api_token_hash
from service.db import Connection

KEY_PREFIX = "o311_"  # recognisable in a config file or a secret scanner


class PartnerError(ValueError):
    """A partner that cannot be made or found; the message says why."""


def new_api_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


async def add_partner(connection: Connection, name: str, api_key: str) -> int:
    name = name.strip()
    if not 1 <= len(name) <= 200:
        raise PartnerError("a partner's name is 1 to 200 characters")
    try:
        return await connection.fetchval(
            "INSERT INTO open311_partners (name, key_hash) VALUES ($1, $2) RETURNING id",
            name,
            api_token_hash(api_key),
        )
    except asyncpg.UniqueViolationError:
        raise PartnerError(f"a partner named {name!r} exists already") from None


async def list_partners(connection: Connection) -> list[asyncpg.Record]:
    return await connection.fetch(
        """
        SELECT p.id, p.name, p.created_at, p.revoked_at,
               (SELECT count(*) FROM open311_submissions s WHERE s.partner_id = p.id) AS requests
        FROM open311_partners p ORDER BY p.name
        """
    )


async def revoke_partner(connection: Connection, name: str) -> None:
    """Its key stops working at once; the requests it filed stay."""
    done = await connection.fetchval(
        """
        UPDATE open311_partners SET revoked_at = coalesce(revoked_at, now())
        WHERE name = $1 RETURNING id
        """,
        name.strip(),
    )
    if done is None:
        raise PartnerError(f"no partner named {name!r}")


async def partner_by_key(connection: Connection, api_key: str) -> int | None:
    """The id of the partner whose key this is, unless it was revoked."""
    return await connection.fetchval(
        "SELECT id FROM open311_partners WHERE key_hash = $1 AND revoked_at IS NULL",
        api_token_hash(api_key),
    )


async def remember_submission(connection: Connection, case_id: uuid.UUID, partner_id: int) -> None:
    await connection.execute(
        "INSERT INTO open311_submissions (case_id, partner_id) VALUES ($1, $2)",
        case_id,
        partner_id,
    )
