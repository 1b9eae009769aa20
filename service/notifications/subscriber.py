"""The change pipeline's notification subscriber: queues, in the change's own transaction,
the messages a change calls for (in one statement), and its webhook deliveries."""

from service.db import Connection
from service.domain.events import CaseChanged, EventKind
from service.notifications import outbox, to_staff
from service.notifications.tenant_rules import tell_the_tenant
from service.webhooks.rule import tell_subscribers

# A case lands with a corporation: routed at intake or by a coordinator, or transferred.
_TO_A_CORPORATION = frozenset({EventKind.ROUTED, EventKind.TRANSFERRED})


def tell_the_corporation(changed: CaseChanged) -> list[outbox.Queued]:
    if changed.corporation_id is not None and any(
        event.kind in _TO_A_CORPORATION for event in changed.events
    ):
        return [outbox.case_routed(changed.case_id, changed.at)]
    return []


def tell_the_corporation_of_erasure(changed: CaseChanged) -> list[outbox.Queued]:
    if any(event.kind is EventKind.ERASURE_REQUESTED for event in changed.events):
        return [outbox.erasure_requested(changed.case_id, changed.at)]
    return []


# Each rule looks at the change's events and says which messages they call for; most changes
# call for nothing from most rules. All the messages are written in one statement.
RULES = (
    tell_the_corporation,
    tell_the_corporation_of_erasure,
    tell_the_tenant,
    to_staff.tell_the_new_assignee,
    to_staff.tell_the_assignee_of_tenant_news,
)


async def notify(connection: Connection, changed: CaseChanged) -> None:
    await outbox.queue(connection, [queued for rule in RULES for queued in rule(changed)])
    await tell_subscribers(connection, changed)
