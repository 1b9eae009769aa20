"""The server's log lines: LOG_LEVEL holds, and writing them never holds up a request."""

import logging
import threading
import time

import msgspec
import pytest

from service import access_log
from service.app import create_app
from service.logs import LINE_FORMAT, BatchedStderrHandler, configure_logging, sole_writer
from service.settings import Settings


class Recorded:
    """A stream that keeps each write; it can be made to hang like a pipe nobody reads."""

    def __init__(self) -> None:
        self.writes: list[str] = []
        self.released = threading.Event()
        self.released.set()

    def write(self, text: str) -> None:
        self.released.wait()
        self.writes.append(text)

    def flush(self) -> None:
        pass

    @property
    def lines(self) -> list[str]:
        return "".join(self.writes).splitlines()


def _handler(stream: Recorded, gather_seconds: float = 0.05) -> BatchedStderrHandler:
    handler = BatchedStderrHandler(stream, gather_seconds)  # type: ignore[arg-type]
    handler.setFormatter(logging.Formatter("%(message)s"))
    return handler


def _record(message: str) -> logging.LogRecord:
    return logging.LogRecord("service.access", logging.INFO, __file__, 1, message, None, None)


def test_lines_come_out_in_order_many_to_a_write():
    stream = Recorded()
    handler = _handler(stream)
    for n in range(500):
        handler.handle(_record(f"GET /health 200 {n}"))
    time.sleep(0.3)  # the writer's batches, not close()'s
    written = len(stream.writes)
    handler.close()
    assert stream.lines == [f"GET /health 200 {n}" for n in range(500)]
    assert 1 <= written <= 10


def test_a_stream_that_hangs_does_not_hold_up_the_logging_thread():
    stream = Recorded()
    stream.released.clear()  # as stderr into a pipe whose reader stopped
    handler = _handler(stream, gather_seconds=0.01)
    handler.handle(_record("first"))
    time.sleep(0.1)  # the writer is now stuck in write()
    started = time.perf_counter()
    for n in range(1000):
        handler.handle(_record(f"line {n}"))
    assert time.perf_counter() - started < 0.5
    assert stream.writes == []
    stream.released.set()
    handler.close()
    assert stream.lines == ["first", *(f"line {n}" for n in range(1000))]


def test_flush_writes_what_waits_at_once():
    stream = Recorded()
    handler = _handler(stream, gather_seconds=60)
    handler.handle(_record("GET /ready 200"))
    handler.flush()
    assert stream.lines == ["GET /ready 200"]
    handler.close()


def test_a_closed_stream_raises_nothing_at_the_caller():
    class Closed(Recorded):
        def write(self, text: str) -> None:
            self.writes.append(text)  # tried, then refused
            raise ValueError("I/O operation on closed file")

    stream = Closed()
    handler = _handler(stream, gather_seconds=60)
    handler.handle(_record("GET /health 200"))
    handler.flush()  # the write fails here, in the caller's thread, and is not raised
    handler.close()
    assert stream.writes == ["GET /health 200\n"]


@pytest.fixture
def root_logging():
    """configure_logging changes the process's root logger: put it back afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield root
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    for handler in handlers:
        if handler not in root.handlers:
            root.addHandler(handler)
    root.setLevel(level)


def test_configured_twice_the_root_has_one_writer_and_keeps_other_handlers(root_logging):
    from_basic_config = logging.StreamHandler()
    kept = logging.NullHandler()  # as pytest's log capture
    root_logging.addHandler(from_basic_config)
    root_logging.addHandler(kept)
    configure_logging("INFO")
    configure_logging("INFO")
    writers = [h for h in root_logging.handlers if isinstance(h, BatchedStderrHandler)]
    assert len(writers) == 1
    assert from_basic_config not in root_logging.handlers
    assert kept in root_logging.handlers


def test_log_level_warning_leaves_out_the_access_lines(settings: Settings, root_logging):
    """Reproduction: Litestar's own logging set-up put the root logger at INFO whatever
    LOG_LEVEL said, so every request was still logged at LOG_LEVEL=WARNING."""
    access = logging.getLogger("service.access")
    create_app(msgspec.structs.replace(settings, log_level="WARNING"))
    assert not access.isEnabledFor(logging.INFO)
    assert access.isEnabledFor(logging.WARNING)
    create_app(msgspec.structs.replace(settings, log_level="INFO"))
    assert access.isEnabledFor(logging.INFO)


def _access_logger(handler: logging.Handler) -> logging.Logger:
    """service.access under a root of its own (pytest's capture sits on the real root)."""
    top = logging.Logger("top")
    access = logging.Logger("service.access")
    access.parent = top
    top.addHandler(handler)
    return access


@pytest.mark.parametrize("created", [1764547200.0, 1764547200.0005, 1764590399.9996, 1775000000.5])
def test_the_access_line_is_the_one_logging_would_write(created, monkeypatch):
    stream = Recorded()
    handler = BatchedStderrHandler(stream, 60)  # type: ignore[arg-type]
    handler.setFormatter(logging.Formatter(LINE_FORMAT))
    monkeypatch.setattr(time, "time", lambda: created)
    record = logging.LogRecord("service.access", logging.INFO, __file__, 1, "GET / 200", None, None)
    handler.emit_line("service.access", "INFO", "GET / 200", created)
    handler.flush()
    handler.close()
    assert stream.lines == [handler.format(record)]


def test_the_access_line_skips_the_record_only_when_the_writer_alone_would_see_it(monkeypatch):
    stream = Recorded()
    handler = BatchedStderrHandler(stream, 60)  # type: ignore[arg-type]
    handler.setFormatter(logging.Formatter(LINE_FORMAT))
    access = _access_logger(handler)
    monkeypatch.setattr(access_log, "logger", access)
    assert sole_writer(access, logging.INFO) is handler
    scope = {"method": "GET", "path": "/t/SCH-2026-000001"}
    access_log.log_request(scope, 200, 0.01234)  # type: ignore[arg-type]

    caught: list[logging.LogRecord] = []
    listener = logging.Handler()
    listener.emit = caught.append  # type: ignore[method-assign]
    access.parent.addHandler(listener)  # type: ignore[union-attr]
    assert sole_writer(access, logging.INFO) is None
    access_log.log_request(scope, 404, 0.5)  # type: ignore[arg-type]
    assert [r.getMessage() for r in caught] == ["GET /t/SCH-2026-000001 404 500.0ms"]
    access.parent.removeHandler(listener)  # type: ignore[union-attr]

    handler.addFilter(lambda record: False)  # a filter decides: it gets the record
    assert sole_writer(access, logging.INFO) is None
    access_log.log_request(scope, 403, 0.1)  # type: ignore[arg-type]
    handler.filters.clear()
    quiet = _access_logger(handler)
    quiet.parent.setLevel(logging.WARNING)  # type: ignore[union-attr]  # LOG_LEVEL=WARNING
    monkeypatch.setattr(access_log, "logger", quiet)
    assert sole_writer(quiet, logging.INFO) is None
    access_log.log_request(scope, 500, 0.1)  # type: ignore[arg-type]

    handler.flush()
    handler.close()
    assert [line.split(" ", 2)[2] for line in stream.lines] == [
        "INFO service.access GET /t/SCH-2026-000001 200 12.3ms",
        "INFO service.access GET /t/SCH-2026-000001 404 500.0ms",
    ]
