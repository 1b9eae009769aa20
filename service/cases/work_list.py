"""The work queue page's table: any column sorted either way, pages by number, a total count,
and whether the tenant added something since the case's assignee last opened it.

The page numbers its pages, so it pages by offset (the API's keyset cursor cannot go back
or say how many pages there are); a corporation's queue is some thousands of cases at most.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Self

import asyncpg

from service.cases.queue import CaseFilter, scoped_filters
from service.cases.store import SUMMARY_COLUMNS, SUMMARY_FROM
from service.db import Connection
from service.domain.workflow import Status


class WorkColumn(StrEnum):
    REFERENCE = "reference"
    ADDRESS = "address"
    CATEGORY = "category"
    STATUS = "status"
    DEADLINE = "deadline"
    ASSIGNEE = "assignee"
    REPORTED = "reported"


@dataclass(frozen=True)
class WorkSort:
    """A column and its direction, written as the `sort` query value: `reported`, `-reported`."""

    column: WorkColumn
    descending: bool = False

    @classmethod
    def parse(cls, text: str) -> Self | None:
        """None for anything but a column name, with a minus before it for descending."""
        name = text.removeprefix("-")
        if name not in WorkColumn.__members__.values():
            return None
        return cls(WorkColumn(name), descending=text.startswith("-"))

    def __str__(self) -> str:
        return f"-{self.column}" if self.descending else str(self.column)

    def reversed(self) -> Self:
        return type(self)(self.column, not self.descending)


DEFAULT_SORT = WorkSort(WorkColumn.DEADLINE)

# The sort key of each column: constant SQL. CATEGORY and STATUS are ordered by an array
# given as a parameter ($ORDER): the categories by their label in the page's language, the
# statuses in the order of the workflow.
_SORT_KEYS: dict[WorkColumn, tuple[str, ...]] = {
    WorkColumn.REFERENCE: ("c.reference",),
    WorkColumn.ADDRESS: ("c.street", "c.house_number", "c.house_letter", "c.addition", "c.city"),
    WorkColumn.CATEGORY: ("array_position($ORDER::text[], c.category)",),
    WorkColumn.STATUS: ("array_position($ORDER::text[], c.status)",),
    # Acute cases first, whatever their deadline: they are the ones to do today.
    WorkColumn.DEADLINE: ("NOT c.acute", "c.next_deadline_at"),
    WorkColumn.ASSIGNEE: ("lower(u.name)",),
    WorkColumn.REPORTED: ("c.reported_at",),
}
STATUS_ORDER = [status.value for status in Status]
_ORDERED_BY_ARRAY = {WorkColumn.CATEGORY, WorkColumn.STATUS}

# The tenant's news, as the assignee's notification counts it (notifications/to_staff.py),
# after the assignee last opened the case; never for a case without an assignee.
_TENANT_NEWS = """
    c.assignee_id IS NOT NULL AND EXISTS (
        SELECT 1 FROM case_events e
        WHERE e.case_id = c.id
          AND (e.kind = 'tenant_message' OR (e.kind = 'attachment_added' AND e.actor = 'tenant'))
          AND e.at > coalesce(
              (SELECT v.last_viewed_at FROM case_views v
               WHERE v.case_id = c.id AND v.user_id = c.assignee_id),
              '-infinity')
    ) AS tenant_news
"""


# The tenant's request for erasure still to carry out: its last day, shown in the row.
_ERASE_BY = "CASE WHEN c.anonymised_at IS NULL THEN c.erase_by END AS erase_by"


def _order_by(sort: WorkSort, order_placeholder: str) -> str:
    direction = "DESC" if sort.descending else "ASC"
    keys = [key.replace("$ORDER", order_placeholder) for key in _SORT_KEYS[sort.column]]
    # Empty values (no deadline, nobody assigned, no street) last in either direction.
    return ", ".join([*(f"{key} {direction} NULLS LAST" for key in keys), f"c.id {direction}"])


async def count_cases(
    connection: Connection, *, scope: int | None, user_id: int, filters: CaseFilter
) -> int:
    where = scoped_filters(scope, user_id, filters)
    sql = f"""
        SELECT count(*) FROM {SUMMARY_FROM}
        {"WHERE " + " AND ".join(where.clauses) if where.clauses else ""}
    """  # noqa: S608 - fragments are constants; values are parameters
    return await connection.fetchval(sql, *where.args)


async def work_page(
    connection: Connection,
    *,
    scope: int | None,
    user_id: int,
    filters: CaseFilter,
    sort: WorkSort,
    category_order: list[str],
    offset: int,
    limit: int,
) -> list[asyncpg.Record]:
    """One page of the queue; each row has the summary's columns, tenant_news and erase_by."""
    where = scoped_filters(scope, user_id, filters)
    args = list(where.args)
    if sort.column in _ORDERED_BY_ARRAY:
        args.append(STATUS_ORDER if sort.column is WorkColumn.STATUS else category_order)
    order_by = _order_by(sort, f"${len(args)}")
    args += [offset, limit]
    sql = f"""
        SELECT {SUMMARY_COLUMNS}, {_TENANT_NEWS}, {_ERASE_BY}
        FROM {SUMMARY_FROM}
        {"WHERE " + " AND ".join(where.clauses) if where.clauses else ""}
        ORDER BY {order_by}
        OFFSET ${len(args) - 1} LIMIT ${len(args)}
    """  # noqa: S608 - fragments are constants; values are parameters
    return list(await connection.fetch(sql, *args))
