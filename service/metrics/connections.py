"""Database connections in use in this process, for CONNECTIONS_IN_USE.

An asyncpg pool knows how many of its connections are open and how many of those are idle;
the rest are in use. Only the process that answers a scrape can look at its pools then, so
with several workers each one notes its own every SAMPLE_INTERVAL: the scrape adds up values
at most that old, at the cost of one small write per second and worker.
"""

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

import asyncpg
from prometheus_client import multiprocess

from service.metrics.instruments import CONNECTIONS_IN_USE
from service.metrics.shared_dir import VARIABLE

SAMPLE_INTERVAL = 1.0


def note_connections_in_use(pools: Mapping[str, asyncpg.Pool]) -> None:
    for name, pool in pools.items():
        CONNECTIONS_IN_USE.labels(name).set(pool.get_size() - pool.get_idle_size())


@asynccontextmanager
async def connections_sampled(pools: Mapping[str, asyncpg.Pool]) -> AsyncIterator[None]:
    """While serving with several workers, note this process's connections every second."""
    folder = os.environ.get(VARIABLE)
    if folder is None:
        yield  # one process: the scrape notes them itself
        return

    async def sample() -> None:
        while True:
            note_connections_in_use(pools)
            await asyncio.sleep(SAMPLE_INTERVAL)

    task = asyncio.create_task(sample())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        # A stopped worker's connections are no longer in use anywhere.
        multiprocess.mark_process_dead(os.getpid(), folder)
