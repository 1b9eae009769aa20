"""Intake's cost is mostly its round trips to PostgreSQL (issue 15: py-spy showed a third of a
server process's time in sending statements): a report with an Idempotency-Key takes nine
from BEGIN to COMMIT when its home is known (the corporation's and the tenant's e-mails are
queued in one statement), ten when it is not (the corporations near it are looked up)."""

import asyncpg
import msgspec
import pytest

from service.changes.pipeline import Pipeline
from service.notifications import subscriber as notifications
from service.reports.intake import submit_report
from service.reports.schemas import ReportIn


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every statement sent through asyncpg, in order."""
    statements: list[str] = []
    for name in ("execute", "fetch", "fetchrow", "fetchval", "executemany"):
        original = getattr(asyncpg.Connection, name)

        def wrapper(self, query, *args, _original=original, **kwargs):  # type: ignore[no-untyped-def]
            statements.append(query)
            return _original(self, query, *args, **kwargs)

        monkeypatch.setattr(asyncpg.Connection, name, wrapper)
    return statements


@pytest.mark.parametrize(
    ("postcode", "number", "round_trips"), [("9711AB", 1, 9), ("9711AC", 3, 10)]
)
async def test_an_intake_takes_nine_or_ten_round_trips(
    conn: asyncpg.Connection,
    pool: asyncpg.Pool,
    sent: list[str],
    postcode: str,
    number: int,
    round_trips: int,
) -> None:
    corporation = await conn.fetchval(
        "INSERT INTO corporations (code, name, email) VALUES ('lefier', 'Lefier', "
        "'meldingen@lefier.example') RETURNING id"
    )
    await conn.execute(
        "INSERT INTO addresses (corporation_id, postcode, house_number, street, city) "
        "VALUES ($1, '9711AB', 1, 'Oude Ebbingestraat', 'Groningen')",
        corporation,
    )
    sent.clear()
    report = msgspec.convert(
        {
            "category": "crack",
            "description": "Scheur in de muur.",
            "address": {"postcode": postcode, "house_number": number},
            "reporter": {"name": "Huurder", "email": "huurder@example.nl"},
        },
        ReportIn,
    )
    await submit_report(
        pool,
        Pipeline(subscribers=(notifications.notify,)),
        report,
        idempotency_key="round-trips",
        secret_key="test",
        public_base_url="https://schade.example.nl",
    )
    assert sent[0].strip() == "BEGIN;"
    assert sent[-1].strip() == "COMMIT;"
    assert len(sent) == round_trips
