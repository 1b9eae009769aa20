"""The demo data: corporations, a synthetic portfolio, staff and sample cases that walk the workflow."""

import itertools
import re
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

import asyncpg
from litestar.testing import AsyncTestClient

from service.attachments.storage import open_storage
from service.auth.secrets import TOKEN_PREFIX, api_token_hash, password_matches
from service.auth.store import staff_by_token
from service.demo.homes import generate_portfolio
from service.demo.places import CORPORATIONS, MUNICIPALITIES
from service.demo.seed import (
    demo_password,
    demo_staff_tokens,
    demo_tracking_link,
    seed_demo,
    seed_demo_if_empty,
)
from service.domain.categories import Category
from service.domain.sla import Deadlines, Stage, Urgency, deadlines_for, due_of, resume_after_hold
from service.domain.work_dates import local_day
from service.domain.workflow import REOPEN_FROM, Status, can_transition
from service.settings import Settings
from tests.factories import bearer, if_match

BAG_ID = re.compile(r"^[0-9]{4}01[0-9]{10}$")


def test_portfolio_is_deterministic_and_well_formed():
    first, second = generate_portfolio(), generate_portfolio()
    assert first == second
    assert len(first.homes) >= 20_000
    keys = [home.key for home in first.homes]
    assert len(set(keys)) == len(keys)
    bag_ids = [home.bag_id for home in first.homes if home.bag_id]
    assert len(set(bag_ids)) == len(bag_ids)
    for home in first.homes:
        assert home.municipality_code in MUNICIPALITIES
        assert home.bag_id is None or (
            BAG_ID.fullmatch(home.bag_id) and home.bag_id[:4] == home.municipality_code[2:]
        )
    # Some postcodes of the region have no registered home: reports there are unrouted.
    registered = {home.postcode for home in first.homes}
    assert first.private_homes
    assert not {home.postcode for home in first.private_homes} & registered


async def test_seed_loads_corporations_homes_and_cases_once(
    conn: asyncpg.Connection, settings: Settings
):
    summary = await seed_demo(conn, settings.secret_key)

    assert summary.corporations == summary.corporations_added == len(CORPORATIONS)
    assert summary.homes == summary.homes_added >= 20_000
    assert summary.staff == summary.staff_added == 2 * len(CORPORATIONS) + 2
    assert 190 <= summary.cases == summary.cases_added <= 210
    assert "demo data loaded" in str(summary)

    codes = {row["code"] for row in await conn.fetch("SELECT code FROM corporations")}
    assert {"lefier", "wierden-en-borgen", "wold-en-waard", "nijestee", "acantus"} <= codes
    homes = await conn.fetchrow(
        """
        SELECT count(*) AS total,
               count(*) FILTER (WHERE synthetic) AS synthetic,
               count(*) FILTER (WHERE bag_id IS NOT NULL
                                AND left(bag_id, 4) <> right(municipality_code, 4)) AS bad_bag,
               count(*) FILTER (WHERE lat IS NULL) AS unplaced,
               count(DISTINCT corporation_id) AS owners,
               count(DISTINCT municipality_code) AS municipalities
        FROM addresses
        """
    )
    assert homes["total"] == homes["synthetic"] == summary.homes
    assert homes["bad_bag"] == homes["unplaced"] == 0
    assert homes["owners"] == len(CORPORATIONS)
    assert homes["municipalities"] == len(MUNICIPALITIES)

    cases = await conn.fetch(
        """
        SELECT c.*, r.email, co.code AS corporation_code, a.corporation_id AS home_owner
        FROM cases c
        JOIN reporters r ON r.id = c.reporter_id
        LEFT JOIN corporations co ON co.id = c.corporation_id
        LEFT JOIN addresses a ON a.id = c.address_id
        """
    )
    assert len(cases) == summary.cases
    assert {c["status"] for c in cases} == {s.value for s in Status}
    assert {c["category"] for c in cases} == {c.value for c in Category}
    assert any(c["acute"] for c in cases)
    now = datetime.now(UTC)
    for case in cases:
        assert case["synthetic"]
        assert case["email"].endswith("@example.nl")
        assert re.fullmatch(r"SCH-\d{4}-\d{6}", case["reference"])
        assert now - timedelta(days=125) < case["reported_at"] < now
        assert (case["closed_at"] is not None) == (case["status"] in ("closed", "rejected"))
        if case["status"] == "unrouted":
            assert case["corporation_id"] is None
            assert case["address_id"] is None
        if case["address_id"] is not None:
            assert case["home_owner"] == case["corporation_id"]

    events = await conn.fetch("SELECT * FROM case_events ORDER BY case_id, seq")
    by_case: dict = {}
    for event in events:
        by_case.setdefault(event["case_id"], []).append(event)
    assert set(by_case) == {c["id"] for c in cases}
    for case in cases:
        history = by_case[case["id"]]
        assert [e["seq"] for e in history] == list(range(1, len(history) + 1))
        assert case["last_event_seq"] == len(history)
        assert history[0]["kind"] == "reported"
        assert history[0]["at"] == case["reported_at"]
        assert all(a["at"] <= b["at"] for a, b in itertools.pairwise(history))
        assert case["updated_at"] == history[-1]["at"] <= now
        changes = [e for e in history if e["to_status"] is not None]
        assert changes[-1]["to_status"] == case["status"]
        # Each change is one the workflow allows, on_hold going back where it came from.
        for before, after in itertools.pairwise(changes):
            assert after["from_status"] == before["to_status"]
            previous = before["from_status"] if before["to_status"] == "on_hold" else None
            came_from = Status(previous) if previous else None
            assert can_transition(
                Status(before["to_status"]), Status(after["to_status"]), came_from
            )
        for event in changes:
            if event["to_status"] == "on_hold":
                assert event["data"]["reason"]
            if event["to_status"] == "rejected":
                assert event["data"]["reason"]
        first_routing = history[1]
        if first_routing["kind"] == "unrouted":
            assert first_routing["data"]["reason"] == "no_match"
            assert isinstance(first_routing["data"]["suggestions"], list)
        else:
            assert first_routing["kind"] == "routed"
            assert first_routing["data"]["reason"] in ("address", "bag_id")
            assert first_routing["data"]["corporation_code"] == case["corporation_code"]

    again = await seed_demo(conn, settings.secret_key)
    assert not again.added_anything
    assert (again.corporations, again.homes, again.staff, again.cases) == (
        summary.corporations,
        summary.homes,
        summary.staff,
        summary.cases,
    )
    assert "nothing added" in str(again)
    assert await conn.fetchval("SELECT count(*) FROM cases") == summary.cases
    assert await conn.fetchval("SELECT count(*) FROM reporters") == summary.cases
    assert await conn.fetchval("SELECT count(*) FROM users") == summary.staff
    assert await conn.fetchval("SELECT count(*) FROM api_tokens") == 4
    assert await seed_demo_if_empty(conn, settings.secret_key) is None


async def test_tracking_link_opens_a_sample_case(
    conn: asyncpg.Connection, settings: Settings, client: AsyncTestClient
):
    assert await demo_tracking_link(conn, settings.secret_key, settings.public_base_url) is None

    summary = await seed_demo_if_empty(conn, settings.secret_key)
    assert summary is not None
    assert summary.cases_added

    link = await demo_tracking_link(conn, settings.secret_key, settings.public_base_url)
    assert link is not None
    parts = urlsplit(link)
    assert link.startswith(f"{settings.public_base_url}/t/SCH-")
    reference = parts.path.rsplit("/", 1)[1]
    token = parse_qs(parts.query)["token"][0]
    response = await client.get(f"/api/v1/reports/{reference}", headers={"X-Tracking-Token": token})
    assert response.status_code == 200, response.text
    view = response.json()
    assert view["status"] not in ("unrouted", "closed", "rejected")
    assert view["corporation_name"]
    assert len(view["timeline"]) >= 3

    # Another secret cannot open the sample cases, so it gets no link.
    assert await demo_tracking_link(conn, "another-secret", settings.public_base_url) is None


async def test_reports_route_on_demo_homes_and_not_on_private_ones(
    conn: asyncpg.Connection, settings: Settings, client: AsyncTestClient
):
    await seed_demo(conn, settings.secret_key)
    portfolio = generate_portfolio()
    home = portfolio.homes[1234]
    private = portfolio.private_homes[0]
    body = {
        "category": "crack",
        "description": "Scheur boven de deur.",
        "address": {
            "postcode": home.postcode,
            "house_number": home.house_number,
            "house_letter": home.house_letter or None,
            "addition": home.addition or None,
        },
        "reporter": {"name": "Test Huurder", "email": "test@example.nl"},
    }
    routed = await client.post("/api/v1/reports", json=body)
    assert routed.status_code == 201, routed.text
    assert routed.json()["status"] == "new"
    assert routed.json()["corporation"]["code"] == home.corporation_code

    body["address"] = {"postcode": private.postcode, "house_number": private.house_number}
    unrouted = await client.post("/api/v1/reports", json=body)
    assert unrouted.status_code == 201, unrouted.text
    assert unrouted.json()["status"] == "unrouted"
    assert unrouted.json()["corporation"] is None


EVENT_KINDS = {
    "reported",
    "routed",
    "unrouted",
    "status_changed",
    "assigned",
    "note",
    "findings_recorded",
}
PLANNED = ("inspection_planned", "repair_planned")
# Crack widths (mm) of each damage class on the Burland scale: [low, high).
CRACK_WIDTHS = {0: (0, 0.1), 1: (0.1, 1), 2: (1, 5), 3: (5, 15.01), 4: (15, 25.01), 5: (25, 1000)}


async def _demo_world(conn: asyncpg.Connection) -> dict[str, Any]:
    users = await conn.fetch(
        """
        SELECT u.*, c.code AS corporation_code
        FROM users u LEFT JOIN corporations c ON c.id = u.corporation_id
        """
    )
    history: dict[Any, list[asyncpg.Record]] = defaultdict(list)
    for event in await conn.fetch("SELECT * FROM case_events ORDER BY case_id, seq"):
        history[event["case_id"]].append(event)
    items: dict[int, list[asyncpg.Record]] = defaultdict(list)
    for item in await conn.fetch("SELECT * FROM damage_items ORDER BY finding_id, position"):
        items[item["finding_id"]].append(item)
    return {
        "users": {u["id"]: u for u in users},
        "cases": await conn.fetch(
            """
            SELECT c.*, co.code AS corporation_code
            FROM cases c LEFT JOIN corporations co ON co.id = c.corporation_id
            """
        ),
        "history": history,
        "findings": {f["id"]: f for f in await conn.fetch("SELECT * FROM case_findings")},
        "items": items,
    }


async def test_sample_cases_carry_what_the_workflow_records(
    conn: asyncpg.Connection, settings: Settings
):
    await seed_demo(conn, settings.secret_key)
    world = await _demo_world(conn)
    users, findings, items = world["users"], world["findings"], world["items"]
    by_id = {case["id"]: case for case in world["cases"]}
    assigned: dict[bool, list[bool]] = {True: [], False: []}  # by finished
    duplicates = 0
    inspected_cases = set()
    for case in world["cases"]:
        events = world["history"][case["id"]]
        changes = [e for e in events[2:] if e["to_status"] is not None]
        status = case["status"]

        # Who did it: demo staff by display name and id; the tenant and the system without.
        for event in events:
            assert event["kind"] in EVENT_KINDS
            if event["actor"] in ("tenant", "system"):
                assert event["actor_user_id"] is None
                continue
            user = users[event["actor_user_id"]]
            code = user["corporation_code"]
            assert event["actor"] == (f"{user['name']} ({code})" if code else user["name"])
            if code is not None:
                assert user["corporation_id"] == case["corporation_id"]
            if event["kind"] == "note":
                assert event["data"]["text"]
                assert event["public"] == (event["data"]["visibility"] == "tenant")
            if event["kind"] == "routed":
                assert event["data"]["reason"] == "manual"
                assert user["role"] in ("coordinator", "admin")
                assert event["data"]["corporation_code"] == case["corporation_code"]
            if event["kind"] in ("assigned", "findings_recorded"):
                assert not event["public"]
            elif event["kind"] != "note":
                assert event["public"]

        # The moments a case first reached a stage; a reopen forgets it was resolved.
        def first(target: str, after: int = 0, changes=changes) -> datetime | None:
            return next(
                (e["at"] for e in changes if e["to_status"] == target and e["seq"] > after), None
            )

        reopened = max(
            (
                e["seq"]
                for e in changes
                if e["to_status"] == "acknowledged" and e["from_status"] in REOPEN_FROM
            ),
            default=0,
        )
        assert case["acknowledged_at"] == first("acknowledged")
        # Inspected counts from the visit (issue 13, point 9): on the visit's day, never
        # later than the findings were recorded.
        inspected = first("inspected")
        if inspected is None:
            assert case["inspected_at"] is None
        else:
            visit = next(e for e in events if e["kind"] == "findings_recorded")
            assert case["inspected_at"] <= inspected
            assert str(local_day(case["inspected_at"])) == visit["data"]["visited_on"]
        assert case["resolved_at"] == first("resolved", reopened)

        # On hold: since the last status change, which came from the previous status.
        if status == "on_hold":
            hold = changes[-1]
            assert hold["to_status"] == "on_hold"
            assert case["on_hold_previous_status"] == hold["from_status"]
            assert case["on_hold_since"] == hold["at"]
        planning = [e for e in changes if e["to_status"] in PLANNED and "planned_at" in e["data"]]
        if status in PLANNED or case["on_hold_previous_status"] in PLANNED:
            assert case["planned_at"] == datetime.fromisoformat(planning[-1]["data"]["planned_at"])
        else:
            assert case["planned_at"] is None
        referrals = [e for e in changes if e["to_status"] == "referred"]
        referral = referrals[-1]["data"] if referrals else {}
        assert case["referred_to"] == referral.get("referred_to")
        assert case["external_reference"] == referral.get("external_reference")
        if status == "rejected":
            rejection = changes[-1]["data"]
            assert case["rejection_reason"] == rejection["reason"]
            assert rejection["note"]
            if rejection["reason"] == "duplicate":
                duplicates += 1
                original = by_id[case["duplicate_of"]]
                assert original["id"] != case["id"]
                assert original["corporation_id"] == case["corporation_id"]
                assert rejection["duplicate_of"] == original["reference"]
        else:
            assert case["rejection_reason"] is None

        # The data of each move, and the deadlines that pauses moved later.
        due = deadlines_for(Urgency(case["urgency"]), case["reported_at"])
        deadlines = Deadlines(*(due_of(due, stage).astimezone(UTC) for stage in Stage))
        for before, after in itertools.pairwise(changes):
            if after["from_status"] == "on_hold":
                paused = after["at"] - before["at"]
                assert after["data"] == {"paused_seconds": int(paused.total_seconds())}
                deadlines = resume_after_hold(deadlines, after["to_status"], paused)
        assert (
            Deadlines(case["acknowledge_by"], case["inspect_by"], case["resolve_by"]) == deadlines
        )
        for event in changes:
            move = (event["from_status"], event["to_status"])
            if event["to_status"] == "acknowledged" and event["from_status"] in REOPEN_FROM:
                assert event["data"]["reason"]
                assert event["data"]["reopened"] is True
            elif move == ("resolved", "closed"):
                assert (event["actor"], event["data"]) in (
                    ("tenant", {"confirmed_by": "tenant"}),
                    ("system", {"reason": "no_reaction_in_14_days"}),
                )
            elif event["to_status"] == "referred":
                assert event["data"]["referred_to"] in ("IMG", "NCG")

        # Every inspection recorded its findings first, in the same change.
        inspections = [e for e in changes if e["to_status"] == "inspected"]
        assert len(inspections) == sum(e["kind"] == "findings_recorded" for e in events)
        for inspected in inspections:
            inspected_cases.add(case["id"])
            recorded = events[inspected["seq"] - 2]
            assert recorded["kind"] == "findings_recorded"
            assert recorded["at"] == inspected["at"]
            finding = findings[recorded["data"]["finding_id"]]
            assert inspected["data"] == {"finding_id": finding["id"]}
            assert finding["case_id"] == case["id"]
            assert finding["corporation_id"] == case["corporation_id"]
            assert finding["recorded_at"] == recorded["at"]
            assert finding["recorded_by"] == recorded["actor_user_id"]
            assert users[finding["recorded_by"]]["role"] == "inspector"
            assert finding["summary"]
            assert case["acute"] or not finding["acute"]
            damage = items[finding["id"]]
            assert 1 <= len(damage) <= 4
            assert recorded["data"] == {
                "finding_id": finding["id"],
                "items": len(damage),
                "highest_class": max(item["damage_class"] for item in damage),
                "acute": finding["acute"],
                "earthquake_cause": finding["earthquake_cause"],
                "visited_on": finding["visited_on"].isoformat(),
            }
            for item in damage:
                assert item["location"]
                assert item["kind"]
                if item["crack_width_mm"] is not None:
                    low, high = CRACK_WIDTHS[item["damage_class"]]
                    assert Decimal(str(low)) <= item["crack_width_mm"] < Decimal(str(high))

        # The corporation's inspector is assigned to most cases, with one event saying so.
        assignments = [e for e in events if e["kind"] == "assigned"]
        if case["assignee_id"] is None:
            assert not assignments
        else:
            assignee = users[case["assignee_id"]]
            assert assignee["role"] == "inspector"
            assert assignee["corporation_id"] == case["corporation_id"]
            assert [e["data"] for e in assignments] == [
                {"assignee_id": assignee["id"], "assignee_name": assignee["name"]}
            ]
            by = users[assignments[0]["actor_user_id"]]
            assert by["id"] == assignee["id"] or by["role"] == "manager"
        if case["corporation_id"] is not None:
            assigned[status in ("closed", "rejected")].append(case["assignee_id"] is not None)

        # One version for the report, one per change after it.
        assert case["version"] == 1 + len(events[2:]) - len(inspections)

    assert {f["case_id"] for f in findings.values()} == inspected_cases
    assert duplicates
    assert 0.5 <= sum(assigned[False]) / len(assigned[False]) <= 0.8
    assert sum(assigned[True]) / len(assigned[True]) >= 0.75


async def test_demo_staff_sign_in_and_work_the_sample_cases(
    conn: asyncpg.Connection, settings: Settings, client: AsyncTestClient
):
    assert await demo_staff_tokens(conn, settings.secret_key) == {}
    await seed_demo(conn, settings.secret_key)

    users = await conn.fetch(
        """
        SELECT u.email, u.role, u.password_hash, c.code
        FROM users u LEFT JOIN corporations c ON c.id = u.corporation_id
        """
    )
    expected = {
        ("coordinator@example.nl", "coordinator", None),
        ("admin@example.nl", "admin", None),
    }
    for corporation in CORPORATIONS:
        code = corporation.code
        expected |= {
            (f"inspecteur.{code}@example.nl", "inspector", code),
            (f"manager.{code}@example.nl", "manager", code),
        }
    assert {(u["email"], u["role"], u["code"]) for u in users} == expected
    # One password for all, derived from the secret.
    assert len({u["password_hash"] for u in users}) == 1
    assert password_matches(demo_password(settings.secret_key), users[0]["password_hash"])
    assert not password_matches(demo_password("another-secret"), users[0]["password_hash"])

    tokens = await demo_staff_tokens(conn, settings.secret_key)
    holders = {
        "coordinator": ("coordinator@example.nl", "coordinator"),
        "admin": ("admin@example.nl", "admin"),
        "inspector (lefier)": ("inspecteur.lefier@example.nl", "inspector"),
        "manager (lefier)": ("manager.lefier@example.nl", "manager"),
    }
    assert set(tokens) == set(holders)
    for label, token in tokens.items():
        assert token.startswith(TOKEN_PREFIX)
        user = await staff_by_token(conn, api_token_hash(token))
        assert user is not None
        assert (user["email"], user["role"]) == holders[label]
    assert await demo_staff_tokens(conn, settings.secret_key) == tokens
    assert await demo_staff_tokens(conn, "another-secret") == {}

    # The service reads every case of Lefier as its inspector sees it ...
    inspector = bearer(tokens["inspector (lefier)"])
    lefier = await conn.fetch(
        """
        SELECT c.reference, c.version, c.status FROM cases c
        JOIN corporations co ON co.id = c.corporation_id WHERE co.code = 'lefier'
        """
    )
    assert lefier
    for case in lefier:
        response = await client.get(f"/api/v1/cases/{case['reference']}", headers=inspector)
        assert response.status_code == 200, response.text
        assert (response.json()["version"], response.json()["status"]) == (
            case["version"],
            case["status"],
        )
    queue = await client.get("/api/v1/cases", params={"limit": 200}, headers=inspector)
    assert queue.status_code == 200, queue.text
    assert {item["reference"] for item in queue.json()["items"]} <= {
        case["reference"] for case in lefier
    }

    # ... and takes them on: the coordinator ends a pause, the case goes back where it was.
    held = await conn.fetchrow(
        "SELECT reference, version, on_hold_previous_status FROM cases "
        "WHERE status = 'on_hold' ORDER BY reference LIMIT 1"
    )
    coordinator = bearer(tokens["coordinator"])
    back = await client.post(
        f"/api/v1/cases/{held['reference']}/transitions",
        json={"to": held["on_hold_previous_status"]},
        headers={**coordinator, **if_match(held["version"])},
    )
    assert back.status_code == 200, back.text
    assert back.json()["status"] == held["on_hold_previous_status"]
    assert back.json()["version"] == held["version"] + 1


async def test_the_sample_tracking_link_shows_the_tenant_s_photos(
    conn: asyncpg.Connection, settings: Settings, client: AsyncTestClient, tmp_path
):
    storage = open_storage(str(tmp_path / "attachments"), tmp_path)
    await seed_demo(conn, settings.secret_key, storage=storage)
    link = await demo_tracking_link(conn, settings.secret_key, settings.public_base_url)
    assert link is not None
    parts = urlsplit(link)
    reference = parts.path.rsplit("/", 1)[-1]
    token = parse_qs(parts.query)["token"][0]
    view = await client.get(f"/api/v1/reports/{reference}", headers={"X-Tracking-Token": token})
    photos = view.json()["attachments"]
    assert photos
    assert all(photo["kind"] == "photo" and photo["added_by_you"] for photo in photos)
    assert view.json()["timeline"][-1]["text"] == "U heeft een foto toegevoegd."
    for photo in photos:
        for key in (f"{photo['id']}/full", f"{photo['id']}/thumbnail"):
            assert (await storage.get(key))[:3] == b"\xff\xd8\xff"
    assert await conn.fetchval("SELECT count(*) FROM unrecorded_objects") == 0
