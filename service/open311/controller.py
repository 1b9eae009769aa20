"""HTTP of Open311 GeoReport v2 under /open311/v2: each document in .json and .xml, every
error as the spec's error array in the format asked for."""

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import HTTPException
from litestar.params import FromPath, FromQuery

from service.dependencies import AppSettings, ChangePipeline, DbPool
from service.domain.open311 import MAX_REQUESTS, FilterError, request_filters, service_category
from service.errors import EXCEPTION_HANDLERS, Problem
from service.open311 import store
from service.open311.formats import (
    Open311Error,
    answer,
    error_answer,
    format_of_path,
    split_document,
)
from service.open311.partners import partner_by_key
from service.open311.schemas import ServiceRequest
from service.open311.submission import read_form, submit
from service.open311.views import (
    API_PATH,
    discovery,
    service_definition,
    service_list,
    service_request,
)
from service.throttle.before_request import OPEN311_PER_ADDRESS

NO_TOKENS = (
    "No such token: this service files each request at once (type realtime) and issues no "
    "tokens; the POST answer holds the service_request_id."
)


def open311_error(request: Request, exc: Exception) -> Response:
    """Every error of these routes as the spec's error array: Open311's own, and whatever
    the app answers elsewhere as problem details (its words, status and Retry-After kept)."""
    form = format_of_path(request.url.path)
    if isinstance(exc, Open311Error):
        return error_answer(exc.status, exc.descriptions, form)
    # The app's handler for the exception's nearest class, as Litestar would pick it.
    handler: Any = next(
        EXCEPTION_HANDLERS[kind] for kind in type(exc).__mro__ if kind in EXCEPTION_HANDLERS
    )
    problem_answer = handler(request, exc)
    problem = problem_answer.content
    if not isinstance(problem, Problem):  # never for these routes: no page answers
        status = getattr(exc, "status_code", 500) if isinstance(exc, HTTPException) else 500
        return error_answer(status, ["Something went wrong on our side."], form)
    descriptions = [f"{error.field}: {error.message}" for error in problem.errors] or [
        problem.detail
    ]
    return error_answer(problem.status, descriptions, form, dict(problem_answer.headers))


async def _partner(db_pool: DbPool, api_key: str | None) -> int | None:
    """The partner of a given api_key; none given: the public. A wrong key answers 403."""
    if api_key is None:
        return None
    partner_id = None
    if api_key.strip():
        async with db_pool.acquire() as connection:
            partner_id = await partner_by_key(connection, api_key.strip())
    if partner_id is None:
        raise Open311Error(403, "This api_key is not valid (or was revoked).")
    return partner_id


async def _requests(
    db_pool: DbPool, partner_id: int | None, **filters: Any
) -> list[ServiceRequest]:
    async with db_pool.acquire() as connection:
        rows = await store.requests(connection, request_filters(**filters), MAX_REQUESTS)
        areas = {row["postcode"][:4] for row in rows if row["postcode"]}
        centres = await store.area_centres(connection, areas) if areas else {}
    return [service_request(row, centres, partner_id) for row in rows]


class Open311Controller(Controller):
    path = API_PATH
    include_in_schema = False
    # The spec's error array for every error, instead of the app's problem details.
    exception_handlers = {
        **dict.fromkeys(EXCEPTION_HANDLERS, open311_error),
        Open311Error: open311_error,
    }

    @get("/{document:str}")
    async def document(
        self,
        document: FromPath[str],
        db_pool: DbPool,
        pipeline: ChangePipeline,
        settings: AppSettings,
        api_key: FromQuery[str | None] = None,
        service_request_id: FromQuery[str | None] = None,
        service_code: FromQuery[str | None] = None,
        start_date: FromQuery[str | None] = None,
        end_date: FromQuery[str | None] = None,
        status: FromQuery[str | None] = None,
    ) -> Response[bytes]:
        name, form = split_document(document)
        if name == "discovery":
            return answer("discovery", discovery(settings.public_base_url), form)
        if name == "services":
            return answer("services", service_list(), form)
        if name == "requests":
            partner_id = await _partner(db_pool, api_key)
            try:
                found = await _requests(
                    db_pool,
                    partner_id,
                    service_request_id=service_request_id,
                    service_code=service_code,
                    start_date=start_date,
                    end_date=end_date,
                    status=status,
                    now=pipeline.clock(),
                )
            except FilterError as error:
                raise Open311Error(400, str(error)) from None
            return answer("service_requests", found, form)
        raise Open311Error(404, f"There is no {name!r} here; see discovery.")

    @get("/services/{document:str}")
    async def service(self, document: FromPath[str]) -> Response[bytes]:
        code, form = split_document(document)
        category = service_category(code)
        if category is None:
            raise Open311Error(404, f"There is no service {code!r}; see services.")
        return answer("service_definition", service_definition(category), form)

    @get("/requests/{document:str}")
    async def request(
        self,
        document: FromPath[str],
        db_pool: DbPool,
        pipeline: ChangePipeline,
        api_key: FromQuery[str | None] = None,
    ) -> Response[bytes]:
        reference, form = split_document(document)
        partner_id = await _partner(db_pool, api_key)
        found = await _requests(
            db_pool,
            partner_id,
            service_request_id=reference.replace(",", " "),  # one id, not a list
            service_code=None,
            start_date=None,
            end_date=None,
            status=None,
            now=pipeline.clock(),
        )
        if not found:
            raise Open311Error(404, f"There is no service request {reference!r}.")
        return answer("service_requests", found, form)

    @get("/tokens/{document:str}")
    async def token(self, document: FromPath[str]) -> Response[bytes]:
        split_document(document)  # a name without .json or .xml is refused first
        raise Open311Error(404, NO_TOKENS)

    @post("/{document:str}", status_code=201, before_request=OPEN311_PER_ADDRESS)
    async def create(
        self,
        document: FromPath[str],
        request: Request,
        db_pool: DbPool,
        pipeline: ChangePipeline,
        settings: AppSettings,
    ) -> Response[bytes]:
        name, form = split_document(document)
        if name != "requests":
            raise Open311Error(404, "Only requests takes a POST.")
        fields = read_form(request.headers.get("content-type", ""), await request.body())
        partner_id = await _partner(db_pool, fields.get("api_key", ""))
        assert partner_id is not None  # an absent key is an empty one: refused
        created = await submit(
            db_pool,
            pipeline,
            fields,
            partner_id,
            idempotency_key=request.headers.get("idempotency-key"),
            secret_key=settings.secret_key,
            public_base_url=settings.public_base_url,
        )
        return answer("service_requests", [created], form, status=201)
