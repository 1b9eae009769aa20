"""HTTP for staff: the work queue, a case, its history, and every change to it."""

import re
from datetime import date
from typing import Annotated

import msgspec
from litestar import Controller, Response, get, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery, HeaderParameter, JSONBody, QueryParameter
from litestar.response import Stream

from service.api_types import CorporationRef, Reference
from service.auth.staff import CurrentStaff, Staff
from service.cases import actions, store
from service.cases.export import Dialect, export_filename, export_query
from service.cases.queue import MAX_LIMIT, CaseFilter, Sort, list_cases
from service.cases.schemas import (
    AssigneeIn,
    CaseDetail,
    CasePage,
    EventOut,
    FindingsIn,
    NoteIn,
    RouteIn,
    SimilarOut,
    TransferIn,
    TransitionIn,
)
from service.cases.views import contact_viewer, detail_for, event_of, summary_of
from service.changes.pipeline import CASE_NOT_FOUND, CaseAt, Decide
from service.dependencies import AppAttachments, ChangePipeline, DbPool, Exports
from service.domain.calendar import AMSTERDAM
from service.domain.categories import Category
from service.domain.errors import NotFound
from service.domain.roles import Permission
from service.domain.sla import DeadlineState, Urgency
from service.domain.workflow import Status
from service.errors import ProblemException, problem_specs
from service.privacy.erasure import erase_now
from service.who_looked.store import Route

IfMatch = Annotated[
    str | None,
    HeaderParameter(
        name="If-Match",
        required=False,
        description='The case\'s version, as its ETag gives it ("7").',
    ),
]
_VERSION = re.compile(r'^(?:W/)?"?([0-9]{1,9})"?$')
READ_ERRORS = problem_specs(400, 401, 404)
CHANGE_ERRORS = problem_specs(400, 401, 403, 404, 409, 412, 413, 415, 428)


class TransferOut(msgspec.Struct):
    reference: str
    corporation: CorporationRef


def _expected_version(if_match: str | None) -> int:
    if if_match is None or not if_match.strip():
        raise ProblemException(
            status_code=428,
            detail="Send If-Match with the version you changed (the ETag of GET /api/v1/cases/{reference}).",
        )
    match = _VERSION.match(if_match.strip())
    if match is None:
        raise ProblemException(
            status_code=428, detail='If-Match must be the case version, like "7".'
        )
    return int(match.group(1))


async def _answer(
    db_pool: DbPool, pipeline: ChangePipeline, staff: Staff, reference: str
) -> Response[CaseDetail]:
    """The case as this user now sees it, with its version as ETag; it shows the reporter's
    contact details, so the view is recorded (service/who_looked)."""
    now = pipeline.clock()
    viewer = contact_viewer(staff, Route.API_DETAIL, now)
    async with db_pool.acquire() as connection:
        row = await store.case_detail_shown(connection, reference, staff.scope, viewer)
        if row is None:
            raise NotFound(CASE_NOT_FOUND)
        findings = await store.findings_of(connection, row["id"])
    detail = detail_for(staff, row, findings, now)
    return Response(detail, headers={"ETag": f'"{detail.version}"'})


async def provide_case_filter(
    status: Annotated[list[Status] | None, QueryParameter(description="one or more")] = None,
    urgency: FromQuery[Urgency | None] = None,
    category: FromQuery[Category | None] = None,
    acute: FromQuery[bool | None] = None,
    assignee: Annotated[
        str | None, QueryParameter(description="me, none or a user id", max_length=20)
    ] = None,
    corporation: Annotated[
        str | None, QueryParameter(description="a corporation code", max_length=40)
    ] = None,
    municipality: Annotated[str | None, QueryParameter(examples=[], max_length=6)] = None,
    postcode: Annotated[
        str | None, QueryParameter(description="the start of a postcode", max_length=7)
    ] = None,
    deadline: Annotated[
        DeadlineState | None, QueryParameter(description="state of the next deadline")
    ] = None,
    reported_from: FromQuery[date | None] = None,
    reported_to: FromQuery[date | None] = None,
    q: Annotated[
        str | None,
        QueryParameter(description="a reference, or part of a street", max_length=100),
    ] = None,
) -> CaseFilter:
    """The filters of the case list, shared by the queue and the CSV export."""
    return CaseFilter(
        statuses=[s.value for s in status or []],
        urgency=urgency,
        category=category,
        acute=acute,
        assignee=assignee,
        corporation=corporation,
        municipality=municipality,
        postcode=postcode,
        deadline=deadline,
        reported_from=reported_from,
        reported_to=reported_to,
        q=q,
    )


CaseFilterParameters = NamedDependency[CaseFilter]


class CasesController(Controller):
    path = "/cases"
    tags = ["staff"]
    security = [{"BearerToken": []}]
    dependencies = {"case_filter": Provide(provide_case_filter)}

    @get("/", summary="The work queue of your scope", responses=READ_ERRORS)
    async def queue(
        self,
        staff: CurrentStaff,
        db_pool: DbPool,
        pipeline: ChangePipeline,
        case_filter: CaseFilterParameters,
        sort: FromQuery[Sort] = Sort.DEADLINE,
        after: Annotated[
            str | None, QueryParameter(description="next_cursor of the page before", max_length=200)
        ] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT)] = 50,
    ) -> CasePage:
        async with db_pool.acquire() as connection:
            rows, cursor = await list_cases(
                connection,
                scope=staff.scope,
                user_id=staff.id,
                filters=case_filter,
                sort=sort,
                after=after,
                limit=limit,
            )
        now = pipeline.clock()
        return CasePage([summary_of(row, now) for row in rows], cursor)

    @get("/{reference:str}", summary="One case, with its version as ETag", responses=READ_ERRORS)
    async def show(
        self, reference: Reference, staff: CurrentStaff, db_pool: DbPool, pipeline: ChangePipeline
    ) -> Response[CaseDetail]:
        return await _answer(db_pool, pipeline, staff, reference)

    @get(
        "/{reference:str}/events",
        summary="The complete history, oldest first",
        responses=READ_ERRORS,
    )
    async def events(
        self, reference: Reference, staff: CurrentStaff, db_pool: DbPool
    ) -> list[EventOut]:
        async with db_pool.acquire() as connection:
            case_id = await store.case_id_by_reference(connection, reference, staff.scope)
            if case_id is None:
                raise NotFound(CASE_NOT_FOUND)
            return [event_of(row) for row in await store.events_of(connection, case_id)]

    @get("/{reference:str}/similar", summary="Possible duplicates", responses=READ_ERRORS)
    async def similar(
        self, reference: Reference, staff: CurrentStaff, db_pool: DbPool, pipeline: ChangePipeline
    ) -> SimilarOut:
        async with db_pool.acquire() as connection:
            case = await store.case_detail(connection, reference, staff.scope)
            if case is None:
                raise NotFound(CASE_NOT_FOUND)
            now = pipeline.clock()
            same_address, same_postcode = await store.similar_cases(
                connection, case, staff.scope, now - store.SIMILAR_WINDOW
            )
        return SimilarOut(
            [summary_of(row, now) for row in same_address],
            [summary_of(row, now) for row in same_postcode],
        )

    async def _change(
        self,
        db_pool: DbPool,
        pipeline: ChangePipeline,
        staff: Staff,
        reference: str,
        if_match: str | None,
        decide: Decide,
        status_code: int = 200,
    ) -> Response[CaseDetail]:
        target = CaseAt(reference, staff.scope, _expected_version(if_match))
        await pipeline.run(db_pool, target, decide)
        response = await _answer(db_pool, pipeline, staff, reference)
        response.status_code = status_code
        return response

    @post(
        "/{reference:str}/transitions",
        status_code=200,
        summary="Move the case to another status",
        description="Checked against GET /api/v1/workflow and the fields each status needs.",
        responses=CHANGE_ERRORS,
    )
    async def transition(
        self,
        reference: Reference,
        data: JSONBody[TransitionIn],
        staff: CurrentStaff,
        db_pool: DbPool,
        pipeline: ChangePipeline,
        if_match: IfMatch = None,
    ) -> Response[CaseDetail]:
        return await self._change(
            db_pool, pipeline, staff, reference, if_match, actions.transition(staff, data)
        )

    @put(
        "/{reference:str}/assignee", summary="Assign or unassign the case", responses=CHANGE_ERRORS
    )
    async def assign(
        self,
        reference: Reference,
        data: JSONBody[AssigneeIn],
        staff: CurrentStaff,
        db_pool: DbPool,
        pipeline: ChangePipeline,
        if_match: IfMatch = None,
    ) -> Response[CaseDetail]:
        decide = actions.assign(staff, data)
        return await self._change(db_pool, pipeline, staff, reference, if_match, decide)

    @post(
        "/{reference:str}/transfer",
        status_code=200,
        summary="Transfer a misrouted case to another corporation",
        responses=CHANGE_ERRORS,
    )
    async def transfer(
        self,
        reference: Reference,
        data: JSONBody[TransferIn],
        staff: CurrentStaff,
        db_pool: DbPool,
        pipeline: ChangePipeline,
        if_match: IfMatch = None,
    ) -> TransferOut:
        staff.require(Permission.TRANSFER)
        target = CaseAt(reference, staff.scope, _expected_version(if_match))
        changed = await pipeline.run(db_pool, target, actions.transfer(staff, data))
        assert changed is not None  # a transfer always moves the case, or raises
        moved = changed.events[0].data
        return TransferOut(
            reference, CorporationRef(moved["corporation_code"], moved["corporation_name"])
        )

    @post(
        "/{reference:str}/route",
        status_code=200,
        summary="Route an unrouted case to a corporation (coordinators)",
        responses=CHANGE_ERRORS,
    )
    async def route(
        self,
        reference: Reference,
        data: JSONBody[RouteIn],
        staff: CurrentStaff,
        db_pool: DbPool,
        pipeline: ChangePipeline,
        if_match: IfMatch = None,
    ) -> Response[CaseDetail]:
        staff.require(Permission.ROUTE)
        decide = actions.route(staff, data)
        return await self._change(db_pool, pipeline, staff, reference, if_match, decide)

    @post(
        "/{reference:str}/notes",
        status_code=201,
        summary="Add a note, internal or for the tenant to read",
        responses=CHANGE_ERRORS,
    )
    async def add_note(
        self,
        reference: Reference,
        data: JSONBody[NoteIn],
        staff: CurrentStaff,
        db_pool: DbPool,
        pipeline: ChangePipeline,
        if_match: IfMatch = None,
    ) -> Response[CaseDetail]:
        decide = actions.note(staff, data)
        return await self._change(db_pool, pipeline, staff, reference, if_match, decide, 201)

    @post(
        "/{reference:str}/findings",
        status_code=201,
        summary="Record inspection findings: damage items with their class",
        description="A case whose inspection is planned becomes inspected.",
        responses=CHANGE_ERRORS,
    )
    async def add_findings(
        self,
        reference: Reference,
        data: JSONBody[FindingsIn],
        staff: CurrentStaff,
        db_pool: DbPool,
        pipeline: ChangePipeline,
        if_match: IfMatch = None,
    ) -> Response[CaseDetail]:
        decide = actions.findings(staff, data)
        return await self._change(db_pool, pipeline, staff, reference, if_match, decide, 201)

    @post(
        "/{reference:str}/erasure",
        status_code=200,
        summary="Carry out the tenant's request for erasure: anonymise the case now",
        description=(
            "Managers of the case's corporation, coordinators and admins, once the tenant has "
            "asked (erasure.erase_by is the last day). Removes the reporter, the description, "
            "the home but its postcode area, the texts in the history and the findings, and "
            "every photo and document; the tracking link stops working. A case still open "
            "ends: rejected as withdrawn, or closed when it was resolved. Cannot be undone."
        ),
        responses=CHANGE_ERRORS,
    )
    async def erase(
        self,
        reference: Reference,
        staff: CurrentStaff,
        db_pool: DbPool,
        pipeline: ChangePipeline,
        attachments: AppAttachments,
        if_match: IfMatch = None,
    ) -> Response[CaseDetail]:
        staff.require(Permission.ERASE)
        target = CaseAt(reference, staff.scope, _expected_version(if_match))
        await erase_now(db_pool, pipeline, attachments.storage, staff, target)
        return await _answer(db_pool, pipeline, staff, reference)


class ExportController(Controller):
    path = "/"
    tags = ["management"]
    security = [{"BearerToken": []}]
    dependencies = {"case_filter": Provide(provide_case_filter)}

    @get(
        "/cases.csv",
        summary="The case list as CSV, with the filters of GET /api/v1/cases",
        description="Streamed; no reporter data. dialect=excel-nl: for a Dutch spreadsheet, "
        "with semicolons and a BOM, Dutch headers and labels, times in Amsterdam local time "
        "(dd-mm-jjjj uu:mm), postcodes as 9711 AB and a column with the next deadline's state.",
        media_type="text/csv",
        responses=problem_specs(400, 401, 403, 429, 503),
    )
    async def export(
        self,
        staff: CurrentStaff,
        exports: Exports,
        pipeline: ChangePipeline,
        case_filter: CaseFilterParameters,
        sort: FromQuery[Sort] = Sort.DEADLINE,
        dialect: FromQuery[Dialect] = Dialect.STANDARD,
    ) -> Stream:
        staff.require(Permission.SEE_DASHBOARD)
        sql, args = export_query(staff.scope, staff.id, case_filter, sort, dialect)
        day = pipeline.clock().astimezone(AMSTERDAM).date()
        return await exports.start(sql, args, dialect, filename=export_filename(day, dialect))
