"""The answer to a scrape: every process's counts added up, and the database's numbers.

With several workers (PROMETHEUS_MULTIPROC_DIR set by `serve`) the counts come from the files
of all of them, read in a thread (file reads and merging take a few milliseconds); alone, from
this process's memory, with its own process statistics.
"""

import asyncio
import glob
import os
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from service.metrics.connections import note_connections_in_use
from service.metrics.database import database_metrics
from service.metrics.shared_dir import VARIABLE
from service.outage import DatabaseOutage, database_unavailable

# The text format every Prometheus reads.
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class _Computed(Collector):
    """Metrics computed already, for generate_latest."""

    def __init__(self, metrics: Iterable[Metric]) -> None:
        self._metrics = list(metrics)

    def collect(self) -> Iterable[Metric]:
        return self._metrics


async def exposition(
    pools: Mapping[str, asyncpg.Pool], queries: asyncpg.Pool, outage: DatabaseOutage
) -> bytes:
    """The scrape's text; pools are this process's (noted now), queries the pool to read from."""
    note_connections_in_use(pools)
    try:
        read = await database_metrics(queries, datetime.now(UTC))
        up = 1
    except Exception as error:
        if not database_unavailable(error):
            raise
        outage.unavailable(error)  # logged once per outage, as for any request
        read, up = [], 0  # the requests answered 503 meanwhile are worth seeing all the more
    database = _Computed(
        [
            GaugeMetricFamily(
                "schade_database_up",
                "1 when this scrape could read the database; 0 when not, and its numbers are missing",
                value=up,
            ),
            *read,
        ]
    )
    folder = os.environ.get(VARIABLE)
    if folder is None:
        return generate_latest(REGISTRY) + generate_latest(database)
    return await asyncio.to_thread(_all_workers, folder, database)


def _all_workers(folder: str, database: Collector) -> bytes:
    _forget_dead_processes(folder)
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, folder)
    return generate_latest(registry) + generate_latest(database)


def _forget_dead_processes(folder: str) -> None:
    """Drop the live gauges of workers that are gone (killed, crashed, replaced by uvicorn).

    A worker that stops cleanly drops its own (connections.py); counters and histograms of
    gone workers stay, so totals never go down.
    """
    for path in glob.glob(os.path.join(folder, "gauge_live*_*.db")):
        pid = int(Path(path).stem.rpartition("_")[2])
        if not _running(pid):
            multiprocess.mark_process_dead(pid, folder)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, under another user
    return True
