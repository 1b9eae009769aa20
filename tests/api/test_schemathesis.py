"""Schemathesis over the whole OpenAPI document: no 5xx, no answer that breaks the schema."""

import asyncio
import sys
from pathlib import Path

from tests import factories

# Checks left out, with why:
# - positive_data_acceptance: a schema-valid body can still be refused for a rule JSON
#   Schema cannot say (a postcode with SA, an email without @); a 400 there is right.
# - ensure_resource_availability / use_after_free: need links between operations,
#   which this API does not declare.
EXCLUDED = "positive_data_acceptance,ensure_resource_availability,use_after_free"


async def test_schemathesis_finds_no_server_error_and_no_schema_violation(
    live_server, conn, tmp_path: Path
):
    corporation = await factories.corporation(conn, "lefier", "Lefier")
    await factories.home(conn, corporation, "9711AB", 12, bag_id="0014010011067299")
    # Staff endpoints are fuzzed as an admin: every role's checks run, nothing may crash.
    admin = await factories.api_token(conn, await factories.user(conn, "admin"))
    report = tmp_path / "schemathesis.json"
    process = await asyncio.create_subprocess_exec(
        str(Path(sys.executable).parent / "st"),
        "run",
        f"{live_server}/schema/openapi.json",
        "--checks",
        "all",
        "--exclude-checks",
        EXCLUDED,
        "--max-examples",
        "60",
        "--seed",
        "20261127",
        "--generation-database",
        "none",
        # One worker: with threads, CPython 3.11 sometimes fails inside schemathesis with
        # "SystemError: AST constructor recursion depth mismatch" (its bug, not the API's).
        "--workers",
        "1",
        "--header",
        f"Authorization: Bearer {admin}",
        "--no-color",
        "--report",
        "json",
        "--report-json-path",
        str(report),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    text = output.decode(errors="replace")
    print(text[-1200:])  # shown with -s: how many cases were generated
    assert process.returncode == 0, text[-6000:]
    assert "No issues found" in text or "passed" in text, text[-3000:]
