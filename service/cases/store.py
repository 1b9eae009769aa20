"""SQL of the staff case API. Every query that reads cases takes the caller's scope.

`scope` is the corporation id whose cases the caller may see, or None for region-wide
roles; the filter is in the SQL itself, so no code path can forget it.
"""

import uuid
from datetime import date, datetime, timedelta

import asyncpg

from service.db import Connection
from service.domain.workflow import Status
from service.who_looked.store import Viewer, recorded, viewer_parameters

SUMMARY_COLUMNS = """
    c.id, c.reference, c.status, c.category, c.acute, c.urgency, c.reported_at,
    c.postcode, c.house_number, c.house_letter, c.addition, c.street, c.city,
    c.municipality_code, c.bag_id, c.corporation_id,
    c.acknowledge_by, c.inspect_by, c.resolve_by, c.next_deadline_at,
    co.code AS corporation_code, co.name AS corporation_name,
    c.assignee_id, u.name AS assignee_name
"""
SUMMARY_FROM = """
    cases c
    LEFT JOIN corporations co ON co.id = c.corporation_id
    LEFT JOIN users u ON u.id = c.assignee_id
"""

_DETAIL_SQL = f"""
    SELECT {SUMMARY_COLUMNS},
           c.description, c.noticed_on, c.version, c.updated_at, c.closed_at,
           c.acknowledged_at, c.inspected_at, c.resolved_at, c.repaired_on, c.planned_at,
           c.referred_to, c.external_reference, c.on_hold_since, c.on_hold_previous_status,
           c.rejection_reason, c.last_event_seq, c.reporter_id, c.tracking_token_hash,
           c.anonymised_at, c.erasure_requested_at, c.erase_by,
           (SELECT d.reference FROM cases d WHERE d.id = c.duplicate_of) AS duplicate_of,
           r.name AS reporter_name, r.email AS reporter_email, r.phone AS reporter_phone,
           r.language AS reporter_language
    FROM {SUMMARY_FROM}
    JOIN reporters r ON r.id = c.reporter_id
    WHERE c.reference = $1 AND ($2::bigint IS NULL OR c.corporation_id = $2::bigint)
"""  # noqa: S608 - constant fragments, no input


async def case_detail(
    connection: Connection, reference: str, scope: int | None
) -> asyncpg.Record | None:
    return await connection.fetchrow(_DETAIL_SQL, reference, scope)


_DETAIL_SHOWN_SQL = recorded(_DETAIL_SQL, 3)


async def case_detail_shown(
    connection: Connection, reference: str, scope: int | None, viewer: Viewer
) -> asyncpg.Record | None:
    """The case with its reporter's contact details, and the record that viewer saw them."""
    return await connection.fetchrow(
        _DETAIL_SHOWN_SQL, reference, scope, *viewer_parameters(viewer)
    )


async def events_of(connection: Connection, case_id: uuid.UUID) -> list[asyncpg.Record]:
    return await connection.fetch(
        """
        SELECT seq, at, actor, kind, from_status, to_status, public, data
        FROM case_events WHERE case_id = $1 ORDER BY seq
        """,
        case_id,
    )


async def findings_of(connection: Connection, case_id: uuid.UUID) -> list[asyncpg.Record]:
    return await connection.fetch(
        """
        SELECT f.id, f.visited_on, f.recorded_at, u.name AS recorded_by, f.acute, f.earthquake_cause, f.summary,
               coalesce(
                   (SELECT jsonb_agg(jsonb_build_object(
                               'position', d.position, 'location', d.location,
                               'kind', d.kind,
                               'damage_class', d.damage_class,
                               'crack_width_mm', d.crack_width_mm::float8,
                               'description', d.description) ORDER BY d.position)
                    FROM damage_items d WHERE d.finding_id = f.id),
                   '[]'::jsonb) AS items
        FROM case_findings f JOIN users u ON u.id = f.recorded_by
        WHERE f.case_id = $1 ORDER BY f.visited_on, f.recorded_at, f.id
        """,
        case_id,
    )


async def has_findings(connection: Connection, case_id: uuid.UUID) -> bool:
    return await connection.fetchval(
        "SELECT EXISTS (SELECT 1 FROM case_findings WHERE case_id = $1)", case_id
    )


async def insert_finding(
    connection: Connection,
    case: asyncpg.Record,
    recorded_by: int,
    now: datetime,
    visited_on: date,
    *,
    acute: bool,
    earthquake_cause: str,
    summary: str | None,
    items: list[tuple[str, str, int, float | None, str | None]],
) -> int:
    finding_id = await connection.fetchval(
        """
        INSERT INTO case_findings
            (case_id, corporation_id, recorded_at, visited_on, recorded_by, acute,
             earthquake_cause, summary)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id
        """,
        case["id"],
        case["corporation_id"],
        now,
        visited_on,
        recorded_by,
        acute,
        earthquake_cause,
        summary,
    )
    await connection.executemany(
        """
        INSERT INTO damage_items
            (finding_id, position, location, kind, damage_class, crack_width_mm, description)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        """,
        [(finding_id, position, *item) for position, item in enumerate(items, 1)],
    )
    return finding_id


async def case_id_by_reference(
    connection: Connection, reference: str, scope: int | None
) -> uuid.UUID | None:
    return await connection.fetchval(
        "SELECT id FROM cases c WHERE c.reference = $1 "
        "AND ($2::bigint IS NULL OR c.corporation_id = $2::bigint)",
        reference,
        scope,
    )


async def assignable_user(
    connection: Connection, user_id: int, corporation_id: int | None
) -> asyncpg.Record | None:
    """An active user who may hold the case: staff of its corporation, or region-wide staff."""
    return await connection.fetchrow(
        """
        SELECT u.id, u.name FROM users u
        WHERE u.id = $1 AND u.active
          AND (u.corporation_id = $2 OR u.role IN ('coordinator', 'admin'))
        """,
        user_id,
        corporation_id,
    )


async def colleagues(connection: Connection, corporation_id: int) -> list[asyncpg.Record]:
    """The active staff of a corporation, who may be given its cases, by name."""
    return await connection.fetch(
        "SELECT id, name FROM users WHERE corporation_id = $1 AND active ORDER BY name, id",
        corporation_id,
    )


# How far back open reports count as possibly the same damage.
SIMILAR_WINDOW = timedelta(days=180)


async def similar_cases(
    connection: Connection, case: asyncpg.Record, scope: int | None, since: datetime
) -> tuple[list[asyncpg.Record], list[asyncpg.Record]]:
    open_in_scope = """
        c.id <> $1 AND case_is_open(c.status)
        AND ($2::bigint IS NULL OR c.corporation_id = $2::bigint)
    """
    same_address = await connection.fetch(
        f"""
        SELECT {SUMMARY_COLUMNS} FROM {SUMMARY_FROM}
        WHERE {open_in_scope} AND c.postcode = $3 AND c.house_number = $4
          AND c.house_letter = $5 AND c.addition = $6 AND c.reported_at >= $7
        ORDER BY c.reported_at DESC LIMIT 20
        """,  # noqa: S608 - constant fragments
        case["id"],
        scope,
        case["postcode"],
        case["house_number"],
        case["house_letter"],
        case["addition"],
        since,
    )
    same_postcode = await connection.fetch(
        f"""
        SELECT {SUMMARY_COLUMNS} FROM {SUMMARY_FROM}
        WHERE {open_in_scope} AND c.postcode = $3 AND c.category = $4
          AND NOT (c.house_number = $5 AND c.house_letter = $6 AND c.addition = $7)
        ORDER BY c.reported_at DESC LIMIT 20
        """,  # noqa: S608 - constant fragments
        case["id"],
        scope,
        case["postcode"],
        case["category"],
        case["house_number"],
        case["house_letter"],
        case["addition"],
    )
    return list(same_address), list(same_postcode)


# Unrouted cases for triage, acute first, then oldest, with the corporations intake suggested.
_UNROUTED_SQL = f"""
    SELECT {SUMMARY_COLUMNS}, c.version, c.description,
           (SELECT e.data -> 'suggestions' FROM case_events e
            WHERE e.case_id = c.id AND e.kind = 'unrouted'
            ORDER BY e.seq DESC LIMIT 1) AS suggestions
    FROM {SUMMARY_FROM}
    WHERE c.status = 'unrouted' AND ($1::bigint IS NULL OR c.corporation_id = $1::bigint)
    ORDER BY c.acute DESC, c.reported_at, c.id
    LIMIT $2
"""  # noqa: S608 - constant fragments


async def unrouted_cases(
    connection: Connection, scope: int | None, limit: int
) -> list[asyncpg.Record]:
    return await connection.fetch(_UNROUTED_SQL, scope, limit)


async def status_and_corporation(
    connection: Connection, reference: str, scope: int | None
) -> asyncpg.Record | None:
    return await connection.fetchrow(
        """
        SELECT c.status, co.name AS corporation_name
        FROM cases c LEFT JOIN corporations co ON co.id = c.corporation_id
        WHERE c.reference = $1 AND ($2::bigint IS NULL OR c.corporation_id = $2::bigint)
        """,
        reference,
        scope,
    )


async def next_unanswered_resolution(
    connection: Connection, resolved_before: datetime
) -> str | None:
    """The reference of a case resolved before then, locked; one no other worker holds."""
    return await connection.fetchval(
        """
        SELECT reference FROM cases
        WHERE status = $1 AND resolved_at < $2
        ORDER BY resolved_at
        LIMIT 1
        FOR UPDATE SKIP LOCKED
        """,
        Status.RESOLVED,
        resolved_before,
    )
