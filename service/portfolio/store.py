"""SQL for the portfolio register: finding a home and who owns it."""

from typing import Any

import asyncpg

from service.corporations import store as corporations
from service.db import Connection
from service.domain.addresses import NormalisedAddress
from service.domain.routing import HomeCount, rank_suggestions

_HOME_COLUMNS = """
    a.id, a.bag_id, a.postcode, a.house_number, a.house_letter, a.addition,
    a.street, a.city, a.municipality_code, a.lat, a.lon,
    c.id AS corporation_id, c.code AS corporation_code, c.name AS corporation_name,
    c.emergency_phone AS corporation_emergency_phone
"""


async def home_by_bag_id(connection: Connection, bag_id: str) -> asyncpg.Record | None:
    return await connection.fetchrow(
        f"""
        SELECT {_HOME_COLUMNS}
        FROM addresses a JOIN corporations c ON c.id = a.corporation_id AND c.active
        WHERE a.bag_id = $1
        """,  # noqa: S608 - a constant column list, no input
        bag_id,
    )


async def home_by_address(
    connection: Connection, address: NormalisedAddress
) -> asyncpg.Record | None:
    return await connection.fetchrow(
        f"""
        SELECT {_HOME_COLUMNS}
        FROM addresses a JOIN corporations c ON c.id = a.corporation_id AND c.active
        WHERE a.postcode = $1 AND a.house_number = $2 AND a.house_letter = $3 AND a.addition = $4
        """,  # noqa: S608 - a constant column list, no input
        address.postcode,
        address.house_number,
        address.house_letter or "",
        address.addition or "",
    )


async def register_home(
    connection: Connection,
    *,
    corporation_id: int,
    bag_id: str | None,
    postcode: str,
    house_number: int,
    house_letter: str,
    addition: str,
    street: str,
    city: str,
) -> int | None:
    """Add a home to the corporation's register; None when the address is registered already."""
    return await connection.fetchval(
        """
        INSERT INTO addresses
            (corporation_id, bag_id, postcode, house_number, house_letter, addition, street, city)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        ON CONFLICT (postcode, house_number, house_letter, addition) DO NOTHING
        RETURNING id
        """,
        corporation_id,
        bag_id,
        postcode,
        house_number,
        house_letter,
        addition,
        street,
        city,
    )


async def home_counts_near(connection: Connection, postcode: str) -> list[HomeCount]:
    """Homes per active corporation in this postcode and in its 4-digit area."""
    rows = await connection.fetch(
        """
        SELECT a.corporation_id,
               count(*) FILTER (WHERE a.postcode = $1) AS homes_in_postcode,
               count(*) AS homes_in_area
        FROM addresses a JOIN corporations c ON c.id = a.corporation_id AND c.active
        WHERE left(a.postcode, 4) = left($1, 4)
        GROUP BY a.corporation_id
        """,
        postcode,
    )
    return [
        HomeCount(r["corporation_id"], r["homes_in_postcode"], r["homes_in_area"]) for r in rows
    ]


async def suggest_corporations(connection: Connection, postcode: str) -> list[dict[str, Any]]:
    """Corporations that likely own an unregistered home, best first, for the triage queue."""
    ranked = rank_suggestions(await home_counts_near(connection, postcode))
    if not ranked:
        return []
    names = await corporations.corporations_by_id(connection, [s.corporation_id for s in ranked])
    return [
        {
            "corporation_code": names[s.corporation_id]["code"],
            "corporation_name": names[s.corporation_id]["name"],
            "homes_in_postcode": s.homes_in_postcode,
            "homes_in_area": s.homes_in_area,
        }
        for s in ranked
    ]
