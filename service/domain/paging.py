"""Numbered pages of a list: which rows a page shows, and its neighbours."""

from dataclasses import dataclass
from typing import Self


@dataclass(frozen=True)
class Pages:
    total: int  # rows in the whole list
    size: int  # rows per page
    number: int  # this page, from 1

    @classmethod
    def of(cls, total: int, size: int, asked: int) -> Self:
        """The page asked for; past the end, the last page (a list that shrank since)."""
        last = max(1, -(-total // size))
        return cls(total, size, min(max(asked, 1), last))

    @property
    def last(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.last else None
