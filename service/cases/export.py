"""The case list as CSV: streamed straight from PostgreSQL's COPY, in constant memory.

PostgreSQL formats the CSV itself; rows flow through a small bounded queue to the HTTP
response, so the first bytes leave before the query has finished and memory stays flat
however many cases there are. No reporter data is in it.
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


# (header, SQL expression): the export's columns, in order.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("reference", "c.reference"),
    ("status", "c.status"),
    ("category", "c.category"),
    ("urgency", "c.urgency"),
    ("acute", "c.acute::text"),
    ("corporation", "co.code"),
    ("postcode", "c.postcode"),
    ("house_number", "c.house_number"),
    ("house_letter", "nullif(c.house_letter, '')"),
    ("addition", "nullif(c.addition, '')"),
    ("street", "c.street"),
    ("city", "c.city"),
    ("municipality_code", "c.municipality_code"),
    ("assignee", "u.name"),
    ("reported_at", _iso("c.reported_at")),
    ("acknowledge_by", _iso("c.acknowledge_by")),
    ("inspect_by", _iso("c.inspect_by")),
    ("resolve_by", _iso("c.resolve_by")),
    ("next_stage", "c.next_stage"),
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
