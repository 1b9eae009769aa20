"""Findings record the day of the visit and a resolution the day of the repair: both are
often typed in days later, and the deadlines count the day the work took place."""

from datetime import datetime, timedelta

from service.domain.calendar import AMSTERDAM
from service.domain.dates_in_words import long_date
from tests.factories import if_match

ITEMS = [{"location": "keuken", "kind": "scheur", "damage_class": 2}]


def today():
    return datetime.now(AMSTERDAM).date()


async def _reported_days_ago(world, conn, days: int) -> str:
    reference = (await world.report())["reference"]
    await conn.execute(
        "UPDATE cases SET reported_at = reported_at - make_interval(days => $2) "
        "WHERE reference = $1",
        reference,
        days,
    )
    return reference


async def _planned(world, reference: str, planned_at: datetime) -> dict:
    admin = world.who("admin")
    await world.move(reference, admin, "acknowledged")
    return await world.move(
        reference, admin, "inspection_planned", planned_at=planned_at.isoformat()
    )


async def _findings(world, reference: str, expect: int = 201, **fields):
    case = await world.case(reference, world.who("admin"))
    response = await world.client.post(
        f"/api/v1/cases/{reference}/findings",
        json={"items": ITEMS, "acute": False, "earthquake_cause": "likely", **fields},
        headers={**world.who("inspector").headers, **if_match(case["version"])},
    )
    assert response.status_code == expect, response.text
    return response.json()


def _stage(case: dict, stage: str) -> dict:
    return next(d for d in case["deadlines"] if d["stage"] == stage)


async def test_findings_typed_after_the_deadline_count_the_planned_visit(world, conn):
    # The issue: the visit took place on time, its findings were typed after the deadline.
    reference = await _reported_days_ago(world, conn, 20)
    planned = datetime.now(AMSTERDAM).replace(microsecond=0) - timedelta(days=3)
    await _planned(world, reference, planned)
    await conn.execute(
        "UPDATE cases SET acknowledge_by = now() - interval '2 days', "
        "inspect_by = now() - interval '1 day' WHERE reference = $1",
        reference,
    )
    case = await _findings(world, reference)
    assert case["findings"][0]["visited_on"] == planned.date().isoformat()
    inspect = _stage(case, "inspect")
    assert datetime.fromisoformat(inspect["completed_at"]) == planned
    assert inspect["state"] != "breached"
    events = (
        await world.client.get(
            f"/api/v1/cases/{reference}/events", headers=world.who("admin").headers
        )
    ).json()
    recorded = next(e for e in events if e["kind"] == "findings_recorded")
    assert recorded["data"]["visited_on"] == planned.date().isoformat()


async def test_a_visit_before_its_planned_day_defaults_to_today(world, conn):
    reference = (await world.report())["reference"]
    await _planned(world, reference, datetime.now(AMSTERDAM) + timedelta(days=3))
    case = await _findings(world, reference)
    assert case["findings"][0]["visited_on"] == today().isoformat()


async def test_a_visit_day_given_is_kept_and_counted(world, conn):
    reference = await _reported_days_ago(world, conn, 10)
    await _planned(world, reference, datetime.now(AMSTERDAM) + timedelta(days=3))
    visited = today() - timedelta(days=4)
    case = await _findings(world, reference, visited_on=visited.isoformat())
    assert case["findings"][0]["visited_on"] == visited.isoformat()
    done = datetime.fromisoformat(_stage(case, "inspect")["completed_at"]).astimezone(AMSTERDAM)
    assert done.date() == visited  # the end of that day: a deadline in days is met by it


async def test_a_visit_day_after_today_or_before_the_report_is_refused(world, conn):
    reference = await _reported_days_ago(world, conn, 2)
    await _planned(world, reference, datetime.now(AMSTERDAM) + timedelta(days=3))
    for day, words in (
        (today() + timedelta(days=1), "still to come"),
        (today() - timedelta(days=5), "before the day of the report"),
    ):
        problem = await _findings(world, reference, 400, visited_on=day.isoformat())
        assert problem["errors"][0]["field"] == "visited_on"
        assert words in problem["errors"][0]["message"]
    case = await world.case(reference, world.who("admin"))
    assert case["status"] == "inspection_planned"
    assert case["findings"] == []


async def _inspected(world, conn, reported_days_ago: int) -> str:
    reference = await _reported_days_ago(world, conn, reported_days_ago)
    await _planned(world, reference, datetime.now(AMSTERDAM) + timedelta(days=1))
    await _findings(world, reference)
    return reference


async def test_resolving_records_the_repair_day_today_by_default(world, conn):
    reference = await _inspected(world, conn, 5)
    case = await world.move(reference, world.who("inspector"), "resolved")
    assert case["repaired_on"] == today().isoformat()


async def test_a_repair_day_given_counts_for_the_resolve_deadline(world, conn):
    reference = await _inspected(world, conn, 30)
    await conn.execute(
        "UPDATE cases SET acknowledge_by = now() - interval '6 days', "
        "inspect_by = now() - interval '5 days', resolve_by = now() - interval '1 day' "
        "WHERE reference = $1",
        reference,
    )
    repaired = today() - timedelta(days=3)
    case = await world.move(
        reference, world.who("inspector"), "resolved", repaired_on=repaired.isoformat()
    )
    assert case["repaired_on"] == repaired.isoformat()
    resolve = _stage(case, "resolve")
    assert datetime.fromisoformat(resolve["completed_at"]).astimezone(AMSTERDAM).date() == repaired
    assert resolve["state"] != "breached"
    # The tenant's 14 days to react run from being told, not from the repair.
    resolved_at = await conn.fetchval(
        "SELECT resolved_at FROM cases WHERE reference = $1", reference
    )
    assert datetime.now(AMSTERDAM) - resolved_at < timedelta(minutes=1)


async def test_a_repair_day_after_today_or_before_the_report_is_refused(world, conn):
    reference = await _inspected(world, conn, 2)
    inspector = world.who("inspector")
    for day, words in (
        (today() + timedelta(days=1), "still to come"),
        (today() - timedelta(days=5), "before the day of the report"),
    ):
        problem = await world.move(reference, inspector, "resolved", 400, repaired_on=str(day))
        assert problem["errors"][0]["field"] == "repaired_on"
        assert words in problem["errors"][0]["message"]
    problem = await world.move(
        reference, inspector, "rejected", 400, reason="withdrawn", repaired_on=str(today())
    )
    assert problem["errors"][0]["field"] == "repaired_on"
    assert (await world.case(reference, inspector))["status"] == "inspected"


async def test_reopening_forgets_the_repair_day(world, conn):
    reference = await _inspected(world, conn, 5)
    admin = world.who("admin")
    await world.move(reference, admin, "resolved")
    case = await world.move(reference, admin, "acknowledged", reason="Scheur is terug.")
    assert case["repaired_on"] is None


async def test_the_tenant_reads_the_day_of_the_repair(world, conn):
    created = await world.report()
    reference = created["reference"]
    await conn.execute(
        "UPDATE cases SET reported_at = reported_at - interval '5 days' WHERE reference = $1",
        reference,
    )
    await _planned(world, reference, datetime.now(AMSTERDAM) + timedelta(days=1))
    await _findings(world, reference)
    repaired = today() - timedelta(days=2)
    await world.move(reference, world.who("inspector"), "resolved", repaired_on=str(repaired))
    view = await world.client.get(
        f"/api/v1/reports/{reference}", headers={"X-Tracking-Token": created["tracking_token"]}
    )
    last = view.json()["timeline"][-1]["text"]
    assert last.startswith(f"Hersteld op {long_date(repaired, 'nl')}. De woningcorporatie meldt")
