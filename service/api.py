"""The JSON API: every controller of /api/v1, mounted once."""

from litestar import Router

from service.api_types import API_PATH
from service.attachments.controller import CaseAttachmentsController, TenantAttachmentsController
from service.cases.controller import CasesController, ExportController
from service.dashboard.controller import DashboardController
from service.meta.controller import ReferenceDataController
from service.portfolio.controller import AddressesController
from service.reports.controller import ReportsController
from service.webhooks.controller import WebhooksController
from service.who_looked.controller import AccessLogController


def api_router() -> Router:
    return Router(
        path=API_PATH,
        route_handlers=[
            ReportsController,
            TenantAttachmentsController,
            AddressesController,
            ReferenceDataController,
            CasesController,
            CaseAttachmentsController,
            ExportController,
            DashboardController,
            WebhooksController,
            AccessLogController,
        ],
    )
