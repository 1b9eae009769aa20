"""The tenant's status read (issue 15): one statement a request, the same rows as the
queries it replaced, and a wrong token costs what an unknown reference costs."""

import hmac
import uuid
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import pytest

from service.attachments import store as attachment_store
from service.reports import store, tokens
from service.reports.tokens import token_hash
from service.reports.tracking import tenant_view
from tests import factories
from tests.factories import report_body

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


@pytest.fixture
async def report(client, conn) -> dict[str, Any]:
    """A routed report with a tenant's addition and a photo of theirs, and a staff
    document the tenant does not see."""
    corporation_id = await factories.corporation(conn, "lefier", "Lefier")
    await factories.home(conn, corporation_id, "9711AB", 12)
    created = (await client.post("/api/v1/reports", json=report_body())).json()
    added = await client.post(
        f"/api/v1/reports/{created['reference']}/messages",
        json={"text": "Ook een scheur in de keuken."},
        headers={"X-Tracking-Token": created["tracking_token"]},
    )
    assert added.status_code == 201, added.text
    case_id = await conn.fetchval("SELECT id FROM cases WHERE reference = $1", created["reference"])
    staff = await factories.user(conn, "manager", corporation_id)
    for added_by, visible, kind, title in (
        (None, True, "photo", None),
        (staff, False, "document", "Intern rapport"),
    ):
        await attachment_store.insert(
            conn,
            attachment_store.NewAttachment(
                id=uuid.uuid4(),
                case_id=case_id,
                kind=kind,
                content_type="image/jpeg" if kind == "photo" else "application/pdf",
                byte_size=1000,
                width=800 if kind == "photo" else None,
                height=600 if kind == "photo" else None,
                title=title,
                added_by=added_by,
                visible_to_tenant=visible,
            ),
            NOW,
        )
    return created | {"case_id": case_id}


class CountingPool:
    """A pool whose connections count the statements sent through them."""

    def __init__(self, pool) -> None:
        self._pool = pool
        self.statements = 0

    @asynccontextmanager
    async def acquire(self):
        async with self._pool.acquire() as connection:
            yield _Counting(connection, self)


class _Counting:
    def __init__(self, connection, pool: CountingPool) -> None:
        self._connection = connection
        self._pool = pool

    def __getattr__(self, name: str):
        if name in ("fetch", "fetchrow", "fetchval", "execute"):
            self._pool.statements += 1
        return getattr(self._connection, name)


async def test_the_status_read_is_one_statement(pool, report):
    counting = CountingPool(pool)
    view = await tenant_view(counting, report["reference"], report["tracking_token"], NOW)  # type: ignore[arg-type]
    assert view is not None
    assert [entry.kind for entry in view.timeline] == ["reported", "routed", "tenant_message"]
    assert [attachment.kind for attachment in view.attachments] == ["photo"]
    assert counting.statements == 1


async def test_the_statement_reads_what_the_separate_queries_read(conn, report):
    row = await store.status_of(conn, report["reference"], token_hash(report["tracking_token"]))
    events = await store.public_events(conn, report["case_id"])
    attachments = await attachment_store.of_case(conn, report["case_id"], tenant_only=True)
    # Timestamps keep their microseconds and their zone (UTC) through the JSON.
    assert store.STATUS_EVENTS.decode(row["events"]) == [dict(event) for event in events]
    assert store.STATUS_ATTACHMENTS.decode(row["attachments"]) == [
        {key: attachment[key] for key in store.TenantAttachmentRow.__annotations__}
        for attachment in attachments
    ]


async def test_a_wrong_token_reads_no_history(conn, report):
    """A wrong token gets the case's row without its events and attachments: about the work
    of an unknown reference, which finds no row."""
    row = await store.status_of(conn, report["reference"], token_hash("not-the-token"))
    assert row["events"] == row["attachments"] == "[]"
    assert await store.status_of(conn, "SCH-2026-999999", token_hash("not-the-token")) is None


async def test_unknown_reference_and_wrong_token_are_compared_alike(client, report, monkeypatch):
    compared: list[tuple[bytes, bytes]] = []
    real_compare = hmac.compare_digest

    def spy(presented: bytes, stored: bytes) -> bool:
        compared.append((presented, stored))
        return real_compare(presented, stored)

    monkeypatch.setattr(tokens.hmac, "compare_digest", spy)
    wrong = await client.get(
        f"/api/v1/reports/{report['reference']}", headers={"X-Tracking-Token": "not-the-token"}
    )
    missing = await client.get(
        "/api/v1/reports/SCH-2026-999999", headers={"X-Tracking-Token": report["tracking_token"]}
    )
    assert wrong.status_code == missing.status_code == 404
    assert wrong.json() == missing.json()
    # Each compared the presented token's hash with a stored one (or a stand-in) in constant
    # time, once.
    assert [presented for presented, _ in compared] == [
        token_hash("not-the-token"),
        token_hash(report["tracking_token"]),
    ]
    assert [len(stored) for _, stored in compared] == [32, 32]
