"""The change pipeline's notification subscriber: queues, in the change's own transaction,
the messages a change calls for."""

from service.db import Connection
from service.domain.events import CaseChanged, EventKind
from service.notifications import outbox, to_staff
from service.notifications.tenant_rules import tell_the_tenant
from service.webhooks.rule import tell_subscribers

# A case lands with a corporation: routed at intake or by a coordinator, or transferred.
_TO_A_CORPORATION = frozenset({EventKind.ROUTED, EventKind.TRANSFERRED})


async def tell_the_corporation(connection: Connection, changed: CaseChanged) -> None:
    if changed.corporation_id is not None and any(
        event.kind in _TO_A_CORPORATION for event in changed.events
    ):
        await outbox.queue_case_routed(connection, changed.case_id, changed.at)


async def tell_the_corporation_of_erasure(connection: Connection, changed: CaseChanged) -> None:
    if any(event.kind is EventKind.ERASURE_REQUESTED for event in changed.events):
        await outbox.queue_erasure_requested(connection, changed.case_id, changed.at)


# Each rule looks at the change's events and queues what they call for; most changes call for
# nothing from most rules, and a rule then costs no round trip.
RULES = (
    tell_the_corporation,
    tell_the_corporation_of_erasure,
    tell_the_tenant,
    to_staff.tell_the_new_assignee,
    to_staff.tell_the_assignee_of_tenant_news,
    tell_subscribers,
)


async def notify(connection: Connection, changed: CaseChanged) -> None:
    for rule in RULES:
        await rule(connection, changed)
