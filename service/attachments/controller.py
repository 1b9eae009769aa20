"""HTTP for attachments: the tenant's photos, and the photos and documents staff add."""

import uuid
from datetime import datetime
from typing import Annotated

import asyncpg
from litestar import Controller, Request, Response, delete, get, post
from litestar.params import PathParameter, QueryParameter

from service.allowed_methods import accepted_methods
from service.api_types import API_PATH, Reference
from service.attachments import access, changes, store
from service.attachments.changes import keys_of
from service.attachments.files import file_response
from service.attachments.media import MAX_DOCUMENT_BYTES, MAX_PHOTO_BYTES, Kind
from service.attachments.processing import Prepared
from service.attachments.schemas import AttachmentOut, Size, TenantAttachment
from service.attachments.uploads import FORM_OVERHEAD, delete_objects, read_upload, store_upload
from service.attachments.views import staff_attachment, tenant_attachment, tenant_base
from service.auth.staff import CurrentStaff
from service.changes.pipeline import CaseAt
from service.db import Connection
from service.dependencies import AppAttachments, ChangePipeline, DbPool
from service.domain.attachments import check_tenant_removes
from service.domain.errors import FieldError, InvalidInput, NotFound
from service.domain.events import TENANT
from service.domain.workflow import Status
from service.errors import problem_specs
from service.reports.controller import TrackingToken
from service.reports.tenant_actions import tenant_change
from service.throttle.guards import TRACKING_PER_ADDRESS

AttachmentId = Annotated[uuid.UUID, PathParameter(description="the attachment's id")]
SizeQuery = Annotated[
    Size, QueryParameter(description="full (at most 2560 px) or thumbnail (400 px) of a photo")
]
TITLE_LENGTH = 200
_TRUE = frozenset({"true", "on", "1", "yes"})
_FALSE = frozenset({"false", "off", "0", "no", ""})


def staff_base(reference: str) -> str:
    return f"{API_PATH}/cases/{reference}/attachments"


async def _one(
    connection: Connection, case_id: uuid.UUID, attachment_id: uuid.UUID
) -> asyncpg.Record:
    row = await store.one(connection, case_id, attachment_id)
    if row is None:
        raise NotFound(changes.ATTACHMENT_NOT_FOUND)
    return row


class TenantAttachmentsController(Controller):
    path = "/reports/{reference:str}/attachments"
    tags = ["tenant"]
    guards = [TRACKING_PER_ADDRESS]
    accepted_methods_of_one = accepted_methods("/{attachment_id:uuid}", "DELETE, GET, OPTIONS")

    @post(
        "/",
        status_code=201,
        summary="Add a photo of the damage to your report",
        description=(
            "multipart/form-data with the photo in the field `file`: JPEG, PNG, WebP or HEIC, "
            f"up to {MAX_PHOTO_BYTES // 2**20} MB; at most 10 photos per report, while it is "
            "open. The photo is turned upright and stored as JPEG without its metadata (such "
            "as the place it was taken)."
        ),
        responses=problem_specs(400, 404, 409, 413, 415, 429),
        request_max_body_size=MAX_PHOTO_BYTES + FORM_OVERHEAD,
    )
    async def add(
        self,
        request: Request,
        reference: Reference,
        db_pool: DbPool,
        pipeline: ChangePipeline,
        attachments: AppAttachments,
        tracking_token: TrackingToken = None,
    ) -> Response[TenantAttachment]:
        async with db_pool.acquire() as connection:
            case = await access.tenant_case(connection, reference, tracking_token)
            await access.check_tenant_may_add(connection, case, pipeline.clock())
        upload = await read_upload(request)

        async def record(attachment_id: uuid.UUID, prepared: Prepared) -> None:
            decide = changes.add(
                attachment_id,
                prepared,
                TENANT,
                visible_to_tenant=True,
                check=access.check_tenant_may_add,
            )
            await tenant_change(db_pool, pipeline, reference, tracking_token, decide)

        attachment_id = await store_upload(
            db_pool,
            attachments,
            upload.data,
            pipeline.clock(),
            documents_allowed=False,
            record=record,
        )
        async with db_pool.acquire() as connection:
            row = await _one(connection, case["id"], attachment_id)
        added = tenant_attachment(tenant_base(reference), row, Status(case["status"]))
        return Response(added, status_code=201, headers={"Location": added.url})

    @get(
        "/{attachment_id:uuid}",
        summary="One of the photos or documents of your report",
        responses=problem_specs(400, 404, 429),
    )
    async def file(
        self,
        reference: Reference,
        attachment_id: AttachmentId,
        db_pool: DbPool,
        attachments: AppAttachments,
        tracking_token: TrackingToken = None,
        size: SizeQuery = "full",
    ) -> Response[bytes]:
        async with db_pool.acquire() as connection:
            case = await access.tenant_case(connection, reference, tracking_token)
            row = await _one(connection, case["id"], attachment_id)
        if not row["visible_to_tenant"]:
            raise NotFound(changes.ATTACHMENT_NOT_FOUND)
        return await file_response(attachments.storage, reference, row, size)

    @delete(
        "/{attachment_id:uuid}",
        summary="Remove a photo you added (until the corporation acknowledges the report)",
        responses=problem_specs(400, 404, 409, 429),
    )
    async def remove(
        self,
        reference: Reference,
        attachment_id: AttachmentId,
        db_pool: DbPool,
        pipeline: ChangePipeline,
        attachments: AppAttachments,
        tracking_token: TrackingToken = None,
    ) -> None:
        def check(case: asyncpg.Record, row: asyncpg.Record) -> None:
            if not row["visible_to_tenant"]:
                raise NotFound(changes.ATTACHMENT_NOT_FOUND)
            check_tenant_removes(Status(case["status"]), row["added_by"] is None)
            removed.extend(keys_of(row))

        removed: list[str] = []
        decide = changes.remove(attachment_id, TENANT, check)
        await tenant_change(db_pool, pipeline, reference, tracking_token, decide)
        await delete_objects(db_pool, attachments.storage, attachment_id, removed)


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
    """The title given, else (for documents) the file's own name without its folder."""
    title = fields.get("title", "").strip()
    if len(title) > TITLE_LENGTH:
        errors.append(FieldError("title", f"At most {TITLE_LENGTH} characters are allowed."))
        return None
    if title:
        return title
    name = (file_name or "").replace("\\", "/").rpartition("/")[2].strip()
    return name[:TITLE_LENGTH] or None


class StaffUpload:
    """The form fields of a staff upload, each checked; all errors are named at once."""

    def __init__(self, fields: dict[str, str], file_name: str | None) -> None:
        errors: list[FieldError] = []
        self.visible_to_tenant = _flag(fields, "visible_to_tenant", errors)
        finding_id = _number(fields, "finding_id", errors)
        damage_item = _number(fields, "damage_item", errors)
        self.title = _title(fields, file_name, errors)
        self.finding: tuple[int, int] | None = None
        if (finding_id is None) != (damage_item is None):
            errors.append(
                FieldError("damage_item", "Give both finding_id and damage_item, or neither.")
            )
        elif finding_id is not None and damage_item is not None:
            self.finding = (finding_id, damage_item)
        if errors:
            raise InvalidInput(errors)


class CaseAttachmentsController(Controller):
    path = "/cases/{reference:str}/attachments"
    tags = ["staff"]
    security = [{"BearerToken": []}]
    accepted_methods_of_all = accepted_methods("/", "GET, OPTIONS, POST")
    accepted_methods_of_one = accepted_methods("/{attachment_id:uuid}", "DELETE, GET, OPTIONS")

    @get("/", summary="The photos and documents of a case", responses=problem_specs(400, 401, 404))
    async def index(
        self, reference: Reference, staff: CurrentStaff, db_pool: DbPool
    ) -> list[AttachmentOut]:
        async with db_pool.acquire() as connection:
            case_id = await access.staff_case_id(connection, reference, staff)
            rows = await store.of_case(connection, case_id)
        base = staff_base(reference)
        return [staff_attachment(base, row) for row in rows]

    @post(
        "/",
        status_code=201,
        summary="Add a photo or a document to a case",
        description=(
            "multipart/form-data with the file in the field `file`: a photo (JPEG, PNG, WebP "
            f"or HEIC, up to {MAX_PHOTO_BYTES // 2**20} MB) or a PDF (up to "
            f"{MAX_DOCUMENT_BYTES // 2**20} MB). Optional fields: `title`, "
            "`visible_to_tenant` (true or false, default false), and for a photo of one damage "
            "item of a finding `finding_id` and `damage_item` (its position)."
        ),
        responses=problem_specs(400, 401, 403, 404, 409, 413, 415),
        request_max_body_size=MAX_DOCUMENT_BYTES + FORM_OVERHEAD,
    )
    async def add(
        self,
        request: Request,
        reference: Reference,
        staff: CurrentStaff,
        db_pool: DbPool,
        pipeline: ChangePipeline,
        attachments: AppAttachments,
    ) -> Response[AttachmentOut]:
        async with db_pool.acquire() as connection:
            case_id = await access.staff_case_id(connection, reference, staff, changing=True)
        upload = await read_upload(request)
        form = StaffUpload(upload.fields, upload.file_name)

        async def record(attachment_id: uuid.UUID, prepared: Prepared) -> None:
            if form.finding is not None and prepared.kind is not Kind.PHOTO:
                raise InvalidInput.one("finding_id", "Only a photo can show a damage item.")
            decide = changes.add(
                attachment_id,
                prepared,
                staff.actor,
                visible_to_tenant=form.visible_to_tenant,
                title=form.title if prepared.kind is Kind.DOCUMENT or form.title else None,
                finding=form.finding,
                check=_nothing_more,
            )
            await pipeline.run(db_pool, CaseAt(reference, staff.scope), decide)

        attachment_id = await store_upload(
            db_pool,
            attachments,
            upload.data,
            pipeline.clock(),
            documents_allowed=True,
            record=record,
        )
        async with db_pool.acquire() as connection:
            row = await _one(connection, case_id, attachment_id)
        added = staff_attachment(staff_base(reference), row)
        return Response(added, status_code=201, headers={"Location": added.url})

    @get(
        "/{attachment_id:uuid}",
        summary="One photo or document of a case",
        responses=problem_specs(400, 401, 404),
    )
    async def file(
        self,
        reference: Reference,
        attachment_id: AttachmentId,
        staff: CurrentStaff,
        db_pool: DbPool,
        attachments: AppAttachments,
        size: SizeQuery = "full",
    ) -> Response[bytes]:
        async with db_pool.acquire() as connection:
            case_id = await access.staff_case_id(connection, reference, staff)
            row = await _one(connection, case_id, attachment_id)
        return await file_response(attachments.storage, reference, row, size)

    @delete(
        "/{attachment_id:uuid}",
        summary="Remove a photo or document from a case",
        responses=problem_specs(400, 401, 403, 404),
    )
    async def remove(
        self,
        reference: Reference,
        attachment_id: AttachmentId,
        staff: CurrentStaff,
        db_pool: DbPool,
        pipeline: ChangePipeline,
        attachments: AppAttachments,
    ) -> None:
        async with db_pool.acquire() as connection:
            await access.staff_case_id(connection, reference, staff, changing=True)

        def check(case: asyncpg.Record, row: asyncpg.Record) -> None:
            removed.extend(keys_of(row))

        removed: list[str] = []
        decide = changes.remove(attachment_id, staff.actor, check)
        await pipeline.run(db_pool, CaseAt(reference, staff.scope), decide)
        await delete_objects(db_pool, attachments.storage, attachment_id, removed)


async def _nothing_more(connection: Connection, case: asyncpg.Record, now: datetime) -> None:
    """Staff may add to a case in any status: evidence arrives after a case is closed too."""
