"""What staff do with a case's photos and documents, within their scope: for the API and the
pages. Another corporation's case, and an attachment of another case, answer NotFound."""

import uuid
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from service.attachments import access, changes, store
from service.attachments.kinds import Kind
from service.attachments.processing import Prepared
from service.attachments.uploads import (
    Attachments,
    delete_objects,
    store_upload,
    without_folder,
)
from service.auth.staff import Staff
from service.changes.pipeline import CaseAt, Pipeline
from service.db import Connection
from service.domain.errors import FieldError, InvalidInput, NotFound

TITLE_LENGTH = 200
_TRUE = frozenset({"true", "on", "1", "yes"})
_FALSE = frozenset({"false", "off", "0", "no", ""})


def _flag(fields: dict[str, str], name: str, errors: list[FieldError]) -> bool:
    value = fields.get(name, "").strip().lower()
    if value in _TRUE:
        return True
    if value not in _FALSE:
        errors.append(FieldError(name, "Give true or false."))
    return False


def _number(fields: dict[str, str], name: str, errors: list[FieldError]) -> int | None:
    value = fields.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit() or not 0 < int(value) < 2**31:
        errors.append(FieldError(name, "Give a whole number, like 12."))
        return None
    return int(value)


def _title(fields: dict[str, str], file_name: str | None, errors: list[FieldError]) -> str | None:
    """The title given, else the file's own name without its folder."""
    title = fields.get("title", "").strip()
    if len(title) > TITLE_LENGTH:
        errors.append(FieldError("title", f"At most {TITLE_LENGTH} characters are allowed."))
        return None
    if title:
        return title
    return without_folder(file_name)[:TITLE_LENGTH] or None


@dataclass(frozen=True)
class StaffUpload:
    """What staff say about a file they add."""

    visible_to_tenant: bool = False
    title: str | None = None
    # (finding id, damage item position): a photo of one damage item.
    finding: tuple[int, int] | None = None

    @classmethod
    def of_form(cls, fields: dict[str, str], file_name: str | None) -> "StaffUpload":
        """From a form's fields, each checked; every error is named at once."""
        errors: list[FieldError] = []
        visible = _flag(fields, "visible_to_tenant", errors)
        finding_id = _number(fields, "finding_id", errors)
        damage_item = _number(fields, "damage_item", errors)
        title = _title(fields, file_name, errors)
        if (finding_id is None) != (damage_item is None):
            errors.append(
                FieldError("damage_item", "Give both finding_id and damage_item, or neither.")
            )
        if errors:
            raise InvalidInput(errors)
        finding = (finding_id, damage_item) if finding_id and damage_item else None
        return cls(visible, title, finding)


async def _any_status(connection: Connection, case: asyncpg.Record, now: datetime) -> None:
    """Staff may add to a case in any status: evidence arrives after a case is closed too."""


async def add_file(
    pool: asyncpg.Pool,
    pipeline: Pipeline,
    attachments: Attachments,
    staff: Staff,
    reference: str,
    data: bytes,
    upload: StaffUpload,
) -> uuid.UUID:
    """Raises kinds.MediaRefused (415, 413) for a file that is neither a photo nor a PDF."""

    async def record(attachment_id: uuid.UUID, prepared: Prepared) -> None:
        is_photo = prepared.kind is Kind.PHOTO
        if upload.finding is not None and not is_photo:
            raise InvalidInput.one("finding_id", "Only a photo can show a damage item.")
        decide = changes.add(
            attachment_id,
            prepared,
            staff.actor,
            visible_to_tenant=upload.visible_to_tenant,
            # A photo's file name says nothing ("IMG_0042.HEIC"); a document's does.
            title=upload.title if not is_photo else None,
            finding=upload.finding,
            check=_any_status,
        )
        await pipeline.run(pool, CaseAt(reference, staff.scope), decide)

    return await store_upload(
        pool, attachments, data, pipeline.clock(), documents_allowed=True, record=record
    )


async def files_of(pool: asyncpg.Pool, staff: Staff, reference: str) -> list[asyncpg.Record]:
    async with pool.acquire() as connection:
        case_id = await access.staff_case_id(connection, reference, staff)
        return await store.of_case(connection, case_id)


async def staff_file(
    pool: asyncpg.Pool, staff: Staff, reference: str, attachment_id: uuid.UUID
) -> asyncpg.Record:
    async with pool.acquire() as connection:
        case_id = await access.staff_case_id(connection, reference, staff)
        row = await store.one(connection, case_id, attachment_id)
    if row is None:
        raise NotFound(changes.ATTACHMENT_NOT_FOUND)
    return row


async def remove_file(
    pool: asyncpg.Pool,
    pipeline: Pipeline,
    attachments: Attachments,
    staff: Staff,
    reference: str,
    attachment_id: uuid.UUID,
) -> None:
    async with pool.acquire() as connection:
        await access.staff_case_id(connection, reference, staff, changing=True)

    def check(case: asyncpg.Record, row: asyncpg.Record) -> None:
        removed.extend(changes.keys_of(row))

    removed: list[str] = []
    decide = changes.remove(attachment_id, staff.actor, check)
    await pipeline.run(pool, CaseAt(reference, staff.scope), decide)
    await delete_objects(pool, attachments.storage, attachment_id, removed)
