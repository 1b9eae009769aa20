"""Which changes the tenant hears of, by e-mail (when they gave an address): at most one
message per change, queued in the change's transaction like the corporation's."""

from datetime import datetime
from typing import Any

from service.domain.events import SYSTEM, TENANT, CaseChanged, Event, EventKind
from service.domain.permissions import TENANT_REACTION_WINDOW
from service.domain.workflow import PLANNED_VISIT_STATUSES, Status
from service.notifications import outbox

S = Status

# The case as the tenant's e-mails need it; the kind's own facts are merged in ($2). The salt,
# not the token: the builder derives the link with SECRET_KEY when it sends. No e-mail
# address (a phone number only, or anonymised): no row, so nothing is queued.
_ROWS_SQL = """
SELECT $1::text, r.email,
       jsonb_build_object(
           'case_id', c.id, 'reference', c.reference, 'language', r.language,
           'tracking_salt', encode(c.tracking_salt, 'hex'),
           'corporation_name', co.name, 'emergency_phone', co.emergency_phone,
           'acute', c.acute, 'acknowledge_by', c.acknowledge_by,
           'street', c.street, 'house_number', c.house_number,
           'house_letter', c.house_letter, 'addition', c.addition,
           'postcode', c.postcode, 'city', c.city, 'changed_at', $3::timestamptz) || $2::jsonb,
       $3::timestamptz, $3::timestamptz
FROM cases c
JOIN reporters r ON r.id = c.reporter_id
LEFT JOIN corporations co ON co.id = c.corporation_id
WHERE c.id = $4::uuid AND r.email IS NOT NULL
"""


def _status_message(event: Event, seq: int, at: datetime) -> tuple[str, dict[str, Any]] | None:
    to, came_from = event.to_status, event.from_status
    if came_from is S.ON_HOLD:
        return None  # back to where it was: nothing new for the tenant
    if to is S.ACKNOWLEDGED:
        if event.actor == TENANT:
            return None  # they reopened it themselves, on the page that showed the result
        return outbox.TENANT_ACKNOWLEDGED, {"reopened": bool(event.data.get("reopened"))}
    if to in PLANNED_VISIT_STATUSES:
        return outbox.TENANT_VISIT_PLANNED, {
            "visit": "inspection" if to is S.INSPECTION_PLANNED else "repair",
            "planned_at": event.data["planned_at"],
            "replanned": came_from is to,
            # The calendar item's SEQUENCE: a new time replaces the one planned before.
            "sequence": seq,
        }
    if to is S.RESOLVED:
        return outbox.TENANT_RESOLVED, {"react_before": (at + TENANT_REACTION_WINDOW).isoformat()}
    if to is S.CLOSED:
        # Also when the tenant confirmed it themselves: the e-mail is their record that the
        # case is finished, which the page they confirmed on does not keep for them.
        by = (
            "tenant"
            if event.actor == TENANT
            else "no_reaction"
            if event.actor == SYSTEM
            else "staff"
        )
        return outbox.TENANT_CLOSED, {"closed_by": by}
    if to is S.REFERRED:
        return outbox.TENANT_REFERRED, {
            "referred_to": event.data["referred_to"],
            "external_reference": event.data["external_reference"],
        }
    return None


def message_for(changed: CaseChanged) -> tuple[str, dict[str, Any]] | None:
    """The one message a change calls for: the first of its events that concerns the tenant."""
    if changed.created:
        return outbox.TENANT_REPORT_RECEIVED, {}
    for seq, event in enumerate(changed.events, changed.first_seq):
        if event.kind is EventKind.NOTE and event.public:
            return outbox.TENANT_NOTE, {"text": event.data["text"]}
        if event.kind is EventKind.STATUS_CHANGED:
            message = _status_message(event, seq, changed.at)
            if message is not None:
                return message
    return None


def tell_the_tenant(changed: CaseChanged) -> list[outbox.Queued]:
    message = message_for(changed)
    if message is None:
        return []
    kind, facts = message
    return [outbox.Queued(_ROWS_SQL, (kind, facts, changed.at, changed.case_id))]
