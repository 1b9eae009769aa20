"""The corporation hears of every case routed to it: queued with the change, sent by the
worker, through a real SMTP server."""

import asyncpg
import pytest

from service.changes.pipeline import Pipeline
from service.worker import run_once
from tests.factories import if_match
from tests.notifications.smtp import mailer_to, smtp_server, text_of
from tests.world import OTHER_HOME, OWN_HOME, UNKNOWN_HOME

LEFIER_MAIL = "meldingen@lefier.example"


@pytest.fixture
async def lefier_mail(conn: asyncpg.Connection, world) -> str:
    await conn.execute("UPDATE corporations SET email = $1 WHERE code = 'lefier'", LEFIER_MAIL)
    return LEFIER_MAIL


async def test_a_routed_report_reaches_the_corporation(pool, world, lefier_mail) -> None:
    plain = await world.report(OWN_HOME)
    acute = await world.report(OWN_HOME, acute=True, category="unsafe_situation")
    await world.report(OTHER_HOME)  # Acantus's, which has no e-mail address: nothing to send

    with smtp_server() as (inbox, port):
        done = await run_once(pool, Pipeline(), mailer_to(port))

    assert done.mail.sent == 5  # and each tenant's "report received"
    by_subject = {m["Subject"]: m for m in inbox.messages if m["To"] == lefier_mail}
    assert len(by_subject) == 2
    normal = next(m for s, m in by_subject.items() if plain["reference"] in s)
    urgent = next(m for s, m in by_subject.items() if acute["reference"] in s)
    assert "ACUUT" in urgent["Subject"]
    assert "Acute" in urgent["Subject"]
    assert "ACUUT" not in normal["Subject"]
    assert normal["To"] == lefier_mail
    text = text_of(normal)
    for expected in (
        plain["reference"],
        "Scheur",  # the category, in Dutch
        "Crack",  # and in English
        "9711AB",
        "Herestraat 12",
        f"https://schade.example.nl/cases/{plain['reference']}",
        "Oppakken uiterlijk: ",
        "Acknowledge by",
    ):
        assert expected in text
    # Nothing of the tenant: not their name, e-mail address or description.
    for private in ("Jan Jansen", "jan@example.nl", "Diagonale scheur"):
        assert private not in text
    assert normal["Message-ID"] != urgent["Message-ID"]


async def test_an_unrouted_report_sends_nothing(pool, conn, world, lefier_mail) -> None:
    await world.report(UNKNOWN_HOME)
    assert await conn.fetchval("SELECT count(*) FROM outbox WHERE kind = 'case_routed'") == 0
    with smtp_server() as (inbox, port):
        done = await run_once(pool, Pipeline(), mailer_to(port))
    assert done.mail.sent == 1  # the tenant's "report received" only
    assert [m["To"] for m in inbox.messages] == ["jan@example.nl"]


async def test_a_coordinator_routing_a_case_tells_the_corporation(
    pool, conn, world, lefier_mail
) -> None:
    reference = (await world.report(UNKNOWN_HOME))["reference"]
    coordinator = world.who("coordinator")
    version = (await world.case(reference, coordinator))["version"]
    routed = await world.client.post(
        f"/api/v1/cases/{reference}/route",
        json={"corporation": "lefier"},
        headers={**coordinator.headers, **if_match(version)},
    )
    assert routed.status_code == 200, routed.text
    with smtp_server() as (inbox, port):
        await run_once(pool, Pipeline(), mailer_to(port))
    to_lefier = [m for m in inbox.messages if m["To"] == lefier_mail]
    assert len(to_lefier) == 1
    assert reference in to_lefier[0]["Subject"]
