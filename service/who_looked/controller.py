"""HTTP for admins: who looked at a reporter's contact details, per case and per user."""

from typing import Annotated

from litestar import Controller, get
from litestar.params import PathParameter, QueryParameter

from service.api_types import BIGINT_MAX, Reference
from service.auth.staff import CurrentStaff, Staff
from service.dependencies import DbPool
from service.domain.errors import Forbidden
from service.domain.roles import Role
from service.errors import problem_specs
from service.who_looked.listing import MAX_LIMIT, ContactViewPage, Of, contact_views

UserId = Annotated[int, PathParameter(ge=1, le=BIGINT_MAX, description="the staff member's id")]
After = Annotated[
    str | None, QueryParameter(description="next_cursor of the page before", max_length=20)
]
Limit = Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT)]
_DESCRIPTION = (
    "Every time a staff member was shown a reporter's contact details: on the case page "
    "(`case_page`) or in the API's case detail, also the one a change answers with "
    "(`api_detail`); `masked` when their role showed them only in part. Newest first. "
    "Admins only."
)


def _admins_only(staff: Staff) -> None:
    if staff.role is not Role.ADMIN:
        raise Forbidden("Only admins read who looked at contact details.")


class AccessLogController(Controller):
    path = "/"
    tags = ["admin"]
    security = [{"BearerToken": []}]

    @get(
        "/cases/{reference:str}/access-log",
        summary="Who looked at the reporter's contact details of a case",
        description=_DESCRIPTION,
        responses=problem_specs(400, 401, 403, 404),
    )
    async def of_case(
        self,
        reference: Reference,
        staff: CurrentStaff,
        db_pool: DbPool,
        after: After = None,
        limit: Limit = 50,
    ) -> ContactViewPage:
        _admins_only(staff)
        async with db_pool.acquire() as connection:
            return await contact_views(connection, Of(reference=reference), after, limit)

    @get(
        "/users/{user_id:int}/access-log",
        summary="Whose contact details a staff member looked at",
        description=_DESCRIPTION,
        responses=problem_specs(400, 401, 403, 404),
    )
    async def by_user(
        self,
        user_id: UserId,
        staff: CurrentStaff,
        db_pool: DbPool,
        after: After = None,
        limit: Limit = 50,
    ) -> ContactViewPage:
        _admins_only(staff)
        async with db_pool.acquire() as connection:
            return await contact_views(connection, Of(user_id=user_id), after, limit)
