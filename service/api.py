"""The JSON API: every controller of /api/v1, mounted once."""

from litestar import Router

from service.cases.controller import CasesController, ExportController
from service.dashboard.controller import DashboardController
from service.meta.controller import ReferenceDataController
from service.portfolio.controller import AddressesController
from service.reports.controller import ReportsController
from service.webhooks.controller import WebhooksController

API_PATH = "/api/v1"


def api_router() -> Router:
    return Router(
        path=API_PATH,
        route_handlers=[
            ReportsController,
            AddressesController,
            ReferenceDataController,
            CasesController,
            ExportController,
            DashboardController,
            WebhooksController,
        ],
    )
