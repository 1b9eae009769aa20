"""The benchmarks (issues 4, 12 and 15): the pgbench script issues what the intake issues, and
every benchmark runs at smoke size (the burst of bench/burst.py, a minute long, excepted)."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import asyncpg
import msgspec
import pytest

from bench.run import find_pgbench, find_wrk
from service.changes.pipeline import Pipeline
from service.notifications import subscriber as notifications
from service.reports.intake import submit_report
from service.reports.schemas import ReportIn

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "bench" / "intake.pgbench"


def normalise(sql: str) -> str:
    """One statement with every value (parameter, pgbench variable, literal) as ?."""
    sql = re.sub(r"--[^\n]*", "", sql)
    sql = re.sub(r"\\gset\b.*", "", sql)
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\$\d+", "?", sql)
    sql = re.sub(r"(?<![:\w]):[A-Za-z_]\w*", "?", sql)  # :variable, not ::type
    sql = re.sub(r"\b(?:NULL|true|false|\d+)\b", "?", sql, flags=re.IGNORECASE)
    sql = " ".join(sql.split()).rstrip(";").strip()
    return re.sub(r"\s*([(),=<>\[\]])\s*", r"\1", sql)


def script_commands(text: str) -> list[tuple[str, str]]:
    """("meta", line) for backslash commands, ("sql", statement) for SQL."""
    commands: list[tuple[str, str]] = []
    buffer: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("--"):
            continue
        if line.startswith("\\") and not buffer:
            commands.append(("meta", line))
            continue
        buffer.append(line)
        if line.endswith(";") or re.search(r"\\gset(\s+\w+)?$", line):
            commands.append(("sql", " ".join(buffer)))
            buffer = []
    assert not buffer, buffer
    return commands


def script_transaction(routed: bool) -> list[str]:
    """The statements from BEGIN to COMMIT, taking the \\if (routed) or \\else branch."""
    statements: list[str] = []
    branch = None
    started = False
    for kind, text in script_commands(SCRIPT.read_text()):
        if kind == "meta":
            if text.startswith("\\if"):
                branch = "if"
            elif text.startswith("\\else"):
                branch = "else"
            elif text.startswith("\\endif"):
                branch = None
            continue
        statement = normalise(text)
        started = started or statement == "BEGIN"
        if not started or (branch == "if" and not routed) or (branch == "else" and routed):
            continue
        statements.append(statement)
    return statements


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every statement sent through asyncpg, in order (executemany: once per row)."""
    statements: list[str] = []
    for name in ("execute", "fetch", "fetchrow", "fetchval", "executemany"):
        original = getattr(asyncpg.Connection, name)

        def wrapper(self, query, *args, _original=original, _name=name, **kwargs):
            statements.extend([query] * (len(args[0]) if _name == "executemany" else 1))
            return _original(self, query, *args, **kwargs)

        monkeypatch.setattr(asyncpg.Connection, name, wrapper)
    return statements


def service_transaction(statements: list[str]) -> list[str]:
    normalised = [normalise(s) for s in statements]
    begin = normalised.index("BEGIN")
    return normalised[begin : normalised.index("COMMIT", begin) + 1]


def report(postcode: str, number: int) -> ReportIn:
    return msgspec.convert(
        {
            "category": "crack",
            "description": "Scheur in de muur.",
            "address": {"postcode": postcode, "house_number": number},
            "reporter": {"name": "Huurder", "email": "huurder@example.nl", "phone": "0612345678"},
        },
        ReportIn,
    )


async def bench_region(conn: asyncpg.Connection) -> int:
    """Lefier, with an e-mail address and the one home 9711AB 1 the benchmark reports on."""
    corporation = await conn.fetchval(
        "INSERT INTO corporations (code, name, email) VALUES ('lefier', 'Lefier', "
        "'meldingen@lefier.example') RETURNING id"
    )
    await conn.execute(
        """
        INSERT INTO addresses (corporation_id, bag_id, postcode, house_number, street, city,
                               municipality_code)
        VALUES ($1, '0014010011067299', '9711AB', 1, 'Oude Ebbingestraat', 'Groningen', 'GM0014')
        """,
        corporation,
    )
    return corporation


@pytest.mark.parametrize("routed", [True, False], ids=["routed", "unrouted"])
async def test_pgbench_script_runs_the_intake_statements(
    conn: asyncpg.Connection, pool: asyncpg.Pool, captured: list[str], routed: bool
) -> None:
    await bench_region(conn)
    captured.clear()
    # Unrouted: a home no corporation registered, in an area where one has homes.
    submitted = await submit_report(
        pool,
        Pipeline(subscribers=(notifications.notify,)),  # as the app's: the outbox too
        report("9711AB", 1) if routed else report("9711AC", 3),
        idempotency_key="bench-test-key",
        secret_key="test",
        public_base_url="https://schade.example.nl",
    )
    assert submitted.created.status == ("new" if routed else "unrouted")
    service = service_transaction(captured)
    assert len(service) >= 9
    assert script_transaction(routed) == service


def test_normalise_keeps_casts_and_drops_values() -> None:
    assert normalise("SELECT id FROM t WHERE id = ANY($1::bigint[])") == normalise(
        "SELECT id FROM t WHERE id = ANY('{1,2}'::bigint[]) \\gset"
    )
    assert normalise("VALUES (:a, 'x', NULL, 2)") == "VALUES(?,?,?,?)"


# Loads both cores for half a minute: runs alone (make test).
@pytest.mark.timing
@pytest.mark.skipif(
    # CI installs both (.ci/run); only a developer's machine without them may skip.
    (find_wrk() is None or find_pgbench() is None) and not os.environ.get("CI"),
    reason="needs wrk (apt-get install wrk) and pgbench on this machine",
)
def test_benchmarks_run_at_smoke_size(server_url: str, tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--smoke", "--server", server_url, "--json", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    results = json.loads(out.read_text())
    assert results["fill_check"]["differing"] == 0
    assert results["fill_check"]["open"] == results["fill_check"]["counted_open"]
    for role in ("coordinator", "manager"):
        assert results["dashboard"][role]["endpoint"]["errors"] == 0
        assert results["dashboard"][role]["endpoint"]["requests"] > 0
    for page in ("first", "deep"):
        assert results["list"][page]["1"]["errors"] == 0
    for clients in ("16", "64"):
        for side in ("service", "floor"):  # the floor: bench/floor.py (issue 15)
            assert results["intake"][clients][side]["errors"] == 0
            assert results["intake"][clients][side]["requests"] > 0
        assert results["intake"][clients]["pgbench"]["transactions"] > 0
    # Where each report's CPU went (bench/cpu_split.py): wrk or pgbench, the server, the rest.
    for side in ("service", "floor"):
        split = results["intake"]["16"][side]["cpu_us_per_request"]
        assert split["client"] > 0
        assert split["server"] > 0
        assert split["machine"] >= split["server"]
    assert results["intake"]["16"]["pgbench"]["cpu_us_per_request"]["client"] > 0
    assert len(results["intake"]["memory"]["service"]["workers_mb"]) == 2
    for read in ("api", "page"):
        for side in ("service", "floor"):
            assert results["status"][read]["16"][side]["errors"] == 0
            assert results["status"][read]["16"][side]["requests"] > 0
    assert results["export"]["rows"] >= 2_000
    assert results["import"]["addresses"] == 2_000
    assert results["mail"]["worker"]["sent"] == 200
    assert results["mail"]["worker"]["left"] == 0
    uploads = results["uploads"]["runs"]["default"]
    assert uploads["errors"] == 0, uploads["first_errors"]
    assert uploads["photos"] > 0
    assert uploads["health"]["count"] > 0
