"""What every `python -m service` command shows around its work: `--help` lists all the
commands, and no command prints warnings on stderr.

Each command runs as a subprocess, as an administrator would run it.
"""

import argparse
import re
from collections.abc import Iterator

from service.__main__ import build_parser
from tests.cli import run_cli

# platformdirs warns when XDG_RUNTIME_DIR is unset (as in a container or over plain ssh).
NO_RUNTIME_DIR = ("XDG_RUNTIME_DIR",)


def leaf_commands(parser: argparse.ArgumentParser, prefix: str = "") -> Iterator[str]:
    """Every command the parser runs ("migrate", "users add", ...), walked from the parser."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                nested = list(leaf_commands(sub, f"{prefix}{name} "))
                yield from nested or [f"{prefix}{name}"]


def _quiet(stderr: str) -> None:
    assert "Warning" not in stderr, stderr
    assert "Traceback" not in stderr, stderr


async def test_help_lists_every_command_on_one_line_with_what_it_does(tmp_path):
    commands = list(leaf_commands(build_parser()))
    assert {"serve", "migrate", "worker", "users add", "tokens revoke"} <= set(commands)

    code, stdout, stderr = await run_cli("--help", database_url=None, data_dir=tmp_path)
    assert code == 0, stderr
    assert stderr == ""
    assert "\ncommands:\n" in stdout, stdout
    _, listing = stdout.split("\ncommands:\n", 1)
    lines = listing.split("\n\n", 1)[0].splitlines()
    listed = [re.split(r"\s{2,}", line.strip(), maxsplit=1) for line in lines]
    assert [entry[0] for entry in listed] == commands
    for entry in listed:
        assert len(entry) == 2, f"no help line for {entry[0]!r}"


async def test_a_command_on_the_embedded_database_prints_no_warning(tmp_path):
    # A fresh embedded PostgreSQL in tmp_path (about a second); the last command stops it.
    code, stdout, stderr = await run_cli(
        "migrate", database_url=None, data_dir=tmp_path, unset=NO_RUNTIME_DIR
    )
    assert code == 0, stderr
    assert stdout.startswith("applied ")
    _quiet(stderr)

    code, stdout, stderr = await run_cli(
        "corporations", "list", database_url=None, data_dir=tmp_path, unset=NO_RUNTIME_DIR
    )
    assert code == 0, stderr
    assert stdout.split() == ["code", "homes", "active", "emergency", "name"]
    _quiet(stderr)


async def test_a_command_on_database_url_prints_no_warning(database_url, tmp_path):
    for args in (("migrate",), ("users", "list")):
        code, _, stderr = await run_cli(
            *args, database_url=database_url, data_dir=tmp_path, unset=NO_RUNTIME_DIR
        )
        assert code == 0, stderr
        _quiet(stderr)
