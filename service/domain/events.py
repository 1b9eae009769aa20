"""What happened to a case, as typed values: one Event type for every kind of change.

The change pipeline (service/changes) appends them to case_events and hands each change's
events, as a CaseChanged, to its subscribers.
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from service.domain.workflow import Status


class EventKind(StrEnum):
    REPORTED = "reported"
    ROUTED = "routed"
    UNROUTED = "unrouted"
    STATUS_CHANGED = "status_changed"
    ASSIGNED = "assigned"
    TRANSFERRED = "transferred"
    NOTE = "note"
    FINDINGS_RECORDED = "findings_recorded"
    URGENCY_CHANGED = "urgency_changed"
    TENANT_MESSAGE = "tenant_message"
    ATTACHMENT_ADDED = "attachment_added"
    ATTACHMENT_REMOVED = "attachment_removed"
    ERASURE_REQUESTED = "erasure_requested"  # the tenant asked for erasure (article 17 AVG)
    ANONYMISED = "anonymised"  # retention or erasure: nothing personal is left


@dataclass(frozen=True)
class Actor:
    """Who made a change, as a case history names them; staff also by their user id."""

    name: str
    user_id: int | None = None


TENANT = Actor("tenant")
SYSTEM = Actor("system")


@dataclass(frozen=True)
class Event:
    kind: EventKind
    actor: Actor
    data: dict[str, Any] = field(default_factory=dict)
    from_status: Status | None = None
    to_status: Status | None = None
    # Shown in the tenant's timeline.
    public: bool = False

    @classmethod
    def status_change(
        cls, actor: Actor, from_status: Status, to_status: Status, data: dict[str, Any]
    ) -> "Event":
        """A move from one status to another: always in the tenant's timeline."""
        return cls(EventKind.STATUS_CHANGED, actor, data, from_status, to_status, public=True)


@dataclass(frozen=True)
class CaseChanged:
    """One committed change of one case, as its subscribers receive it."""

    case_id: uuid.UUID
    reference: str
    # The corporation that has the case after the change (None: unrouted).
    corporation_id: int | None
    version: int  # after the change
    at: datetime
    events: tuple[Event, ...]
    first_seq: int  # the sequence number of events[0] in the case's history

    @property
    def created(self) -> bool:
        """The change that made the case: intake."""
        return self.first_seq == 1
