"""The case list as CSV: streamed straight from PostgreSQL's COPY, in constant memory.

PostgreSQL formats the CSV itself; rows flow through a small bounded queue to the HTTP
response, so the first bytes leave before the query has finished and memory stays flat
however many cases there are. No reporter data is in it.

Two dialects: the standard file is for programs (commas, codes, ISO times in UTC) and keeps
its shape; Excel (NL) is for people (semicolons and a BOM, Dutch headers, the pages' Dutch
labels, times on Amsterdam's clock, postcodes as "9711 AB"). PostgreSQL writes both: the
labels are CASE expressions built from the pages' tables, so the streaming stays as it is.

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
from collections.abc import AsyncGenerator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date
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
from service.domain.calendar import AMSTERDAM
from service.domain.categories import Category, category_label
from service.domain.sla import Stage, Urgency
from service.domain.workflow import Status
from service.outage import database_unavailable
from service.web.texts import page_texts, staff_status_label

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


def _local(column: str) -> str:
    """A time as a Dutch reader writes it: on Amsterdam's clock, dd-mm-jjjj uu:mm."""
    return f"to_char({column} AT TIME ZONE '{AMSTERDAM.key}', 'DD-MM-YYYY HH24:MI')"


# The first characters that start a formula: tab, carriage return, +, -, = and @. ascii()
# reads the first character's code without copying it: a third of left()'s cost per cell.
_FORMULA_STARTS = "9, 13, 43, 45, 61, 64"


def _text(expression: str) -> str:
    """A text column whose cells never start a formula: '=1+1 instead of =1+1."""
    return (
        f"CASE WHEN ascii({expression}) IN ({_FORMULA_STARTS}) "
        f"THEN '''' || {expression} ELSE {expression} END"
    )


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _labelled(expression: str, labels: Mapping[str, str]) -> str:
    """A code as the pages name it; an empty cell stays empty, a code without a label shows
    as itself."""
    whens = " ".join(
        f"WHEN {_literal(code)} THEN {_literal(label)}" for code, label in labels.items()
    )
    return f"CASE {expression} {whens} ELSE {expression} END"


# The Dutch words of the pages, so that the file and the screens name things alike.
_DUTCH = page_texts("nl")
_STATUS_NL = {status.value: staff_status_label(status, "nl") for status in Status}
_CATEGORY_NL = {category.value: category_label(category, "nl") for category in Category}
_URGENCY_NL = {urgency.value: _DUTCH[f"urgency_{urgency}"] for urgency in Urgency}
_STAGE_NL = {stage.value: _DUTCH[f"dashboard_stage_{stage}"] for stage in Stage}
# The next deadline's state as the case list's deadline filter reads it (service.cases.queue).
_DEADLINE_STATE_NL = (
    "CASE WHEN c.next_deadline_at IS NULL THEN NULL"
    f" WHEN c.next_deadline_at < now() THEN {_literal(_DUTCH['deadline_breached'])}"
    f" WHEN c.next_at_risk_at <= now() THEN {_literal(_DUTCH['deadline_at_risk'])}"
    f" ELSE {_literal(_DUTCH['deadline_on_time'])} END"
)
# Stored "9711AB" written "9711 AB", as service.domain.addresses.format_postcode does.
# An anonymised case's area "9711" stays "9711".
_POSTCODE_NL = "rtrim(substr(c.postcode, 1, 4) || ' ' || substr(c.postcode, 5))"


@dataclass(frozen=True)
class Column:
    """One column of the file; `standard` and `excel_nl` are (header, SQL expression), and a
    column without `standard` is in the Excel (NL) file only."""

    standard: tuple[str, str] | None
    excel_nl: tuple[str, str]


def _same(header: str, header_nl: str, expression: str) -> Column:
    return Column((header, expression), (header_nl, expression))


# The export's columns, in order. The standard dialect is for programs and never changes
# shape: codes, ISO times in UTC. Excel (NL) is for people: Dutch headers and labels, times
# on Amsterdam's clock, and the next deadline's state. Every text a person typed goes
# through _text; our labels, numbers, booleans and times cannot start a formula.
COLUMNS: tuple[Column, ...] = (
    _same("reference", "Referentie", _text("c.reference")),
    Column(("status", _text("c.status")), ("Status", _labelled("c.status", _STATUS_NL))),
    Column(
        ("category", _text("c.category")),
        ("Soort schade", _labelled("c.category", _CATEGORY_NL)),
    ),
    Column(("urgency", _text("c.urgency")), ("Urgentie", _labelled("c.urgency", _URGENCY_NL))),
    Column(("acute", "c.acute::text"), ("Acuut", "CASE WHEN c.acute THEN 'Ja' ELSE 'Nee' END")),
    Column(("corporation", _text("co.code")), ("Corporatie", _text("co.name"))),
    Column(("postcode", _text("c.postcode")), ("Postcode", _POSTCODE_NL)),
    _same("house_number", "Huisnummer", "c.house_number"),
    _same("house_letter", "Huisletter", _text("nullif(c.house_letter, '')")),
    _same("addition", "Toevoeging", _text("nullif(c.addition, '')")),
    _same("street", "Straat", _text("c.street")),
    _same("city", "Plaats", _text("c.city")),
    _same("municipality_code", "Gemeentecode", _text("c.municipality_code")),
    _same("assignee", "Behandelaar", _text("u.name")),
    Column(("reported_at", _iso("c.reported_at")), ("Gemeld op", _local("c.reported_at"))),
    Column(
        ("acknowledge_by", _iso("c.acknowledge_by")),
        (_DUTCH["stage_acknowledge"], _local("c.acknowledge_by")),
    ),
    Column(("inspect_by", _iso("c.inspect_by")), (_DUTCH["stage_inspect"], _local("c.inspect_by"))),
    Column(("resolve_by", _iso("c.resolve_by")), (_DUTCH["stage_resolve"], _local("c.resolve_by"))),
    Column(
        ("next_stage", _text("c.next_stage")),
        ("Volgende stap", _labelled("c.next_stage", _STAGE_NL)),
    ),
    Column(
        ("next_deadline_at", _iso("c.next_deadline_at")),
        ("Volgende stap uiterlijk", _local("c.next_deadline_at")),
    ),
    # Programs work the state out from next_deadline_at; a person filters on it.
    Column(None, ("Termijn", _DEADLINE_STATE_NL)),
    Column(("resolved_at", _iso("c.resolved_at")), ("Hersteld op", _local("c.resolved_at"))),
    Column(("closed_at", _iso("c.closed_at")), ("Afgesloten op", _local("c.closed_at"))),
)


def _select_list(dialect: Dialect) -> str:
    chosen = (
        [column.standard for column in COLUMNS if column.standard]
        if dialect is Dialect.STANDARD
        else [column.excel_nl for column in COLUMNS]
    )
    return ", ".join(f'{expression} AS "{header}"' for header, expression in chosen)


def export_query(
    scope: int | None, user_id: int, filters: CaseFilter, sort: Sort, dialect: Dialect
) -> tuple[str, list]:
    where = scoped_filters(scope, user_id, filters)
    columns = _select_list(dialect)
    condition = " AND ".join(where.clauses) or "true"
    sql = f"SELECT {columns} FROM {SUMMARY_FROM} WHERE {condition} ORDER BY {order_by(sort)}"  # noqa: S608 - constant fragments, values are parameters
    return sql, where.args


def export_filename(day: date, dialect: Dialect, scope: str | None = None) -> str:
    """The download's name: cases-2026-11-30.csv for programs, and for people
    schademeldingen-2026-11-30-excel-nl.csv, so that the two files of a day keep apart.
    `scope` (a corporation's code, or "region") goes before the date when given."""
    if dialect is Dialect.EXCEL_NL:
        parts = ["schademeldingen", scope, day.isoformat(), dialect.value]
    else:
        parts = ["cases", scope, day.isoformat()]
    return "-".join(part for part in parts if part) + ".csv"


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
