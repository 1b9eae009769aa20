"""Assign, transfer and similar cases."""

from tests.factories import if_match
from tests.world import OTHER_HOME, OWN_HOME, UNKNOWN_HOME


async def change(world, reference, person, method, path, body):
    version = (await world.case(reference, world.who("admin")))["version"]
    return await world.client.request(
        method,
        f"/api/v1/cases/{reference}{path}",
        json=body,
        headers={**person.headers, **if_match(version)},
    )


async def test_manager_assigns_a_colleague_but_not_an_outsider(world):
    reference = (await world.report())["reference"]
    manager, inspector = world.who("manager"), world.who("inspector")
    done = await change(
        world, reference, manager, "PUT", "/assignee", {"assignee_id": inspector.id}
    )
    assert done.status_code == 200
    assert done.json()["assignee"] == {"id": inspector.id, "name": "Inspector lefier"}
    outsider = world.who("inspector", "acantus")
    refused = await change(
        world, reference, manager, "PUT", "/assignee", {"assignee_id": outsider.id}
    )
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "assignee_id"
    unassigned = await change(world, reference, manager, "PUT", "/assignee", {"assignee_id": None})
    assert unassigned.json()["assignee"] is None
    mine = (await world.client.get("/api/v1/cases?assignee=none", headers=manager.headers)).json()
    assert [item["reference"] for item in mine["items"]] == [reference]


async def test_assigning_the_same_person_again_records_nothing(world, conn):
    reference = (await world.report())["reference"]
    inspector = world.who("inspector")
    first = await change(
        world, reference, inspector, "PUT", "/assignee", {"assignee_id": inspector.id}
    )
    again = await change(
        world, reference, inspector, "PUT", "/assignee", {"assignee_id": inspector.id}
    )
    assert first.json()["version"] == again.json()["version"] == 2
    assert await conn.fetchval("SELECT count(*) FROM case_events WHERE kind = 'assigned'") == 1


async def test_manager_transfers_a_misrouted_case(world, conn):
    reference = (await world.report())["reference"]
    manager, inspector = world.who("manager"), world.who("inspector")
    await change(world, reference, inspector, "PUT", "/assignee", {"assignee_id": inspector.id})
    moved = await change(
        world, reference, manager, "POST", "/transfer",
        {"corporation": "acantus", "reason": "Deze woning is in 2025 overgedragen aan Acantus."},
    )  # fmt: skip
    assert moved.status_code == 200, moved.text
    assert moved.json() == {
        "reference": reference,
        "corporation": {"code": "acantus", "name": "Acantus"},
    }
    # Gone from Lefier's sight, there for Acantus, unassigned, and in the tenant's timeline.
    assert (
        await world.client.get(f"/api/v1/cases/{reference}", headers=manager.headers)
    ).status_code == 404
    theirs = await world.case(reference, world.who("inspector", "acantus"))
    assert theirs["corporation"]["code"] == "acantus"
    assert theirs["assignee"] is None
    event = await conn.fetchrow("SELECT public, data FROM case_events WHERE kind = 'transferred'")
    assert event["public"]
    assert event["data"]["from_corporation_code"] == "lefier"
    same = await change(
        world, reference, world.who("coordinator"), "POST", "/transfer",
        {"corporation": "acantus", "reason": "nog eens"},
    )  # fmt: skip
    assert same.status_code == 409
    unknown = await change(
        world, reference, world.who("coordinator"), "POST", "/transfer",
        {"corporation": "nobody", "reason": "x"},
    )  # fmt: skip
    assert unknown.status_code == 400


async def test_similar_finds_open_cases_at_the_home_and_in_the_postcode(world, conn):
    first = (await world.report())["reference"]
    second = (await world.report())["reference"]  # the same home
    neighbour = await world.report(
        {"postcode": OWN_HOME["postcode"], "house_number": 14}
    )  # unknown home, same postcode: unrouted, not in Lefier's scope
    elsewhere = (await world.report(OTHER_HOME))["reference"]
    closed = (await world.report())["reference"]
    await conn.execute(
        "UPDATE cases SET status = 'rejected', rejection_reason = 'withdrawn', closed_at = now() "
        "WHERE reference = $1",
        closed,
    )
    inspector = world.who("inspector")
    found = (
        await world.client.get(f"/api/v1/cases/{first}/similar", headers=inspector.headers)
    ).json()
    assert [c["reference"] for c in found["same_address"]] == [second]
    assert found["same_postcode"] == []  # the neighbour's case is unrouted: not Lefier's to see
    coordinator = (
        await world.client.get(
            f"/api/v1/cases/{first}/similar", headers=world.who("coordinator").headers
        )
    ).json()
    assert [c["reference"] for c in coordinator["same_postcode"]] == [neighbour["reference"]]
    assert elsewhere not in str(coordinator)


async def test_a_rejected_case_no_corporation_had_is_reopened_by_routing(world, conn):
    coordinator = world.who("coordinator")
    reference = (await world.report(UNKNOWN_HOME))["reference"]
    rejected = await world.move(reference, coordinator, "rejected", reason="not_our_home")
    assert "acknowledged" not in rejected["allowed_next"]
    refused = await world.move(reference, coordinator, "acknowledged", expect=409, reason="toch")
    assert "/route" in refused["detail"]
    routed = await change(
        world, reference, coordinator, "POST", "/route", {"corporation": "lefier"}
    )
    assert routed.status_code == 200, routed.text
    case = routed.json()
    assert (case["status"], case["rejection_reason"], case["closed_at"]) == ("new", None, None)
    event = await conn.fetchrow(
        "SELECT from_status, to_status FROM case_events WHERE kind = 'routed'"
    )
    assert (event["from_status"], event["to_status"]) == ("rejected", "new")


async def test_the_case_says_what_this_user_may_do_now_and_with_which_fields(world):
    reference = (await world.report())["reference"]
    shown = await world.case(reference, world.who("inspector"))
    offered = {(a["action"], a["to"]) for a in shown["allowed_actions"]}
    assert offered == {
        ("transition", "acknowledged"),
        ("transition", "rejected"),
        ("transition", "on_hold"),
        ("note", None),
        ("take", None),
    }
    moves = [a for a in shown["allowed_actions"] if a["action"] == "transition"]
    assert [a["to"] for a in moves] == shown["allowed_next"]
    by_target = {a["to"]: a for a in moves}
    assert (by_target["on_hold"]["requires"], by_target["on_hold"]["optional"]) == (
        ["reason"],
        ["note"],
    )
    assert by_target["rejected"]["optional"] == ["duplicate_of", "note"]

    manager = {
        a["action"] for a in (await world.case(reference, world.who("manager")))["allowed_actions"]
    }
    assert {"assign", "transfer", "take"} <= manager
    unrouted = (await world.report(UNKNOWN_HOME))["reference"]
    coordinator = await world.case(unrouted, world.who("coordinator"))
    route = next(a for a in coordinator["allowed_actions"] if a["action"] == "route")
    assert (route["requires"], route["optional"]) == (
        ["corporation"],
        ["add_to_portfolio", "street", "city"],
    )
    assert coordinator["allowed_next"] == ["rejected"]  # to new: by routing, not a transition
