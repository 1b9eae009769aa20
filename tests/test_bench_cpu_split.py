"""bench/cpu_split.py: CPU time by who spent it, read from /proc."""

import os
import subprocess
import sys
import time

from bench.cpu_split import Snapshot, per_request, spent

BURN = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass"


def _burn(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_a_child_that_ended_counts_as_the_client_and_this_process_as_the_server() -> None:
    before = Snapshot.now([os.getpid()])
    subprocess.run([sys.executable, "-c", BURN], check=True)
    _burn(0.3)
    used = spent(before, Snapshot.now([os.getpid()]))

    assert used["client"] >= 0.25
    assert used["server"] >= 0.25
    assert used["machine"] >= used["client"] + used["server"] - 0.05  # ticks of 10 ms
    assert used["rest"] == used["machine"] - used["client"] - used["server"]


def test_a_process_that_is_gone_counts_nothing_and_fails_nothing() -> None:
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert Snapshot.now([int(gone.stdout)]).server == 0


def test_per_request_is_microseconds_each() -> None:
    assert per_request({"server": 0.5, "client": 0.25}, 1000) == {"server": 500, "client": 250}
    assert per_request({"server": 0.5}, 0) == {"server": 500_000}  # no request: not a crash
