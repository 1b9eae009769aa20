"""`backup FILE`: the whole database in pg_dump's custom format, written while the service serves.

pg_dump reads one snapshot, so a backup taken under load is consistent; the number of cases
printed is counted in that same snapshot. The file appears under its name only when complete:
pg_dump writes a hidden file beside it, renamed when done, so a failed backup leaves nothing
and an older backup under that name stays as it was.
"""

import asyncio
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from service.backups import tools
from service.backups.tools import BackupError, Connect, Tool


@dataclass(frozen=True)
class BackupWritten:
    file: Path
    size: int
    cases: int
    tool: Tool

    def __str__(self) -> str:
        return f"wrote {self.file}: {_size(self.size)}, {self.cases} case(s), with {self.tool}"


def backup(url: str, file: Path, *, embedded: bool, connect: Connect) -> BackupWritten:
    """Dump the database at url into file."""
    with replaced_when_complete(file) as partial:
        cases, pg_dump = asyncio.run(_dump(url, partial, embedded=embedded, connect=connect))
    return BackupWritten(file, file.stat().st_size, cases, pg_dump)


async def _dump(url: str, into: Path, *, embedded: bool, connect: Connect) -> tuple[int, Tool]:
    connection = await connect(url)
    try:
        server_version = await connection.fetchval("SHOW server_version_num")
        pg_dump = tools.choose("pg_dump", int(server_version) // 10000, embedded_first=embedded)
        if await connection.fetchval("SELECT to_regclass('public.cases')") is None:
            raise BackupError("this database has no cases table: is it the service's database?")
        async with connection.transaction(isolation="repeatable_read", readonly=True):
            # pg_dump joins this transaction's snapshot, so the count is that of the backup.
            snapshot = await connection.fetchval("SELECT pg_export_snapshot()")
            cases = await connection.fetchval("SELECT count(*) FROM cases")
            await tools.run(
                pg_dump,
                ["--format=custom", f"--snapshot={snapshot}", f"--file={into}"],
                url,
                purpose="backup",
            )
        return cases, pg_dump
    finally:
        await connection.close()


@contextmanager
def replaced_when_complete(file: Path) -> Iterator[Path]:
    """A hidden file beside file to write; it becomes file when the block ends without error
    and is removed when it raises."""
    folder = file.parent
    if not folder.is_dir():
        raise BackupError(f"the folder {folder} does not exist")
    if file.is_dir():
        raise BackupError(f"{file} is a folder; name the backup file")
    # mkstemp makes the file readable by its owner only: a backup holds personal data.
    handle, name = tempfile.mkstemp(dir=folder, prefix=f".{file.name}.", suffix=".partial")
    os.close(handle)
    partial = Path(name)
    try:
        yield partial
        _flush(partial)
        partial.replace(file)
        _flush(folder)  # the rename itself survives a crash
    finally:
        partial.unlink(missing_ok=True)


def _flush(path: Path) -> None:
    """Ask the operating system to put path (a file, or a folder's entries) on disk."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _size(size: int) -> str:
    if size < 1000:
        return f"{size} bytes"
    value, unit = float(size), "bytes"
    for unit in ("kB", "MB", "GB"):  # noqa: B007 - the unit reached is the one printed
        value /= 1000
        if value < 1000:
            break
    return f"{value:.1f} {unit}"
