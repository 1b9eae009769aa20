"""What the domain reads a stored row through, without knowing the database driver."""

from typing import Any, Protocol


class Row(Protocol):
    """A row read by column name: a database record or a plain dict alike."""

    def __getitem__(self, key: str, /) -> Any: ...
