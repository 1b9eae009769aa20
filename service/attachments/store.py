"""SQL of attachments. Reading one always names its case, so a caller who may see the case
(checked before) can never reach another case's attachment by its id."""

import uuid
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from service.db import Connection

# The rows of a case's attachments, each with the name of the staff member who added it.
_ATTACHMENTS_SQL = """
    SELECT a.id, a.kind, a.content_type, a.byte_size, a.width, a.height, a.title, a.added_at,
           a.added_by, u.name AS added_by_name, a.visible_to_tenant, a.finding_id,
           a.damage_item
    FROM attachments a LEFT JOIN users u ON u.id = a.added_by
    WHERE a.case_id = $1 AND (a.id = $2 OR $2 IS NULL) AND (NOT $3 OR a.visible_to_tenant)
    ORDER BY a.added_at, a.id
"""


@dataclass(frozen=True)
class NewAttachment:
    id: uuid.UUID
    case_id: uuid.UUID
    kind: str
    content_type: str
    byte_size: int
    width: int | None
    height: int | None
    title: str | None
    added_by: int | None
    visible_to_tenant: bool
    finding_id: int | None = None
    damage_item: int | None = None


async def insert(connection: Connection, new: NewAttachment, now: datetime) -> None:
    await connection.execute(
        """
        INSERT INTO attachments (id, case_id, kind, content_type, byte_size, width, height,
                                 title, added_at, added_by, visible_to_tenant, finding_id,
                                 damage_item)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
        """,
        new.id,
        new.case_id,
        new.kind,
        new.content_type,
        new.byte_size,
        new.width,
        new.height,
        new.title,
        now,
        new.added_by,
        new.visible_to_tenant,
        new.finding_id,
        new.damage_item,
    )


async def of_case(
    connection: Connection, case_id: uuid.UUID, *, tenant_only: bool = False
) -> list[asyncpg.Record]:
    """The case's attachments, oldest first; tenant_only: those the tenant may see."""
    return await connection.fetch(_ATTACHMENTS_SQL, case_id, None, tenant_only)


async def one(
    connection: Connection, case_id: uuid.UUID, attachment_id: uuid.UUID
) -> asyncpg.Record | None:
    return await connection.fetchrow(_ATTACHMENTS_SQL, case_id, attachment_id, False)


async def delete(connection: Connection, case_id: uuid.UUID, attachment_id: uuid.UUID) -> None:
    await connection.execute(
        "DELETE FROM attachments WHERE case_id = $1 AND id = $2", case_id, attachment_id
    )


async def tenant_photo_count(connection: Connection, case_id: uuid.UUID) -> int:
    count: int = await connection.fetchval(
        "SELECT count(*) FROM attachments WHERE case_id = $1 AND added_by IS NULL", case_id
    )
    return count


async def damage_item_exists(
    connection: Connection, case_id: uuid.UUID, finding_id: int, position: int
) -> bool:
    exists: bool = await connection.fetchval(
        """
        SELECT EXISTS (SELECT 1 FROM case_findings f
                       JOIN damage_items d ON d.finding_id = f.id
                       WHERE f.case_id = $1 AND f.id = $2 AND d.position = $3)
        """,
        case_id,
        finding_id,
        position,
    )
    return exists


async def note_unrecorded(
    connection: Connection, attachment_id: uuid.UUID, keys: list[str], since: datetime
) -> None:
    """These objects are (about to be) in the store without a row that accounts for them."""
    await connection.execute(
        "INSERT INTO unrecorded_objects (attachment_id, keys, since) VALUES ($1, $2, $3)",
        attachment_id,
        keys,
        since,
    )


async def forget_unrecorded(connection: Connection, attachment_id: uuid.UUID) -> None:
    await connection.execute(
        "DELETE FROM unrecorded_objects WHERE attachment_id = $1", attachment_id
    )


async def claim_unrecorded(
    connection: Connection, older_than: datetime, now: datetime, limit: int
) -> list[asyncpg.Record]:
    """Entries older than the moment, each claimed by moving it to now: another worker
    leaves it alone for a day, and if this one dies the entry comes round again."""
    return await connection.fetch(
        """
        UPDATE unrecorded_objects SET since = $2
        WHERE attachment_id IN (SELECT attachment_id FROM unrecorded_objects
                                WHERE since < $1 ORDER BY since LIMIT $3
                                FOR UPDATE SKIP LOCKED)
        RETURNING attachment_id, keys
        """,
        older_than,
        now,
        limit,
    )
