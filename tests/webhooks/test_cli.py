"""`python -m service webhooks ...`, run as an administrator would."""

import re

import pytest

from tests import factories
from tests.cli import run_cli

URL = "https://93.184.215.14/hooks?key=k1"  # public, written as an address: no DNS needed


@pytest.fixture
async def cli(conn, database_url, tmp_path):
    await factories.corporation(conn, "lefier", "Lefier")

    async def run(*args: str) -> tuple[int, str, str]:
        return await run_cli(
            *args,
            database_url=database_url,
            data_dir=tmp_path,
            unset=("WEBHOOK_ALLOW_PRIVATE", "WEBHOOK_ALLOW_HTTP"),
        )

    return run


async def test_add_list_switch_off_and_on_and_remove(cli, conn) -> None:
    code, out, err = await cli(
        "webhooks", "add", "lefier", URL, "--events", "status_changed,routed"
    )
    assert code == 0, err
    first, label, secret = out.strip().splitlines()
    webhook_id = int(re.match(r"webhook (\d+) for lefier: routed, status_changed to ", first)[1])
    assert label.startswith("signing secret (shown only now")
    assert secret.startswith("whsec_")
    assert await conn.fetchval("SELECT secret FROM webhook_subscriptions") == secret

    code, out, _ = await cli("webhooks", "list")
    assert code == 0
    assert re.search(rf"\b{webhook_id}\s+lefier\s+on\s+0\s+0\s+{re.escape(URL)}", out)
    assert secret not in out

    assert (await cli("webhooks", "disable", str(webhook_id)))[1].strip() == (
        f"switched off webhook {webhook_id}"
    )
    assert re.search(r"lefier\s+off", (await cli("webhooks", "list", "--corporation", "lefier"))[1])
    code, _, err = await cli("webhooks", "disable", str(webhook_id))
    assert (code, err.strip()) == (1, f"error: no webhook {webhook_id} that is on")
    assert (await cli("webhooks", "enable", str(webhook_id)))[0] == 0
    assert await conn.fetchval("SELECT active FROM webhook_subscriptions") is True
    assert (await cli("webhooks", "remove", str(webhook_id)))[0] == 0
    assert await conn.fetchval("SELECT count(*) FROM webhook_subscriptions") == 0
    code, _, err = await cli("webhooks", "remove", str(webhook_id))
    assert (code, err.strip()) == (1, f"error: no webhook {webhook_id}")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nergens", URL, "--events", "routed"], "error: no corporation with code 'nergens'"),
        (["lefier", URL, "--events", "routd"], "error: unknown event kind routd; choose from"),
        (["lefier", "http://93.184.215.14/", "--events", "routed"], "must start with https://"),
        (["lefier", "https://127.0.0.1/", "--events", "routed"], "private, loopback or reserved"),
    ],
)
async def test_add_refuses_with_a_reason(cli, conn, args, message) -> None:
    code, _, err = await cli("webhooks", "add", *args)
    assert code == 1
    assert message in err
    assert "Traceback" not in err
    assert await conn.fetchval("SELECT count(*) FROM webhook_subscriptions") == 0


async def test_list_of_an_unknown_corporation(cli) -> None:
    code, _, err = await cli("webhooks", "list", "--corporation", "nergens")
    assert (code, err.strip()) == (1, "error: no corporation with code 'nergens'")
