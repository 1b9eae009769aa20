"""How late an event loop wakes while threads of its process make photos ready to store.

    python -m bench.loop_lateness [--threads 0,1,2] [--seconds 10]

The loop sleeps 10 ms at a time, as an idle server waits for its next request; meanwhile N
threads run media.process_photo on the benchmark's 12-megapixel photo back to back, as the
service's media threads do. Whatever those threads do while holding the GIL, the loop waits
for. No HTTP, no database: only the GIL (and the machine's cores).
"""

import argparse
import asyncio
import json
import sys
import threading
import time
from typing import Any

from bench.run import percentile
from bench.uploads import phone_photo_jpeg
from service.attachments import media

SLEEP_S = 0.010


async def lateness(photo: bytes, threads: int, seconds: float) -> dict[str, Any]:
    stop = threading.Event()
    processed = [0] * threads

    def process(index: int) -> None:
        while not stop.is_set():
            media.process_photo(photo)
            processed[index] += 1

    workers = [threading.Thread(target=process, args=(n,), daemon=True) for n in range(threads)]
    for worker in workers:
        worker.start()
    late_ms = []
    until = time.perf_counter() + seconds
    while time.perf_counter() < until:
        started = time.perf_counter()
        await asyncio.sleep(SLEEP_S)
        late_ms.append((time.perf_counter() - started - SLEEP_S) * 1000)
    stop.set()
    for worker in workers:
        worker.join()
    return {
        "threads": threads,
        "photos": sum(processed),
        "wakeups": len(late_ms),
        "late_p50_ms": percentile(late_ms, 50),
        "late_p99_ms": percentile(late_ms, 99),
        "late_max_ms": max(late_ms),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", default="0,1,2", help="comma-separated thread counts")
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args(argv)
    photo = phone_photo_jpeg()
    results = [
        asyncio.run(lateness(photo, int(threads), args.seconds))
        for threads in args.threads.split(",")
    ]
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
