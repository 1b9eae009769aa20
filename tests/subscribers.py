"""A subscriber of the change pipeline that keeps what it was handed.

Tests get one as the `recorder` fixture; `recording_client` is the app with it subscribed
(a test module overrides `client` with it to see every change its requests make).
"""

import asyncpg

from service.domain.events import CaseChanged


class Recorder:
    """A subscriber that keeps what it was handed."""

    def __init__(self) -> None:
        self.changes: list[CaseChanged] = []
        self.seen = 0

    async def __call__(self, connection: asyncpg.Connection, changed: CaseChanged) -> None:
        assert connection.is_in_transaction()  # inside the change's own transaction
        self.changes.append(changed)

    def forget(self) -> None:
        """Start over, as if nothing had arrived."""
        self.changes.clear()
        self.seen = 0

    def new(self) -> list[CaseChanged]:
        """What arrived since the last call."""
        fresh, self.seen = self.changes[self.seen :], len(self.changes)
        return fresh
