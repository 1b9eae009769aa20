"""HTTP for tenants: submit a report, follow it with the tracking token."""

from typing import Annotated

import msgspec
from litestar import Controller, Response, get, post
from litestar.datastructures import State
from litestar.enums import MediaType
from litestar.openapi.spec import Example
from litestar.params import HeaderParameter, JSONBody
from litestar.response import Stream

from service.api_types import Reference
from service.dependencies import (
    AppAttachments,
    AppSettings,
    AppThrottle,
    ChangePipeline,
    DbPool,
    essentials_of,
)
from service.domain.errors import NotFound
from service.errors import problem_specs
from service.kept_answers import TENANT_READS, answer_key
from service.privacy.erasure import request_erasure
from service.ready_response import ReadyResponse
from service.reports.intake import submit_report
from service.reports.lost_link import ask_for_links
from service.reports.personal_data import download
from service.reports.schemas import (
    LinksIn,
    LinksRequested,
    MessageIn,
    ReopenIn,
    ReportCreated,
    ReportIn,
    TenantCaseView,
)
from service.reports.tenant_actions import NOT_FOUND, add_message, confirm, reopen, tenant_change
from service.reports.tracking import allowed_now, tenant_case, tenant_view, view_of
from service.throttle.before_request import (
    LINKS_PER_ADDRESS,
    REPORTS_PER_ADDRESS,
    TRACKING_PER_ADDRESS,
)

LINKS_SENT = (
    "If there are reports made with this e-mail address, we have sent it an e-mail with a "
    "link to each of them. It can take a few minutes to arrive."
)

# The answers this controller encodes itself, as Litestar would: the tenant's view, a new report.
_JSON = msgspec.json.Encoder()
_REPLAYED = ((b"idempotent-replayed", b"true"),)

TrackingToken = Annotated[str | None, HeaderParameter(name="X-Tracking-Token", required=False)]


class ReportsController(Controller):
    path = "/reports"
    tags = ["tenant"]

    @post(
        "/",
        status_code=201,
        summary="Report damage to a rented home",
        description=(
            "Routes the report to the corporation that owns the home and sets its deadlines. "
            "The tracking token is shown only in this answer. A retry with the same "
            "Idempotency-Key and body returns the first answer; another body answers 409."
        ),
        responses=problem_specs(400, 409, 413, 415, 429),
        before_request=REPORTS_PER_ADDRESS,
    )
    async def create(
        self,
        data: JSONBody[ReportIn],
        state: State,
        idempotency_key: Annotated[
            str | None,
            HeaderParameter(
                name="Idempotency-Key",
                required=False,
                description="1 to 200 visible ASCII characters, for example a UUID.",
                examples=[Example(value="0b6f0f4e-3c1a-4c4e-9d8e-6a5b2c1d0e9f")],
            ),
        ] = None,
    ) -> Response[ReportCreated]:
        essentials = essentials_of(state)
        submitted = await submit_report(
            essentials.pool,
            essentials.pipeline,
            data,
            idempotency_key=idempotency_key,
            secret_key=essentials.settings.secret_key,
            public_base_url=essentials.settings.public_base_url,
        )
        # Encoded here, straight to bytes; the annotation tells the API's schema what it holds.
        return ReadyResponse(  # type: ignore[return-value]
            _JSON.encode(submitted.created),
            media_type=MediaType.JSON,
            headers=_REPLAYED if submitted.replayed else (),
        )

    @post(
        "/links",
        status_code=202,
        summary="Lost your link? Get the links to your reports by e-mail",
        description=(
            "Sends one e-mail to the address, listing its open reports and those closed in "
            "the last six months, each with a working tracking link. The answer is the same "
            "whether or not the address is known. Limited per client address "
            "(RATE_LIMIT_LINKS) and per e-mail address (RATE_LIMIT_LINKS_PER_EMAIL)."
        ),
        responses=problem_specs(400, 413, 415, 429),
        before_request=LINKS_PER_ADDRESS,
    )
    async def links(
        self,
        data: JSONBody[LinksIn],
        db_pool: DbPool,
        pipeline: ChangePipeline,
        settings: AppSettings,
        throttle: AppThrottle,
    ) -> LinksRequested:
        await ask_for_links(db_pool, throttle, data.email, settings.secret_key, pipeline.clock())
        return LinksRequested(LINKS_SENT)

    @get(
        "/{reference:str}",
        summary="The tenant's view of their report",
        description="Needs the tracking token. A wrong token and an unknown reference both answer 404.",
        responses=problem_specs(400, 404, 429),
        before_request=TRACKING_PER_ADDRESS,
    )
    async def show(
        self,
        reference: Reference,
        state: State,
        tracking_token: TrackingToken = None,
    ) -> Response[TenantCaseView]:
        essentials = essentials_of(state)
        case = await tenant_case(essentials.pool, reference, tracking_token)
        if case is None:
            raise NotFound(NOT_FOUND)
        allowed = allowed_now(case, essentials.pipeline.clock())
        # The same row and the same actions: the same answer (service/kept_answers.py).
        answer = TENANT_READS.answer(
            answer_key("status.json", (tuple(case), allowed)),
            lambda: _JSON.encode(view_of(case, allowed)),
        )
        # Already JSON: Response[TenantCaseView] only tells the API's schema what it holds.
        return ReadyResponse(answer, media_type=MediaType.JSON)  # type: ignore[return-value]

    @get(
        "/{reference:str}/personal-data",
        summary="Everything kept about your report, in one ZIP (AVG/GDPR article 15)",
        description=(
            "Needs the tracking token. A ZIP with melding.json (report.json when the "
            "report's language is English): the report with its address, deadlines and "
            "corporation, the reporter's details, the public history and the photos' and "
            "documents' details; and the photos and documents the tenant sees, as the "
            "tracking page serves them, in fotos/ and documenten/ (photos/, documents/). "
            "Staff's internal notes are not in it. A wrong token answers 404."
        ),
        media_type="application/zip",
        responses=problem_specs(400, 404, 429, 503),
        before_request=TRACKING_PER_ADDRESS,
    )
    async def personal_data(
        self,
        reference: Reference,
        db_pool: DbPool,
        pipeline: ChangePipeline,
        attachments: AppAttachments,
        tracking_token: TrackingToken = None,
    ) -> Stream:
        answer = await download(
            db_pool, attachments.storage, reference, tracking_token, pipeline.clock()
        )
        if answer is None:
            raise NotFound(NOT_FOUND)
        return answer

    @post(
        "/{reference:str}/messages",
        status_code=201,
        summary="Add information to your report",
        responses=problem_specs(400, 404, 409, 415, 429),
        before_request=TRACKING_PER_ADDRESS,
    )
    async def add_message(
        self,
        reference: Reference,
        data: JSONBody[MessageIn],
        db_pool: DbPool,
        pipeline: ChangePipeline,
        tracking_token: TrackingToken = None,
    ) -> TenantCaseView:
        message = add_message(data.text.strip())
        await tenant_change(db_pool, pipeline, reference, tracking_token, message)
        return await _view(db_pool, pipeline, reference, tracking_token)

    @post(
        "/{reference:str}/confirm",
        status_code=200,
        summary="Confirm the repair (within 14 days after it is reported done)",
        responses=problem_specs(400, 404, 409, 429),
        before_request=TRACKING_PER_ADDRESS,
    )
    async def confirm(
        self,
        reference: Reference,
        db_pool: DbPool,
        pipeline: ChangePipeline,
        tracking_token: TrackingToken = None,
    ) -> TenantCaseView:
        await tenant_change(db_pool, pipeline, reference, tracking_token, confirm())
        return await _view(db_pool, pipeline, reference, tracking_token)

    @post(
        "/{reference:str}/reopen",
        status_code=200,
        summary="Reopen: the damage is not repaired (within 14 days)",
        responses=problem_specs(400, 404, 409, 415, 429),
        before_request=TRACKING_PER_ADDRESS,
    )
    async def reopen(
        self,
        reference: Reference,
        data: JSONBody[ReopenIn],
        db_pool: DbPool,
        pipeline: ChangePipeline,
        tracking_token: TrackingToken = None,
    ) -> TenantCaseView:
        again = reopen(data.reason.strip())
        await tenant_change(db_pool, pipeline, reference, tracking_token, again)
        return await _view(db_pool, pipeline, reference, tracking_token)

    @post(
        "/{reference:str}/erasure",
        status_code=202,
        summary="Ask for erasure of your personal data (article 17 AVG)",
        description=(
            "The corporation removes your name, contact details, address, description, "
            "messages and photos from the report within a month (erase_by); the report then "
            "ends if it is still open, and this tracking link stops working. Asking again "
            "changes nothing."
        ),
        responses=problem_specs(400, 404, 409, 429),
        before_request=TRACKING_PER_ADDRESS,
    )
    async def erasure(
        self,
        reference: Reference,
        db_pool: DbPool,
        pipeline: ChangePipeline,
        tracking_token: TrackingToken = None,
    ) -> TenantCaseView:
        await tenant_change(db_pool, pipeline, reference, tracking_token, request_erasure())
        return await _view(db_pool, pipeline, reference, tracking_token)


async def _view(
    db_pool: DbPool, pipeline: ChangePipeline, reference: str, token: str | None
) -> TenantCaseView:
    view = await tenant_view(db_pool, reference, token, pipeline.clock())
    if view is None:
        raise NotFound(NOT_FOUND)
    return view
