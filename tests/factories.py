"""Small builders of test data, written with plain SQL."""

from typing import Any

import asyncpg


async def corporation(connection: asyncpg.Connection, code: str, name: str | None = None) -> int:
    return await connection.fetchval(
        "INSERT INTO corporations (code, name) VALUES ($1, $2) RETURNING id",
        code,
        name or code.title(),
    )


async def home(
    connection: asyncpg.Connection,
    corporation_id: int,
    postcode: str,
    house_number: int,
    *,
    house_letter: str = "",
    addition: str = "",
    bag_id: str | None = None,
    street: str = "Herestraat",
    city: str = "Groningen",
    municipality_code: str | None = "GM0014",
) -> int:
    return await connection.fetchval(
        """
        INSERT INTO addresses (corporation_id, bag_id, postcode, house_number, house_letter,
                               addition, street, city, municipality_code)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id
        """,
        corporation_id,
        bag_id,
        postcode,
        house_number,
        house_letter,
        addition,
        street,
        city,
        municipality_code,
    )


def report_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "category": "crack",
        "description": "Diagonale scheur boven de deur van de woonkamer.",
        "acute": False,
        "address": {"postcode": "9711 AB", "house_number": 12},
        "reporter": {"name": "Jan Jansen", "email": "jan@example.nl", "language": "nl"},
    }
    body.update(overrides)
    return body
