"""HTTP for attachments: the tenant's photos, and the photos and documents staff add."""

import uuid
from typing import Annotated

from litestar import Controller, Request, Response, delete, get, post
from litestar.params import PathParameter, QueryParameter

from service.allowed_methods import accepted_methods
from service.api_types import API_PATH, Reference
from service.attachments import access, staff_files, tenant_files
from service.attachments.files import file_response
from service.attachments.kinds import MAX_DOCUMENT_BYTES, MAX_PHOTO_BYTES
from service.attachments.schemas import AttachmentOut, Size, TenantAttachment
from service.attachments.staff_files import StaffUpload
from service.attachments.upload_docs import StaffUploadOperation, TenantUploadOperation
from service.attachments.uploads import FORM_OVERHEAD, read_upload
from service.attachments.views import staff_attachment, tenant_attachment, tenant_base
from service.auth.staff import CurrentStaff
from service.dependencies import AppAttachments, ChangePipeline, DbPool
from service.domain.workflow import Status
from service.errors import problem_specs
from service.reports.controller import TrackingToken
from service.throttle.before_request import TRACKING_PER_ADDRESS

AttachmentId = Annotated[uuid.UUID, PathParameter(description="the attachment's id")]
SizeQuery = Annotated[
    Size, QueryParameter(description="full (at most 2560 px) or thumbnail (400 px) of a photo")
]


def staff_base(reference: str) -> str:
    return f"{API_PATH}/cases/{reference}/attachments"


class TenantAttachmentsController(Controller):
    path = "/reports/{reference:str}/attachments"
    tags = ["tenant"]
    before_request = TRACKING_PER_ADDRESS
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
        operation_class=TenantUploadOperation,
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
        case = await tenant_files.case_taking_photos(db_pool, pipeline, reference, tracking_token)
        upload = await read_upload(request)
        attachment_id = await tenant_files.add_photo(
            db_pool, pipeline, attachments, reference, tracking_token, upload.data
        )
        row = await tenant_files.tenant_file(db_pool, reference, tracking_token, attachment_id)
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
        row = await tenant_files.tenant_file(db_pool, reference, tracking_token, attachment_id)
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
        await tenant_files.remove_photo(
            db_pool, pipeline, attachments, reference, tracking_token, attachment_id
        )


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
        rows = await staff_files.files_of(db_pool, staff, reference)
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
        operation_class=StaffUploadOperation,
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
            await access.staff_case_id(connection, reference, staff, changing=True)
        upload = await read_upload(request)
        described = StaffUpload.of_form(upload.fields, upload.file_name)
        attachment_id = await staff_files.add_file(
            db_pool, pipeline, attachments, staff, reference, upload.data, described
        )
        row = await staff_files.staff_file(db_pool, staff, reference, attachment_id)
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
        row = await staff_files.staff_file(db_pool, staff, reference, attachment_id)
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
        await staff_files.remove_file(
            db_pool, pipeline, attachments, staff, reference, attachment_id
        )
