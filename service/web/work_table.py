"""The work queue's table: its sortable column headers and its page links. Every link keeps
the filters of the page; a new sort starts again on the first page."""

from dataclasses import dataclass
from urllib.parse import urlencode

from service.cases.work_list import DEFAULT_SORT, WorkColumn, WorkSort
from service.domain.paging import Pages

# Each column's heading, in the order the table shows them.
COLUMN_TEXTS: dict[WorkColumn, str] = {
    WorkColumn.REFERENCE: "work_column_reference",
    WorkColumn.ADDRESS: "address",
    WorkColumn.CATEGORY: "category",
    WorkColumn.STATUS: "filter_status",
    WorkColumn.DEADLINE: "work_column_deadline",
    WorkColumn.ASSIGNEE: "assignee",
    WorkColumn.REPORTED: "reported_on",
}


@dataclass(frozen=True)
class Heading:
    column: WorkColumn
    text_key: str
    href: str  # sorts by this column; the other way round when the table already is
    aria_sort: str | None  # "ascending" or "descending" on the column the table is sorted by


@dataclass(frozen=True)
class WorkTable:
    headings: list[Heading]
    sort: WorkSort
    pages: Pages
    previous_href: str | None
    next_href: str | None


def _href(filters: list[tuple[str, str]], sort: WorkSort, page: int = 1) -> str:
    query = [
        *filters,
        *([("sort", str(sort))] if sort != DEFAULT_SORT else []),
        *([("page", str(page))] if page > 1 else []),
    ]
    return f"/work?{urlencode(query)}" if query else "/work"


def work_table(filters: list[tuple[str, str]], sort: WorkSort, pages: Pages) -> WorkTable:
    headings = []
    for column, text_key in COLUMN_TEXTS.items():
        sorted_here = column is sort.column
        headings.append(
            Heading(
                column,
                text_key,
                _href(filters, sort.reversed() if sorted_here else WorkSort(column)),
                ("descending" if sort.descending else "ascending") if sorted_here else None,
            )
        )
    return WorkTable(
        headings,
        sort,
        pages,
        _href(filters, sort, pages.previous) if pages.previous else None,
        _href(filters, sort, pages.next) if pages.next else None,
    )
