"""SQL of GET requests: the cases asked for, newest first, and the centres of their
4-digit postcode areas."""

import asyncpg

from service.db import Connection
from service.domain.open311 import Open311Status, RequestFilters, search_box
from service.domain.workflow import FINISHED_STATUSES, Status

_REQUESTS = """
    SELECT c.reference, c.category, c.status, c.reported_at, c.updated_at, c.resolve_by,
           c.description, c.bag_id, c.postcode, c.house_number, c.house_letter, c.addition,
           c.street, c.city, a.lat, a.lon, co.name AS corporation_name, s.partner_id
    FROM cases c
    LEFT JOIN corporations co ON co.id = c.corporation_id
    LEFT JOIN addresses a ON a.id = c.address_id
    LEFT JOIN open311_submissions s ON s.case_id = c.id
    WHERE (cardinality($1::text[]) = 0 OR c.reference = ANY($1::text[]))
      AND ($2::timestamptz IS NULL OR c.reported_at >= $2)
      AND ($3::timestamptz IS NULL OR c.reported_at <= $3)
      AND (cardinality($4::text[]) = 0 OR c.category = ANY($4::text[]))
      AND (cardinality($5::text[]) = 0 OR c.status = ANY($5::text[]))
    ORDER BY c.reported_at DESC, c.reference DESC
    LIMIT $6
"""


def _statuses(asked: tuple[Open311Status, ...]) -> list[str]:
    """The case statuses behind open and closed; none (all) when both or neither is asked."""
    if len(set(asked)) != 1:
        return []
    closed = asked[0] is Open311Status.CLOSED
    return sorted(s.value for s in Status if (s in FINISHED_STATUSES) == closed)


async def requests(
    connection: Connection, filters: RequestFilters, limit: int
) -> list[asyncpg.Record]:
    return await connection.fetch(
        _REQUESTS,
        list(filters.references),
        filters.start,
        filters.end,
        [category.value for category in filters.categories],
        _statuses(filters.statuses),
        limit,
    )


async def area_centres(connection: Connection, areas: set[str]) -> dict[str, tuple[float, float]]:
    """The mean position of the registered homes with coordinates in each 4-digit area."""
    rows = await connection.fetch(
        """
        SELECT left(postcode, 4) AS area, avg(lat) AS lat, avg(lon) AS lon
        FROM addresses
        WHERE left(postcode, 4) = ANY($1::text[]) AND lat IS NOT NULL
        GROUP BY left(postcode, 4)
        """,
        sorted(areas),
    )
    return {row["area"]: (round(row["lat"], 4), round(row["lon"], 4)) for row in rows}


async def nearest_home(
    connection: Connection, latitude: float, longitude: float, metres: float
) -> asyncpg.Record | None:
    """The registered home nearest to a position, if one is within metres of it."""
    height, width = search_box(latitude, longitude, metres)
    return await connection.fetchrow(
        """
        SELECT postcode, house_number, house_letter, addition, distance
        FROM (
            SELECT postcode, house_number, house_letter, addition,
                   sqrt(power((lat - $1) * 111320, 2)
                        + power((lon - $2) * 111320 * cos(radians($1)), 2)) AS distance
            FROM addresses
            WHERE lat BETWEEN $1 - $3 AND $1 + $3 AND lon BETWEEN $2 - $4 AND $2 + $4
        ) near
        WHERE distance <= $5
        ORDER BY distance
        LIMIT 1
        """,
        latitude,
        longitude,
        height,
        width,
        metres,
    )
