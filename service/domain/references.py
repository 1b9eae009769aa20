"""Case references: SCH-<year>-<number>, the number from one global sequence."""

import re

REFERENCE_PATTERN = r"^SCH-[0-9]{4}-[0-9]{6,}$"
REFERENCE = re.compile(REFERENCE_PATTERN)
MAX_REFERENCE_LENGTH = 30


def format_reference(year: int, number: int) -> str:
    """SCH-2026-000042: the number zero-padded to at least six digits."""
    return f"SCH-{year}-{number:06d}"
