"""The work queue as a table (issue 13, point 7): sorted by any column either way, numbered
pages with a total, and a marker on cases where the tenant added something the assignee has
not seen yet."""

import re
from datetime import UTC, datetime, timedelta

from tests.attachments.images import jpeg_bytes
from tests.attachments.uploading import tenant_upload
from tests.factories import if_match
from tests.web.session import sign_in
from tests.world import UNKNOWN_HOME

ROW_REFERENCE = re.compile(r'<th scope="row" class="reference"><a href="/cases/([^"]+)"')
MARKER = "Nieuw van huurder"


def _references(page_html: str) -> list[str]:
    return ROW_REFERENCE.findall(page_html)


def _row(page_html: str, reference: str) -> str:
    return page_html.split(f'href="/cases/{reference}"', 1)[1].split("</tr>", 1)[0]


async def _three_cases(world, conn) -> tuple[str, str, str]:
    """Cases A, B and C, each column ordering them differently from the references."""
    a, b, c = [(await world.report())["reference"] for _ in range(3)]
    now = datetime.now(UTC)
    inspector, manager = world.who("inspector"), world.who("manager")
    for reference, street, category, status, due_in, assignee, reported_ago in (
        (a, "Zuiderweg", "subsidence", "acknowledged", 1, manager.id, 1),
        (b, "Akkerstraat", "crack", "new", 10, None, 3),
        (c, "Molenweg", "other", "inspection_planned", 5, inspector.id, 2),
    ):
        due = now + timedelta(days=due_in)
        await conn.execute(
            """
            UPDATE cases SET street = $2, category = $3, status = $4, assignee_id = $5,
                reported_at = $6, acknowledge_by = $7::timestamptz, inspect_by = $7, resolve_by = $7,
                planned_at = CASE WHEN $4::text = 'inspection_planned' THEN $7::timestamptz END
            WHERE reference = $1
            """,
            reference,
            street,
            category,
            status,
            assignee,
            now - timedelta(days=reported_ago),
            due,
        )
    return a, b, c


async def test_every_column_sorts_both_ways(world, conn):
    a, b, c = await _three_cases(world, conn)
    await sign_in(world.client, conn, world.who("coordinator").id)
    expected = {
        "reference": [a, b, c],
        "address": [b, c, a],
        "category": [c, b, a],  # Anders, Scheur, Verzakking
        "status": [b, a, c],  # in the order of the workflow
        "deadline": [a, c, b],
        "assignee": [c, a, b],  # Inspector, Manager, nobody
        "reported": [b, c, a],
    }
    for column, order in expected.items():
        page = await world.client.get(f"/work?sort={column}")
        assert page.status_code == 200, column
        assert _references(page.text) == order, column
        heading = page.text.split('aria-sort="ascending"', 1)[1].split("</th>", 1)[0]
        # The sorted column's heading offers the other direction.
        assert f"sort=-{column}" in heading, column
        descending = (await world.client.get(f"/work?sort=-{column}")).text
        # Nobody assigned stays last either way.
        reversed_order = [a, c, b] if column == "assignee" else order[::-1]
        assert _references(descending) == reversed_order, column
        assert descending.count("aria-sort=") == 1
    # The categories by their English names: Crack, Other, Subsidence.
    world.client.cookies.set("lang", "en")
    english = (await world.client.get("/work?sort=category")).text
    assert _references(english) == [b, c, a]
    assert "sorted by kind of damage, ascending" in english


async def test_the_default_order_is_acute_first_then_the_next_deadline(world, conn):
    a, b, c = await _three_cases(world, conn)
    await conn.execute("UPDATE cases SET acute = true, urgency = 'acute' WHERE reference = $1", b)
    await sign_in(world.client, conn, world.who("coordinator").id)
    page = (await world.client.get("/work")).text
    assert _references(page) == [b, a, c]
    assert "gesorteerd op volgende termijn (acute zaken eerst), oplopend" in page


async def test_a_sort_the_table_does_not_offer_is_refused_in_words(world, conn):
    a, b, c = await _three_cases(world, conn)
    await sign_in(world.client, conn, world.who("coordinator").id)
    for wrong in ("password", "reference; DROP TABLE cases", "--reported", "-"):
        response = await world.client.get("/work", params={"sort": wrong})
        assert response.status_code == 400, wrong
        assert "Op die kolom kan de lijst niet gesorteerd worden" in response.text
        assert _references(response.text) == [a, c, b]  # by next deadline
    assert await conn.fetchval("SELECT count(*) FROM cases") == 3


async def test_pages_with_a_total_keep_filters_and_sort(world, conn, monkeypatch):
    monkeypatch.setattr("service.web.staff_pages.WORK_PAGE_SIZE", 2)
    a, b, c = await _three_cases(world, conn)
    await world.report(UNKNOWN_HOME)  # unrouted: not in the coordinator's choice below
    await sign_in(world.client, conn, world.who("coordinator").id)
    query = "status=new&status=acknowledged&status=inspection_planned&sort=-reference"
    first = (await world.client.get(f"/work?{query}")).text
    assert "<strong>3 zaken</strong> · Pagina 1 van 2" in first
    assert _references(first) == [c, b]
    assert 'rel="prev"' not in first
    next_href = first.split('rel="next"', 1)[0].rsplit('<a href="', 1)[1].split('"', 1)[0]
    assert next_href.replace("&amp;", "&") == f"/work?{query}&page=2"
    second = (await world.client.get(f"/work?{query}&page=2")).text
    assert _references(second) == [a]
    assert 'rel="next"' not in second
    previous_href = second.split('rel="prev"', 1)[0].rsplit('<a href="', 1)[1].split('"', 1)[0]
    assert previous_href.replace("&amp;", "&") == f"/work?{query}"
    # A page past the end (the list shrank since) is the last page.
    assert _references((await world.client.get(f"/work?{query}&page=9")).text) == [a]
    for wrong in ("0", "abc", "-1"):
        response = await world.client.get(f"/work?{query}&page={wrong}")
        assert response.status_code == 400, wrong
        assert "Dat begrijpen we niet" in response.text
    one = (await world.client.get("/work?q=Zuiderweg")).text
    assert "<strong>1 zaak</strong>" in one
    assert "Pagina 1 van" not in one
    assert 'aria-label="Pagina\'s"' not in one


async def test_the_marker_shows_the_tenants_news_until_the_assignee_opens_the_case(world, conn):
    created = await world.report()
    unassigned = await world.report()
    reference = created["reference"]
    inspector, manager = world.who("inspector"), world.who("manager")
    version = (await world.case(reference, manager))["version"]
    assigned = await world.client.put(
        f"/api/v1/cases/{reference}/assignee",
        json={"assignee_id": inspector.id},
        headers={**manager.headers, **if_match(version)},
    )
    assert assigned.status_code == 200, assigned.text
    await sign_in(world.client, conn, inspector.id)
    await world.client.get(f"/cases/{reference}")
    assert MARKER not in (await world.client.get("/work")).text

    for case in (created, unassigned):
        added = await world.client.post(
            f"/api/v1/reports/{case['reference']}/messages",
            json={"text": "De scheur is langer geworden."},
            headers={"X-Tracking-Token": case["tracking_token"]},
        )
        assert added.status_code == 201, added.text
    # The manager sees that the inspector has not read it yet; nobody has the other case.
    await sign_in(world.client, conn, manager.id)
    queue = (await world.client.get("/work")).text
    assert MARKER in _row(queue, reference)
    assert MARKER not in _row(queue, unassigned["reference"])
    await world.client.get(f"/cases/{reference}")  # the manager's look is not the assignee's
    assert MARKER in _row((await world.client.get("/work")).text, reference)

    await sign_in(world.client, conn, inspector.id)
    assert MARKER in _row((await world.client.get("/work")).text, reference)
    await world.client.get(f"/cases/{reference}")
    assert MARKER not in (await world.client.get("/work")).text
    # A photo counts as news as well.
    assert (await tenant_upload(world.client, created, jpeg_bytes(80, 60))).status_code == 201
    assert MARKER in _row((await world.client.get("/work")).text, reference)


async def test_a_deadline_in_days_shows_its_last_day_not_the_midnight_after(world, conn):
    """Issue 13, point 1, in the queue: due at midnight on 3 December is "wo 02-12-2026"."""
    reference = (await world.report())["reference"]
    await conn.execute(
        "UPDATE cases SET acknowledge_by = '2026-12-03 00:00+01' WHERE reference = $1", reference
    )
    await sign_in(world.client, conn, world.who("coordinator").id)
    row = _row((await world.client.get("/work")).text, reference)
    assert "wo 02-12-2026" in row
    assert "03-12-2026" not in row
