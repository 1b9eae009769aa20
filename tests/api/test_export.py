"""The CSV export, GET /api/v1/cases.csv: its columns, dialects, filters, scope and streaming.

A few cases are filed through the API and shaped with SQL so that every time in the file
is known; the streaming tests run the app under a real uvicorn with 20,000 more cases.
"""

import asyncio
import csv
import io
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import pytest

from service.domain.addresses import format_postcode
from service.domain.calendar import AMSTERDAM
from tests import factories
from tests.world import OTHER_HOME, OWN_HOME, UNKNOWN_HOME, World

EXPORT = "/api/v1/cases.csv"
HEADER = [
    "reference", "status", "category", "urgency", "acute", "corporation", "postcode",
    "house_number", "house_letter", "addition", "street", "city", "municipality_code",
    "assignee", "reported_at", "acknowledge_by", "inspect_by", "resolve_by", "next_stage",
    "next_deadline_at", "resolved_at", "closed_at",
]  # fmt: skip
TIME_COLUMNS = (
    "reported_at", "acknowledge_by", "inspect_by", "resolve_by", "next_deadline_at",
    "resolved_at", "closed_at",
)  # fmt: skip
EXCEL_NL_HEADER = [
    "Referentie", "Status", "Soort schade", "Urgentie", "Acuut", "Corporatie", "Postcode",
    "Huisnummer", "Huisletter", "Toevoeging", "Straat", "Plaats", "Gemeentecode",
    "Behandelaar", "Gemeld op", "Oppakken uiterlijk", "Inspecteren uiterlijk",
    "Afhandelen uiterlijk", "Volgende stap", "Volgende stap uiterlijk", "Termijn", "Hersteld op",
    "Afgesloten op",
]  # fmt: skip
EXCEL_NL_TIME_COLUMNS = (
    "Gemeld op", "Oppakken uiterlijk", "Inspecteren uiterlijk", "Afhandelen uiterlijk",
    "Volgende stap uiterlijk", "Hersteld op", "Afgesloten op",
)  # fmt: skip
ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
BOM = b"\xef\xbb\xbf"
# What the reporter told us, none of which may be in the file.
SECRET_REPORTER = {
    "name": "Quirijn Zwartbroek-Ypma",
    "email": "q.zwartbroek@voorbeeld-huurder.nl",
    "phone": "06 1234 5987",
    "language": "nl",
}
SECRET_DESCRIPTION = "Scheur XYZZY-4711 boven de keukendeur, sinds de beving van dinsdag."
TRICKY_STREET = 'Herestraat; "de Hoek", achter\nboven'
DAY = timedelta(days=1)


def ts(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.fixture
async def cases(world: World, conn: asyncpg.Connection) -> dict[str, str]:
    """name -> reference: three of Lefier's, one of Acantus's, one unrouted."""
    now = datetime.now(UTC)
    refs: dict[str, str] = {}
    refs["summer"] = (
        await world.report(
            OWN_HOME, reporter=SECRET_REPORTER, description=SECRET_DESCRIPTION, category="crack"
        )
    )["reference"]
    await factories.set_case_columns(
        conn,
        refs["summer"],
        reported_at=ts("2026-07-01T10:00:00.123456+02:00"),
        acknowledge_by=ts("2030-01-15T09:30:00+01:00"),
        inspect_by=ts("2030-02-01T00:00:00+01:00"),
        resolve_by=ts("2030-03-01T00:00:00+01:00"),
    )
    refs["breached"] = (await world.report(OWN_HOME, category="subsidence"))["reference"]
    await world.move(refs["breached"], world.who("manager"), "acknowledged")
    await factories.set_case_columns(
        conn,
        refs["breached"],
        reported_at=ts("2025-11-27T17:13:17.654321+01:00"),
        acknowledge_by=ts("2025-11-28T00:00:00+01:00"),
        inspect_by=now - 3 * DAY,
        resolve_by=now + 30 * DAY,
        street=TRICKY_STREET,
        assignee_id=world.who("inspector").id,
    )
    refs["closed"] = (await world.report(OWN_HOME, category="other"))["reference"]
    await factories.set_case_columns(
        conn,
        refs["closed"],
        status="closed",
        reported_at=ts("2026-10-01T08:00:00+02:00"),
        resolved_at=ts("2026-11-20T09:15:00+01:00"),
        closed_at=ts("2026-11-25T23:59:59.999+01:00"),
    )
    refs["acantus"] = (await world.report(OTHER_HOME, acute=True))["reference"]
    refs["unrouted"] = (await world.report(UNKNOWN_HOME))["reference"]
    return refs


def person(world: World, who: str):
    role, _, corporation = who.partition("@")
    return world.who(role, corporation or "lefier")


async def export(world: World, who: str = "coordinator", **params: Any) -> httpx.Response:
    response = await world.client.get(EXPORT, params=params, headers=person(world, who).headers)
    assert response.status_code == 200, response.text
    return response


def parse(response: httpx.Response) -> list[dict[str, str]]:
    """The rows of a file in either dialect, checked to have the header first."""
    raw = response.content
    excel = raw.startswith(BOM)
    text = raw.decode("utf-8-sig" if excel else "utf-8")
    header = EXCEL_NL_HEADER if excel else HEADER
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";" if excel else ","))
    assert rows[0] == header
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


async def references(world: World, who: str = "coordinator", **params: Any) -> list[str]:
    return [row["reference"] for row in parse(await export(world, who, **params))]


async def listed(world: World, who: str = "coordinator", **params: Any) -> list[str]:
    """The same filters on the case list, for comparison."""
    response = await world.client.get(
        "/api/v1/cases", params={**params, "limit": 200}, headers=person(world, who).headers
    )
    assert response.status_code == 200, response.text
    return [item["reference"] for item in response.json()["items"]]


# --- the file -----------------------------------------------------------------------------


async def test_header_then_one_row_per_case_in_scope(world: World, cases: dict[str, str]) -> None:
    everything = set(cases.values())
    for who in ("coordinator", "admin"):
        got = await references(world, who)
        assert sorted(got) == sorted(everything)
    lefier = {cases["summer"], cases["breached"], cases["closed"]}
    assert sorted(await references(world, "manager@lefier")) == sorted(lefier)
    assert await references(world, "manager@acantus") == [cases["acantus"]]


async def test_every_column_of_a_row(world: World, cases: dict[str, str]) -> None:
    rows = {row["reference"]: row for row in parse(await export(world))}
    assert rows[cases["breached"]] == {
        "reference": cases["breached"],
        "status": "acknowledged",
        "category": "subsidence",
        "urgency": "high",
        "acute": "false",
        "corporation": "lefier",
        "postcode": "9711AB",
        "house_number": "12",
        "house_letter": "",
        "addition": "",
        "street": TRICKY_STREET,
        "city": "Groningen",
        "municipality_code": "GM0014",
        "assignee": "Inspector lefier",
        "reported_at": "2025-11-27T16:13:17Z",
        "acknowledge_by": "2025-11-27T23:00:00Z",
        "inspect_by": rows[cases["breached"]]["inspect_by"],
        "resolve_by": rows[cases["breached"]]["resolve_by"],
        "next_stage": "inspect",
        "next_deadline_at": rows[cases["breached"]]["inspect_by"],
        "resolved_at": "",
        "closed_at": "",
    }
    summer = rows[cases["summer"]]
    assert summer["reported_at"] == "2026-07-01T08:00:00Z"  # summer time: UTC+2
    assert summer["acknowledge_by"] == "2030-01-15T08:30:00Z"
    assert summer["next_stage"] == "acknowledge"
    assert summer["next_deadline_at"] == "2030-01-15T08:30:00Z"
    closed = rows[cases["closed"]]
    assert (closed["status"], closed["next_stage"], closed["next_deadline_at"]) == (
        "closed",
        "",
        "",
    )
    assert closed["resolved_at"] == "2026-11-20T08:15:00Z"
    assert closed["closed_at"] == "2026-11-25T22:59:59Z"
    acantus = rows[cases["acantus"]]
    assert (acantus["corporation"], acantus["urgency"], acantus["acute"]) == (
        "acantus", "acute", "true",
    )  # fmt: skip
    unrouted = rows[cases["unrouted"]]
    assert (unrouted["status"], unrouted["corporation"], unrouted["municipality_code"]) == (
        "unrouted", "", "",
    )  # fmt: skip
    for row in rows.values():
        for column in TIME_COLUMNS:
            assert row[column] == "" or ISO_UTC.match(row[column]), (column, row[column])
        for column in ("reported_at", "acknowledge_by", "inspect_by", "resolve_by"):
            assert ISO_UTC.match(row[column])


async def test_no_reporter_data_in_the_file(world: World, cases: dict[str, str]) -> None:
    # A coordinator may see the reporter's contact details on the case; not in the export.
    detail = await world.case(cases["summer"], world.who("coordinator"))
    assert detail["reporter"]["name"] == SECRET_REPORTER["name"]
    for dialect in ("standard", "excel-nl"):
        text = (await export(world, dialect=dialect)).content.decode("utf-8-sig")
        for secret in (
            SECRET_REPORTER["name"], "Zwartbroek", SECRET_REPORTER["email"], "voorbeeld-huurder",
            "0612345987", "1234 5987", SECRET_DESCRIPTION, "XYZZY", "Jan Jansen",
            "jan@example.nl", "Diagonale scheur",
        ):  # fmt: skip
            assert secret.lower() not in text.lower(), secret


# --- filters and sort, as the case list has them ---------------------------------------------


async def test_the_filters_of_the_case_list(world: World, cases: dict[str, str]) -> None:
    c = cases
    expectations: list[tuple[dict[str, Any], set[str]]] = [
        ({"status": "new"}, {c["summer"], c["acantus"]}),
        ({"status": ["new", "unrouted"]}, {c["summer"], c["acantus"], c["unrouted"]}),
        ({"status": "closed"}, {c["closed"]}),
        ({"corporation": "acantus"}, {c["acantus"]}),
        ({"corporation": "lefier", "status": "new"}, {c["summer"]}),
        ({"deadline": "breached"}, {c["breached"]}),
        ({"deadline": "on_time"}, {c["summer"], c["acantus"], c["unrouted"]}),
        ({"urgency": "acute"}, {c["acantus"]}),
        ({"acute": "true"}, {c["acantus"]}),
        ({"category": "subsidence"}, {c["breached"]}),
        ({"municipality": "GM0014"}, {c["summer"], c["breached"], c["closed"], c["acantus"]}),
        ({"postcode": "9601"}, {c["acantus"]}),
        ({"q": "de hoek"}, {c["breached"]}),
        ({"q": c["closed"]}, {c["closed"]}),
        ({"assignee": str(world.who("inspector").id)}, {c["breached"]}),
        ({"assignee": "none", "corporation": "lefier"}, {c["summer"], c["closed"]}),
        ({"reported_from": "2026-07-01", "reported_to": "2026-10-01"}, {c["summer"], c["closed"]}),
    ]
    for params, expected in expectations:
        got = await references(world, **params)
        assert set(got) == expected, params
        assert len(got) == len(expected), params
        assert got == await listed(world, **params), params


async def test_the_sorts_of_the_case_list(world: World, cases: dict[str, str]) -> None:
    by_report = [cases[n] for n in ("breached", "summer", "closed")]
    assert await references(world, "manager@lefier", sort="reported") == by_report
    assert await references(world, "manager@lefier", sort="-reported") == by_report[::-1]
    for sort in ("deadline", "reported", "-reported"):
        assert await references(world, sort=sort) == await listed(world, sort=sort)
    # By next deadline: the breached one first, the closed one (no deadline) last.
    deadline_order = await references(world, "manager@lefier")
    assert deadline_order == [cases["breached"], cases["summer"], cases["closed"]]


async def test_bad_filters_are_bad_input(world: World, cases: dict[str, str]) -> None:
    for params in (
        {"municipality": "GM14"},
        {"postcode": "97A"},
        {"status": "lost"},
        {"deadline": "soon"},
        {"dialect": "tsv"},
        {"sort": "street"},
        {"reported_from": "1900-01-01"},
    ):
        response = await world.client.get(
            EXPORT, params=params, headers=world.who("coordinator").headers
        )
        assert response.status_code == 400, (params, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")


# --- dialects and headers --------------------------------------------------------------------


async def test_standard_dialect_is_comma_separated_without_bom(
    world: World, cases: dict[str, str]
) -> None:
    response = await export(world)
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert not response.content.startswith(BOM)
    assert response.content.startswith(b"reference,status,category,")
    assert response.content.split(b"\n", 1)[0].decode() == ",".join(HEADER)
    explicit = await export(world, dialect="standard")
    assert parse(explicit) == parse(response)
    rows = {row["reference"]: row for row in parse(response)}
    assert rows[cases["breached"]]["street"] == TRICKY_STREET


async def test_excel_nl_dialect_is_semicolon_separated_with_bom(
    world: World, cases: dict[str, str]
) -> None:
    response = await export(world, dialect="excel-nl")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(BOM + b"Referentie;Status;Soort schade;")
    assert response.content.count(BOM) == 1
    rows = parse(response)
    assert len(rows) == len(cases)
    by_reference = {row["Referentie"]: row for row in rows}
    # The semicolon, comma, quotes and newline of the street survive the round trip.
    assert by_reference[cases["breached"]]["Straat"] == TRICKY_STREET


async def test_excel_nl_dialect_speaks_dutch(world: World, cases: dict[str, str]) -> None:
    """Dutch headers and labels, Amsterdam time as dd-mm-jjjj uu:mm, postcodes as 9711 AB."""
    rows = {row["Referentie"]: row for row in parse(await export(world, dialect="excel-nl"))}
    breached = rows[cases["breached"]]
    assert {key: breached[key] for key in EXCEL_NL_HEADER if key not in ("Referentie",)} == {
        "Status": "In behandeling",
        "Soort schade": "Verzakking",
        "Urgentie": "Hoog",
        "Acuut": "Nee",
        "Corporatie": "Lefier",
        "Postcode": "9711 AB",
        "Huisnummer": "12",
        "Huisletter": "",
        "Toevoeging": "",
        "Straat": TRICKY_STREET,
        "Plaats": "Groningen",
        "Gemeentecode": "GM0014",
        "Behandelaar": "Inspector lefier",
        "Gemeld op": "27-11-2025 17:13",
        "Oppakken uiterlijk": "28-11-2025 00:00",
        "Inspecteren uiterlijk": breached["Inspecteren uiterlijk"],
        "Afhandelen uiterlijk": breached["Afhandelen uiterlijk"],
        "Volgende stap": "Inspecteren",
        "Volgende stap uiterlijk": breached["Inspecteren uiterlijk"],
        "Termijn": "Te laat",
        "Hersteld op": "",
        "Afgesloten op": "",
    }
    summer = rows[cases["summer"]]
    assert (summer["Status"], summer["Soort schade"], summer["Urgentie"]) == (
        "Nieuw", "Scheur", "Normaal",
    )  # fmt: skip
    assert summer["Gemeld op"] == "01-07-2026 10:00"  # summer time: UTC+2
    assert (summer["Volgende stap"], summer["Termijn"]) == ("Oppakken", "Op tijd")
    closed = rows[cases["closed"]]
    assert (closed["Status"], closed["Volgende stap"], closed["Termijn"]) == ("Afgesloten", "", "")
    assert (closed["Hersteld op"], closed["Afgesloten op"]) == (
        "20-11-2026 09:15", "25-11-2026 23:59",
    )  # fmt: skip
    acantus = rows[cases["acantus"]]
    assert (acantus["Corporatie"], acantus["Urgentie"], acantus["Acuut"]) == (
        "Acantus", "Acuut", "Ja",
    )  # fmt: skip
    assert acantus["Postcode"] == format_postcode(OTHER_HOME["postcode"])
    assert rows[cases["unrouted"]]["Status"] == "Wacht op triage"
    # Every time is the standard file's UTC time in Amsterdam, to the minute.
    standard = {row["reference"]: row for row in parse(await export(world))}
    assert sorted(standard) == sorted(rows)
    for reference, row in rows.items():
        for iso_column, dutch_column in zip(TIME_COLUMNS, EXCEL_NL_TIME_COLUMNS, strict=True):
            iso = standard[reference][iso_column]
            expected = iso and datetime.fromisoformat(iso).astimezone(AMSTERDAM).strftime(
                "%d-%m-%Y %H:%M"
            )
            assert row[dutch_column] == expected, (dutch_column, iso)


async def test_the_file_is_an_attachment_named_after_today_and_its_dialect(
    world: World, cases: dict[str, str]
) -> None:
    today = datetime.now(UTC).astimezone(AMSTERDAM).date().isoformat()
    names = {
        "standard": f"cases-{today}.csv",
        "excel-nl": f"schademeldingen-{today}-excel-nl.csv",
    }
    for dialect, name in names.items():
        response = await export(world, dialect=dialect)
        assert response.headers["content-disposition"] == f'attachment; filename="{name}"'


# --- scope -----------------------------------------------------------------------------------


async def test_a_manager_exports_only_the_own_corporation(
    world: World, cases: dict[str, str]
) -> None:
    text = (await export(world, "manager@lefier")).text
    assert cases["acantus"] not in text
    assert cases["unrouted"] not in text
    assert "acantus" not in text.lower()
    # Asking for another corporation finds nothing rather than its cases.
    assert await references(world, "manager@lefier", corporation="acantus") == []
    assert await references(world, "manager@acantus", status="new") == [cases["acantus"]]


async def test_inspectors_may_not_and_strangers_must_log_in(
    world: World, cases: dict[str, str]
) -> None:
    for who in ("inspector@lefier", "inspector@acantus"):
        response = await world.client.get(EXPORT, headers=person(world, who).headers)
        assert response.status_code == 403, response.text
        assert cases["summer"] not in response.text
    response = await world.client.get(EXPORT)
    assert response.status_code == 401
    response = await world.client.get(EXPORT, headers={"Authorization": "Bearer nonsense"})
    assert response.status_code == 401


# --- streaming -------------------------------------------------------------------------------

MANY = 20_000
# Rows of about 1.3 kB: 20,000 of them (some 26 MB) are far more than the socket buffers
# and the export's queue hold, so the COPY cannot finish before the client reads on.
LONG_STREET = "Lange Dwarsstraat bij de Grote Markt " * 30

COPY_RUNNING = """
    SELECT count(*) FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid()
      AND query LIKE 'COPY (SELECT%' AND state <> 'idle'
"""


async def copy_running(conn: asyncpg.Connection) -> bool:
    return await conn.fetchval(COPY_RUNNING) > 0


async def wait_until(conn: asyncpg.Connection, running: bool, seconds: float) -> bool:
    """Poll pg_stat_activity until the export's COPY is (not) running; whether it came."""
    for _ in range(int(seconds / 0.05)):
        if await copy_running(conn) == running:
            return True
        await asyncio.sleep(0.05)
    return await copy_running(conn) == running


@pytest.fixture
async def many(world: World, conn: asyncpg.Connection) -> str:
    """20,001 cases of Lefier: one filed, the rest copies of it with their own references."""
    source = (await world.report(OWN_HOME))["reference"]
    await conn.execute("UPDATE cases SET street = $2 WHERE reference = $1", source, LONG_STREET)
    await factories.bulk_copies(conn, source, MANY)
    return source


async def test_the_export_streams_while_the_query_still_runs(
    world: World, conn: asyncpg.Connection, many: str, live_server: str
) -> None:
    headers = world.who("manager").headers
    async with (
        httpx.AsyncClient(base_url=live_server, timeout=60) as http,
        http.stream("GET", EXPORT, headers=headers) as response,
    ):
        assert response.status_code == 200
        chunks = response.aiter_raw()
        first = await anext(chunks)
        assert first.startswith(b"reference,status,")
        # The first bytes are here, and the database is still producing the rest.
        assert await wait_until(conn, running=True, seconds=2), "COPY not running"
        assert await copy_running(conn)
        size, lines = len(first), first.count(b"\n")
        async for chunk in chunks:
            size += len(chunk)
            lines += chunk.count(b"\n")
    assert lines == 1 + MANY + 1  # the header, the copies and the one filed
    assert size > 20 * 1024 * 1024
    assert await wait_until(conn, running=False, seconds=2)


def export_tasks() -> list[asyncio.Task]:
    """Tasks of the export still alive in this loop (the live server runs in it too)."""
    return [
        task
        for task in asyncio.all_tasks()
        if not task.done() and "stream_csv" in task.get_coro().__qualname__
    ]


async def test_an_aborted_download_leaves_no_query_running(
    world: World, conn: asyncpg.Connection, many: str, live_server: str
) -> None:
    headers = world.who("manager").headers
    async with httpx.AsyncClient(base_url=live_server, timeout=60) as http:
        async with http.stream("GET", EXPORT, headers=headers) as response:
            assert response.status_code == 200
            first = await anext(response.aiter_raw())
            assert first.startswith(b"reference,status,")
            assert await wait_until(conn, running=True, seconds=2), "COPY not running"
        # The client went away after one chunk: within a second or two, nothing is left.
        assert await wait_until(conn, running=False, seconds=2), "COPY still running"
        for _ in range(40):
            if not export_tasks():
                break
            await asyncio.sleep(0.05)
        assert export_tasks() == []
        # And the server's connections still serve the next export.
        response = await http.get(EXPORT, params={"q": many}, headers=headers)
        assert response.status_code == 200
        assert response.text.count("\n") == 2
