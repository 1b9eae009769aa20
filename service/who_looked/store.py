"""SQL of the record of who looked at a reporter's contact details.

Recording adds no round trip: the case's own query carries the INSERT in a data-modifying
CTE (`shown`), so the row is written by the statement that reads the contact details, or the
statement fails and so does the request: what was shown is always on record.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import asyncpg

from service.db import Connection


class Route(StrEnum):
    CASE_PAGE = "case_page"
    API_DETAIL = "api_detail"


@dataclass(frozen=True)
class Viewer:
    """Who is shown the contact details, where, and whether masked (their role decides)."""

    user_id: int
    route: Route
    masked: bool
    at: datetime


def recorded(select_one_case: str, first_parameter: int) -> str:
    """The query (which selects at most one case, with its `id`) that also records the view.

    Its parameters come first; the viewer's are the four after them (viewer_parameters).
    """
    user, route, masked, at = (f"${first_parameter + i}" for i in range(4))
    return f"""
        WITH shown AS ({select_one_case}),
        logged AS (
            INSERT INTO contact_views (at, user_id, case_id, route, masked)
            SELECT {at}, {user}, id, {route}, {masked} FROM shown
        )
        SELECT * FROM shown
    """  # noqa: S608 - constant fragments, values are parameters


def viewer_parameters(viewer: Viewer) -> tuple[int, str, bool, datetime]:
    return viewer.user_id, viewer.route.value, viewer.masked, viewer.at


# Newest first; the cursor is the id of the last row of the page before.
_LIST_SQL = """
    SELECT v.id, v.at, v.route, v.masked, c.reference, u.id AS user_id, u.email, u.name
    FROM contact_views v
    JOIN cases c ON c.id = v.case_id
    JOIN users u ON u.id = v.user_id
    WHERE {which} AND ($2::bigint IS NULL OR v.id < $2::bigint)
    ORDER BY v.id DESC
    LIMIT $3
"""


async def views_of_case(
    connection: Connection, case_id: uuid.UUID, before: int | None, limit: int
) -> list[asyncpg.Record]:
    return await connection.fetch(_LIST_SQL.format(which="v.case_id = $1"), case_id, before, limit)


async def views_by_user(
    connection: Connection, user_id: int, before: int | None, limit: int
) -> list[asyncpg.Record]:
    return await connection.fetch(_LIST_SQL.format(which="v.user_id = $1"), user_id, before, limit)


async def user_exists(connection: Connection, user_id: int) -> bool:
    return await connection.fetchval("SELECT EXISTS (SELECT 1 FROM users WHERE id = $1)", user_id)


async def user_id_by_email(connection: Connection, email: str) -> int | None:
    return await connection.fetchval("SELECT id FROM users WHERE email = lower($1)", email)
