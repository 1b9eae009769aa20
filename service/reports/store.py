"""SQL of the tenant intake and tracking: one module, so the benchmark can mirror it."""

import uuid
from datetime import datetime
from typing import Any, TypedDict

import asyncpg
import msgspec

from service.db import Connection, certain_row


async def claim_idempotency_key(
    connection: Connection, key_hash: bytes, request_hash: bytes
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


async def idempotent_answer(connection: Connection, key_hash: bytes) -> asyncpg.Record:
    """The stored answer of a key that claim_idempotency_key found taken."""
    row = await connection.fetchrow(
        """
        SELECT k.request_hash, k.case_id, k.response, c.tracking_salt
        FROM idempotency_keys k LEFT JOIN cases c ON c.id = k.case_id
        WHERE k.key_hash = $1
        """,
        key_hash,
    )
    return certain_row(row, "the taken idempotency key")


async def store_idempotent_answer(
    connection: Connection, key_hash: bytes, case_id: uuid.UUID, response: dict[str, Any]
) -> None:
    await connection.execute(
        "UPDATE idempotency_keys SET case_id = $2, response = $3 WHERE key_hash = $1",
        key_hash,
        case_id,
        response,
    )


async def forget_idempotency_keys(connection: Connection, made_before: datetime) -> int:
    """Forget the keys of submissions made before then; how many were forgotten."""
    result = await connection.execute(
        "DELETE FROM idempotency_keys WHERE created_at < $1", made_before
    )
    return int(result.split()[-1])


async def insert_reporter(
    connection: Connection,
    name: str,
    email: str | None,
    phone: str | None,
    language: str,
    at: datetime,
) -> tuple[int, int]:
    """The new reporter's id, and the number for the case's reference from the same round
    trip (a sequence is never rolled back: a number taken by a failed intake stays unused)."""
    row = await connection.fetchrow(
        """
        INSERT INTO reporters (name, email, phone, language, created_at)
        VALUES ($1, $2, $3, $4, $5) RETURNING id, nextval('case_reference_seq') AS number
        """,
        name,
        email,
        phone,
        language,
        at,
    )
    reporter = certain_row(row, "INSERT INTO reporters")
    return reporter["id"], reporter["number"]


# The tenant's status read (GET /api/v1/reports/{reference}, the tracking page) in one round
# trip: $1 the reference, $2 the SHA-256 of the token presented. The case's row comes with its
# public events and the attachments the tenant sees as JSON arrays (STATUS_EVENTS and
# STATUS_ATTACHMENTS decode them), filled only when $2 is the case's hash: a wrong token
# reads no more than an unknown reference. The token is still checked with
# hmac.compare_digest (tokens.hash_matches); the comparison here only spares the work.
STATUS_SQL = """
    SELECT c.id, c.reference, c.status, c.category, c.description, c.acute, c.urgency,
           c.reported_at, c.acknowledge_by, c.inspect_by, c.resolve_by, c.tracking_token_hash,
           c.planned_at, c.resolved_at, c.erase_by, co.name AS corporation_name, r.language,
           (SELECT coalesce(json_agg(json_build_object(
                       'at', e.at, 'kind', e.kind, 'to_status', e.to_status, 'data', e.data)
                       ORDER BY e.seq), '[]')::text
            FROM case_events e
            WHERE e.case_id = c.id AND e.public AND c.tracking_token_hash = $2) AS events,
           (SELECT coalesce(json_agg(json_build_object(
                       'id', a.id, 'kind', a.kind, 'content_type', a.content_type,
                       'added_at', a.added_at, 'added_by', a.added_by, 'title', a.title)
                       ORDER BY a.added_at, a.id), '[]')::text
            FROM attachments a
            WHERE a.case_id = c.id AND a.visible_to_tenant
              AND c.tracking_token_hash = $2) AS attachments
    FROM cases c
    JOIN reporters r ON r.id = c.reporter_id
    LEFT JOIN corporations co ON co.id = c.corporation_id
    WHERE c.reference = $1
"""


class PublicEvent(TypedDict):
    at: datetime
    kind: str
    to_status: str | None
    data: dict[str, Any]


class TenantAttachmentRow(TypedDict):
    id: uuid.UUID
    kind: str
    content_type: str
    added_at: datetime
    added_by: int | None
    title: str | None


STATUS_EVENTS = msgspec.json.Decoder(list[PublicEvent])
STATUS_ATTACHMENTS = msgspec.json.Decoder(list[TenantAttachmentRow])


async def status_of(
    connection: Connection, reference: str, presented_hash: bytes
) -> asyncpg.Record | None:
    """The case with its "events" and "attachments" (JSON text) when presented_hash is its
    token's hash; without them (empty arrays) for another hash; None for an unknown reference."""
    return await connection.fetchrow(STATUS_SQL, reference, presented_hash)


async def case_for_tenant(connection: Connection, reference: str) -> asyncpg.Record | None:
    return await connection.fetchrow(
        """
        SELECT c.id, c.reference, c.status, c.category, c.description, c.acute, c.urgency, c.reported_at,
               c.acknowledge_by, c.inspect_by, c.resolve_by, c.tracking_token_hash,
               c.planned_at, c.resolved_at, c.erase_by, co.name AS corporation_name, r.language
        FROM cases c
        JOIN reporters r ON r.id = c.reporter_id
        LEFT JOIN corporations co ON co.id = c.corporation_id
        WHERE c.reference = $1
        """,
        reference,
    )


async def everything_of(connection: Connection, reference: str) -> asyncpg.Record | None:
    """What a tenant's download of their data holds of the case and the reporter, and the
    token's hash to check first."""
    return await connection.fetchrow(
        """
        SELECT c.id, c.reference, c.status, c.category, c.description, c.acute, c.urgency,
               c.noticed_on, c.reported_at, c.closed_at, c.acknowledge_by, c.inspect_by,
               c.resolve_by, c.planned_at, c.repaired_on, c.postcode, c.house_number,
               c.house_letter, c.addition, c.street, c.city, c.tracking_token_hash,
               co.name AS corporation_name, r.name AS reporter_name,
               r.email AS reporter_email, r.phone AS reporter_phone, r.language
        FROM cases c
        JOIN reporters r ON r.id = c.reporter_id
        LEFT JOIN corporations co ON co.id = c.corporation_id
        WHERE c.reference = $1
        """,
        reference,
    )


async def confirmation_of(connection: Connection, reference: str) -> asyncpg.Record | None:
    """What the report's confirmation page shows, and the token's hash to check first."""
    return await connection.fetchrow(
        """
        SELECT c.reference, c.acute, c.acknowledge_by, c.tracking_token_hash,
               co.name AS corporation_name, co.emergency_phone
        FROM cases c LEFT JOIN corporations co ON co.id = c.corporation_id
        WHERE c.reference = $1
        """,
        reference,
    )


async def public_events(connection: Connection, case_id: uuid.UUID) -> list[asyncpg.Record]:
    return await connection.fetch(
        """
        SELECT at, kind, to_status, data FROM case_events
        WHERE case_id = $1 AND public ORDER BY seq
        """,
        case_id,
    )
