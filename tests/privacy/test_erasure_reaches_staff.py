"""A tenant's request for erasure does not wait unseen for its month to pass: the corporation
gets an e-mail (with the case and its last day, nothing of the tenant), and the work queue
marks the case."""

import asyncpg

from service.changes.pipeline import Pipeline
from service.domain.dates_in_words import long_date
from service.domain.privacy import erasure_deadline
from service.domain.work_dates import local_day
from service.web.pages import format_day
from service.worker import run_once
from tests.factories import if_match
from tests.notifications.smtp import mailer_to, smtp_server, text_of
from tests.web.session import sign_in
from tests.world import OWN_HOME, World

LEFIER_MAIL = "meldingen@lefier.example"


async def _ask(world: World) -> str:
    report = await world.report(OWN_HOME)
    answer = await world.client.post(
        f"/api/v1/reports/{report['reference']}/erasure",
        headers={"X-Tracking-Token": report["tracking_token"]},
    )
    assert answer.status_code == 202, answer.text
    return report["reference"]


async def test_the_corporation_hears_of_the_request_with_its_last_day(
    pool: asyncpg.Pool, conn: asyncpg.Connection, world: World
) -> None:
    await conn.execute("UPDATE corporations SET email = $1 WHERE code = 'lefier'", LEFIER_MAIL)
    reference = await _ask(world)
    erase_by = erasure_deadline(local_day(await conn.fetchval("SELECT now()")))

    with smtp_server() as (inbox, port):
        await run_once(pool, Pipeline(), mailer_to(port))

    to_lefier = [m for m in inbox.messages if m["To"] == LEFIER_MAIL]
    request = next(m for m in to_lefier if "verwijdering" in m["Subject"])
    assert reference in request["Subject"]
    text = text_of(request)
    assert f"vóór het einde van {long_date(erase_by, 'nl')}" in text
    assert f"https://schade.example.nl/cases/{reference}" in text
    for private in ("Jan Jansen", "jan@example.nl"):
        assert private not in text


async def test_the_work_queue_marks_the_request_until_it_is_carried_out(
    conn: asyncpg.Connection, world: World
) -> None:
    reference = await _ask(world)
    erase_by = await conn.fetchval("SELECT erase_by FROM cases WHERE reference = $1", reference)
    await sign_in(world.client, conn, world.who("manager").id)
    page = (await world.client.get("/work")).text
    row = page.split(f'href="/cases/{reference}"', 1)[1].split("</tr>", 1)[0]
    assert f"Verwijderen uiterlijk {format_day(erase_by)}" in row

    manager = world.who("manager")
    version = (await world.case(reference, manager))["version"]
    erased = await world.client.post(
        f"/api/v1/cases/{reference}/erasure", headers={**manager.headers, **if_match(version)}
    )
    assert erased.status_code == 200, erased.text
    page = (await world.client.get("/work")).text
    assert "Verwijderen uiterlijk" not in page
