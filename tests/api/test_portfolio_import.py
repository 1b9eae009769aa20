"""The portfolio import: `python -m service portfolio import CODE FILE.csv`."""

from datetime import datetime
from pathlib import Path

import asyncpg
import pytest

from service.domain.sla import Urgency, deadlines_for
from service.portfolio.importer import HEADER, ImportRejected, ImportSummary, import_portfolio
from tests import factories
from tests.cli import run_cli

REPO = Path(__file__).resolve().parent.parent.parent
HEADER_LINE = ",".join(HEADER)

# bag_id,postcode,house_number,house_letter,addition,street,city,municipality_code,lat,lon
HOMES = [
    "0014010011067299,9711AB,12,,,Herestraat,Groningen,GM0014,53.2139,6.5668",
    "0014010011067300,9711AB,12,A,,Herestraat,Groningen,GM0014,53.2139,6.5668",
    ",9711AB,14,,2,Herestraat,Groningen,GM0014,,",
    "0024010000123456,9919AA,3,,,Dorpsstraat,Loppersum,,53.3333,6.7500",
]


def write_csv(directory: Path, lines: list[str], name: str = "homes.csv") -> Path:
    path = directory / name
    path.write_text("\n".join([HEADER_LINE, *lines]) + "\n", encoding="utf-8")
    return path


async def register(connection: asyncpg.Connection) -> list[asyncpg.Record]:
    return await connection.fetch(
        """
        SELECT c.code, a.bag_id, a.postcode, a.house_number, a.house_letter, a.addition,
               a.street, a.city, a.municipality_code, a.lat, a.lon, a.updated_at
        FROM addresses a JOIN corporations c ON c.id = a.corporation_id
        ORDER BY a.postcode, a.house_number, a.house_letter, a.addition
        """
    )


async def test_clean_import_inserts_every_home(conn, tmp_path):
    await factories.corporation(conn, "lefier")
    summary = await import_portfolio(conn, "lefier", write_csv(tmp_path, HOMES))

    assert summary == ImportSummary("lefier", inserted=4)
    assert str(summary) == (
        "lefier: 4 inserted, 0 updated, 0 moved from another corporation, 0 unchanged"
    )
    rows = await register(conn)
    assert [(r["postcode"], r["house_number"], r["house_letter"], r["addition"]) for r in rows] == [
        ("9711AB", 12, "", ""),
        ("9711AB", 12, "A", ""),
        ("9711AB", 14, "", "2"),
        ("9919AA", 3, "", ""),
    ]
    assert {r["code"] for r in rows} == {"lefier"}
    assert rows[0]["bag_id"] == "0014010011067299"
    assert (rows[0]["lat"], rows[0]["lon"]) == (53.2139, 6.5668)
    # Empty optional fields are stored as NULL.
    assert (rows[2]["bag_id"], rows[2]["lat"], rows[2]["lon"]) == (None, None, None)
    assert rows[3]["municipality_code"] is None


async def test_municipality_codes_as_cbs_publishes_them_are_stored_with_gm(conn, tmp_path):
    await factories.corporation(conn, "lefier")
    lines = [
        ",9711AB,1,,,Herestraat,Groningen,1979,,",  # CBS's tables leave the GM off
        ",9711AB,2,,,Herestraat,Groningen,gm0014,,",
        ",9711AB,3,,,Herestraat,Groningen,GM0014,,",
    ]

    summary = await import_portfolio(conn, "lefier", write_csv(tmp_path, lines))

    assert summary == ImportSummary("lefier", inserted=3)
    assert [row["municipality_code"] for row in await register(conn)] == [
        "GM1979",
        "GM0014",
        "GM0014",
    ]


async def test_summary_counts_read_with_thousands_separators():
    summary = ImportSummary("lefier", inserted=1234, updated=5, moved=2, unchanged=10)
    assert str(summary) == (
        "lefier: 1,234 inserted, 5 updated, 2 moved from another corporation, 10 unchanged"
    )
    assert summary.total == 1251


async def test_importing_the_same_file_again_changes_nothing(conn, tmp_path):
    await factories.corporation(conn, "lefier")
    path = write_csv(tmp_path, HOMES)
    await import_portfolio(conn, "lefier", path)
    before = await register(conn)

    summary = await import_portfolio(conn, "lefier", path)

    assert summary == ImportSummary("lefier", unchanged=4)
    assert await register(conn) == before  # updated_at included


async def test_a_changed_field_counts_as_updated(conn, tmp_path):
    await factories.corporation(conn, "lefier")
    await import_portfolio(conn, "lefier", write_csv(tmp_path, HOMES))
    before = {
        (r["postcode"], r["house_number"], r["house_letter"]): r for r in await register(conn)
    }

    changed = list(HOMES)
    changed[0] = changed[0].replace("Herestraat", "Grote Markt")
    changed[3] = changed[3].replace("53.3333,6.7500", ",")  # coordinates dropped
    summary = await import_portfolio(conn, "lefier", write_csv(tmp_path, changed))

    assert summary == ImportSummary("lefier", updated=2, unchanged=2)
    after = {(r["postcode"], r["house_number"], r["house_letter"]): r for r in await register(conn)}
    assert after["9711AB", 12, ""]["street"] == "Grote Markt"
    assert after["9711AB", 12, ""]["updated_at"] > before["9711AB", 12, ""]["updated_at"]
    assert (after["9919AA", 3, ""]["lat"], after["9919AA", 3, ""]["lon"]) == (None, None)
    assert after["9711AB", 12, "A"]["updated_at"] == before["9711AB", 12, "A"]["updated_at"]


async def test_a_home_of_another_corporation_moves(conn, tmp_path):
    acantus = await factories.corporation(conn, "acantus")
    await factories.corporation(conn, "lefier")
    await factories.home(conn, acantus, "9711AB", 12, bag_id="0014010011067299")
    await factories.home(conn, acantus, "9711AB", 20)

    summary = await import_portfolio(conn, "lefier", write_csv(tmp_path, HOMES))

    assert summary == ImportSummary("lefier", inserted=3, moved=1)
    owners = {
        (r["postcode"], r["house_number"], r["house_letter"]): r["code"]
        for r in await register(conn)
    }
    assert owners["9711AB", 12, ""] == "lefier"
    assert owners["9711AB", 20, ""] == "acantus"  # not in the file: stays where it is


async def test_postcode_and_other_fields_are_normalised(conn, tmp_path):
    await factories.corporation(conn, "lefier")
    path = write_csv(
        tmp_path,
        [" 0014010011067299 ,9711 ab, 12 ,b,bis, Herestraat ,Groningen,gm0014, 53.2 , 6.5"],
    )

    assert await import_portfolio(conn, "Lefier", path) == ImportSummary("lefier", inserted=1)
    [row] = await register(conn)
    assert (row["postcode"], row["house_number"], row["house_letter"], row["addition"]) == (
        "9711AB",
        12,
        "B",
        "BIS",
    )
    assert (row["bag_id"], row["street"], row["municipality_code"]) == (
        "0014010011067299",
        "Herestraat",
        "GM0014",
    )
    assert (row["lat"], row["lon"]) == (53.2, 6.5)


async def test_bad_lines_reject_the_whole_file_and_name_each_line(conn, tmp_path):
    lefier = await factories.corporation(conn, "lefier")
    await factories.home(conn, lefier, "9711AB", 99, street="Oude Ebbingestraat")
    before = await register(conn)
    lines = [
        HOMES[0],  # line 2: good
        ",0711AB,1,,,Herestraat,Groningen,,,",  # line 3: postcode
        ",9711AB,0,,,Herestraat,Groningen,,,",  # line 4: house number
        ",9711AB,7,AB,,Herestraat,Groningen,GM14,,",  # line 5: letter and municipality
        ",9711AB,8,,,,Groningen,,53.2,",  # line 6: street; lat without lon
        "12345,9711AB,9,,,Herestraat,Groningen,,53,2,6.5",  # line 7: 11 fields
        "123,9711SS,10,,,Herestraat,,,95,6.5",  # line 8: bag id, postcode, city, lat
        HOMES[2],  # line 9: good
    ]

    with pytest.raises(ImportRejected) as caught:
        await import_portfolio(conn, "lefier", write_csv(tmp_path, lines))

    rejected = caught.value
    assert str(rejected) == "the file was not imported: 6 bad lines; nothing was changed"
    problems = "\n".join(rejected.problems)
    assert "line 3: postcode '0711AB': A Dutch postcode is four digits" in problems
    assert "line 4: house_number '0': A house number is a whole number from 1 to 99999" in problems
    assert "line 5: house_letter 'AB': A house letter is a single letter" in problems
    assert "line 5: municipality_code 'GM14'" in problems
    assert "line 6: street: missing" in problems
    assert "line 6: lat and lon go together" in problems
    assert "line 7: 11 fields, expected 10" in problems
    assert "line 8: bag_id '123': A BAG id" in problems
    assert "line 8: postcode '9711SS': Postcodes with the letters SS do not exist" in problems
    assert "line 8: city: missing" in problems
    assert "line 8: lat '95': must be from -90 to 90" in problems
    assert not any(p.startswith(("line 2:", "line 9:")) for p in rejected.problems)
    assert await register(conn) == before


async def test_coordinates_must_be_numbers(conn, tmp_path):
    await factories.corporation(conn, "lefier")
    lines = [
        ',9711AB,1,,,Herestraat,Groningen,,"53,2","6,5"',
        ",9711AB,2,,,Herestraat,Groningen,,nan,6.5",
        ",9711AB,3,,,Herestraat,Groningen,,53.2,200",
    ]

    with pytest.raises(ImportRejected) as caught:
        await import_portfolio(conn, "lefier", write_csv(tmp_path, lines))

    problems = caught.value.problems
    assert "line 2: lat '53,2': not a number; use a decimal point, like 53.2194" in problems
    assert "line 3: lat 'nan': not a number" in problems
    assert "line 4: lon '200': must be from -180 to 180" in problems


async def test_duplicates_within_the_file_name_both_lines(conn, tmp_path):
    await factories.corporation(conn, "lefier")
    lines = [
        HOMES[0],
        HOMES[1],
        "0014010011067301,9711 ab,12,a,,Herestraat,Groningen,GM0014,,",  # same as line 3
        "0014010011067299,9711AB,16,,,Herestraat,Groningen,GM0014,,",  # bag id of line 2
    ]

    with pytest.raises(ImportRejected) as caught:
        await import_portfolio(conn, "lefier", write_csv(tmp_path, lines))

    assert caught.value.problems == [
        "line 4: the address 9711 AB 12A is also on line 3",
        "line 5: bag_id '0014010011067299' is also on line 2",
    ]
    assert await register(conn) == []


async def test_a_bag_id_of_another_address_in_the_register_is_a_bad_line(conn, tmp_path):
    acantus = await factories.corporation(conn, "acantus")
    await factories.corporation(conn, "lefier")
    await factories.home(conn, acantus, "9712CD", 5, bag_id="0014010011067299")

    with pytest.raises(ImportRejected) as caught:
        await import_portfolio(conn, "lefier", write_csv(tmp_path, HOMES))

    assert str(caught.value) == "the file was not imported: 1 bad line; nothing was changed"
    assert caught.value.problems == [
        "line 2: bag_id '0014010011067299' belongs to another address in the register, 9712 CD 5"
    ]
    assert len(await register(conn)) == 1


async def test_bag_ids_may_move_between_addresses_in_the_file(conn, tmp_path):
    lefier = await factories.corporation(conn, "lefier")
    await factories.home(conn, lefier, "9711AB", 1, bag_id="0014010000000001")
    await factories.home(conn, lefier, "9711AB", 2, bag_id="0014010000000002")
    lines = [  # the two BAG ids swapped, and a third home without one
        "0014010000000002,9711AB,1,,,Herestraat,Groningen,GM0014,,",
        "0014010000000001,9711AB,2,,,Herestraat,Groningen,GM0014,,",
    ]

    summary = await import_portfolio(conn, "lefier", write_csv(tmp_path, lines))

    assert summary == ImportSummary("lefier", updated=2)
    assert [(r["house_number"], r["bag_id"]) for r in await register(conn)] == [
        (1, "0014010000000002"),
        (2, "0014010000000001"),
    ]


async def test_a_bag_id_taken_from_an_address_in_the_file_that_keeps_none(conn, tmp_path):
    lefier = await factories.corporation(conn, "lefier")
    await factories.home(conn, lefier, "9711AB", 1, bag_id="0014010000000001")
    lines = [
        ",9711AB,1,,,Herestraat,Groningen,GM0014,,",
        "0014010000000001,9711AB,3,,,Herestraat,Groningen,GM0014,,",
    ]

    summary = await import_portfolio(conn, "lefier", write_csv(tmp_path, lines))

    assert summary == ImportSummary("lefier", inserted=1, updated=1)
    assert [(r["house_number"], r["bag_id"]) for r in await register(conn)] == [
        (1, None),
        (3, "0014010000000001"),
    ]


async def test_line_numbers_count_blank_lines_and_quoted_line_breaks(conn, tmp_path):
    await factories.corporation(conn, "lefier")
    lines = [
        HOMES[0],  # line 2
        "",  # line 3: blank, skipped
        ',9711AB,2,,,"Here\nstraat",Groningen,,,',  # lines 4 and 5
        ",0711AB,3,,,Herestraat,Groningen,,,",  # line 6
        ',9711AB,4,,,"Herestraat,Groningen,,,',  # line 7: the quote never ends
    ]

    with pytest.raises(ImportRejected) as caught:
        await import_portfolio(conn, "lefier", write_csv(tmp_path, lines))

    assert str(caught.value) == "the file was not imported: 3 bad lines; nothing was changed"
    problems = caught.value.problems
    assert problems[0] == "line 4: street 'Here\\nstraat': contains the control character '\\n'"
    assert problems[1].startswith("line 6: postcode '0711AB'")
    assert problems[2].startswith("line 7: ")
    assert problems[2].endswith("; nothing after this line was read")


async def test_wrong_header_is_rejected(conn, tmp_path):
    await factories.corporation(conn, "lefier")
    path = tmp_path / "homes.csv"
    path.write_text("bag_id;postcode;house_number\n;9711AB;12\n", encoding="utf-8")

    with pytest.raises(ImportRejected, match="line 1 is not the expected header row") as caught:
        await import_portfolio(conn, "lefier", path)

    assert caught.value.problems[0] == f"expected: {HEADER_LINE}"
    assert "separated by ';'" in caught.value.problems[-1]


async def test_unknown_corporation_is_rejected(conn, tmp_path):
    with pytest.raises(ImportRejected, match="no corporation with code 'nobody'"):
        await import_portfolio(conn, "nobody", write_csv(tmp_path, HOMES))
    assert await register(conn) == []


async def test_a_missing_file_is_rejected(conn, tmp_path):
    await factories.corporation(conn, "lefier")
    with pytest.raises(ImportRejected, match=r"missing\.csv does not exist"):
        await import_portfolio(conn, "lefier", tmp_path / "missing.csv")


async def test_a_byte_order_mark_is_accepted_and_bad_bytes_are_reported(conn, tmp_path):
    await factories.corporation(conn, "lefier")
    with_bom = tmp_path / "bom.csv"
    with_bom.write_bytes(b"\xef\xbb\xbf" + f"{HEADER_LINE}\r\n{HOMES[0]}\r\n".encode())
    assert await import_portfolio(conn, "lefier", with_bom) == ImportSummary("lefier", inserted=1)

    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes(f"{HEADER_LINE}\n,9711AB,2,,,Caf\xe9straat,Groningen,,,\n".encode("latin-1"))
    with pytest.raises(ImportRejected) as caught:
        await import_portfolio(conn, "lefier", latin1)
    assert caught.value.problems == [
        "line 2: street 'Caf\\udce9straat': not UTF-8 text; save the file as UTF-8 (CSV UTF-8)"
    ]


async def test_progress_is_reported_while_reading(conn, tmp_path):
    await factories.corporation(conn, "lefier")
    lines = [f",9711AB,{n},,,Herestraat,Groningen,GM0014,," for n in range(1, 25_001)]
    seen: list[int] = []

    summary = await import_portfolio(
        conn, "lefier", write_csv(tmp_path, lines), progress=seen.append
    )

    assert summary.inserted == 25_000
    assert seen == [10_000, 20_000, 25_000]


async def test_the_command_line_imports_and_reports(conn, database_url, tmp_path):
    await factories.corporation(conn, "lefier")
    good = write_csv(tmp_path, HOMES, "good.csv")

    code, stdout, stderr = await run_cli(
        "portfolio", "import", "lefier", str(good), database_url=database_url, data_dir=tmp_path
    )

    assert code == 0, stderr
    assert stdout.strip() == (
        "lefier: 4 inserted, 0 updated, 0 moved from another corporation, 0 unchanged"
    )
    assert "4 rows read" in stderr
    assert len(await register(conn)) == 4

    bad = write_csv(tmp_path, [HOMES[0], ",0711AB,1,,,Herestraat,Groningen,,,"], "bad.csv")
    code, stdout, stderr = await run_cli(
        "portfolio", "import", "lefier", str(bad), database_url=database_url, data_dir=tmp_path
    )

    assert code == 1
    assert stdout == ""
    assert "error: the file was not imported: 1 bad line; nothing was changed" in stderr
    assert "line 3: postcode '0711AB'" in stderr
    assert "Traceback" not in stderr

    code, _, stderr = await run_cli(
        "portfolio", "import", "nobody", str(good), database_url=database_url, data_dir=tmp_path
    )
    assert code == 1
    assert "no corporation with code 'nobody'" in stderr
    assert "Traceback" not in stderr


async def test_a_home_imported_on_the_command_line_routes_reports(
    client, conn, database_url, tmp_path
):
    """The issue's "done when": add a corporation and import its homes with the CLI; a report
    for one of them goes to that corporation with the deadlines of its urgency, and a report
    for an unknown home is unrouted with that corporation suggested."""
    code, _, stderr = await run_cli(
        "corporations", "add", "wold-en-waard", "Wold & Waard",
        database_url=database_url, data_dir=tmp_path,
    )  # fmt: skip
    assert code == 0, stderr
    homes = write_csv(tmp_path, HOMES)
    code, _, stderr = await run_cli(
        "portfolio", "import", "wold-en-waard", str(homes),
        database_url=database_url, data_dir=tmp_path,
    )  # fmt: skip
    assert code == 0, stderr

    body = factories.report_body(
        category="subsidence",
        address={"postcode": "9711 ab", "house_number": 12, "house_letter": "a"},
    )
    created = (await client.post("/api/v1/reports", json=body)).json()
    assert created["status"] == "new"
    assert created["corporation"] == {"code": "wold-en-waard", "name": "Wold & Waard"}
    assert created["urgency"] == "high"
    reported_at = await conn.fetchval(
        "SELECT reported_at FROM cases WHERE reference = $1", created["reference"]
    )
    expected = deadlines_for(Urgency.HIGH, reported_at)
    assert {k: datetime.fromisoformat(v) for k, v in created["deadlines"].items()} == {
        "acknowledge_by": expected.acknowledge_by,
        "inspect_by": expected.inspect_by,
        "resolve_by": expected.resolve_by,
    }

    unknown = factories.report_body(address={"postcode": "9711AB", "house_number": 500})
    unrouted = (await client.post("/api/v1/reports", json=unknown)).json()
    assert unrouted["status"] == "unrouted"
    suggestions = await conn.fetchval(
        """
        SELECT e.data->'suggestions' FROM case_events e JOIN cases c ON c.id = e.case_id
        WHERE c.reference = $1 AND e.kind = 'unrouted'
        """,
        unrouted["reference"],
    )
    assert suggestions[0]["corporation_code"] == "wold-en-waard"
    assert suggestions[0]["homes_in_postcode"] == 3
