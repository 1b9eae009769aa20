"""Anonymising a case: one change of the case, through the change pipeline, for retention
and for erasure alike.

What goes: the reporter's name, e-mail address and phone; the description; the home (street,
number, letter, addition, city, BAG id, the link to the register) but its 4-digit postcode
area; the tracking salt and token (the link stops working); what anyone typed in the history
(messages, notes, reasons, document titles); the findings' summary and the damage items'
descriptions (an inspector writes what the tenant said there); every photo and document;
the case's e-mails in the outbox, its webhook messages and its idempotency keys.

What stays: category, urgency, acute, dates, deadlines, corporation, municipality, status
and the history of its moves, and the findings' classes, crack widths, locations and kinds
(short labels such as "keuken", "scheur": nothing that identifies anyone without the home).
The dashboard counts none of what goes, so its figures do not change.
"""

import hashlib
import logging
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import asyncpg

from service.attachments import store as attachments
from service.attachments.changes import keys_of
from service.attachments.storage import ObjectStorage
from service.attachments.uploads import delete_objects
from service.changes.pipeline import Change
from service.db import Connection
from service.domain.events import Actor, Event, EventKind
from service.domain.privacy import AnonymisedFor, without_free_text

logger = logging.getLogger(__name__)


@dataclass
class RemovedObjects:
    """The objects of the attachments an anonymising removed: noted as unrecorded in its
    transaction, deleted once it has committed (or by the worker's sweep)."""

    by_attachment: dict[uuid.UUID, list[str]] = field(default_factory=dict)

    async def delete(self, pool: asyncpg.Pool, storage: ObjectStorage | None) -> None:
        if storage is None:
            return  # the sweep of a worker with the storage deletes them
        for attachment_id, keys in self.by_attachment.items():
            await delete_objects(pool, storage, attachment_id, keys)


def _unusable_token_hash() -> bytes:
    """A hash no token has: the old link answers as an unknown one."""
    return hashlib.sha256(b"anonymised:" + secrets.token_bytes(32)).digest()


async def _scrub_history(connection: Connection, case_id: uuid.UUID) -> None:
    """The events' data without free text; the one update the history allows (0017)."""
    rows = await connection.fetch(
        "SELECT seq, data FROM case_events WHERE case_id = $1 ORDER BY seq", case_id
    )
    changed = []
    for row in rows:
        data = without_free_text(row["data"])
        if data != row["data"]:
            changed.append((row["seq"], data))
    if not changed:
        return
    await connection.execute(
        "SELECT set_config('service.anonymising_case', $1, true)", str(case_id)
    )
    await connection.execute(
        """
        UPDATE case_events e SET data = f.data
        FROM unnest($2::integer[], $3::jsonb[]) AS f (seq, data)
        WHERE e.case_id = $1 AND e.seq = f.seq
        """,
        case_id,
        [seq for seq, _ in changed],
        [data for _, data in changed],
    )
    await connection.execute("SELECT set_config('service.anonymising_case', '', true)")


async def _remove_attachments(
    connection: Connection, case_id: uuid.UUID, now: datetime, removed: RemovedObjects
) -> None:
    for row in await attachments.of_case(connection, case_id):
        keys = keys_of(row)
        await attachments.delete(connection, case_id, row["id"])
        await attachments.note_unrecorded(connection, row["id"], keys, now)
        removed.by_attachment[row["id"]] = keys


async def _forget_elsewhere(connection: Connection, case: asyncpg.Record) -> None:
    """The reporter, the findings' texts, and the copies of the case in messages."""
    await connection.execute(
        """
        UPDATE reporters SET name = '', email = NULL, phone = NULL,
                             anonymised_at = coalesce(anonymised_at, now())
        WHERE id = $1
        """,
        case["reporter_id"],
    )
    await connection.execute(
        "UPDATE case_findings SET summary = NULL WHERE case_id = $1", case["id"]
    )
    await connection.execute(
        """
        UPDATE damage_items SET description = NULL
        WHERE finding_id IN (SELECT id FROM case_findings WHERE case_id = $1)
        """,
        case["id"],
    )
    # E-mails about the case (queued or kept after sending) hold the address and the name;
    # "lost your link?" lists the case among the tenant's reports.
    await connection.execute(
        """
        DELETE FROM outbox
        WHERE payload->>'reference' = $1
           OR payload->'reports' @> jsonb_build_array(jsonb_build_object('reference', $1::text))
        """,
        case["reference"],
    )
    await connection.execute("DELETE FROM webhook_deliveries WHERE case_id = $1", case["id"])
    await connection.execute("DELETE FROM idempotency_keys WHERE case_id = $1", case["id"])


async def anonymised(
    connection: Connection,
    case: asyncpg.Record,
    now: datetime,
    reason: AnonymisedFor,
    actor: Actor,
    removed: RemovedObjects,
) -> Change:
    """The change that anonymises the locked case (a rule calls this inside its decide).

    The case's own columns are set by the pipeline's UPDATE, the other tables here, in the
    same transaction; the event says why, and nothing personal.
    """
    await _scrub_history(connection, case["id"])
    await _remove_attachments(connection, case["id"], now, removed)
    await _forget_elsewhere(connection, case)
    postcode = case["postcode"]
    columns: dict[str, Any] = {
        "anonymised_at": now,
        "description": "",
        "postcode": postcode[:4] if postcode else None,
        "house_number": None,
        "house_letter": "",
        "addition": "",
        "street": None,
        "city": None,
        "bag_id": None,
        "address_id": None,
        "tracking_salt": None,
        "tracking_token_hash": _unusable_token_hash(),
    }
    event = Event(EventKind.ANONYMISED, actor, {"reason": reason})
    return Change(columns, [event])
