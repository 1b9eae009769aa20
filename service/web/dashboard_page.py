"""The backlog dashboard page for managers (their corporation) and region-wide staff.

The numbers are those of GET /api/v1/dashboard/backlog, read in one snapshot. Each chart
is drawn on the server (service.web.charts) and followed by the same numbers in a table,
for screen readers and for anyone who wants the exact figures. The export buttons stream
the scope's cases as CSV through the API's export module.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated

from litestar import Controller, Request, get
from litestar.params import FromQuery, QueryParameter
from litestar.response import Stream, Template
from markupsafe import Markup

from service.auth.staff import CurrentStaff
from service.cases.export import Dialect, export_filename, export_query
from service.cases.queue import CaseFilter, Sort
from service.corporations.store import active_corporation, active_corporations
from service.dashboard.backlog import AGE_BUCKETS, WEEKS, backlog
from service.dashboard.schemas import Backlog
from service.dependencies import DbPool, Exports
from service.domain.calendar import AMSTERDAM
from service.domain.roles import Permission
from service.domain.sla import DeadlineState
from service.domain.workflow import OPEN_STATUSES, Status
from service.web import charts
from service.web.charts import Bar, Group, Series
from service.web.language import chosen_language
from service.web.pages import format_time
from service.web.staff_access import STAFF_PAGE_DEPENDENCIES, STAFF_PAGE_HANDLERS, staff_render
from service.web.texts import page_texts, staff_status_label

DASHBOARD_PATH = "/dashboard"
EXPORT_PATH = f"{DASHBOARD_PATH}/cases.csv"
# Open statuses in workflow order; the table lists them all, so each has a stable row.
OPEN_STATUSES_IN_ORDER = tuple(status for status in Status if status in OPEN_STATUSES)
# Left to right in the stacked bars, as in the table's columns.
STATE_LOOKS = {
    DeadlineState.ON_TIME: charts.ON_TIME,
    DeadlineState.AT_RISK: charts.AT_RISK,
    DeadlineState.BREACHED: charts.BREACHED,
}
AGE_BUCKET_KEYS = dict(
    zip(AGE_BUCKETS, ("0_7", "8_30", "31_90", "91_365", "over_365"), strict=True)
)
WEEK_LABEL_EVERY = 4


@dataclass(frozen=True)
class Row:
    """One line of a chart's table: `key` names it for the page's data-* hooks."""

    key: str
    label: str
    values: tuple[int, ...]


@dataclass(frozen=True)
class Figure:
    chart: Markup
    rows: list[Row]


@dataclass(frozen=True)
class Headline:
    metric: str  # the data-metric hook
    label: str
    value: str
    note: str | None = None
    alert: bool = False  # drawn with a red edge when the number is not zero
    link: str | None = None  # the cases behind the number, in the work queue or triage


@dataclass(frozen=True)
class _Labels:
    """The page's texts, and the status names, in the visitor's language."""

    texts: Mapping[str, str]
    status: Callable[[Status], str]

    def __getitem__(self, key: str) -> str:
        return self.texts[key]

    def summary(self, title_key: str, bars: list[Bar]) -> str:
        """What a screen reader says for a chart: its title and every value."""
        values = "; ".join(f"{bar.label}: {bar.value}" for bar in bars)
        return f"{self[title_key]}. {values}" if bars else self[title_key]


class DashboardPageController(Controller):
    include_in_schema = False
    dependencies = STAFF_PAGE_DEPENDENCIES
    exception_handlers = STAFF_PAGE_HANDLERS

    @get(DASHBOARD_PATH)
    async def dashboard(
        self,
        request: Request,
        staff: CurrentStaff,
        db_pool: DbPool,
        corporation: Annotated[str | None, QueryParameter(required=False, max_length=40)] = None,
    ) -> Template:
        staff.require(Permission.SEE_DASHBOARD)
        # Region-wide staff may narrow the page to one corporation; a corporation's own staff
        # see theirs whatever they ask.
        choices: dict[str, str] = {}
        scope = staff.scope
        if staff.scope is None:
            async with db_pool.acquire() as connection:
                choices = await active_corporations(connection)
                chosen = await active_corporation(connection, corporation) if corporation else None
            scope = chosen["id"] if chosen else None
        board = await backlog(db_pool, scope)
        language = chosen_language(request)[0]
        texts = page_texts(language)
        region_wide = board.corporation is None
        labels = _Labels(texts, lambda status: staff_status_label(status, language))
        return staff_render(
            request,
            staff,
            "dashboard.html",
            title_key="dashboard_title",
            board=board,
            scope_name=board.corporation.name if board.corporation else texts["dashboard_region"],
            corporation_choices=choices,
            chosen_corporation=board.corporation.code if board.corporation else "",
            export_scope_name=texts["dashboard_region"] if staff.scope is None else None,
            region_wide=region_wide,
            headlines=_headlines(board, labels, region_wide),
            weekly=_weekly(board, labels),
            deadlines=_deadlines(board, labels),
            statuses=_statuses(board, labels, region_wide),
            ages=_ages(board, labels),
            corporations=_corporations(board, labels) if region_wide else None,
            can_route=staff.can(Permission.ROUTE),
            export_path=EXPORT_PATH,
            excel_dialect=Dialect.EXCEL_NL.value,
        )

    @get(EXPORT_PATH, media_type="text/csv")
    async def export(
        self, staff: CurrentStaff, exports: Exports, dialect: FromQuery[Dialect] = Dialect.STANDARD
    ) -> Stream:
        """Every case of the scope, open and finished; the columns hold no reporter data."""
        staff.require(Permission.SEE_DASHBOARD)
        sql, args = export_query(staff.scope, staff.id, CaseFilter(), Sort.REPORTED, dialect)
        day = datetime.now(UTC).astimezone(AMSTERDAM).date()
        scope = staff.corporation_code if staff.scope is not None else "region"
        filename = export_filename(day, dialect, scope)
        return await exports.start(sql, args, dialect, filename=filename)


def _headlines(board: Backlog, labels: _Labels, region_wide: bool) -> list[Headline]:
    this_week = board.weekly[-1]
    acute = board.acute_waiting_count
    breached = sum(stage.breached for stage in board.deadlines)
    headlines = [
        Headline("open_cases", labels["dashboard_open_cases"], str(board.open_cases), link="/work"),
        Headline(
            "acute_waiting",
            labels["dashboard_acute_waiting"],
            str(acute),
            alert=acute > 0,
            link="/work?acute=true&status=unrouted&status=new",
        ),
        Headline(
            "breached",
            labels["dashboard_breached"],
            str(breached),
            alert=breached > 0,
            link="/work?deadline=breached",
        ),
        Headline(
            "reported_this_week", labels["dashboard_reported_this_week"], str(this_week.reported)
        ),
        Headline("closed_this_week", labels["dashboard_closed_this_week"], str(this_week.closed)),
    ]
    if region_wide:
        oldest = board.triage.oldest_reported_at
        note = (
            labels["dashboard_unrouted_oldest"].format(time=format_time(oldest)) if oldest else None
        )
        unrouted = board.triage.unrouted
        headlines.insert(
            2,
            Headline(
                "unrouted",
                labels["dashboard_unrouted"],
                str(unrouted),
                note,
                unrouted > 0,
                "/triage",
            ),
        )
    return headlines


def _weekly(board: Backlog, labels: _Labels) -> Figure:
    rows = [
        Row(
            week.week,
            labels["dashboard_week_from"].format(
                number=_week_number(week.week), day=week.starts_on.strftime("%d-%m-%Y")
            ),
            (week.reported, week.closed),
        )
        for week in board.weekly
    ]
    groups = [
        Group(
            labels["dashboard_week_short"].format(number=_week_number(week.week)),
            (week.reported, week.closed),
        )
        for week in board.weekly
    ]
    summary = labels["dashboard_weekly_summary"].format(
        weeks=WEEKS,
        reported=sum(week.reported for week in board.weekly),
        closed=sum(week.closed for week in board.weekly),
    )
    chart = charts.paired_column_chart(
        "chart-weekly",
        groups,
        (
            Series(labels["dashboard_reported"], charts.BLUE),
            Series(labels["dashboard_closed"], charts.ORANGE),
        ),
        summary=f"{labels['dashboard_weekly_title']}. {summary}",
        unit=labels["dashboard_unit_cases"],
        label_every=WEEK_LABEL_EVERY,
    )
    return Figure(chart, rows)


def _deadlines(board: Backlog, labels: _Labels) -> Figure:
    rows = [
        Row(
            stage.stage.value,
            labels[f"dashboard_stage_{stage.stage.value}"],
            (stage.on_time, stage.at_risk, stage.breached),
        )
        for stage in board.deadlines
    ]
    said = "; ".join(
        labels["dashboard_deadlines_row"].format(
            stage=row.label, on_time=row.values[0], at_risk=row.values[1], breached=row.values[2]
        )
        for row in rows
    )
    chart = charts.stacked_bar_chart(
        "chart-deadlines",
        [Group(row.label, row.values) for row in rows],
        [Series(labels[f"deadline_{state}"], look) for state, look in STATE_LOOKS.items()],
        summary=f"{labels['dashboard_deadlines_title']}. {said}",
    )
    return Figure(chart, rows)


def _statuses(board: Backlog, labels: _Labels, region_wide: bool) -> Figure:
    # A corporation's cases are routed by definition; only the region has unrouted ones.
    shown = [s for s in OPEN_STATUSES_IN_ORDER if region_wide or s is not Status.UNROUTED]
    rows = [Row(s.value, labels.status(s), (board.by_status.get(s.value, 0),)) for s in shown]
    return _bars("chart-status", "dashboard_status_title", rows, labels, horizontal=True)


def _ages(board: Backlog, labels: _Labels) -> Figure:
    rows = [
        Row(age.bucket, labels[f"dashboard_age_{AGE_BUCKET_KEYS[age.bucket]}"], (age.open_cases,))
        for age in board.age_buckets
    ]
    return _bars("chart-age", "dashboard_age_title", rows, labels, horizontal=False)


def _corporations(board: Backlog, labels: _Labels) -> Figure:
    rows = [
        Row(entry.corporation.code, entry.corporation.name, (entry.open_cases,))
        for entry in board.by_corporation
    ]
    return _bars("chart-corporation", "dashboard_corporation_title", rows, labels, horizontal=True)


def _bars(
    chart_id: str, title_key: str, rows: list[Row], labels: _Labels, *, horizontal: bool
) -> Figure:
    bars = [Bar(row.label, row.values[0]) for row in rows]
    summary = labels.summary(title_key, bars)
    if horizontal:
        chart = charts.horizontal_bar_chart(chart_id, bars, summary=summary)
    else:
        chart = charts.column_chart(
            chart_id, bars, summary=summary, unit=labels["dashboard_unit_cases"]
        )
    return Figure(chart, rows)


def _week_number(iso_week: str) -> int:
    return int(iso_week.rpartition("W")[2])
