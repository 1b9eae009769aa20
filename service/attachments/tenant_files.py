"""What the tenant does with photos, opened with the tracking token: for the API and the pages.

An unknown reference, a wrong token and an attachment the tenant may not see all raise the
same NotFound, so nothing is leaked.
"""

import uuid

import asyncpg

from service.attachments import access, changes, store
from service.attachments.processing import Prepared
from service.attachments.uploads import Attachments, delete_objects, store_upload
from service.changes.pipeline import Pipeline
from service.domain.attachments import check_tenant_removes
from service.domain.errors import NotFound
from service.domain.events import TENANT
from service.domain.workflow import Status
from service.reports.tenant_actions import tenant_change


async def case_taking_photos(
    pool: asyncpg.Pool, pipeline: Pipeline, reference: str, token: str | None
) -> asyncpg.Record:
    """The case, when the tenant may add a photo to it now (checked before the upload is
    read; the change checks again)."""
    async with pool.acquire() as connection:
        case = await access.tenant_case(connection, reference, token)
        await access.check_tenant_may_add(connection, case, pipeline.clock())
    return case


async def add_photo(
    pool: asyncpg.Pool,
    pipeline: Pipeline,
    attachments: Attachments,
    reference: str,
    token: str | None,
    data: bytes,
) -> uuid.UUID:
    """Raises kinds.MediaRefused (415, 413) for a file that is no photo we can read."""

    async def record(attachment_id: uuid.UUID, prepared: Prepared) -> None:
        decide = changes.add(
            attachment_id,
            prepared,
            TENANT,
            visible_to_tenant=True,
            check=access.check_tenant_may_add,
        )
        await tenant_change(pool, pipeline, reference, token, decide)

    return await store_upload(
        pool, attachments, data, pipeline.clock(), documents_allowed=False, record=record
    )


async def tenant_file(
    pool: asyncpg.Pool, reference: str, token: str | None, attachment_id: uuid.UUID
) -> asyncpg.Record:
    """The attachment's row, when the tenant may see it."""
    async with pool.acquire() as connection:
        case = await access.tenant_case(connection, reference, token)
        row = await store.one(connection, case["id"], attachment_id)
    if row is None or not row["visible_to_tenant"]:
        raise NotFound(changes.ATTACHMENT_NOT_FOUND)
    return row


async def remove_photo(
    pool: asyncpg.Pool,
    pipeline: Pipeline,
    attachments: Attachments,
    reference: str,
    token: str | None,
    attachment_id: uuid.UUID,
) -> None:
    def check(case: asyncpg.Record, row: asyncpg.Record) -> None:
        if not row["visible_to_tenant"]:
            raise NotFound(changes.ATTACHMENT_NOT_FOUND)
        check_tenant_removes(Status(case["status"]), row["added_by"] is None)
        removed.extend(changes.keys_of(row))

    removed: list[str] = []
    decide = changes.remove(attachment_id, TENANT, check)
    await tenant_change(pool, pipeline, reference, token, decide)
    await delete_objects(pool, attachments.storage, attachment_id, removed)
