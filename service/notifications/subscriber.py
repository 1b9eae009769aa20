"""The change pipeline's notification subscriber: queues, in the change's own transaction,
the messages a change calls for."""

from service.db import Connection
from service.domain.events import CaseChanged, EventKind
from service.notifications import outbox

# A case lands with a corporation: routed at intake or by a coordinator, or transferred.
_TO_A_CORPORATION = frozenset({EventKind.ROUTED, EventKind.TRANSFERRED})


async def notify(connection: Connection, changed: CaseChanged) -> None:
    if changed.corporation_id is not None and any(
        event.kind in _TO_A_CORPORATION for event in changed.events
    ):
        await outbox.queue_case_routed(connection, changed.case_id, changed.at)
