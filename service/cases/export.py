"""The case list as CSV: streamed straight from PostgreSQL's COPY, in constant memory.

PostgreSQL formats the CSV itself; rows flow through a small bounded queue to the HTTP
response, so the first bytes leave before the query has finished and memory stays flat
however many cases there are. No reporter data is in it.

A text cell that starts with =, +, -, @, a tab or a carriage return would run as a formula
in a spreadsheet (CSV injection): the query puts a single quote in front of it, OWASP's
rule, so Excel and LibreOffice show the text as it was typed.

Exports run on connections of their own, a few at a time (ExportCapacity), and give up on
a client that stops reading: slow downloads cannot take the service's connections.
"""

import asyncio
import contextlib
import functools
import logging
from collections.abc import AsyncGenerator, Awaitable, Callable
from enum import StrEnum
from typing import Any

import anyio
import asyncpg
from asyncpg.pool import PoolConnectionProxy
from litestar.response import Stream
from litestar.response.base import ASGIResponse
from litestar.types import Message, Receive, Scope, Send

from service.cases.queue import CaseFilter, Sort, order_by, scoped_filters
from service.cases.store import SUMMARY_FROM
from service.outage import database_unavailable

logger = logging.getLogger(__name__)

BOM = "\ufeff".encode()
# Chunks of COPY output waiting to be sent; beyond this the query waits for the client.
QUEUE_CHUNKS = 32
# Seconds a client turned away because every export is running is asked to wait.
BUSY_RETRY_AFTER = 30


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
    connection: PoolConnectionProxy, sql: str, args: list, dialect: Dialect
) -> AsyncGenerator[bytes, None]:
    chunks: asyncio.Queue[bytes | bytearray | None] = asyncio.Queue(maxsize=QUEUE_CHUNKS)

    async def copy() -> None:
        # One statement, so one snapshot, without a transaction around it: cancelled (the
        # client went away), a transaction's ROLLBACK would meet the COPY still winding down.
        try:
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
            current = asyncio.current_task()
            # The end for the reader; unless it cancelled us: then none reads on, and a full
            # queue would keep us waiting here for ever.
            if current is None or not current.cancelling():
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
            # A COPY cut short leaves asyncpg's connection in the middle of the protocol,
            # unfit for the next query (MagicStack/asyncpg#784): close it, the pool opens
            # another.
            connection.terminate()


class TooManyExports(Exception):
    """Every export this process may run at once is running (answered 429)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"{limit} exports are running")
        self.limit = limit
        self.retry_after = BUSY_RETRY_AFTER


class ExportCapacity:
    """At most `limit` exports at once in this process, each on a connection of its own pool.

    An export holds its connection while the client downloads, however slowly; on a pool of
    their own, exports can never take the connections that intake and the case list need.
    A client that takes no bytes for write_timeout seconds loses its download, and the
    export its connection.
    """

    def __init__(self, pool: asyncpg.Pool, limit: int, write_timeout: float) -> None:
        self._pool = pool
        self.limit = limit
        self.write_timeout = write_timeout
        self.running = 0

    async def start(self, sql: str, args: list, dialect: Dialect, filename: str) -> Stream:
        """The export as a response, its connection taken; TooManyExports when none is free."""
        if self.running >= self.limit:
            raise TooManyExports(self.limit)
        self.running += 1
        try:
            connection = await self._pool.acquire()
        except BaseException:
            self.running -= 1
            raise
        return _CsvResponse(
            stream_csv(connection, sql, args, dialect),
            finish=functools.partial(self._finish, connection),
            write_timeout=self.write_timeout,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    async def _finish(self, connection: PoolConnectionProxy) -> None:
        try:
            await self._pool.release(connection)
        finally:
            self.running -= 1


class _CsvResponse(Stream):
    """A stream whose every write must be taken by the client within write_timeout seconds,
    and which hands its connection back however the response ends."""

    def __init__(
        self,
        content: AsyncGenerator[bytes, None],
        *,
        finish: Callable[[], Awaitable[None]],
        write_timeout: float,
        **options: Any,
    ) -> None:
        super().__init__(content, **options)
        self._content = content
        self._finish = finish
        self._write_timeout = write_timeout

    def to_asgi_response(self, *args: Any, **kwargs: Any) -> ASGIResponse:
        streaming = super().to_asgi_response(*args, **kwargs)
        content, finish, write_timeout = self._content, self._finish, self._write_timeout

        async def respond(scope: Scope, receive: Receive, send: Send) -> None:
            async def send_in_time(message: Message) -> None:
                try:
                    with anyio.fail_after(write_timeout):
                        await send(message)
                except TimeoutError:
                    raise _ClientTooSlow from None

            try:
                await streaming(scope, receive, send_in_time)
            except* _ClientTooSlow:
                # The connection to the client stays open until it reads or goes away; the
                # export's query and connection do not wait for it.
                logger.info("export stopped: the client took nothing for %.0f s", write_timeout)
            except* Exception as failed:
                if not all(database_unavailable(error) for error in failed.exceptions):
                    raise
                # The 200 went out already: the response ends unfinished, so that the client
                # sees a broken download rather than a file that looks complete.
                logger.warning("export cut short: the database went away")
            finally:
                await content.aclose()  # stops the query if it still runs
                await finish()

        return _AsgiCallable(respond)


class _ClientTooSlow(Exception):
    """The client took none of the export's bytes for the write timeout."""


class _AsgiCallable(ASGIResponse):
    """An ASGI callable where Litestar expects its ASGIResponse."""

    def __init__(self, respond: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        super().__init__()
        self._respond = respond

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._respond(scope, receive, send)
