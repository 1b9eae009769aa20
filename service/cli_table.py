"""Plain-text tables for the command line, each column as wide as its widest value.

Fixed widths let a long e-mail address or name push the rest of its line out of line.
"""

from collections.abc import Iterable, Sequence


def format_table(
    header: Sequence[str], rows: Iterable[Sequence[str]], right_aligned: Sequence[str] = ()
) -> str:
    """The header and rows as lines of columns two spaces apart, right_aligned the numbers.

    No line ends in spaces (the padding of a short last value).
    """
    lines = [list(header), *(list(row) for row in rows)]
    widths = [max(len(line[index]) for line in lines) for index in range(len(header))]
    right = [name in right_aligned for name in header]
    formatted = []
    for line in lines:
        cells = [
            value.rjust(width) if to_right else value.ljust(width)
            for value, width, to_right in zip(line, widths, right, strict=True)
        ]
        formatted.append("  ".join(cells).rstrip())
    return "\n".join(formatted)
