"""Attachment rows as the tenant and staff see them, with the URL that serves each file."""

from collections.abc import Mapping
from typing import Any, TypeAlias

import asyncpg

from service.api_types import API_PATH
from service.attachments.kinds import Kind
from service.attachments.schemas import AttachmentOut, TenantAttachment
from service.domain.attachments import tenant_may_remove
from service.domain.workflow import Status

TENANT = "tenant"

# A row of attachments: from asyncpg, or decoded from the status read's JSON.
Row: TypeAlias = asyncpg.Record | Mapping[str, Any]


def tenant_base(reference: str) -> str:
    """Where the tenant's API serves the case's attachments."""
    return f"{API_PATH}/reports/{reference}/attachments"


def file_url(base: str, row: Row, size: str = "full") -> str:
    """base: the path of the case's attachments ("/api/v1/cases/SCH-.../attachments")."""
    url = f"{base}/{row['id']}"
    return f"{url}?size=thumbnail" if size == "thumbnail" else url


def _thumbnail_url(base: str, row: Row) -> str | None:
    return file_url(base, row, "thumbnail") if row["kind"] == Kind.PHOTO else None


def tenant_attachment(base: str, row: Row, status: Status) -> TenantAttachment:
    by_tenant = row["added_by"] is None
    return TenantAttachment(
        id=row["id"],
        kind=Kind(row["kind"]),
        content_type=row["content_type"],
        added_at=row["added_at"],
        added_by_you=by_tenant,
        removable=tenant_may_remove(status, by_tenant),
        url=file_url(base, row),
        thumbnail_url=_thumbnail_url(base, row),
        title=row["title"],
    )


def staff_attachment(base: str, row: asyncpg.Record) -> AttachmentOut:
    return AttachmentOut(
        id=row["id"],
        kind=Kind(row["kind"]),
        content_type=row["content_type"],
        byte_size=row["byte_size"],
        added_at=row["added_at"],
        added_by=row["added_by_name"] or TENANT,
        added_by_user_id=row["added_by"],
        visible_to_tenant=row["visible_to_tenant"],
        url=file_url(base, row),
        thumbnail_url=_thumbnail_url(base, row),
        width=row["width"],
        height=row["height"],
        title=row["title"],
        finding_id=row["finding_id"],
        damage_item=row["damage_item"],
    )
