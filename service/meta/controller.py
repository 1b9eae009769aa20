"""HTTP: liveness and readiness, and the reference data forms and clients need."""

import msgspec
from litestar import Controller, Request, Response, get

from service.dependencies import DbPool
from service.domain.categories import CATEGORY_TEXTS, Category
from service.domain.workflow import WORKFLOW, Status
from service.errors import UNAVAILABLE_RETRY_AFTER, problem_response, problem_specs
from service.outage import database_unavailable


class CategoryOut(msgspec.Struct):
    code: Category
    label_nl: str
    label_en: str
    explanation_nl: str
    explanation_en: str


class StatusOut(msgspec.Struct):
    status: Status
    meaning: str
    next: list[Status]
    requires: list[str]
    returns_to_previous: bool


class HealthOut(msgspec.Struct):
    status: str


class HealthController(Controller):
    tags = ["meta"]

    @get("/health", summary="The process is alive")
    async def health(self) -> HealthOut:
        return HealthOut("ok")

    @get(
        "/ready",
        summary="The database answers",
        responses=problem_specs(503),
    )
    async def ready(self, request: Request, db_pool: DbPool) -> Response[HealthOut]:
        try:
            async with db_pool.acquire(timeout=2) as connection:
                await connection.fetchval("SELECT 1", timeout=2)
        except Exception as error:
            if not database_unavailable(error):
                raise
            # An outage seen only by the readiness probe is logged too (once).
            request.app.state.db_outage.unavailable(error)
            return problem_response(
                503,
                "The database does not answer.",
                headers={"Retry-After": str(UNAVAILABLE_RETRY_AFTER)},
            )
        return Response(HealthOut("ready"))


class ReferenceDataController(Controller):
    """What forms and clients need to know: the categories and the workflow."""

    tags = ["meta"]

    @get("/categories", summary="Damage categories, explained")
    async def categories(self) -> list[CategoryOut]:
        return [CategoryOut(category, *CATEGORY_TEXTS[category]) for category in Category]

    @get("/workflow", summary="The case workflow: every status and where it may go")
    async def workflow(self) -> list[StatusOut]:
        return [
            StatusOut(
                status=rule.status,
                meaning=rule.meaning,
                next=list(rule.next),
                requires=list(rule.requires),
                returns_to_previous=rule.returns_to_previous,
            )
            for rule in WORKFLOW
        ]
