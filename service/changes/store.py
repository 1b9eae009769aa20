"""SQL of the change pipeline: lock a case, insert or update its row, append its events."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import asyncpg

from service.db import Connection
from service.domain.categories import Category
from service.domain.events import Event
from service.domain.sla import Deadlines, Urgency
from service.domain.workflow import Status

# What the rules of a change read of the case, locked for the change's transaction.
_LOCK_SQL = """
    SELECT c.id, c.reference, c.version, c.last_event_seq, c.status, c.corporation_id,
           co.code AS corporation_code, c.assignee_id, c.urgency, c.reported_at,
           c.acknowledge_by, c.inspect_by, c.resolve_by,
           c.acknowledged_at, c.inspected_at, c.resolved_at, c.planned_at,
           c.on_hold_since, c.on_hold_previous_status,
           c.bag_id, c.postcode, c.house_number, c.house_letter, c.addition, c.street, c.city,
           c.tracking_token_hash, c.reporter_id, c.closed_at, c.anonymised_at,
           c.erasure_requested_at, c.erase_by
    FROM cases c LEFT JOIN corporations co ON co.id = c.corporation_id
    WHERE c.reference = $1 AND ($2::bigint IS NULL OR c.corporation_id = $2::bigint)
    FOR UPDATE OF c
"""

# Columns a change may set; anything else is a programming error.
UPDATABLE = frozenset(
    {
        "status",
        "corporation_id",
        "address_id",
        "street",
        "city",
        "municipality_code",
        "assignee_id",
        "urgency",
        "acute",
        "acknowledge_by",
        "inspect_by",
        "resolve_by",
        "acknowledged_at",
        "inspected_at",
        "resolved_at",
        "repaired_on",
        "closed_at",
        "planned_at",
        "referred_to",
        "external_reference",
        "on_hold_since",
        "on_hold_previous_status",
        "rejection_reason",
        "duplicate_of",
        # The tenant's request for erasure, and anonymising (service/privacy).
        "erasure_requested_at",
        "erase_by",
        "anonymised_at",
        "description",
        "postcode",
        "house_number",
        "house_letter",
        "addition",
        "bag_id",
        "tracking_salt",
        "tracking_token_hash",
    }
)


async def lock_case(
    connection: Connection, reference: str, scope: int | None
) -> asyncpg.Record | None:
    """The case, locked until the transaction ends; None when not in scope (or absent)."""
    return await connection.fetchrow(_LOCK_SQL, reference, scope)


@dataclass(frozen=True)
class NewCase:
    """A case as intake makes it; the pipeline adds its version, history and times."""

    id: uuid.UUID
    reference: str
    category: Category
    acute: bool
    urgency: Urgency
    description: str
    noticed_on: date | None
    status: Status
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
    # What the token is derived from with SECRET_KEY (service/reports/tokens.py).
    tracking_salt: bytes | None = None
    synthetic: bool = False  # demo data


async def insert_case(
    connection: Connection, case: NewCase, at: datetime, events: tuple[Event, ...]
) -> None:
    """The new case's row and its first events, numbered from 1, in one statement: one round
    trip where two were. The events' INSERT reads the case's RETURNING, so the case is made
    first; the events' foreign key is checked at the end of the statement, when it is there."""
    await connection.execute(
        """
        WITH new_case AS (
            INSERT INTO cases (
                id, reference, category, acute, urgency, description, noticed_on, status,
                corporation_id, address_id, bag_id, postcode, house_number, house_letter,
                addition, street, city, municipality_code, reporter_id, tracking_token_hash,
                acknowledge_by, inspect_by, resolve_by, reported_at, updated_at,
                last_event_seq, synthetic, tracking_salt
            ) VALUES (
                $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
                $16, $17, $18, $19, $20, $21, $22, $23, $24, $24, $25, $26, $27
            )
            RETURNING id
        )
        INSERT INTO case_events
            (case_id, at, seq, actor, actor_user_id, kind, from_status, to_status, public, data)
        SELECT new_case.id, $24, e.*
        FROM new_case,
             unnest($28::integer[], $29::text[], $30::bigint[], $31::text[], $32::text[],
                    $33::text[], $34::boolean[], $35::jsonb[]) AS e
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
        at,
        len(events),
        case.synthetic,
        case.tracking_salt,
        *_event_columns(1, events),
    )


async def update_case(
    connection: Connection,
    case_id: uuid.UUID,
    columns: dict[str, Any],
    at: datetime,
    event_count: int,
) -> None:
    """Set columns on the locked case row, bump its version, count its new events."""
    unknown = set(columns) - UPDATABLE
    if unknown:
        raise ValueError(f"not updatable: {sorted(unknown)}")
    names = list(columns)
    assignments = "".join(f"{name} = ${index}, " for index, name in enumerate(names, 4))
    await connection.execute(
        f"""
        UPDATE cases SET {assignments}
            version = version + 1, updated_at = $2, last_event_seq = last_event_seq + $3
        WHERE id = $1
        """,  # noqa: S608 - column names come from UPDATABLE only
        case_id,
        at,
        event_count,
        *(columns[name] for name in names),
    )


async def append_events(
    connection: Connection,
    case_id: uuid.UUID,
    first_seq: int,
    at: datetime,
    events: tuple[Event, ...],
) -> None:
    """The one INSERT into case_events: the change's events, numbered on from first_seq."""
    await connection.execute(
        """
        INSERT INTO case_events
            (case_id, at, seq, actor, actor_user_id, kind, from_status, to_status, public, data)
        SELECT $1, $2, e.*
        FROM unnest($3::integer[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[],
                    $9::boolean[], $10::jsonb[]) AS e
        """,
        case_id,
        at,
        *_event_columns(first_seq, events),
    )


def _event_columns(first_seq: int, events: tuple[Event, ...]) -> tuple[list[Any], ...]:
    """The events as the arrays that unnest turns into case_events rows (from seq on)."""
    return (
        list(range(first_seq, first_seq + len(events))),
        [event.actor.name for event in events],
        [event.actor.user_id for event in events],
        [event.kind for event in events],
        [event.from_status for event in events],
        [event.to_status for event in events],
        [event.public for event in events],
        [event.data for event in events],
    )
