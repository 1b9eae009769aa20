"""The work queue, GET /api/v1/cases: every filter, the three sorts and keyset pagination.

The data set is filed through the API and then shaped with SQL: statuses, report times and
deadlines are set directly, so each case's deadline state is known exactly.
"""

import base64
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest

from service.cases.queue import CaseFilter, Sort, list_cases
from service.domain.calendar import AMSTERDAM
from service.domain.sla import STAGE_OF_STATUS, Stage, deadline_state
from tests import factories
from tests.world import OTHER_HOME, OWN_HOME, UNKNOWN_HOME, World

QUEUE = "/api/v1/cases"
SECOND_HOME = {"postcode": "9951AB", "house_number": 5}  # Lefier's, in another municipality
SECOND_STREET = "Oude Ebbingestraat"
SECOND_MUNICIPALITY = "GM1966"
STAGES = list(Stage)
DAY, HOUR = timedelta(days=1), timedelta(hours=1)

# Cases without a next deadline: on hold (clocks paused) and finished ones.
NO_DEADLINE = ("on_hold", "resolved", "closed", "rejected")


@dataclass
class Queue:
    world: World
    conn: asyncpg.Connection
    refs: dict[str, str]  # name in this file -> reference
    reported: dict[str, datetime]
    due: dict[str, datetime]  # the next deadline of the cases that have one
    state: dict[str, str]  # the expected state of that deadline

    def names(self, items: list[dict[str, Any]]) -> list[str]:
        by_ref = {ref: name for name, ref in self.refs.items()}
        return [by_ref[item["reference"]] for item in items]

    async def get(self, person: str = "coordinator", **params: Any) -> dict[str, Any]:
        role, _, corporation = person.partition("@")
        who = self.world.who(role, corporation or "lefier")
        response = await self.world.client.get(QUEUE, params=params, headers=who.headers)
        assert response.status_code == 200, response.text
        return response.json()

    async def names_for(self, person: str = "coordinator", **params: Any) -> list[str]:
        return self.names((await self.get(person, limit=200, **params))["items"])

    async def problem(self, person: str = "coordinator", **params: Any) -> dict[str, Any]:
        role, _, corporation = person.partition("@")
        who = self.world.who(role, corporation or "lefier")
        response = await self.world.client.get(QUEUE, params=params, headers=who.headers)
        assert response.status_code == 400, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert "Traceback" not in response.text
        return response.json()


async def shape(
    conn: asyncpg.Connection,
    reference: str,
    *,
    status: str,
    reported: datetime,
    due: datetime | None = None,
    **extra: Any,
) -> None:
    """Set the status, report time and deadlines; `due` is the next deadline's."""
    stage = STAGE_OF_STATUS.get(status)
    if stage is None:
        deadlines = [reported + n * DAY for n in (1, 2, 3)]
    else:
        assert due is not None
        index = STAGES.index(stage)
        # Earlier stages an hour apart before it, later ones a day apart after it.
        deadlines = [due + (i - index) * (HOUR if i < index else DAY) for i in range(3)]
    columns = {
        "status": status,
        "reported_at": reported,
        "acknowledge_by": deadlines[0],
        "inspect_by": deadlines[1],
        "resolve_by": deadlines[2],
        **extra,
    }
    await factories.set_case_columns(conn, reference, **columns)


@pytest.fixture
async def queue(world: World, conn: asyncpg.Connection) -> Queue:
    await factories.home(
        conn,
        world.corporations["lefier"],
        SECOND_HOME["postcode"],
        SECOND_HOME["house_number"],
        street=SECOND_STREET,
        city="Winsum",
        municipality_code=SECOND_MUNICIPALITY,
    )
    now = datetime.now(UTC)
    inspector, manager = world.who("inspector"), world.who("manager")

    # name: (home, report overrides, status, reported days ago, next deadline from now,
    #        expected state, extra columns)
    plan: dict[str, tuple[Any, ...]] = {
        "new_on_time": (OWN_HOME, {}, "new", 1, 9 * DAY, "on_time", {}),
        "acknowledged_at_risk": (
            OWN_HOME,
            {"category": "subsidence"},
            "acknowledged",
            9,
            1 * DAY,
            "at_risk",
            {"assignee_id": inspector.id},
        ),
        "planned_breached": (
            SECOND_HOME,
            {"category": "unsafe_situation", "acute": True},
            "inspection_planned",
            5,
            -1 * DAY,
            "breached",
            {"assignee_id": manager.id, "planned_at": now + DAY},
        ),
        "on_hold": (
            OWN_HOME,
            {"category": "other"},
            "on_hold",
            20,
            None,
            None,
            {"on_hold_since": now - DAY, "on_hold_previous_status": "acknowledged"},
        ),
        "resolved": (OWN_HOME, {}, "resolved", 30, None, None, {"resolved_at": now - DAY}),
        "closed": (
            OWN_HOME,
            {},
            "closed",
            40,
            None,
            None,
            {"resolved_at": now - 20 * DAY, "closed_at": now - 5 * DAY},
        ),
        "rejected": (
            OWN_HOME,
            {},
            "rejected",
            2,
            None,
            None,
            {"rejection_reason": "not_damage", "closed_at": now - DAY},
        ),
        "acantus_new": (OTHER_HOME, {}, "new", 3, 20 * DAY, "on_time", {}),
        "unrouted_at_risk": (UNKNOWN_HOME, {}, "unrouted", 4, 6 * HOUR, "at_risk", {}),
        "inspected_on_time": (
            OWN_HOME,
            {},
            "inspected",
            6,
            30 * DAY,
            "on_time",
            {"assignee_id": inspector.id},
        ),
        "referred_breached": (
            OWN_HOME,
            {},
            "referred",
            50,
            -3 * DAY,
            "breached",
            {"referred_to": "IMG", "external_reference": "IMG-2025-0042"},
        ),
    }
    refs, reported, dues, states = {}, {}, {}, {}
    for name, (home, overrides, status, days_ago, due_in, state, extra) in plan.items():
        created = await world.report(home, **overrides)
        refs[name] = created["reference"]
        reported[name] = now - days_ago * DAY
        due = None if due_in is None else now + due_in
        if due is not None:
            dues[name], states[name] = due, state
        await shape(
            conn, created["reference"], status=status, reported=reported[name], due=due, **extra
        )
    return Queue(world, conn, refs, reported, dues, states)


LEFIER = {
    "new_on_time",
    "acknowledged_at_risk",
    "planned_breached",
    "on_hold",
    "resolved",
    "closed",
    "rejected",
    "inspected_on_time",
    "referred_breached",
}
EVERYONE = LEFIER | {"acantus_new", "unrouted_at_risk"}
# The default order: next deadline first, then the cases with none (by id).
BY_DEADLINE = [
    "referred_breached",
    "planned_breached",
    "unrouted_at_risk",
    "acknowledged_at_risk",
    "new_on_time",
    "acantus_new",
    "inspected_on_time",
]
OLDEST_FIRST = [
    "referred_breached",
    "closed",
    "resolved",
    "on_hold",
    "acknowledged_at_risk",
    "inspected_on_time",
    "planned_breached",
    "unrouted_at_risk",
    "acantus_new",
    "rejected",
    "new_on_time",
]


async def ids_of(queue: Queue, names: list[str]) -> list[str]:
    """names sorted as PostgreSQL sorts their case ids."""
    rows = await queue.conn.fetch(
        "SELECT reference FROM cases WHERE reference = ANY($1::text[]) ORDER BY id",
        [queue.refs[name] for name in names],
    )
    by_ref = {ref: name for name, ref in queue.refs.items()}
    return [by_ref[row["reference"]] for row in rows]


# --- filters --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"status": ["new", "acknowledged"]},
            {"new_on_time", "acknowledged_at_risk", "acantus_new"},
        ),
        ({"status": ["on_hold"]}, {"on_hold"}),
        (
            {"status": ["resolved", "closed", "rejected", "unrouted"]},
            {"resolved", "closed", "rejected", "unrouted_at_risk"},
        ),
        ({"urgency": "high"}, {"acknowledged_at_risk"}),
        ({"urgency": "acute"}, {"planned_breached"}),
        (
            {"urgency": "normal"},
            EVERYONE - {"acknowledged_at_risk", "planned_breached"},
        ),
        ({"category": "unsafe_situation"}, {"planned_breached"}),
        ({"category": "other"}, {"on_hold"}),
        ({"acute": "true"}, {"planned_breached"}),
        ({"acute": "false"}, EVERYONE - {"planned_breached"}),
        (
            {"assignee": "none"},
            EVERYONE - {"acknowledged_at_risk", "inspected_on_time", "planned_breached"},
        ),
        ({"corporation": "acantus"}, {"acantus_new"}),
        ({"corporation": "lefier"}, LEFIER),
        ({"corporation": "nobody"}, set()),
        ({"municipality": SECOND_MUNICIPALITY}, {"planned_breached"}),
        ({"municipality": "GM0014"}, EVERYONE - {"planned_breached", "unrouted_at_risk"}),
        ({"postcode": "9951 ab"}, {"planned_breached"}),
        ({"postcode": " 9951a"}, {"planned_breached"}),
        ({"postcode": "99"}, {"planned_breached", "unrouted_at_risk"}),
        ({"postcode": "96"}, {"acantus_new"}),
        ({"postcode": "9711AB"}, LEFIER - {"planned_breached"}),
        ({"postcode": "9712"}, set()),
        ({"deadline": "on_time"}, {"new_on_time", "acantus_new", "inspected_on_time"}),
        ({"deadline": "at_risk"}, {"acknowledged_at_risk", "unrouted_at_risk"}),
        ({"deadline": "breached"}, {"planned_breached", "referred_breached"}),
        ({"q": "ebbinge"}, {"planned_breached"}),
        ({"q": "HERESTR"}, EVERYONE - {"planned_breached", "unrouted_at_risk"}),
        ({"q": "%"}, set()),  # a wildcard is a character to look for, not "anything"
        ({"q": "_"}, set()),
        # Filters combine with AND.
        ({"status": ["new"], "corporation": "lefier"}, {"new_on_time"}),
        ({"deadline": "breached", "acute": "false"}, {"referred_breached"}),
    ],
    ids=lambda value: json.dumps(value) if isinstance(value, dict) else None,
)
async def test_each_filter_selects_its_cases(queue, params, expected):
    assert set(await queue.names_for(**params)) == expected


async def test_the_urgency_filter_agrees_with_the_items(queue):
    for urgency in ("acute", "high", "normal"):
        items = (await queue.get(urgency=urgency, limit=200))["items"]
        assert items
        assert {item["urgency"] for item in items} == {urgency}


async def test_assignee_me_and_a_user_id(queue):
    inspector, manager = queue.world.who("inspector"), queue.world.who("manager")
    assert set(await queue.names_for("inspector", assignee="me")) == {
        "acknowledged_at_risk",
        "inspected_on_time",
    }
    assert set(await queue.names_for("manager", assignee="me")) == {"planned_breached"}
    assert await queue.names_for("coordinator", assignee="me") == []
    assert set(await queue.names_for(assignee=str(manager.id))) == {"planned_breached"}
    assert set(await queue.names_for(assignee=str(inspector.id))) == {
        "acknowledged_at_risk",
        "inspected_on_time",
    }
    assert await queue.names_for(assignee="999999") == []
    items = (await queue.get(assignee=str(manager.id)))["items"]
    assert items[0]["assignee"] == {"id": manager.id, "name": "Manager lefier"}


@pytest.mark.parametrize("value", ["someone", "-1", "1.5", "me,none"])
async def test_a_bad_assignee_names_the_field(queue, value):
    problem = await queue.problem(assignee=value)
    assert [error["field"] for error in problem["errors"]] == ["assignee"]


@pytest.mark.parametrize("value", ["²", "99999999999999999999"])
async def test_an_assignee_that_looks_like_digits_but_is_no_id_is_400(queue, value):
    problem = await queue.problem(assignee=value)
    assert [error["field"] for error in problem["errors"]] == ["assignee"]


@pytest.mark.parametrize("value", ["GM14", "gm0014", "XX0014", "GM00145"])
async def test_a_bad_municipality_code_names_the_field(queue, value):
    problem = await queue.problem(municipality=value)
    assert [error["field"] for error in problem["errors"]] == ["municipality"]


@pytest.mark.parametrize("value", ["0711", "AB", "9711 ABC", "97-11", "9711AB1"])
async def test_a_bad_postcode_prefix_names_the_field(queue, value):
    problem = await queue.problem(postcode=value)
    assert [error["field"] for error in problem["errors"]] == ["postcode"]


async def test_letters_after_fewer_than_four_digits_are_a_bad_prefix(queue):
    problem = await queue.problem(postcode="97A")
    assert [error["field"] for error in problem["errors"]] == ["postcode"]


@pytest.mark.parametrize(
    "params",
    [
        {"status": "open"},
        {"urgency": "urgent"},
        {"category": "leak"},
        {"acute": "maybe"},
        {"deadline": "late"},
        {"reported_from": "2025-13-01"},
        {"reported_to": "yesterday"},
        {"reported_from": "1999-12-31"},  # out of the range a case can have
        {"reported_to": "2101-01-01"},
        {"sort": "deadline_desc"},
    ],
    ids=lambda value: json.dumps(value),
)
async def test_a_bad_value_of_an_enumerated_filter_names_the_field(queue, params):
    problem = await queue.problem(**params)
    [name] = params
    assert [error["field"] for error in problem["errors"]] == [name]


async def test_reported_from_and_to_are_amsterdam_days_inclusive(queue):
    def amsterdam_day(name: str) -> str:
        return queue.reported[name].astimezone(AMSTERDAM).date().isoformat()

    assert set(
        await queue.names_for(
            reported_from=amsterdam_day("planned_breached"), reported_to=amsterdam_day("rejected")
        )
    ) == {"planned_breached", "unrouted_at_risk", "acantus_new", "rejected"}
    assert set(await queue.names_for(reported_from=amsterdam_day("new_on_time"))) == {"new_on_time"}
    assert set(await queue.names_for(reported_to=amsterdam_day("closed"))) == {
        "closed",
        "referred_breached",
    }
    # An empty range is an empty list, not an error.
    assert (
        await queue.names_for(
            reported_from=amsterdam_day("new_on_time"), reported_to=amsterdam_day("closed")
        )
        == []
    )


async def _reported_at(queue: Queue, name: str, moment: datetime) -> None:
    await queue.conn.execute(
        "UPDATE cases SET reported_at = $2 WHERE reference = $1", queue.refs[name], moment
    )


async def test_an_amsterdam_day_is_not_a_utc_day(queue):
    # 00:30 in Amsterdam on 11 June is 22:30 UTC on 10 June.
    await _reported_at(queue, "new_on_time", datetime(2024, 6, 11, 0, 30, tzinfo=AMSTERDAM))
    # 23:30 in Amsterdam on 10 June is 21:30 UTC on 10 June.
    await _reported_at(queue, "rejected", datetime(2024, 6, 10, 23, 30, tzinfo=AMSTERDAM))

    june_10 = {"reported_from": "2024-06-10", "reported_to": "2024-06-10"}
    assert set(await queue.names_for(**june_10)) == {"rejected"}
    june_11 = {"reported_from": "2024-06-11", "reported_to": "2024-06-11"}
    assert set(await queue.names_for(**june_11)) == {"new_on_time"}


async def test_reported_to_covers_a_whole_amsterdam_day_when_the_clocks_change(queue):
    # 27 October 2024 has 25 hours in Amsterdam: 23:30 that evening is still that day.
    await _reported_at(queue, "new_on_time", datetime(2024, 10, 27, 23, 30, tzinfo=AMSTERDAM))
    # 31 March 2024 has 23 hours: 00:30 the next day is 1 April.
    await _reported_at(queue, "rejected", datetime(2024, 4, 1, 0, 30, tzinfo=AMSTERDAM))

    assert set(await queue.names_for(reported_from="2024-10-27", reported_to="2024-10-27")) == {
        "new_on_time"
    }
    assert await queue.names_for(reported_from="2024-03-31", reported_to="2024-03-31") == []


async def test_q_finds_a_reference_in_any_case_and_with_spaces(queue):
    reference = queue.refs["planned_breached"]
    assert await queue.names_for(q=reference) == ["planned_breached"]
    assert await queue.names_for(q=f"  {reference.lower()} ") == ["planned_breached"]
    # A reference is matched whole; part of one is looked for in the street only.
    assert await queue.names_for(q=reference[:-1]) == []


async def test_an_inspector_sees_only_the_cases_of_their_corporation(queue):
    page = await queue.get("inspector", limit=200)
    assert set(queue.names(page["items"])) == LEFIER
    assert {item["corporation"]["code"] for item in page["items"]} == {"lefier"}
    # Asking for another corporation's cases shows none; nothing is leaked.
    assert await queue.names_for("inspector", corporation="acantus") == []
    assert await queue.names_for("inspector", q=queue.refs["acantus_new"]) == []
    assert await queue.names_for("inspector", postcode="96") == []
    assert set(await queue.names_for("manager@acantus")) == {"acantus_new"}


async def test_the_queue_needs_a_token(queue):
    response = await queue.world.client.get(QUEUE)
    assert response.status_code == 401


# --- sorting --------------------------------------------------------------------------


async def test_by_default_the_next_deadline_comes_first_and_cases_without_one_last(queue):
    page = await queue.get(limit=200)
    assert page["next_cursor"] is None
    without = await ids_of(queue, ["on_hold", "resolved", "closed", "rejected"])
    assert queue.names(page["items"]) == BY_DEADLINE + without
    assert queue.names((await queue.get(sort="deadline", limit=200))["items"]) == (
        BY_DEADLINE + without
    )


async def test_sort_reported_is_oldest_first_and_minus_reported_newest_first(queue):
    assert queue.names((await queue.get(sort="reported", limit=200))["items"]) == OLDEST_FIRST
    newest = (await queue.get(sort="-reported", limit=200))["items"]
    assert queue.names(newest) == OLDEST_FIRST[::-1]


async def test_each_item_carries_its_next_deadline(queue):
    now = datetime.now(UTC)
    items = (await queue.get(limit=200))["items"]
    assert len(items) == len(EVERYONE)
    for item in items:
        name = queue.names([item])[0]
        deadline = item["next_deadline"]
        if item["status"] in NO_DEADLINE:
            assert deadline is None, name
            continue
        assert deadline["stage"] == STAGE_OF_STATUS[item["status"]], name
        due = datetime.fromisoformat(deadline["due"])
        assert due == queue.due[name], name
        assert deadline["state"] == queue.state[name], name
        reported_at = datetime.fromisoformat(item["reported_at"])
        assert reported_at == queue.reported[name]
        assert deadline["state"] == deadline_state(reported_at, due, now)
    # Every stage appears: acknowledge (new, unrouted), inspect and resolve.
    assert {i["next_deadline"]["stage"] for i in items if i["next_deadline"]} == set(STAGES)


async def test_the_deadline_filter_agrees_with_the_state_of_each_item(queue):
    for state in ("on_time", "at_risk", "breached"):
        items = (await queue.get(deadline=state, limit=200))["items"]
        assert items
        assert {item["next_deadline"]["state"] for item in items} == {state}


# --- keyset pagination ----------------------------------------------------------------


async def walk(queue: Queue, limit: int = 2, **params: Any) -> tuple[list[str], int]:
    """Every page from the first to the last; the names in order and the number of pages."""
    names: list[str] = []
    cursor, pages = None, 0
    while True:
        page = await queue.get(**params, limit=limit, **({"after": cursor} if cursor else {}))
        pages += 1
        assert len(page["items"]) <= limit
        names += queue.names(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return names, pages
        assert len(page["items"]) == limit
        assert pages < 50, "the pages do not end"


async def test_the_first_page_has_a_cursor_and_a_last_full_page_none(queue):
    first = await queue.get(limit=2)
    assert len(first["items"]) == 2
    assert isinstance(first["next_cursor"], str)
    assert first["next_cursor"]
    exact = await queue.get(limit=len(EVERYONE))
    assert len(exact["items"]) == len(EVERYONE)
    assert exact["next_cursor"] is None  # no empty page after the last one


@pytest.mark.parametrize("sort", ["deadline", "reported", "-reported"])
async def test_walking_all_pages_gives_the_whole_list_exactly(queue, sort):
    whole = queue.names((await queue.get(sort=sort, limit=200))["items"])
    walked, pages = await walk(queue, sort=sort)
    assert walked == whole
    assert len(set(walked)) == len(walked) == len(EVERYONE)
    assert pages == 6  # 11 cases, 2 a page


async def test_walking_a_filtered_scoped_list(queue):
    whole = await queue.names_for("inspector", assignee="none")
    walked, _ = await walk(queue, person="inspector", assignee="none")
    assert walked == whole
    assert set(walked) == LEFIER - {"acknowledged_at_risk", "inspected_on_time", "planned_breached"}


async def test_a_cursor_of_another_sort_is_refused(queue):
    cursor = (await queue.get(sort="reported", limit=2))["next_cursor"]
    for other in ("deadline", "-reported"):
        problem = await queue.problem(sort=other, after=cursor, limit=2)
        assert [error["field"] for error in problem["errors"]] == ["after"]


def _cursor(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "!!!!",
        "e30",  # {}
        _cursor(["deadline"]),
        _cursor(["deadline", "yesterday", "00000000-0000-0000-0000-000000000000"]),
        _cursor(["deadline", 5, "00000000-0000-0000-0000-000000000000"]),
        _cursor({"sort": "deadline"}),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    ],
)
async def test_a_garbage_cursor_names_the_field_after(queue, cursor):
    problem = await queue.problem(after=cursor, limit=2)
    assert [error["field"] for error in problem["errors"]] == ["after"]


async def test_a_cursor_with_a_bad_case_id_names_the_field_after(queue):
    problem = await queue.problem(
        after=_cursor(["deadline", "2025-01-01T00:00:00+00:00", "not-a-uuid"]), limit=2
    )
    assert [error["field"] for error in problem["errors"]] == ["after"]


@pytest.mark.parametrize("limit", ["0", "201", "-1", "ten"])
async def test_a_limit_outside_1_to_200_names_the_field(queue, limit):
    problem = await queue.problem(limit=limit)
    assert [error["field"] for error in problem["errors"]] == ["limit"]


async def test_limits_1_and_200_are_accepted(queue):
    assert len((await queue.get(limit=1))["items"]) == 1
    assert len((await queue.get(limit=200))["items"]) == len(EVERYONE)


# --- a bigger data set ----------------------------------------------------------------

BULK = 5000


async def _bulk_insert(conn: asyncpg.Connection, corporation_id: int) -> None:
    """BULK cases of Lefier in one statement; every 7th on hold (no next deadline)."""
    reporter_id = await conn.fetchval("SELECT reporter_id FROM cases LIMIT 1")
    await conn.execute(
        """
        INSERT INTO cases (reference, category, acute, urgency, description, status,
                           corporation_id, postcode, house_number, street, city,
                           municipality_code, reporter_id, tracking_token_hash,
                           acknowledge_by, inspect_by, resolve_by, reported_at,
                           on_hold_since, on_hold_previous_status)
        SELECT 'SCH-1999-' || lpad(i::text, 6, '0'), 'crack', false, 'normal', 'Scheur',
               CASE WHEN i % 7 = 0 THEN 'on_hold' ELSE 'new' END,
               $1, '9711AB', i, 'Herestraat', 'Groningen', 'GM0014', $2,
               sha256(convert_to(i::text, 'UTF8')),
               -- deadlines repeat every 500 cases, so many ties are broken by id
               now() + (i % 500) * interval '1 hour', now() + interval '100 days',
               now() + interval '200 days', now() - i * interval '1 minute',
               CASE WHEN i % 7 = 0 THEN now() END,
               CASE WHEN i % 7 = 0 THEN 'new' END
        FROM generate_series(1, $3::int) AS i
        """,
        corporation_id,
        reporter_id,
        BULK,
    )
    await conn.execute("ANALYZE cases")


class _Capture:
    """Stands in for a connection to catch the SQL list_cases would run."""

    def __init__(self) -> None:
        self.sql = ""
        self.args: tuple[Any, ...] = ()

    async def fetch(self, sql: str, *args: Any) -> list[Any]:
        self.sql, self.args = sql, args
        return []


def _plan_nodes(plan: dict[str, Any]) -> list[dict[str, Any]]:
    nodes = [plan]
    for child in plan.get("Plans", []):
        nodes += _plan_nodes(child)
    return nodes


@pytest.mark.parametrize("scoped", [False, True], ids=["region", "corporation"])
async def test_the_default_sort_reads_an_index_not_a_sort(world, conn, scoped):
    await world.report()
    lefier = world.corporations["lefier"]
    await _bulk_insert(conn, lefier)
    capture = _Capture()
    await list_cases(
        capture,  # type: ignore[arg-type]
        scope=lefier if scoped else None,
        user_id=world.who("admin").id,
        filters=CaseFilter(),
        sort=Sort.DEADLINE,
        after=None,
        limit=50,
    )
    [[plan]] = [
        json.loads(row[0]) if isinstance(row[0], str) else row[0]
        for row in await conn.fetch("EXPLAIN (FORMAT JSON) " + capture.sql, *capture.args)
    ]
    nodes = _plan_nodes(plan["Plan"])
    kinds = [node["Node Type"] for node in nodes]
    assert "Sort" not in kinds, kinds
    assert "Incremental Sort" not in kinds, kinds
    indexes = {node.get("Index Name") for node in nodes if node.get("Relation Name") == "cases"}
    expected = "cases_queue_corporation_idx" if scoped else "cases_queue_idx"
    assert indexes == {expected}, nodes


async def test_a_deep_page_follows_on_exactly(world, conn):
    await world.report()
    await _bulk_insert(conn, world.corporations["lefier"])
    expected = [
        row["reference"]
        for row in await conn.fetch(
            """
            SELECT reference FROM cases
            ORDER BY coalesce(next_deadline_at, 'infinity'), id
            """
        )
    ]
    assert len(expected) == BULK + 1
    admin = world.who("admin")
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 200, **({"after": cursor} if cursor else {})}
        response = await world.client.get(QUEUE, params=params, headers=admin.headers)
        assert response.status_code == 200, response.text
        page = response.json()
        seen += [item["reference"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == expected
    # The last pages hold the on-hold cases: paging on from a cursor at 'infinity' works.
    on_hold = [item for item in page["items"] if item["status"] == "on_hold"]
    assert on_hold
    assert all(item["next_deadline"] is None for item in on_hold)
