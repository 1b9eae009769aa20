"""The folder in which `serve`'s worker processes keep their metrics, one file set each.

prometheus-client decides between in-memory and shared-file metrics when it is first imported,
by PROMETHEUS_MULTIPROC_DIR. So `serve` sets it before uvicorn starts the workers (they inherit
the environment), and this module imports nothing of prometheus-client itself.
"""

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

VARIABLE = "PROMETHEUS_MULTIPROC_DIR"


@contextmanager
def metrics_shared_by(workers: int) -> Iterator[None]:
    """A fresh, empty folder while serving with several workers, removed afterwards.

    Fresh, because files left by an earlier run would be counted as if this run made them.
    With one worker the process's own memory does, and a value inherited from the
    environment is dropped (it would make prometheus-client write files nobody reads).
    """
    if workers <= 1:
        os.environ.pop(VARIABLE, None)
        yield
        return
    folder = tempfile.mkdtemp(prefix="schade-metrics-")
    os.environ[VARIABLE] = folder
    try:
        yield
    finally:
        del os.environ[VARIABLE]
        shutil.rmtree(folder, ignore_errors=True)
