"""The case list as CSV: streamed straight from PostgreSQL's COPY, in constant memory.

PostgreSQL formats the CSV itself; rows flow through a small bounded queue to the HTTP
response, so the first bytes leave before the query has finished and memory stays flat
however many cases there are. No reporter data is in it.

A text cell that starts with =, +, -, @, a tab or a carriage return would run as a formula
in a spreadsheet (CSV injection): the query puts a single quote in front of it, OWASP's
rule, so Excel and LibreOffice show the text as it was typed.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from enum import StrEnum

import asyncpg

from service.cases.queue import CaseFilter, Sort, order_by, scoped_filters
from service.cases.store import SUMMARY_FROM

BOM = "\ufeff".encode()
# Chunks of COPY output waiting to be sent; beyond this the query waits for the client.
QUEUE_CHUNKS = 32


class Dialect(StrEnum):
    STANDARD = "standard"  # RFC 4180: comma, UTF-8
    EXCEL_NL = "excel-nl"  # what a Dutch Excel opens directly: semicolon, UTF-8 with BOM


def _iso(column: str) -> str:
    return f"""to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"""


# The first characters that start a formula: tab, carriage return, +, -, = and @. ascii()
# reads the first character's code without copying it: a third of left()'s cost per cell.
_FORMULA_STARTS = "9, 13, 43, 45, 61, 64"


def _text(expression: str) -> str:
    """A text column whose cells never start a formula: '=1+1 instead of =1+1."""
    return (
        f"CASE WHEN ascii({expression}) IN ({_FORMULA_STARTS}) "
        f"THEN '''' || {expression} ELSE {expression} END"
    )


# (header, SQL expression): the export's columns, in order. Every text column goes through
# _text; the house number, the boolean and the times cannot start a formula.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("reference", _text("c.reference")),
    ("status", _text("c.status")),
    ("category", _text("c.category")),
    ("urgency", _text("c.urgency")),
    ("acute", "c.acute::text"),
    ("corporation", _text("co.code")),
    ("postcode", _text("c.postcode")),
    ("house_number", "c.house_number"),
    ("house_letter", _text("nullif(c.house_letter, '')")),
    ("addition", _text("nullif(c.addition, '')")),
    ("street", _text("c.street")),
    ("city", _text("c.city")),
    ("municipality_code", _text("c.municipality_code")),
    ("assignee", _text("u.name")),
    ("reported_at", _iso("c.reported_at")),
    ("acknowledge_by", _iso("c.acknowledge_by")),
    ("inspect_by", _iso("c.inspect_by")),
    ("resolve_by", _iso("c.resolve_by")),
    ("next_stage", _text("c.next_stage")),
    ("next_deadline_at", _iso("c.next_deadline_at")),
    ("resolved_at", _iso("c.resolved_at")),
    ("closed_at", _iso("c.closed_at")),
)


def export_query(
    scope: int | None, user_id: int, filters: CaseFilter, sort: Sort
) -> tuple[str, list]:
    where = scoped_filters(scope, user_id, filters)
    columns = ", ".join(f'{expression} AS "{header}"' for header, expression in COLUMNS)
    condition = " AND ".join(where.clauses) or "true"
    sql = f"SELECT {columns} FROM {SUMMARY_FROM} WHERE {condition} ORDER BY {order_by(sort)}"  # noqa: S608 - constant fragments, values are parameters
    return sql, where.args


async def stream_csv(
    pool: asyncpg.Pool, sql: str, args: list, dialect: Dialect
) -> AsyncIterator[bytes]:
    chunks: asyncio.Queue[bytes | bytearray | None] = asyncio.Queue(maxsize=QUEUE_CHUNKS)

    async def copy() -> None:
        try:
            async with pool.acquire() as connection, connection.transaction(readonly=True):
                await connection.copy_from_query(
                    sql,
                    *args,
                    output=chunks.put,
                    format="csv",
                    header=True,
                    delimiter=";" if dialect is Dialect.EXCEL_NL else ",",
                    encoding="UTF8",
                )
        finally:
            await chunks.put(None)

    producer = asyncio.create_task(copy())
    try:
        if dialect is Dialect.EXCEL_NL:
            yield BOM
        while (chunk := await chunks.get()) is not None:
            yield bytes(chunk)  # COPY hands out bytearrays
        await producer  # surfaces a failed query
    finally:
        if not producer.done():  # the client went away: stop the query
            producer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await producer
