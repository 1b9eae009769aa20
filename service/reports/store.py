"""SQL of the tenant intake and tracking: one module, so the benchmark can mirror it."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import asyncpg

from service.domain.sla import Deadlines


async def claim_idempotency_key(
    connection: asyncpg.Connection, key_hash: bytes, request_hash: bytes
) -> bool:
    """True when this request is the first with the key.

    A concurrent first request holds the key's row uncommitted: the insert
    waits for it to commit, then does nothing, so the caller replays its answer.
    """
    return bool(
        await connection.fetchval(
            """
            INSERT INTO idempotency_keys (key_hash, request_hash) VALUES ($1, $2)
            ON CONFLICT (key_hash) DO NOTHING RETURNING true
            """,
            key_hash,
            request_hash,
        )
    )


async def idempotent_answer(connection: asyncpg.Connection, key_hash: bytes) -> asyncpg.Record:
    return await connection.fetchrow(
        "SELECT request_hash, case_id, response FROM idempotency_keys WHERE key_hash = $1",
        key_hash,
    )


async def store_idempotent_answer(
    connection: asyncpg.Connection, key_hash: bytes, case_id: uuid.UUID, response: dict[str, Any]
) -> None:
    await connection.execute(
        "UPDATE idempotency_keys SET case_id = $2, response = $3 WHERE key_hash = $1",
        key_hash,
        case_id,
        response,
    )


async def next_reference_number(connection: asyncpg.Connection) -> int:
    return await connection.fetchval("SELECT nextval('case_reference_seq')")


async def insert_reporter(
    connection: asyncpg.Connection, name: str, email: str | None, phone: str | None, language: str
) -> int:
    return await connection.fetchval(
        "INSERT INTO reporters (name, email, phone, language) VALUES ($1, $2, $3, $4) RETURNING id",
        name,
        email,
        phone,
        language,
    )


@dataclass(frozen=True)
class NewCase:
    id: uuid.UUID
    reference: str
    category: str
    acute: bool
    urgency: str
    description: str
    noticed_on: date | None
    status: str
    corporation_id: int | None
    address_id: int | None
    bag_id: str | None
    postcode: str | None
    house_number: int | None
    house_letter: str
    addition: str
    street: str | None
    city: str | None
    municipality_code: str | None
    reporter_id: int
    tracking_token_hash: bytes
    deadlines: Deadlines
    reported_at: datetime
    last_event_seq: int


async def insert_case(connection: asyncpg.Connection, case: NewCase) -> None:
    await connection.execute(
        """
        INSERT INTO cases (
            id, reference, category, acute, urgency, description, noticed_on, status,
            corporation_id, address_id, bag_id, postcode, house_number, house_letter, addition,
            street, city, municipality_code, reporter_id, tracking_token_hash,
            acknowledge_by, inspect_by, resolve_by, reported_at, updated_at, last_event_seq
        ) VALUES (
            $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
            $16, $17, $18, $19, $20, $21, $22, $23, $24, $24, $25
        )
        """,
        case.id,
        case.reference,
        case.category,
        case.acute,
        case.urgency,
        case.description,
        case.noticed_on,
        case.status,
        case.corporation_id,
        case.address_id,
        case.bag_id,
        case.postcode,
        case.house_number,
        case.house_letter,
        case.addition,
        case.street,
        case.city,
        case.municipality_code,
        case.reporter_id,
        case.tracking_token_hash,
        case.deadlines.acknowledge_by,
        case.deadlines.inspect_by,
        case.deadlines.resolve_by,
        case.reported_at,
        case.last_event_seq,
    )


async def insert_events(
    connection: asyncpg.Connection,
    case_id: uuid.UUID,
    at: datetime,
    events: list[tuple[str, str, str | None, str | None, bool, dict[str, Any]]],
) -> None:
    """Append the first events of a new case; each is (actor, kind, from, to, public, data)."""
    await connection.executemany(
        """
        INSERT INTO case_events (case_id, seq, at, actor, kind, from_status, to_status, public, data)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
        """,
        [
            (case_id, seq, at, actor, kind, from_status, to_status, public, data)
            for seq, (actor, kind, from_status, to_status, public, data) in enumerate(events, 1)
        ],
    )


async def case_for_tenant(connection: asyncpg.Connection, reference: str) -> asyncpg.Record | None:
    return await connection.fetchrow(
        """
        SELECT c.id, c.reference, c.status, c.category, c.description, c.acute, c.urgency, c.reported_at,
               c.acknowledge_by, c.inspect_by, c.resolve_by, c.tracking_token_hash,
               c.planned_at, co.name AS corporation_name, r.language
        FROM cases c
        JOIN reporters r ON r.id = c.reporter_id
        LEFT JOIN corporations co ON co.id = c.corporation_id
        WHERE c.reference = $1
        """,
        reference,
    )


async def public_events(connection: asyncpg.Connection, case_id: uuid.UUID) -> list[asyncpg.Record]:
    return await connection.fetch(
        """
        SELECT at, kind, to_status, data FROM case_events
        WHERE case_id = $1 AND public ORDER BY seq
        """,
        case_id,
    )
