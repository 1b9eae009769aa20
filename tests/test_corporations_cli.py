"""A corporation's emergency number on the command line (issue 13, point 2):
`corporations add --emergency-phone`, `corporations emergency-phone`, `corporations list`."""

import pytest

from tests import factories
from tests.cli import run_cli, table_rows


@pytest.fixture
async def cli(conn, database_url, tmp_path):
    async def run(*args: str) -> tuple[int, str, str]:
        return await run_cli(*args, database_url=database_url, data_dir=tmp_path)

    return run


async def emergency_phones(conn) -> dict[str, str | None]:
    rows = await conn.fetch("SELECT code, emergency_phone FROM corporations")
    return {row["code"]: row["emergency_phone"] for row in rows}


async def test_add_keeps_the_number_as_typed_and_list_shows_it(cli, conn):
    code, out, err = await cli(
        "corporations", "add", "lefier", "Lefier", "--emergency-phone", " 088-123  45 67"
    )
    assert (code, err) == (0, ""), err
    assert out == "added lefier (Lefier)\n"
    await factories.corporation(conn, "acantus", "Acantus")
    assert await emergency_phones(conn) == {"lefier": "088-123 45 67", "acantus": None}

    code, out, err = await cli("corporations", "list")
    assert code == 0, err
    rows = {row["code"]: row for row in table_rows(out)}
    assert rows["lefier"]["emergency"] == "088-123 45 67"
    assert rows["acantus"]["emergency"] == "-"


@pytest.mark.parametrize("nonsense", ["bel ons", "112", "050 123 456", "+32 2 123 45 67"])
async def test_nonsense_is_refused_with_examples_and_nothing_added(cli, conn, nonsense):
    code, out, err = await cli(
        "corporations", "add", "lefier", "Lefier", "--emergency-phone", nonsense
    )
    assert code == 2
    assert out == ""
    assert "argument --emergency-phone:" in err
    assert "like 050 123 4567, 088-123 4567, +31 50 123 4567 or 0800-1234" in err
    assert "Traceback" not in err
    assert await emergency_phones(conn) == {}


async def test_the_number_of_an_existing_corporation_is_set_changed_and_removed(cli, conn):
    await factories.corporation(conn, "lefier", "Lefier")
    code, out, err = await cli("corporations", "emergency-phone", "lefier", "+31 (0)50 123 4567")
    assert (code, out) == (0, "lefier: emergency phone +31 (0)50 123 4567\n"), err
    code, out, err = await cli("corporations", "emergency-phone", "lefier", "0800-1234")
    assert code == 0, err
    assert await emergency_phones(conn) == {"lefier": "0800-1234"}

    code, out, err = await cli("corporations", "emergency-phone", "lefier", "06")
    assert code == 2
    assert "is not a Dutch phone number" in err
    assert await emergency_phones(conn) == {"lefier": "0800-1234"}

    code, out, err = await cli("corporations", "emergency-phone", "lefier", "--remove")
    assert code == 0, err
    assert await emergency_phones(conn) == {"lefier": None}

    code, out, err = await cli("corporations", "emergency-phone", "wold-en-waard", "0800-1234")
    assert code == 1
    assert err == "error: no corporation with code 'wold-en-waard'\n"
