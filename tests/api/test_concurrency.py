"""Concurrent changes never overwrite each other, and histories stay gap-free."""

import asyncio

import httpx

from tests.factories import if_match


async def test_twenty_simultaneous_transitions_give_one_success(world, live_server, conn):
    reference = (await world.report())["reference"]
    inspector = world.who("inspector")
    headers = {**inspector.headers, **if_match(1)}
    async with httpx.AsyncClient(base_url=live_server) as http:
        responses = await asyncio.gather(
            *(
                http.post(
                    f"/api/v1/cases/{reference}/transitions",
                    json={"to": "acknowledged"},
                    headers=headers,
                )
                for _ in range(20)
            )
        )
    codes = sorted(r.status_code for r in responses)
    assert codes == [200] + [412] * 19
    case = await world.case(reference, inspector)
    assert case["version"] == 2
    assert case["status"] == "acknowledged"
    seqs = await conn.fetch(
        "SELECT e.seq FROM case_events e JOIN cases c ON c.id = e.case_id "
        "WHERE c.reference = $1 ORDER BY e.seq",
        reference,
    )
    assert [row["seq"] for row in seqs] == [1, 2, 3]


async def test_concurrent_notes_with_fresh_versions_keep_sequences_gap_free(
    world, live_server, conn
):
    """Twenty notes, each retried with the latest version until it lands: all twenty land."""
    reference = (await world.report())["reference"]
    inspector = world.who("inspector")

    async def add_note(http: httpx.AsyncClient, number: int) -> int:
        for _ in range(100):
            version = (
                await http.get(f"/api/v1/cases/{reference}", headers=inspector.headers)
            ).json()["version"]
            response = await http.post(
                f"/api/v1/cases/{reference}/notes",
                json={"text": f"Notitie {number}", "visibility": "internal"},
                headers={**inspector.headers, **if_match(version)},
            )
            if response.status_code == 201:
                return number
            assert response.status_code == 412, response.text
        raise AssertionError("a note never landed")

    async with httpx.AsyncClient(base_url=live_server) as http:
        landed = await asyncio.gather(*(add_note(http, n) for n in range(20)))
    assert sorted(landed) == list(range(20))
    rows = await conn.fetch(
        "SELECT e.seq, e.data->>'text' AS text FROM case_events e JOIN cases c ON c.id = e.case_id "
        "WHERE c.reference = $1 ORDER BY e.seq",
        reference,
    )
    assert [row["seq"] for row in rows] == list(range(1, 23))
    assert sorted(row["text"] for row in rows[2:]) == sorted(f"Notitie {n}" for n in range(20))
    assert (await world.case(reference, inspector))["version"] == 21


async def test_concurrent_reports_and_changes_never_deadlock_on_the_counters(
    world, live_server, conn
):
    """The dashboard counters are shared rows: concurrent writers must all get through."""
    from tests.factories import report_body

    existing = [(await world.report())["reference"] for _ in range(10)]
    inspector = world.who("inspector")
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:

        async def acknowledge(reference: str) -> int:
            response = await http.post(
                f"/api/v1/cases/{reference}/transitions",
                json={"to": "acknowledged"},
                headers={**inspector.headers, **if_match(1)},
            )
            return response.status_code

        async def report() -> int:
            return (await http.post("/api/v1/reports", json=report_body())).status_code

        codes = await asyncio.gather(
            *(report() for _ in range(40)), *(acknowledge(ref) for ref in existing)
        )
    assert codes == [201] * 40 + [200] * 10
    counted = await conn.fetchval(
        "SELECT sum(open_cases) FROM case_counts WHERE dimension = 'status'"
    )
    assert counted == await conn.fetchval("SELECT count(*) FROM cases")
    deadlocks = await conn.fetchval(
        "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()"
    )
    assert deadlocks == 0
