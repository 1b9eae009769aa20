"""Mail to staff members about a change: the subscriber's rules for a case assigned to someone
and for information the tenant added, and what every staff message shares.

A staff member gets mail only while active and while the kind is not switched off
(`users notifications EMAIL --off KIND`, kept in users.muted_notifications).
"""

import uuid
from datetime import datetime

from service.db import Connection
from service.domain.events import TENANT, CaseChanged, Event, EventKind
from service.notifications import outbox

# The kinds a user may switch off: all of the staff's (README, "E-mail").
SWITCHABLE = (outbox.ASSIGNED, outbox.TENANT_MESSAGE, outbox.ESCALATION, outbox.DIGEST)

# What a staff message shows of a case (c): what identifies it, never the tenant's name,
# contact details or description; the mail goes out of the system, the link leads back in.
CASE_FIELDS = """
    'reference', c.reference, 'category', c.category, 'acute', c.acute,
    'street', c.street, 'house_number', c.house_number, 'house_letter', c.house_letter,
    'addition', c.addition, 'postcode', c.postcode, 'city', c.city
"""

# Users (u) who receive kind $1.
WANTS_IT = "u.active AND NOT ($1 = ANY (u.muted_notifications))"

_ASSIGNEE_ROWS = f"""
SELECT $1::text, u.email, jsonb_build_object({CASE_FIELDS}, 'assigned_by', $4::text),
       $2::timestamptz, $2::timestamptz
FROM cases c JOIN users u ON u.id = c.assignee_id
WHERE c.id = $3::uuid AND {WANTS_IT}
"""  # noqa: S608 - constant fragments


def _for_assignee(
    kind: str, case_id: uuid.UUID, now: datetime, by: str | None = None
) -> outbox.Queued:
    return outbox.Queued(_ASSIGNEE_ROWS, (kind, now, case_id, by))


def tell_the_new_assignee(changed: CaseChanged) -> list[outbox.Queued]:
    return [
        _for_assignee(outbox.ASSIGNED, changed.case_id, changed.at, event.actor.name)
        for event in changed.events
        if event.kind is EventKind.ASSIGNED
        and (assignee := event.data.get("assignee_id")) is not None
        # Nobody needs mail about their own action: taking a case yourself sends none.
        and assignee != event.actor.user_id
    ]


def tell_the_assignee_of_tenant_news(changed: CaseChanged) -> list[outbox.Queued]:
    """The tenant added information or a photo: the case's assignee hears of it (nobody, if
    none)."""
    if any(_is_tenant_news(event) for event in changed.events):
        return [_for_assignee(outbox.TENANT_MESSAGE, changed.case_id, changed.at)]
    return []


def _is_tenant_news(event: Event) -> bool:
    return event.kind is EventKind.TENANT_MESSAGE or (
        event.kind is EventKind.ATTACHMENT_ADDED and event.actor == TENANT
    )


async def switch(
    connection: Connection, email: str, off: frozenset[str], on: frozenset[str]
) -> list[str] | None:
    """Switch kinds off and on for a user (neither: only look); the kinds now off, or None
    without such a user."""
    if not off and not on:
        return await connection.fetchval(
            "SELECT muted_notifications FROM users WHERE email = lower($1)", email
        )
    muted: list[str] | None = await connection.fetchval(
        """
        UPDATE users SET muted_notifications = ARRAY(
            SELECT DISTINCT kind FROM unnest(muted_notifications || $2::text[]) AS kind
            WHERE kind <> ALL ($3::text[]) ORDER BY kind)
        WHERE email = lower($1) RETURNING muted_notifications
        """,
        email,
        sorted(off),
        sorted(on),
    )
    return muted
