"""Where a measurement's CPU went, per request: the whole machine, the load generator (wrk or
pgbench), the server's processes, and the rest, which on a quiet machine is PostgreSQL.

On two cores that the client, the server and PostgreSQL share, a rate is the cores divided by
the CPU one request costs all of them together; this split says which part a bar leaves room
for (Linux only: /proc).
"""

import os
import resource
from collections.abc import Iterable
from dataclasses import dataclass

TICKS = os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU time of every core not idle or waiting for the disk since boot (/proc/stat)."""
    with open("/proc/stat") as handle:
        fields = [int(value) for value in handle.readline().split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq + steal) / TICKS


def process_seconds(pids: Iterable[int]) -> float:
    """User and system CPU time of the processes that are still there."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as handle:
                # The fields after the command's closing parenthesis: utime and stime are
                # the 12th and 13th of them.
                fields = handle.read().rpartition(")")[2].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / TICKS


def children_seconds() -> float:
    """CPU time of this process's children that have ended (wrk, pgbench) since it started."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


@dataclass(frozen=True)
class Snapshot:
    machine: float
    client: float
    server: float

    @classmethod
    def now(cls, server_pids: Iterable[int]) -> "Snapshot":
        return cls(machine_busy_seconds(), children_seconds(), process_seconds(server_pids))


def spent(before: Snapshot, after: Snapshot) -> dict[str, float]:
    """CPU seconds between two snapshots, by who spent them."""
    machine = after.machine - before.machine
    client = after.client - before.client
    server = after.server - before.server
    return {
        "machine": machine,
        "client": client,
        "server": server,
        "rest": machine - client - server,
    }


def per_request(seconds: dict[str, float], requests: int) -> dict[str, float]:
    """CPU seconds by who spent them, as microseconds per request."""
    return {who: used / max(1, requests) * 1e6 for who, used in seconds.items()}
