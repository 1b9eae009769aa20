"""The demo data: corporations, a synthetic portfolio and sample cases that walk the workflow."""

import itertools
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import asyncpg
from litestar.testing import AsyncTestClient

from service.demo.places import CORPORATIONS, MUNICIPALITIES
from service.demo.seed import (
    demo_tracking_link,
    generate_portfolio,
    seed_demo,
    seed_demo_if_empty,
)
from service.domain.categories import Category
from service.domain.workflow import Status, can_transition
from service.settings import Settings

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
                assert event["data"]["previous_status"] == event["from_status"]
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
    assert (again.corporations, again.homes, again.cases) == (
        summary.corporations,
        summary.homes,
        summary.cases,
    )
    assert "nothing added" in str(again)
    assert await conn.fetchval("SELECT count(*) FROM cases") == summary.cases
    assert await conn.fetchval("SELECT count(*) FROM reporters") == summary.cases
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
