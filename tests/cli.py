"""Running `python -m service ...` as a subprocess against the test database."""

import asyncio
import os
import sys
from pathlib import Path

from tests.conftest import REPO, TEST_SECRET


async def run_cli(*args: str, database_url: str, data_dir: Path) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of one CLI command."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DATA_DIR": str(data_dir),
        "SECRET_KEY": TEST_SECRET,
    }
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
