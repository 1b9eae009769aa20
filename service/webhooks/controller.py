"""HTTP for admins: a corporation's webhook subscriptions."""

from datetime import datetime
from typing import Annotated

import asyncpg
import msgspec
from litestar import Controller, delete, get, post
from litestar.params import JSONBody, PathParameter

from service.allowed_methods import accepted_methods
from service.api_types import BIGINT_MAX
from service.auth.staff import CurrentStaff, Staff
from service.corporations.store import corporation_id
from service.dependencies import AppSettings, ChangePipeline, DbPool
from service.domain.errors import Forbidden, InvalidInput, NotFound
from service.domain.events import EventKind
from service.domain.roles import Role
from service.errors import problem_specs
from service.webhooks import subscriptions
from service.webhooks.signing import new_secret
from service.webhooks.urls import MAX_URL_LENGTH, UrlPolicy, UrlRefused, resolve

CorporationCode = Annotated[str, PathParameter(min_length=1, max_length=40)]
SubscriptionId = Annotated[int, PathParameter(ge=1, le=BIGINT_MAX)]
NO_CORPORATION = "No corporation with this code."
NO_SUBSCRIPTION = "This corporation has no webhook with this id."


class SubscriptionIn(msgspec.Struct, forbid_unknown_fields=True):
    url: Annotated[
        str,
        msgspec.Meta(
            min_length=1, max_length=MAX_URL_LENGTH, examples=["https://crm.example.nl/hooks"]
        ),
    ]
    # The case events to send; a subscription to none would send nothing.
    events: Annotated[list[EventKind], msgspec.Meta(min_length=1, max_length=len(EventKind))]


class SubscriptionOut(msgspec.Struct):
    id: int
    corporation: str
    url: str
    events: list[str]
    active: bool
    disabled_at: datetime | None  # when it was switched off after failing for a day
    failing_since: datetime | None  # the first failure since the last delivery that went through
    created_at: datetime
    queued: int  # messages waiting to be sent
    failed: int  # messages given up on (sent again when it is switched on)


class SubscriptionMade(SubscriptionOut):
    # Shown only now: receivers verify the signature with it.
    secret: str


def _out(row: asyncpg.Record) -> SubscriptionOut:
    return SubscriptionOut(
        id=row["id"],
        corporation=row["corporation_code"],
        url=row["url"],
        events=list(row["event_kinds"]),
        active=row["active"],
        disabled_at=row["disabled_at"],
        failing_since=row["failing_since"],
        created_at=row["created_at"],
        queued=row["queued"],
        failed=row["failed"],
    )


def _admins_only(staff: Staff) -> None:
    if staff.role is not Role.ADMIN:
        raise Forbidden("Only admins manage webhooks.")


async def _corporation(db_pool: asyncpg.Pool, code: str) -> int:
    async with db_pool.acquire() as connection:
        found = await corporation_id(connection, code)
    if found is None:
        raise NotFound(NO_CORPORATION)
    return found


class WebhooksController(Controller):
    path = "/corporations/{code:str}/webhooks"
    tags = ["admin"]
    security = [{"BearerToken": []}]

    accepted_methods = accepted_methods("/", "GET, OPTIONS, POST")

    @get(
        "/",
        summary="The corporation's webhooks (admins)",
        responses=problem_specs(400, 401, 403, 404),
    )
    async def list_webhooks(
        self, code: CorporationCode, staff: CurrentStaff, db_pool: DbPool
    ) -> list[SubscriptionOut]:
        _admins_only(staff)
        corporation = await _corporation(db_pool, code)
        async with db_pool.acquire() as connection:
            rows = await subscriptions.list_subscriptions(connection, corporation)
        return [_out(row) for row in rows]

    @post(
        "/",
        status_code=201,
        summary="Send the corporation's case events to a URL (admins)",
        description="The answer holds the signing secret; it is shown only this once.",
        responses=problem_specs(400, 401, 403, 404, 413, 415),
    )
    async def add_webhook(
        self,
        code: CorporationCode,
        data: JSONBody[SubscriptionIn],
        staff: CurrentStaff,
        db_pool: DbPool,
        settings: AppSettings,
        pipeline: ChangePipeline,
    ) -> SubscriptionMade:
        _admins_only(staff)
        corporation = await _corporation(db_pool, code)
        url = data.url.strip()
        try:
            await resolve(url, UrlPolicy.of(settings))  # before a connection is taken
        except UrlRefused as refused:
            raise InvalidInput.one("url", str(refused)) from None
        secret = new_secret()
        kinds = subscriptions.event_kinds([kind.value for kind in data.events])
        async with db_pool.acquire() as connection:
            row = await subscriptions.add(
                connection, corporation, url, secret, kinds, pipeline.clock()
            )
        return SubscriptionMade(**msgspec.structs.asdict(_out(row)), secret=secret)

    @delete(
        "/{subscription_id:int}",
        summary="Stop and remove a webhook, with what it had still to send (admins)",
        responses=problem_specs(400, 401, 403, 404),
    )
    async def remove_webhook(
        self,
        code: CorporationCode,
        subscription_id: SubscriptionId,
        staff: CurrentStaff,
        db_pool: DbPool,
    ) -> None:
        _admins_only(staff)
        corporation = await _corporation(db_pool, code)
        async with db_pool.acquire() as connection:
            if not await subscriptions.remove(connection, subscription_id, corporation):
                raise NotFound(NO_SUBSCRIPTION)

    @post(
        "/{subscription_id:int}/enable",
        status_code=200,
        summary="Switch a webhook on again; what it gave up on is sent again, in order (admins)",
        responses=problem_specs(400, 401, 403, 404),
    )
    async def enable_webhook(
        self,
        code: CorporationCode,
        subscription_id: SubscriptionId,
        staff: CurrentStaff,
        db_pool: DbPool,
        pipeline: ChangePipeline,
    ) -> SubscriptionOut:
        _admins_only(staff)
        corporation = await _corporation(db_pool, code)
        async with db_pool.acquire() as connection:
            if not await subscriptions.enable(
                connection, subscription_id, pipeline.clock(), corporation
            ):
                raise NotFound(NO_SUBSCRIPTION)
            rows = await subscriptions.list_subscriptions(connection, corporation)
        return next(_out(row) for row in rows if row["id"] == subscription_id)
