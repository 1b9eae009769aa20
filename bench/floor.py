"""The floor (issue 15): a bare Litestar app that sends the database exactly what the intake
and the tenant's status read send, and does nothing else.

    DATABASE_URL=... SECRET_KEY=... python -m bench.floor --workers 2 --port 8100

It runs as `python -m service serve` runs (the same uvicorn call, workers, pool and
settings), so a real endpoint's rate over its floor's is the share left after the Python
work of that endpoint: validation, rules, serialisation, middleware, logging. Like
TechEmpower's single-query test, it is the reference, not a service: no checks, no rules,
rows back as JSON.

The SQL is the service's own, not a copy: the floor calls the store functions (and the
change pipeline and its notification subscriber) the service calls, in the same order and
transaction, with parameters made from the request as the benchmark's wrk script sends it.
tests/test_bench_floor.py fails when the statements of a real request and of its floor
differ.

    POST /floor/intake                the statements of POST /api/v1/reports
    GET  /floor/status/{reference}    the statement of GET /api/v1/reports/{reference}
                                      (and of the tracking page /t/{reference}), with the
                                      token in X-Tracking-Token
"""

import argparse
import hashlib
import sys
import uuid
from datetime import datetime, timedelta
from typing import Annotated, Any

import asyncpg
import msgspec
from litestar import Litestar, Request, Response, get, post
from litestar.datastructures import State
from litestar.params import PathParameter

from service import db
from service.changes.pipeline import Change, Pipeline
from service.changes.store import NewCase
from service.db import Connection
from service.domain.addresses import NormalisedAddress
from service.domain.categories import Category
from service.domain.events import SYSTEM, TENANT, Event, EventKind
from service.domain.references import format_reference
from service.domain.routing import RoutingReason
from service.domain.sla import Deadlines, Urgency
from service.domain.workflow import Status
from service.notifications import subscriber as notifications
from service.portfolio import store as portfolio
from service.reports import store
from service.reports.intake import case_location
from service.reports.tokens import derived_tracking_token, new_tracking_salt, token_hash
from service.settings import Settings
from service.throttle.policy import Limited, Throttle
from service.throttle.store import open_store

JSON = "application/json"


def _client(request: Request) -> str:
    """Who the rate limits count: the benchmark sends each request from an address of its own."""
    forwarded = request.headers.get("x-forwarded-for")
    return forwarded or (request.client.host if request.client else "")


@post("/floor/intake", status_code=201)
async def intake(request: Request, state: State) -> Response[bytes]:
    body = await request.body()
    report = msgspec.json.decode(body)  # as wrk.lua sends it: no checks
    given, reporter = report["address"], report["reporter"]
    key = request.headers["idempotency-key"]
    secret_key: str = state.secret_key
    await state.throttle.admit(Limited.REPORTS, _client(request))
    case_id = uuid.uuid4()
    salt = new_tracking_salt()
    token = derived_tracking_token(secret_key, case_id, salt)
    answer: dict[str, Any] = {}

    async def decide(connection: Connection, _: asyncpg.Record | None, now: datetime) -> Change:
        address = NormalisedAddress(
            given["postcode"], given["house_number"], given["house_letter"], given["addition"]
        )
        home = await portfolio.home_by_address(connection, address)
        reporter_id, number = await store.insert_reporter(
            connection, reporter["name"], reporter["email"], reporter["phone"], "nl", now
        )
        reported = Event(
            EventKind.REPORTED,
            TENANT,
            {"category": report["category"], "acute": report["acute"]},
            public=True,
        )
        if home is not None:
            status = Status.NEW
            corporation = {
                "corporation_code": home["corporation_code"],
                "corporation_name": home["corporation_name"],
            }
            routing = Event(
                EventKind.ROUTED,
                SYSTEM,
                {"reason": RoutingReason.ADDRESS, **corporation},
                to_status=status,
                public=True,
            )
        else:
            status = Status.UNROUTED
            corporation = None
            suggestions = await portfolio.suggest_corporations(connection, given["postcode"])
            routing = Event(
                EventKind.UNROUTED,
                SYSTEM,
                {"reason": RoutingReason.NO_MATCH, "suggestions": suggestions},
                to_status=status,
                public=True,
            )
        deadlines = Deadlines(
            now + timedelta(days=2), now + timedelta(days=21), now + timedelta(days=84)
        )
        # The answer a replay would get, about the size of the service's.
        answer.update(
            reference=format_reference(now.year, number),
            status=status,
            corporation=corporation,
            deadlines=deadlines,
        )
        return Change(
            new_case=NewCase(
                id=case_id,
                reference=answer["reference"],
                category=Category(report["category"]),
                acute=report["acute"],
                urgency=Urgency.NORMAL,
                description=report["description"],
                noticed_on=None,
                status=status,
                corporation_id=home["corporation_id"] if home else None,
                address_id=home["id"] if home else None,
                **case_location(home, address, None),
                reporter_id=reporter_id,
                tracking_token_hash=token_hash(token),
                tracking_salt=salt,
                deadlines=deadlines,
            ),
            events=[reported, routing],
        )

    async with state.pool.acquire() as connection, connection.transaction():
        key_hash = hashlib.sha256(key.encode()).digest()
        await store.claim_idempotency_key(connection, key_hash, hashlib.sha256(body).digest())
        await state.pipeline.run(connection, None, decide)
        await store.store_idempotent_answer(
            connection, key_hash, case_id, msgspec.to_builtins(answer)
        )
    return Response(msgspec.json.encode({**answer, "tracking_token": token}), media_type=JSON)


@get("/floor/status/{reference:str}")
async def status(
    request: Request, state: State, reference: Annotated[str, PathParameter()]
) -> Response[bytes]:
    await state.throttle.admit(Limited.TRACKING, _client(request))
    token = request.headers.get("x-tracking-token") or request.query_params.get("token", "")
    async with state.pool.acquire() as connection:
        case = await store.status_of(connection, reference, token_hash(token))
    if case is None:
        return Response(b"null", status_code=404, media_type=JSON)
    return Response(msgspec.json.encode(dict(case)), media_type=JSON)


@get("/ready")
async def ready() -> Response[bytes]:
    """What bench/run.py's Server waits for."""
    return Response(b'{"status":"ready"}', media_type=JSON)


def create_floor(settings: Settings) -> Litestar:
    dsn = settings.database_url
    if dsn is None:
        raise ValueError("the floor needs DATABASE_URL")

    async def open_pool(app: Litestar) -> None:
        # The request pool as service/app.py makes it, from the same settings.
        app.state.pool = await db.create_pool(
            dsn,
            settings.pool_min_size,
            settings.pool_max_size,
            acquire_timeout=settings.db_acquire_timeout,
        )
        app.state.throttle = Throttle(open_store(settings, app.state.pool), settings)
        app.state.pipeline = Pipeline(subscribers=(notifications.notify,))  # as the app's
        app.state.secret_key = settings.secret_key

    async def close_pool(app: Litestar) -> None:
        await app.state.throttle.close()
        await app.state.pool.close()

    return Litestar(
        route_handlers=[intake, status, ready],
        on_startup=[open_pool],
        on_shutdown=[close_pool],
        openapi_config=None,
    )


def floor_from_environment() -> Litestar:
    """Factory for uvicorn's worker processes, as service.app.app_from_environment."""
    return create_floor(Settings.from_env())


def main(argv: list[str] | None = None) -> int:
    from service.__main__ import _uvicorn_run

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", help="address to listen on (default: HOST or 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default: PORT or 8000)")
    parser.add_argument("--workers", type=int, help="worker processes (default: WORKERS or 1)")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    _uvicorn_run(
        settings,
        args.host or settings.host,
        args.port or settings.port,
        args.workers or settings.workers,
        "bench.floor:floor_from_environment",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
