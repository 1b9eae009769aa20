"""Open311 tests' helpers: a partner with its api_key, a POST form, the two formats."""

import xml.etree.ElementTree as ET
from typing import Any

import asyncpg

from service.open311.partners import add_partner, new_api_key

BASE = "/open311/v2"
FORM = "application/x-www-form-urlencoded"
NAME = "Jan Jansen"
DESCRIPTION = "Diagonale scheur boven de deur van de woonkamer."


async def partner(connection: asyncpg.Connection, name: str = "Gemeente Groningen") -> str:
    """A new partner's api_key."""
    api_key = new_api_key()
    await add_partner(connection, name, api_key)
    return api_key


def request_form(api_key: str, **overrides: str) -> dict[str, str]:
    form = {
        "api_key": api_key,
        "service_code": "crack",
        "address_string": "Herestraat 12, 9711 AB Groningen",
        "first_name": "Jan",
        "last_name": "Jansen",
        "email": "jan@example.nl",
        "description": DESCRIPTION,
    }
    form.update(overrides)
    return {name: value for name, value in form.items() if value is not None}


def xml_items(text: str, root: str, item: str) -> list[dict[str, Any]]:
    """The items of an XML answer as dicts of their child elements' text ('' when empty)."""
    document = ET.fromstring(text.encode())  # noqa: S314 - our own server's answer
    assert document.tag == root
    return [{child.tag: child.text or "" for child in element} for element in document]


def as_xml_text(value: Any) -> str:
    """A JSON value as the XML answer writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
