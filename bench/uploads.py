"""Photo uploads (issue 12): photos per second, and /health meanwhile.

    python -m bench.uploads [--clients 16] [--seconds 20] [--workers 2] [--media-workers 2,1]

The service runs as `python -m service serve --workers N` with its attachments in a temporary
folder and a throw-away database. Each client uploads a 12-megapixel, 4 MB JPEG back to back
(`POST /api/v1/reports/{reference}/attachments`, a new connection each time, as separate
phones would), moving on to a fresh report of its own after 10 photos (the limit per report).
A prober in a process of its own asks GET /health every 10 ms. As the reference, the same
prober against the same server before the uploads start: /health when idle.

Client CPU is kept low, as it shares the machine with the service: the multipart body is built
once and sent as raw bytes, from threads that wait in socket calls without the GIL.
"""

# Seeded generators on purpose: benchmark data must be reproducible.
# ruff: noqa: S311

import argparse
import asyncio
import http.client
import io
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from bench.run import DEFAULT_SERVER, Server, drop_database, ensure_database, log, percentile

PHOTOS_PER_REPORT = 10  # the service's limit per report
PROBE_INTERVAL_S = 0.010
HEALTH_P99_TARGET_MS = 50.0
BOUNDARY = "bench-upload-boundary-7d3f9a"

# GET /health every interval until stdin closes, each on a new connection so that every
# server process is asked; prints the latencies (ms) as JSON. A process of its own, so that
# the upload clients' threads never delay a probe on the GIL.
PROBER = """
import http.client, json, sys, threading, time
host, port, interval = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
stop = threading.Event()
threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
latencies, failures = [], 0
next_at = time.perf_counter()
while not stop.is_set():
    started = time.perf_counter()
    try:
        connection = http.client.HTTPConnection(host, port, timeout=10)
        connection.request("GET", "/health")
        response = connection.getresponse()
        response.read()
        connection.close()
        if response.status == 200:
            latencies.append((time.perf_counter() - started) * 1000)
        else:
            failures += 1
    except OSError:
        failures += 1
    next_at = max(next_at + interval, time.perf_counter())
    time.sleep(max(0.0, next_at - time.perf_counter()))
print(json.dumps({"latencies_ms": latencies, "failures": failures}), flush=True)
"""


def phone_photo_jpeg(megapixels: int = 12, seed: int = 12) -> bytes:
    """A phone-sized photo: 4:3 (4000 x 3000 at 12 megapixels), quality 95, about 4 MB.
    Smooth colour (random pixels at 1/32 scale, enlarged) with a little noise, as a camera's
    sensor gives, so that it does not compress to next to nothing. As tests/attachments/
    images.py big_photo_jpeg() makes it, but every pixel from the seed."""
    width = round(math.sqrt(megapixels * 1_000_000 * 4 / 3))
    height = width * 3 // 4
    small_width, small_height = width // 32, height // 32
    rng = random.Random(seed)
    colours = rng.randbytes(small_width * small_height * 3)
    smooth = Image.frombytes("RGB", (small_width, small_height), colours).resize(
        (width, height), Image.Resampling.BICUBIC
    )
    # From the seeded generator too (Image.effect_noise draws from C's rand()).
    noise = Image.frombytes("L", (width, height), rng.randbytes(width * height)).convert("RGB")
    buffer = io.BytesIO()
    Image.blend(smooth, noise, 0.035).save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def multipart_body(photo: bytes) -> bytes:
    """The form with the photo in the field "file", as a browser sends it."""
    head = (
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="file"; filename="IMG_0001.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode()
    return head + photo + f"\r\n--{BOUNDARY}--\r\n".encode()


REPORT = {
    "category": "crack",
    "description": "Diagonale scheur boven de deur van de woonkamer.",
    "acute": False,
    # Not in the register: an unrouted report takes photos just the same.
    "address": {"postcode": "9711 AB", "house_number": 12},
    "reporter": {"name": "Bench Huurder", "email": "huurder@example.nl", "language": "nl"},
}


def post(
    host: str, port: int, path: str, body: bytes, headers: dict[str, str]
) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(host, port, timeout=120)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@dataclass
class Tally:
    """What one client saw (each its own: += from several threads could lose counts)."""

    upload_ms: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    reports: int = 0
    report_errors: int = 0
    errors: list[str] = field(default_factory=list)


def upload_client(host: str, port: int, body: bytes, until: float, tally: Tally) -> None:
    """Upload photos back to back until `until`, to reports of its own."""
    content_type = f"multipart/form-data; boundary={BOUNDARY}"
    reference, token, photos_in_report = "", "", PHOTOS_PER_REPORT
    while time.perf_counter() < until:
        if photos_in_report == PHOTOS_PER_REPORT:
            try:
                status, answer = post(
                    host,
                    port,
                    "/api/v1/reports",
                    json.dumps(REPORT).encode(),
                    {"Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4())},
                )
            except OSError as error:
                status, answer = 0, repr(error).encode()
            if status != 201:
                tally.report_errors += 1
                tally.errors.append(f"report {status}: {answer[:200]!r}")
                time.sleep(0.5)
                continue
            created = json.loads(answer)
            reference, token, photos_in_report = created["reference"], created["tracking_token"], 0
            tally.reports += 1
        started = time.perf_counter()
        try:
            status, answer = post(
                host,
                port,
                f"/api/v1/reports/{reference}/attachments",
                body,
                {"Content-Type": content_type, "X-Tracking-Token": token},
            )
        except OSError as error:
            status, answer = 0, repr(error).encode()
        took_ms = (time.perf_counter() - started) * 1000
        tally.statuses[status] += 1
        if status == 201:
            tally.upload_ms.append(took_ms)
            photos_in_report += 1
        else:
            tally.errors.append(f"upload {status}: {answer[:200]!r}")
            photos_in_report = PHOTOS_PER_REPORT  # a fresh report: this one may be full


class Prober:
    """GET /health every PROBE_INTERVAL_S from a process of its own, until stop()."""

    def __init__(self, host: str, port: int) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", PROBER, host, str(port), str(PROBE_INTERVAL_S)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def stop(self) -> dict[str, Any]:
        output, _ = self.process.communicate("", timeout=60)
        found = json.loads(output)
        return latency_summary(found["latencies_ms"], found["failures"])


def latency_summary(latencies_ms: list[float], failures: int) -> dict[str, Any]:
    return {
        "count": len(latencies_ms),
        "failures": failures,
        "p50_ms": percentile(latencies_ms, 50),
        "p99_ms": percentile(latencies_ms, 99),
        "max_ms": max(latencies_ms, default=float("nan")),
    }


def idle_health(host: str, port: int, seconds: float) -> dict[str, Any]:
    prober = Prober(host, port)
    time.sleep(seconds)
    return prober.stop()


TICKS = os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy (all cores), from /proc/stat."""
    with open("/proc/stat") as handle:
        fields = [int(x) for x in handle.readline().split()[1:]]
    idle, iowait = fields[3], fields[4]
    return (sum(fields[:8]) - idle - iowait) / TICKS


def process_tree_seconds(root: int) -> float:
    """CPU seconds (user and system, all threads) of a process and its living descendants."""
    parents: dict[int, int] = {}
    spent: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                # The command may hold spaces and parentheses: the fields follow the last ")".
                after_name = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        parents[int(entry)] = int(after_name[1])
        spent[int(entry)] = (int(after_name[11]) + int(after_name[12])) / TICKS
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        tree.update(children)
        frontier += children
    return sum(spent.get(pid, 0.0) for pid in tree)


def uploads_under_probe(
    host: str, port: int, body: bytes, clients: int, seconds: float, server_pid: int
) -> dict[str, Any]:
    """The uploads, with /health probed meanwhile; and who used the machine's CPU meanwhile:
    the service, this process (the clients), and whatever else runs on the machine."""
    tallies = [Tally() for _ in range(clients)]
    prober = Prober(host, port)
    time.sleep(0.5)  # the prober's interpreter has started
    busy_before, server_before = machine_busy_seconds(), process_tree_seconds(server_pid)
    own_before = process_tree_seconds(os.getpid())  # the clients and the prober
    started = time.perf_counter()
    threads = [
        threading.Thread(
            target=upload_client, args=(host, port, body, started + seconds, tally), daemon=True
        )
        for tally in tallies
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    took = time.perf_counter() - started  # the last uploads finish after `seconds`
    server_cpu = process_tree_seconds(server_pid) - server_before
    # The server is a child of this process: its tree holds the server's too.
    own_cpu = process_tree_seconds(os.getpid()) - own_before - server_cpu
    busy = machine_busy_seconds() - busy_before
    health = prober.stop()
    upload_ms = [ms for tally in tallies for ms in tally.upload_ms]
    statuses = sum((tally.statuses for tally in tallies), Counter[int]())
    report_errors = sum(tally.report_errors for tally in tallies)
    photos = len(upload_ms)
    return {
        "clients": clients,
        "seconds": took,
        "photos": photos,
        "photos_per_second": photos / took,
        "upload_p50_ms": percentile(upload_ms, 50),
        "upload_p99_ms": percentile(upload_ms, 99),
        "errors": sum(n for status, n in statuses.items() if status != 201) + report_errors,
        "statuses": {str(status): n for status, n in statuses.items()},
        "reports": sum(tally.reports for tally in tallies),
        "first_errors": [error for tally in tallies for error in tally.errors][:5],
        "health": health,
        "cpu_seconds": {
            "available": took * (os.cpu_count() or 1),
            "server": server_cpu,
            "server_per_photo": server_cpu / photos if photos else float("nan"),
            "clients_and_prober": own_cpu,
            # Other processes on a shared machine, and the PostgreSQL server.
            "rest_of_machine": busy - server_cpu - own_cpu,
        },
    }


def bench_uploads(
    database_url: str,
    *,
    clients: int,
    seconds: float,
    workers: int,
    media_workers: list[int | None],
    idle_seconds: float,
) -> dict[str, Any]:
    """One server per MEDIA_WORKERS value (None: the service's default); on each, /health
    idle first, then the uploads with /health probed."""
    photo = phone_photo_jpeg()
    body = multipart_body(photo)
    results: dict[str, Any] = {
        "photo": {"megapixels": 12, "bytes": len(photo)},
        "workers": workers,
        "target": f"/health p99 < {HEALTH_P99_TARGET_MS:.0f} ms during the uploads",
        "runs": {},
    }
    for threads in media_workers:
        name = "default" if threads is None else str(threads)
        with tempfile.TemporaryDirectory(prefix="bench-attachments-") as folder:
            env = {
                "ATTACHMENTS_URL": folder,
                # One client address makes every report and upload: the floods' limits would
                # refuse most of them.
                "RATE_LIMIT_REPORTS": "off",
                "RATE_LIMIT_TRACKING": "off",
            }
            if threads is not None:
                env["MEDIA_WORKERS"] = str(threads)
            log_path = Path(folder).parent / f"bench-uploads-server-{uuid.uuid4().hex[:6]}.log"
            with Server(database_url, workers, log_path, env) as server:
                host, port = "127.0.0.1", server.port
                idle = idle_health(host, port, idle_seconds)
                loaded = uploads_under_probe(host, port, body, clients, seconds, server.process.pid)
            log_path.unlink(missing_ok=True)
        loaded["media_workers"] = name
        loaded["health_idle"] = idle
        loaded["health_p99_ratio_to_idle"] = loaded["health"]["p99_ms"] / idle["p99_ms"]
        loaded["met"] = (
            loaded["errors"] == 0
            and loaded["health"]["failures"] == 0
            and loaded["photos"] > 0
            and loaded["health"]["p99_ms"] < HEALTH_P99_TARGET_MS
        )
        results["runs"][name] = loaded
        cpu = loaded["cpu_seconds"]
        log(
            f"uploads (MEDIA_WORKERS {name}): {loaded['photos']} photos in "
            f"{loaded['seconds']:.1f} s = {loaded['photos_per_second']:.2f}/s, upload p50 "
            f"{loaded['upload_p50_ms']:.0f} ms p99 {loaded['upload_p99_ms']:.0f} ms, "
            f"{loaded['errors']} errors; /health p50 {loaded['health']['p50_ms']:.1f} ms p99 "
            f"{loaded['health']['p99_ms']:.1f} ms max {loaded['health']['max_ms']:.1f} ms "
            f"(idle p99 {idle['p99_ms']:.1f} ms); CPU s: server {cpu['server']:.1f}, clients "
            f"{cpu['clients_and_prober']:.1f}, rest of machine {cpu['rest_of_machine']:.1f} "
            f"of {cpu['available']:.1f}"
        )
    results["met"] = all(run["met"] for run in results["runs"].values())
    return results


def in_throwaway_database(
    server_url: str, run: Callable[[str], dict[str, Any]], prefix: str = "bench_uploads"
) -> dict[str, Any]:
    """run(database_url) on a database of its own, dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    url = asyncio.run(ensure_database(server_url, name))
    try:
        return run(url)
    finally:
        asyncio.run(drop_database(server_url, name))


def media_worker_values(raw: str) -> list[int | None]:
    """ "default,1" -> [None, 1]."""
    return [None if part == "default" else int(part) for part in raw.split(",")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default=os.environ.get("BENCH_SERVER_URL", DEFAULT_SERVER))
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--idle-seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--media-workers", default="default", help='comma-separated: "default" or a number'
    )
    args = parser.parse_args(argv)

    def run(url: str) -> dict[str, Any]:
        return bench_uploads(
            url,
            clients=args.clients,
            seconds=args.seconds,
            workers=args.workers,
            media_workers=media_worker_values(args.media_workers),
            idle_seconds=args.idle_seconds,
        )

    results = in_throwaway_database(args.server, run)
    print(json.dumps(results, indent=2))
    return 0 if results["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
