"""Running `python -m service ...` as a subprocess against the test database."""

import asyncio
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from tests.conftest import REPO, TEST_SECRET


async def run_cli(
    *args: str, database_url: str | None, data_dir: Path, unset: Iterable[str] = ()
) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of one CLI command.

    Without database_url the command starts (or joins) the embedded PostgreSQL in
    data_dir/postgres; unset names environment variables the command runs without.
    """
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", *unset}}
    env.update(DATA_DIR=str(data_dir), SECRET_KEY=TEST_SECRET)
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "service",
        *args,
        cwd=REPO,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return process.returncode, stdout.decode(), stderr.decode()


def table_rows(stdout: str) -> list[dict[str, str]]:
    """A table a command printed (service/cli_table.py), one dict per row by column name.

    Columns are two or more spaces apart; a value such as a name may hold single spaces.
    """
    header, *lines = stdout.strip("\n").splitlines()
    names = header.split()
    rows = [re.split(r"\s{2,}", line.strip()) for line in lines]
    assert all(len(row) == len(names) for row in rows), stdout
    return [dict(zip(names, row, strict=True)) for row in rows]
