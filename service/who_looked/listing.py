"""The record of who looked, as admins read it: per case or per user, newest first."""

from dataclasses import dataclass
from datetime import datetime

import asyncpg
import msgspec

from service.cases.store import case_id_by_reference
from service.db import Connection
from service.domain.errors import InvalidInput, NotFound
from service.who_looked import store
from service.who_looked.store import Route

MAX_LIMIT = 200
NO_CASE = "No case with this reference."
NO_USER = "No staff member with this id."
BAD_CURSOR = "Pass the next_cursor of the page before."


class Looker(msgspec.Struct):
    id: int
    email: str
    name: str


class ContactView(msgspec.Struct):
    at: datetime
    reference: str
    user: Looker
    route: Route  # case_page or api_detail
    masked: bool  # true: the role showed the contact details only in part (admins)


class ContactViewPage(msgspec.Struct):
    items: list[ContactView]
    # Pass as ?after= for the next (older) page; null on the last page.
    next_cursor: str | None


@dataclass(frozen=True)
class Of:
    """Whose views: one case (by reference) or one user (by id)."""

    reference: str | None = None
    user_id: int | None = None


def _before(after: str | None) -> int | None:
    if after is None:
        return None
    if not after.isdigit() or len(after) > 18:
        raise InvalidInput.one("after", BAD_CURSOR)
    return int(after)


async def contact_views(
    connection: Connection, of: Of, after: str | None, limit: int
) -> ContactViewPage:
    """A page of views; NotFound for a case or user that does not exist."""
    before = _before(after)
    rows: list[asyncpg.Record]
    if of.reference is not None:
        case_id = await case_id_by_reference(connection, of.reference, scope=None)
        if case_id is None:
            raise NotFound(NO_CASE)
        rows = await store.views_of_case(connection, case_id, before, limit + 1)
    else:
        assert of.user_id is not None
        if not await store.user_exists(connection, of.user_id):
            raise NotFound(NO_USER)
        rows = await store.views_by_user(connection, of.user_id, before, limit + 1)
    items = [
        ContactView(
            at=row["at"],
            reference=row["reference"],
            user=Looker(row["user_id"], row["email"], row["name"]),
            route=Route(row["route"]),
            masked=row["masked"],
        )
        for row in rows[:limit]
    ]
    cursor = str(rows[limit - 1]["id"]) if len(rows) > limit else None
    return ContactViewPage(items, cursor)
