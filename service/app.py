"""create_app(settings) -> Litestar: wiring only."""

from collections.abc import AsyncGenerator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import asyncpg
from litestar import Litestar
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from service import db
from service.api import api_router
from service.attachments.processing import MediaWorkers
from service.attachments.storage import open_storage
from service.attachments.uploads import Attachments
from service.auth.password_check import PasswordCheck
from service.auth.staff import provide_staff
from service.cases.export import ExportCapacity
from service.changes.pipeline import Clock, Pipeline, Subscriber, system_clock
from service.client_address import trusted_proxy_middleware
from service.csrf import csrf_middleware
from service.dependencies import Essentials
from service.errors import EXCEPTION_HANDLERS
from service.header_limits import header_limits_middleware
from service.json_bodies import JSONBodyRequest
from service.logs import configure_logging
from service.meta.api_docs import api_docs_plugins, api_docs_router
from service.meta.controller import HealthController
from service.metrics.connections import connections_sampled
from service.metrics.controller import MetricsController
from service.notifications import subscriber as notifications
from service.observed_requests import observed
from service.open311.controller import Open311Controller
from service.outage import DatabaseOutage
from service.security_headers import STATIC_ASSET, add_security_headers
from service.settings import Settings
from service.throttle.policy import Throttle
from service.throttle.store import open_store
from service.web.case_page import CasePageController
from service.web.controller import TenantActionsController, TrackingPageController
from service.web.dashboard_page import DashboardPageController
from service.web.lost_link_page import LostLinkController
from service.web.pages import STATIC, TEMPLATES, read_templates_once
from service.web.report_form import ReportFormController
from service.web.staff_pages import SignInController, WorkQueueController
from service.web.triage_page import TriageController

MAX_BODY_BYTES = 1_000_000


def create_app(
    settings: Settings,
    database_url: str | None = None,
    *,
    subscribers: Sequence[Subscriber] = (),
    clock: Clock = system_clock,
) -> Litestar:
    """The app on database_url (default: settings.database_url); migrations are not run here.

    Every change to a case goes through one change pipeline with these subscribers and clock.
    """
    dsn = database_url or settings.database_url
    if dsn is None:
        raise ValueError("create_app needs a database URL; the CLI resolves the embedded one")

    # Notifications first: the outbox is written in every change's transaction.
    pipeline = Pipeline(clock=clock, subscribers=(notifications.notify, *subscribers))

    @asynccontextmanager
    async def database(app: Litestar) -> AsyncGenerator[None, None]:
        pool = await db.create_pool(
            dsn,
            settings.pool_min_size,
            settings.pool_max_size,
            acquire_timeout=settings.db_acquire_timeout,
        )
        # CSV exports hold a connection while the client downloads: they get their own.
        export_pool = await db.create_pool(
            dsn, 0, settings.export_max_concurrent, acquire_timeout=settings.db_acquire_timeout
        )
        app.state.db_pool = pool
        app.state.essentials = Essentials(pool, pipeline, settings)
        app.state.export_pool = export_pool
        app.state.db_outage = DatabaseOutage(pool)
        app.state.exports = ExportCapacity(
            export_pool, settings.export_max_concurrent, settings.export_write_timeout
        )
        try:
            yield
        finally:
            await app.state.db_outage.close()
            await export_pool.close()
            await pool.close()

    @asynccontextmanager
    async def throttling(app: Litestar) -> AsyncGenerator[None, None]:
        throttle = Throttle(open_store(settings, app.state.db_pool), settings)
        password_check = PasswordCheck(settings.password_hash_threads)
        app.state.throttle = throttle
        app.state.password_check = password_check
        await password_check.prepare()
        try:
            yield
        finally:
            await throttle.close()
            password_check.close()

    @asynccontextmanager
    async def attachment_store(app: Litestar) -> AsyncGenerator[None, None]:
        storage = open_storage(settings.attachments_url, settings.data_dir)
        workers = MediaWorkers(settings.media_workers)
        app.state.attachments = Attachments(storage, workers)
        try:
            yield
        finally:
            workers.close()
            await storage.close()

    def metrics(app: Litestar) -> AbstractAsyncContextManager[None]:
        return connections_sampled(
            {"requests": app.state.db_pool, "exports": app.state.export_pool}
        )

    def provide_pool(state: State) -> asyncpg.Pool:
        return state.db_pool

    def provide_throttle(state: State) -> Throttle:
        return state.throttle

    def provide_password_check(state: State) -> PasswordCheck:
        return state.password_check

    def provide_exports(state: State) -> ExportCapacity:
        return state.exports

    def provide_attachments(state: State) -> Attachments:
        return state.attachments

    def provide_settings() -> Settings:
        return settings

    def provide_pipeline() -> Pipeline:
        return pipeline

    configure_logging(settings.log_level)
    app = Litestar(
        route_handlers=[
            HealthController,
            MetricsController,
            api_router(),
            Open311Controller,
            TrackingPageController,
            TenantActionsController,
            ReportFormController,
            LostLinkController,
            SignInController,
            WorkQueueController,
            DashboardPageController,
            TriageController,
            CasePageController,
            create_static_files_router(
                path="/static", directories=[STATIC], include_in_schema=False, opt=STATIC_ASSET
            ),
        ],
        template_config=TemplateConfig(
            directory=TEMPLATES, engine=JinjaTemplateEngine, engine_callback=read_templates_once
        ),
        dependencies={
            "db_pool": Provide(provide_pool, sync_to_thread=False),
            "settings": Provide(provide_settings, sync_to_thread=False),
            "pipeline": Provide(provide_pipeline, sync_to_thread=False),
            "exports": Provide(provide_exports, sync_to_thread=False),
            "attachments": Provide(provide_attachments, sync_to_thread=False),
            "staff": Provide(provide_staff),
            "throttle": Provide(provide_throttle, sync_to_thread=False),
            "password_check": Provide(provide_password_check, sync_to_thread=False),
        },
        lifespan=[database, throttling, attachment_store, metrics],
        middleware=[
            trusted_proxy_middleware(settings.trusted_proxies),
            header_limits_middleware,
            # Forms of the web pages carry a CSRF token; the JSON API and Open311 (no
            # cookies, a key in the request) do not.
            csrf_middleware(
                CSRFConfig(
                    secret=settings.secret_key,
                    cookie_httponly=True,
                    cookie_samesite="strict",
                    exclude=["/api/", "/open311/"],
                )
            ),
        ],
        before_send=[add_security_headers],
        # Not Litestar's: service/logs.py says why. Errors are logged by service/errors.py.
        logging_config=None,
        exception_handlers=EXCEPTION_HANDLERS,
        request_max_body_size=MAX_BODY_BYTES,
        request_class=JSONBodyRequest,
        openapi_config=OpenAPIConfig(
            title="Groningen earthquake-damage case tracker",
            version="1",
            description="Tenants report damage; each report goes to the corporation that owns the home.",
            path="/schema",
            openapi_router=api_docs_router("/schema"),
            components=Components(
                security_schemes={
                    "BearerToken": SecurityScheme(
                        type="http",
                        scheme="bearer",
                        description="An API token from `python -m service tokens create EMAIL`.",
                    )
                }
            ),
            render_plugins=api_docs_plugins(),
        ),
    )
    # Around all of it, so that answers no route handler gave (404, 405) are logged and
    # counted too.
    app.asgi_handler = observed(app.asgi_handler)
    return app


def app_from_environment() -> Litestar:
    """Factory for uvicorn worker processes; the CLI sets DATABASE_URL before starting them."""
    return create_app(Settings.from_env())
