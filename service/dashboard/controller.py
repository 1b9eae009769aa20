"""HTTP: the backlog dashboard for managers (their corporation) and region-wide staff."""

from typing import Annotated

from litestar import Controller, get
from litestar.params import QueryParameter

from service.auth.staff import CurrentStaff
from service.corporations.store import active_corporation
from service.dashboard.backlog import backlog
from service.dashboard.schemas import Backlog
from service.dependencies import DbPool
from service.domain.errors import InvalidInput
from service.domain.roles import Permission
from service.errors import problem_specs


class DashboardController(Controller):
    path = "/dashboard"
    tags = ["management"]
    security = [{"BearerToken": []}]

    @get(
        "/backlog",
        summary="Where the backlog is, which deadlines slip, which acute cases wait",
        description="Managers see their corporation; coordinators and admins the region, "
        "or one corporation with ?corporation=.",
        responses=problem_specs(400, 401, 403),
    )
    async def backlog(
        self,
        staff: CurrentStaff,
        db_pool: DbPool,
        corporation: Annotated[
            str | None, QueryParameter(description="a corporation code", max_length=40)
        ] = None,
    ) -> Backlog:
        staff.require(Permission.SEE_DASHBOARD)
        corporation_id = staff.scope
        if corporation is not None:
            async with db_pool.acquire() as connection:
                chosen = await active_corporation(connection, corporation)
            # A corporation role asking for another corporation learns nothing either way.
            if chosen is None or (staff.scope is not None and chosen["id"] != staff.scope):
                raise InvalidInput.one("corporation", "No corporation with this code in your view.")
            corporation_id = chosen["id"]
        return await backlog(db_pool, corporation_id)
