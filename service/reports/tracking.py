"""The tenant's own view of a case, opened with the tracking token."""

from collections.abc import Iterable
from datetime import datetime

import asyncpg

from service.attachments.views import tenant_attachment, tenant_base
from service.domain.permissions import TenantAction, tenant_actions
from service.domain.workflow import PLANNED_VISIT_STATUSES, Status
from service.reports import store
from service.reports.schemas import DeadlinesOut, Language, TenantCaseView, TimelineEntry
from service.reports.timeline import timeline_text
from service.reports.tokens import hash_matches, token_hash

# Compared with when the reference is unknown, so that an unknown reference and a wrong token
# take the same steps (no token's hash is all zeros, as good as certain).
_NO_CASE_HASH = bytes(32)


def timeline_of(
    events: Iterable[asyncpg.Record | store.PublicEvent], language: Language
) -> list[TimelineEntry]:
    """The public events in the tenant's words."""
    return [
        TimelineEntry(
            at=event["at"],
            kind=event["kind"],
            status=event["to_status"],  # type: ignore[arg-type]  # a Status, as stored
            text=timeline_text(
                event["kind"], event["to_status"], event["data"], language, event["at"]
            ),
        )
        for event in events
    ]


async def tenant_case(
    pool: asyncpg.Pool, reference: str, token: str | None
) -> asyncpg.Record | None:
    """The case's row (store.status_of) for its own token; None for an unknown reference and
    for a wrong token alike: nothing is leaked."""
    presented = token_hash(token or "")
    async with pool.acquire() as connection:
        case = await store.status_of(connection, reference, presented)
    stored = _NO_CASE_HASH if case is None else case["tracking_token_hash"]
    if not hash_matches(presented, stored) or case is None or not token:
        return None
    return case


def allowed_now(case: asyncpg.Record, now: datetime) -> tuple[TenantAction, ...]:
    """What the tenant may do with the case now: all that the time changes in their view."""
    return tenant_actions(Status(case["status"]), case["resolved_at"], now)


def view_of(
    case: asyncpg.Record, allowed_actions: Iterable[TenantAction], language: Language | None = None
) -> TenantCaseView:
    """The tenant's view of a case read by tenant_case: made from the row, what they may do
    (allowed_now) and the language alone, so that the same three give the same view.

    The texts are in `language` when given (the page's choice), else in the tenant's.
    """
    # cases.language is constrained to the same two languages as the schema's.
    texts_language: Language = language or case["language"]
    status = Status(case["status"])
    base = tenant_base(case["reference"])
    return TenantCaseView(
        reference=case["reference"],
        language=texts_language,
        status=status,
        category=case["category"],
        description=case["description"],
        acute=case["acute"],
        urgency=case["urgency"],
        corporation_name=case["corporation_name"],
        reported_at=case["reported_at"],
        deadlines=DeadlinesOut.of(case["acknowledge_by"], case["inspect_by"], case["resolve_by"]),
        planned_visit=case["planned_at"] if status in PLANNED_VISIT_STATUSES else None,
        timeline=timeline_of(store.STATUS_EVENTS.decode(case["events"]), texts_language),
        allowed_actions=list(allowed_actions),
        attachments=[
            tenant_attachment(base, row, status)
            for row in store.STATUS_ATTACHMENTS.decode(case["attachments"])
        ],
        erase_by=case["erase_by"],
    )


async def tenant_view(
    pool: asyncpg.Pool,
    reference: str,
    token: str | None,
    now: datetime,
    language: Language | None = None,
) -> TenantCaseView | None:
    """The view of the case opened with this token; None for an unknown reference and for a
    wrong token alike."""
    case = await tenant_case(pool, reference, token)
    return None if case is None else view_of(case, allowed_now(case, now), language)
