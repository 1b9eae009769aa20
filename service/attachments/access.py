"""Who may reach a case's attachments: the same rules as the case itself.

The tenant opens them with the tracking token; staff within their scope. A wrong token, an
unknown reference and another corporation's case all answer the same 404. These checks run
before an upload is read; the change checks again with the case locked.
"""

import uuid
from datetime import datetime

import asyncpg

from service.attachments import store
from service.auth.staff import Staff
from service.cases.store import case_id_by_reference
from service.changes.pipeline import CASE_NOT_FOUND
from service.db import Connection
from service.domain.attachments import check_tenant_photo_room
from service.domain.errors import NotFound
from service.domain.permissions import TenantAction, check_tenant
from service.domain.roles import Permission
from service.domain.workflow import Status
from service.reports.store import case_for_tenant
from service.reports.tenant_actions import NOT_FOUND
from service.reports.tokens import token_matches


async def tenant_case(connection: Connection, reference: str, token: str | None) -> asyncpg.Record:
    case = await case_for_tenant(connection, reference)
    if case is None or not token or not token_matches(token, case["tracking_token_hash"]):
        raise NotFound(NOT_FOUND)
    return case


async def check_tenant_may_add(connection: Connection, case: asyncpg.Record, now: datetime) -> None:
    check_tenant(TenantAction.ADD_PHOTOS, Status(case["status"]), case["resolved_at"], now)
    check_tenant_photo_room(await store.tenant_photo_count(connection, case["id"]))


async def staff_case_id(
    connection: Connection, reference: str, staff: Staff, *, changing: bool = False
) -> uuid.UUID:
    case_id = await case_id_by_reference(connection, reference, staff.scope)
    if case_id is None:
        raise NotFound(CASE_NOT_FOUND)
    if changing:
        staff.require(Permission.WORK_CASES)
    return case_id
