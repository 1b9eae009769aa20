"""Adding and removing an attachment: changes of the case, through the change pipeline.

The objects are written before the change runs and the row is inserted inside it, so the
history, the notifications and the row commit together or not at all. The row replaces the
objects' note in unrecorded_objects; a removal puts one back, until its objects are deleted
(uploads.py, sweep.py).
"""

import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import asyncpg

from service.attachments import store
from service.attachments.kinds import Kind
from service.attachments.processing import Prepared
from service.attachments.store import NewAttachment
from service.changes.pipeline import Change, Decide
from service.db import Connection
from service.domain.errors import NotFound
from service.domain.events import Actor, Event, EventKind

ATTACHMENT_NOT_FOUND = "No attachment with this id on this case."

# Checks a rule makes with the case locked, before the row is written: raises to refuse.
CheckCase = Callable[[Connection, asyncpg.Record, datetime], Awaitable[None]]
# Checks a removal makes of the locked case and the attachment's row: raises to refuse.
CheckRemoval = Callable[[asyncpg.Record, asyncpg.Record], None]


def object_keys(attachment_id: uuid.UUID | str, variants: tuple[str, ...]) -> list[str]:
    """The objects' keys: from the random id only, never from anything a user typed."""
    return [f"{attachment_id}/{variant}" for variant in variants]


VARIANTS = {Kind.PHOTO: ("full", "thumbnail"), Kind.DOCUMENT: ("document",)}


def keys_of(row: asyncpg.Record) -> list[str]:
    """The keys of every object of an attachment's row."""
    return object_keys(row["id"], VARIANTS[Kind(row["kind"])])


def _event_data(row_or_new: NewAttachment | asyncpg.Record) -> dict[str, Any]:
    def value(name: str) -> Any:
        if isinstance(row_or_new, NewAttachment):
            return getattr(row_or_new, name)
        return row_or_new[name]

    data: dict[str, Any] = {
        "attachment_id": str(value("id")),
        "kind": value("kind"),
        "added_by_tenant": value("added_by") is None,
    }
    if value("title"):
        data["title"] = value("title")
    if value("finding_id") is not None:
        data["finding_id"] = value("finding_id")
        data["damage_item"] = value("damage_item")
    return data


def add(
    attachment_id: uuid.UUID,
    prepared: Prepared,
    actor: Actor,
    *,
    visible_to_tenant: bool,
    title: str | None = None,
    finding: tuple[int, int] | None = None,
    check: CheckCase,
) -> Decide:
    async def decide(connection: Connection, case: asyncpg.Record | None, now: datetime) -> Change:
        assert case is not None  # the pipeline locked it
        await check(connection, case, now)
        if finding is not None and not await store.damage_item_exists(
            connection, case["id"], *finding
        ):
            raise NotFound("This case has no such damage item (finding_id and damage_item).")
        new = NewAttachment(
            id=attachment_id,
            case_id=case["id"],
            kind=prepared.kind,
            content_type=prepared.content_type,
            byte_size=prepared.byte_size,
            width=prepared.width,
            height=prepared.height,
            title=title,
            added_by=actor.user_id,
            visible_to_tenant=visible_to_tenant,
            finding_id=finding[0] if finding else None,
            damage_item=finding[1] if finding else None,
        )
        await store.insert(connection, new, now)
        await store.forget_unrecorded(connection, attachment_id)
        event = Event(EventKind.ATTACHMENT_ADDED, actor, _event_data(new), public=visible_to_tenant)
        return Change({}, [event])

    return decide


def remove(attachment_id: uuid.UUID, actor: Actor, check: CheckRemoval) -> Decide:
    """Deletes the row and notes its objects (variants_of gives their keys) as unrecorded:
    the caller deletes them once the change is committed, or the sweep does."""

    async def decide(connection: Connection, case: asyncpg.Record | None, now: datetime) -> Change:
        assert case is not None
        row = await store.one(connection, case["id"], attachment_id)
        if row is None:
            raise NotFound(ATTACHMENT_NOT_FOUND)
        check(case, row)
        await store.delete(connection, case["id"], attachment_id)
        await store.note_unrecorded(connection, attachment_id, keys_of(row), now)
        event = Event(
            EventKind.ATTACHMENT_REMOVED, actor, _event_data(row), public=row["visible_to_tenant"]
        )
        return Change({}, [event])

    return decide
