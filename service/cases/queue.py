"""The work queue: filtered, sorted case lists with keyset pagination.

The cursor names the sort and the last row's sort key; the next page starts after it
with a row comparison that an index serves, so a deep page costs what the first does.
"""

import base64
import binascii
import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

import asyncpg

from service.cases.store import SUMMARY_COLUMNS, SUMMARY_FROM
from service.db import Connection
from service.domain.calendar import AMSTERDAM
from service.domain.errors import InvalidInput

MAX_LIMIT = 200
# Letters only after all four digits: 9, 97, 9711, 9711A, 9711AB.
POSTCODE_PREFIX = re.compile(r"^[1-9](?:[0-9]{0,3}|[0-9]{3}[A-Z]{1,2})$")
USER_ID = re.compile(r"^[0-9]{1,18}$")
MUNICIPALITY = re.compile(r"^GM[0-9]{4}$")
# Reported dates outside these cannot match a case and are likely typing errors.
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2100, 12, 31)


class Sort(StrEnum):
    DEADLINE = "deadline"  # next deadline first; cases with none (on hold, finished) last
    REPORTED = "reported"  # oldest report first
    REPORTED_DESC = "-reported"  # newest report first


# Sort key expression (matching an index), and the direction.
_SORT_KEYS: dict[Sort, tuple[str, str]] = {
    Sort.DEADLINE: ("coalesce(c.next_deadline_at, 'infinity'::timestamptz)", "ASC"),
    Sort.REPORTED: ("c.reported_at", "ASC"),
    Sort.REPORTED_DESC: ("c.reported_at", "DESC"),
}


@dataclass
class CaseFilter:
    statuses: list[str] = field(default_factory=list)
    urgency: str | None = None
    category: str | None = None
    acute: bool | None = None
    assignee: str | None = None  # "me", "none" or a user id
    corporation: str | None = None  # a code
    municipality: str | None = None
    postcode: str | None = None  # a prefix
    deadline: str | None = None  # on_time, at_risk, breached
    reported_from: date | None = None
    reported_to: date | None = None
    q: str | None = None  # reference or street


class Where:
    def __init__(self) -> None:
        self.clauses: list[str] = []
        self.args: list[Any] = []

    def add(self, clause: str, *values: Any) -> None:
        """clause uses {} for each value's placeholder, in order."""
        placeholders = []
        for value in values:
            self.args.append(value)
            placeholders.append(f"${len(self.args)}")
        self.clauses.append(clause.format(*placeholders))


def encode_cursor(sort: Sort, key: Any, case_id: Any) -> str:
    value = "infinity" if key is None else key.isoformat()
    raw = json.dumps([sort.value, value, str(case_id)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str, sort: Sort) -> tuple[datetime | None, uuid.UUID]:
    """The last row's sort key (None: no deadline, sorted last) and id."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        sort_name, key, case_id = json.loads(raw)
        if sort_name != sort.value:
            raise ValueError("sort differs")
        moment = None if key == "infinity" else datetime.fromisoformat(key)
        if moment is not None and moment.tzinfo is None:
            raise ValueError("no offset")
        return moment, uuid.UUID(case_id)
    except (ValueError, TypeError, AttributeError, binascii.Error, json.JSONDecodeError):
        raise InvalidInput.one(
            "after", "This cursor is not valid for this list; start again without it."
        ) from None


def _assignee_clause(where: Where, assignee: str, user_id: int) -> None:
    if assignee == "me":
        where.add("c.assignee_id = {}", user_id)
    elif assignee == "none":
        where.add("c.assignee_id IS NULL")
    elif USER_ID.fullmatch(assignee):
        where.add("c.assignee_id = {}", int(assignee))
    else:
        raise InvalidInput.one("assignee", "Use me, none or a user id.")


def _filters(where: Where, filters: CaseFilter, user_id: int) -> None:
    if filters.statuses:
        where.add("c.status = ANY({}::text[])", filters.statuses)
    if filters.urgency:
        where.add("c.urgency = {}", filters.urgency)
    if filters.category:
        where.add("c.category = {}", filters.category)
    if filters.acute is not None:
        where.add("c.acute = {}", filters.acute)
    if filters.assignee:
        _assignee_clause(where, filters.assignee, user_id)
    if filters.corporation:
        where.add("co.code = {}", filters.corporation)
    if filters.municipality:
        if not MUNICIPALITY.fullmatch(filters.municipality):
            raise InvalidInput.one("municipality", "A municipality code is GM and four digits.")
        where.add("c.municipality_code = {}", filters.municipality)
    if filters.postcode:
        prefix = re.sub(r"\s+", "", filters.postcode).upper()
        if not POSTCODE_PREFIX.fullmatch(prefix):
            raise InvalidInput.one("postcode", "Give the start of a postcode, like 97 or 9711 A.")
        where.add("c.postcode LIKE {}", prefix + "%")
    if filters.deadline == "breached":
        where.add("c.next_deadline_at < now()")
    elif filters.deadline == "at_risk":
        where.add("c.next_at_risk_at <= now() AND c.next_deadline_at >= now()")
    elif filters.deadline == "on_time":
        where.add("c.next_at_risk_at > now()")
    for name, day in (
        ("reported_from", filters.reported_from),
        ("reported_to", filters.reported_to),
    ):
        if day is not None and not EARLIEST_DAY <= day <= LATEST_DAY:
            raise InvalidInput.one(name, f"Give a date from {EARLIEST_DAY} to {LATEST_DAY}.")
    if filters.reported_from:
        start = datetime.combine(filters.reported_from, time(0), tzinfo=AMSTERDAM)
        where.add("c.reported_at >= {}", start)
    if filters.reported_to:
        # Up to the end of that day in Amsterdam.
        end = datetime.combine(filters.reported_to + timedelta(days=1), time(0), tzinfo=AMSTERDAM)
        where.add("c.reported_at < {}", end)
    if filters.q:
        text = filters.q.strip()
        like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.add("(c.reference = {} OR c.street ILIKE {})", text.upper(), like)


def scoped_filters(scope: int | None, user_id: int, filters: CaseFilter) -> Where:
    """The WHERE clauses of a case list: the caller's scope first, then the filters."""
    where = Where()
    if scope is not None:
        where.add("c.corporation_id = {}", scope)
    _filters(where, filters, user_id)
    return where


def order_by(sort: Sort) -> str:
    key, direction = _SORT_KEYS[sort]
    return f"{key} {direction}, c.id {direction}"


async def list_cases(
    connection: Connection,
    *,
    scope: int | None,
    user_id: int,
    filters: CaseFilter,
    sort: Sort,
    after: str | None,
    limit: int,
) -> tuple[list[asyncpg.Record], str | None]:
    where = scoped_filters(scope, user_id, filters)
    key, direction = _SORT_KEYS[sort]
    if after:
        cursor_key, cursor_id = _decode_cursor(after, sort)
        compare = ">" if direction == "ASC" else "<"
        where.add(
            f"({key}, c.id) {compare} (coalesce({{}}::timestamptz, 'infinity'), {{}}::uuid)",
            cursor_key,
            cursor_id,
        )
    sql = f"""
        SELECT {SUMMARY_COLUMNS}
        FROM {SUMMARY_FROM}
        {"WHERE " + " AND ".join(where.clauses) if where.clauses else ""}
        ORDER BY {order_by(sort)}
        LIMIT {int(limit) + 1}
    """  # noqa: S608 - fragments are constants; values are parameters
    rows = await connection.fetch(sql, *where.args)
    if len(rows) <= limit:
        return list(rows), None
    last = rows[limit - 1]
    sort_key = last["next_deadline_at"] if sort is Sort.DEADLINE else last["reported_at"]
    return list(rows[:limit]), encode_cursor(sort, sort_key, last["id"])
