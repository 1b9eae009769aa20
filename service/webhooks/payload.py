"""A webhook's body: the event and the case as the corporation's staff API shows it.

Standard Webhooks' shape: {"type": "case.<event kind>", "timestamp": ..., "data": {"event":
..., "case": ...}}. The case is GET /api/v1/cases/{reference} as the corporation's staff see
it, without three things:
- the reporter (name, e-mail address, phone): a webhook leaves the system for whatever the
  receiver does with it, where no role decides who sees a tenant's contact details and no
  retention period removes them; staff look them up in the API, under their own role;
- allowed_next and allowed_actions: they are what one user may do, and a webhook has no user.
"""

from datetime import datetime
from typing import Any

import asyncpg
import msgspec

from service.auth.staff import Staff
from service.cases.views import detail_for
from service.domain.events import Event
from service.domain.roles import Role

LEFT_OUT = ("reporter", "allowed_next", "allowed_actions")


def case_json(row: asyncpg.Record, findings: list[asyncpg.Record], now: datetime) -> dict:
    """The case (a cases.store.case_detail row) as its corporation's staff API shows it."""
    # Seen by a manager of the corporation; what depends on the viewer is left out below.
    viewer = Staff(0, "", "webhook", Role.MANAGER, row["corporation_id"], row["corporation_code"])
    shown: dict[str, Any] = msgspec.to_builtins(detail_for(viewer, row, findings, now))
    for key in LEFT_OUT:
        del shown[key]
    return shown


def event_json(seq: int, at: datetime, event: Event) -> dict[str, Any]:
    """The event as GET /api/v1/cases/{reference}/events shows it."""
    return {
        "seq": seq,
        "at": at,
        "actor": event.actor.name,
        "kind": event.kind.value,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "public": event.public,
        "data": event.data,
    }


def body(event: dict[str, Any], case: dict[str, Any]) -> str:
    return msgspec.json.encode(
        {
            "type": f"case.{event['kind']}",
            "timestamp": event["at"],
            "data": {"event": event, "case": case},
        }
    ).decode()
