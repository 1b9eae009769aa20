"""`python -m service access-log --case REF | --user EMAIL`: who looked at contact details."""

from tests.cli import run_cli, table_rows


async def test_the_views_of_a_case_and_of_a_user_as_tables(world, conn, database_url, tmp_path):
    case = await world.report()
    other = await world.report()
    inspector, admin = world.who("inspector"), world.who("admin")
    await world.case(case["reference"], inspector)
    await world.case(other["reference"], inspector)
    await world.case(case["reference"], admin)
    inspector_email = await conn.fetchval("SELECT email FROM users WHERE id = $1", inspector.id)

    async def cli(*args: str) -> tuple[int, str, str]:
        return await run_cli("access-log", *args, database_url=database_url, data_dir=tmp_path)

    code, out, err = await cli("--case", case["reference"].lower())
    assert code == 0, err
    rows = table_rows(out)
    assert [(r["route"], r["masked"], r["name"]) for r in rows] == [
        ("api_detail", "yes", "Admin"),
        ("api_detail", "no", "Inspector lefier"),
    ]
    assert {r["case"] for r in rows} == {case["reference"]}
    assert len(rows[0]["at"]) == len("2026-11-30 15:05:12")
    # Aligned: each column starts at the same place on every line.
    lines = out.splitlines()
    assert len({line.index(case["reference"]) for line in lines[1:]}) == 1

    code, out, err = await cli("--user", inspector_email.upper())
    assert code == 0, err
    assert [r["case"] for r in table_rows(out)] == [other["reference"], case["reference"]]

    code, out, err = await cli("--user", "nobody@example.nl")
    assert (code, out) == (1, "")
    assert "No staff member" in err
    code, _, err = await cli("--case", "SCH-2026-999999")
    assert code == 1
    assert "No case" in err
