"""Where the server's log lines go: to stderr, in batches, written by a thread of their own.

Every request logs a line (service/access_log.py). Litestar's default hands each record to a
listener thread one at a time; in the status read's profile (issue 15) that listener and the
record it was handed took about an eighth of the server's CPU. Here the event loop only
formats a record and appends it to a list. A writer thread wakes when a batch begins, lets it
gather for a moment, and writes it in one go: under load, dozens of lines per write. The loop
never waits for stderr: when whoever reads it falls behind, only the writer thread blocks.

The access log's line goes past logging's records altogether when it can (`sole_writer`):
when logging would hand the record to this handler alone, with the server's line format and
no filter on the way, the line is made as the formatter would make it and added as it is.
Making the record and passing it down the loggers cost the API's status read 8% of its CPU
in the process, the tracking page 5% (issue 15, measured with bench/cpu_per_request.py).
Anything else listening (pytest's capture, a handler an operator adds, a filter) gets the
record as before.
"""

import logging
import sys
import threading
import time
from typing import TextIO

LINE_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
# How long the writer lets a batch gather: short enough for someone following the log.
GATHER_SECONDS = 0.05


class BatchedStderrHandler(logging.Handler):
    def __init__(self, stream: TextIO | None = None, gather_seconds: float = GATHER_SECONDS):
        super().__init__()
        self._stream = sys.stderr if stream is None else stream  # as logging.StreamHandler
        self._gather_seconds = gather_seconds
        self._lines: list[str] = []
        self._waiting = threading.Condition(threading.Lock())
        self._writing = threading.Lock()  # one batch at a time, in order
        self._closing = False
        self._second: tuple[int, str] = (-1, "")  # emit_line's last second and its text
        self._writer = threading.Thread(target=self._write_batches, name="log-writer", daemon=True)
        self._writer.start()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
        except Exception:  # logging's own rule: a bad record never raises
            self.handleError(record)
            return
        self._add(line)

    def emit_line(self, name: str, level_name: str, message: str, created: float) -> None:
        """The line emit() writes for a record of logger `name` at this level, with this
        message, made at `created` (time.time()), when the formatter is LINE_FORMAT's."""
        second = int(created)
        shown_second, shown = self._second
        if second != shown_second:
            shown = time.strftime(logging.Formatter.default_time_format, time.localtime(second))
            self._second = (second, shown)
        # As LogRecord counts its milliseconds, and Formatter.formatTime shows them.
        milliseconds = int((created - second) * 1000)
        self._add(f"{shown},{milliseconds:03d} {level_name} {name} {message}")

    def _add(self, line: str) -> None:
        with self._waiting:
            self._lines.append(line)
            if len(self._lines) == 1:
                self._waiting.notify()

    def flush(self) -> None:
        """Write what is waiting now, in this thread (logging calls it at exit)."""
        with self._writing:
            self._write(self._taken())

    def close(self) -> None:
        with self._waiting:
            self._closing = True
            self._waiting.notify()
        if self._writer is not threading.current_thread():
            self._writer.join(timeout=5)
        self.flush()
        super().close()

    def _taken(self) -> list[str]:
        with self._waiting:
            lines, self._lines = self._lines, []
        return lines

    def _write_batches(self) -> None:
        while True:
            with self._waiting:
                while not self._lines and not self._closing:
                    self._waiting.wait()
                if self._closing:
                    return  # close() writes the rest
            time.sleep(self._gather_seconds)
            with self._writing:
                self._write(self._taken())

    def _write(self, lines: list[str]) -> None:
        if not lines:
            return
        try:
            self._stream.write("\n".join(lines) + "\n")
            self._stream.flush()
        except (OSError, ValueError):
            pass  # stderr gone or closed: there is nowhere left to say so


def sole_writer(logger: logging.Logger, level: int) -> BatchedStderrHandler | None:
    """The handler a record of `level` from `logger` would reach alone, when it is a
    BatchedStderrHandler writing LINE_FORMAT and no logger or handler on the way has a
    filter: then emit_line() writes what logging would. None when the level is off, or when
    anything else would see the record."""
    if not logger.isEnabledFor(level):
        return None
    sole: BatchedStderrHandler | None = None
    current: logging.Logger | None = logger
    while current is not None:
        if current.filters:
            return None
        for handler in current.handlers:
            if level < handler.level:
                continue
            if (
                sole is not None
                or type(handler) is not BatchedStderrHandler
                or handler.filters
                or not _writes_line_format(handler.formatter)
            ):
                return None
            sole = handler
        current = current.parent if current.propagate else None
    return sole


def _writes_line_format(formatter: logging.Formatter | None) -> bool:
    return (
        type(formatter) is logging.Formatter
        and formatter._fmt == LINE_FORMAT
        and formatter.datefmt is None
        and formatter.converter is time.localtime
    )


def configure_logging(level: str) -> None:
    """The root logger at `level` (LOG_LEVEL), written by one BatchedStderrHandler. One that a
    previous call installed (an app made again, as the tests do) is closed first."""
    root = logging.getLogger()
    # basicConfig's handler too (the command line's main() installs one): each line once.
    replaced = (BatchedStderrHandler, logging.StreamHandler)
    for old in [h for h in root.handlers if type(h) in replaced]:
        root.removeHandler(old)
        old.close()
    handler = BatchedStderrHandler()
    handler.setFormatter(logging.Formatter(LINE_FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
    # The logging HOWTO's "Optimization": no record needs where it was logged from, nor its
    # thread or process (LINE_FORMAT shows neither); each costs every record a lookup.
    logging._srcfile = None  # the switch the HOWTO documents
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
