"""What the API answers about attachments."""

import uuid
from datetime import datetime
from typing import Literal

import msgspec

from service.attachments.kinds import Kind

Size = Literal["full", "thumbnail"]


class TenantAttachment(msgspec.Struct):
    """A photo or document as the tenant sees it: their own photos, and what staff shared."""

    id: uuid.UUID
    kind: Kind
    content_type: str
    added_at: datetime
    added_by_you: bool
    # The tenant may remove their own photos until the corporation acknowledges the report.
    removable: bool
    # Where the file is: GET with the X-Tracking-Token header.
    url: str
    thumbnail_url: str | None = None
    title: str | None = None


class AttachmentOut(msgspec.Struct):
    """A photo or document as staff see it."""

    id: uuid.UUID
    kind: Kind
    content_type: str
    byte_size: int
    added_at: datetime
    # The staff member who added it; "tenant" when the tenant did.
    added_by: str
    added_by_user_id: int | None
    visible_to_tenant: bool
    # Where the file is: GET with the API token.
    url: str
    thumbnail_url: str | None = None
    width: int | None = None
    height: int | None = None
    title: str | None = None
    # An inspector's photo of one damage item: the finding's id and the item's position.
    finding_id: int | None = None
    damage_item: int | None = None
