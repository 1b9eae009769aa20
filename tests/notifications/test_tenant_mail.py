"""The tenant hears of each change that concerns them, once, in their language, by e-mail
(plain text and HTML), with a working tracking link, and nobody else gets their mail."""

import re
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

import asyncpg
import icalendar
import pytest

from service.changes.pipeline import Pipeline, system_clock
from service.domain.calendar import AMSTERDAM
from service.domain.dates_in_words import long_date
from service.domain.permissions import TENANT_REACTION_WINDOW
from service.notifications import subscriber as notifications
from service.worker import run_once
from tests.factories import if_match
from tests.notifications.smtp import BASE_URL, mailer_to, smtp_server, text_of
from tests.world import OWN_HOME, UNKNOWN_HOME, World

TENANT_MAIL = "jan@example.nl"
LINK = re.compile(re.escape(BASE_URL) + r"/t/(SCH-\d{4}-\d+)\?token=([A-Za-z0-9_-]+)")


async def deliver(pool: asyncpg.Pool, at: datetime | None = None) -> list[EmailMessage]:
    """One worker round through a real SMTP server: what arrived."""
    clock = (lambda: at) if at is not None else system_clock
    # As the worker's: its own changes (closing unanswered repairs) queue mail too.
    pipeline = Pipeline(clock=clock, subscribers=(notifications.notify,))
    with smtp_server() as (inbox, port):
        await run_once(pool, pipeline, mailer_to(port))
    return inbox.messages


def html_of(message: EmailMessage) -> str:
    part = message.get_body(("html",))
    assert part is not None
    return part.get_content()


def plain_of(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return part.get_content().replace("\r\n", "\n")


async def only_one(pool: asyncpg.Pool, *, to: str = TENANT_MAIL) -> EmailMessage:
    messages = await deliver(pool)
    assert [m["To"] for m in messages] == [to], [m["Subject"] for m in messages]
    return messages[0]


async def assert_link_works(world: World, message: EmailMessage, reference: str) -> None:
    """The link in both parts opens the report, on the API and the tracking page."""
    match = LINK.search(plain_of(message))
    assert match is not None, plain_of(message)
    assert match.group(1) == reference
    assert match.group(0).replace("&", "&amp;") in html_of(message)
    token = match.group(2)
    api = await world.client.get(
        f"/api/v1/reports/{reference}", headers={"X-Tracking-Token": token}
    )
    assert api.status_code == 200, api.text
    page = await world.client.get(f"/t/{reference}", params={"token": token})
    assert page.status_code == 200


async def assert_no_token_in_outbox(conn: asyncpg.Connection, token: str) -> None:
    assert await conn.fetchval("SELECT count(*) FROM outbox") > 0
    assert (
        await conn.fetchval(
            "SELECT count(*) FROM outbox WHERE payload::text LIKE '%' || $1 || '%' "
            "OR recipient LIKE '%' || $1 || '%'",
            token,
        )
        == 0
    )


async def note(world: World, reference: str, text: str, visibility: str) -> None:
    inspector = world.who("inspector")
    version = (await world.case(reference, inspector))["version"]
    response = await world.client.post(
        f"/api/v1/cases/{reference}/notes",
        json={"text": text, "visibility": visibility},
        headers={**inspector.headers, **if_match(version)},
    )
    assert response.status_code == 201, response.text


async def record_findings(world: World, reference: str) -> None:
    inspector = world.who("inspector")
    version = (await world.case(reference, inspector))["version"]
    response = await world.client.post(
        f"/api/v1/cases/{reference}/findings",
        json={
            "items": [{"location": "woonkamer", "kind": "scheur", "damage_class": 2}],
            "acute": False,
            "earthquake_cause": "likely",
        },
        headers={**inspector.headers, **if_match(version)},
    )
    assert response.status_code == 201, response.text


def calendar_of(message: EmailMessage) -> icalendar.Calendar:
    [attachment] = [
        part for part in message.iter_attachments() if part.get_content_type() == "text/calendar"
    ]
    assert attachment.get_param("method") == "PUBLISH"
    assert attachment.get_filename().endswith(".ics")
    return icalendar.Calendar.from_ical(attachment.get_content())


def planned(days: int, hour: int) -> datetime:
    """A visit days from now at hour:00 Amsterdam time (11:00 UTC is 12:00 in winter)."""
    day = (datetime.now(UTC) + timedelta(days=days)).date()
    return datetime(day.year, day.month, day.day, hour - 1, 0, tzinfo=UTC)


async def test_a_dutch_tenant_hears_of_every_step_once(pool, conn, world) -> None:
    inspector = world.who("inspector")
    created = await world.report(OWN_HOME)
    reference, token = created["reference"], created["tracking_token"]

    # Report received: reference, link, who contacts them and by which day.
    received = await only_one(pool)
    assert received["Subject"] == f"Uw schademelding {reference} is ontvangen"
    deadline = datetime.fromisoformat(created["deadlines"]["acknowledge_by"])
    last_day = long_date(deadline - timedelta(seconds=1), "nl")
    assert re.fullmatch(r"[a-z]+dag \d{1,2} [a-z]+ \d{4}", last_day)
    text = plain_of(received)
    assert f"Uw referentie is {reference}." in text
    assert f"Lefier neemt uiterlijk {last_day} contact met u op." in text
    assert "Lefier neemt uiterlijk" in html_of(received)
    assert "Bewaar deze e-mail goed." in text
    assert 'lang="nl"' in html_of(received)
    await assert_link_works(world, received, reference)
    assert LINK.search(text).group(2) == token  # the link is the one intake showed

    await world.move(reference, inspector, "acknowledged")
    message = await only_one(pool)
    assert message["Subject"] == f"Uw melding {reference} is in behandeling"
    assert "Lefier heeft uw melding" in plain_of(message)
    await assert_link_works(world, message, reference)

    visit = planned(days=3, hour=10)
    await world.move(reference, inspector, "inspection_planned", planned_at=visit.isoformat())
    message = await only_one(pool)
    assert message["Subject"] == f"Afspraak voor de inspectie – melding {reference}"
    assert f"{long_date(visit, 'nl')} om 10:00 uur" in plain_of(message)
    assert "Herestraat 12, 9711AB Groningen" in plain_of(message)
    event = calendar_of(message).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == visit
    assert event.decoded("DTEND") == visit + timedelta(hours=1)
    assert str(event["LOCATION"]) == "Herestraat 12, 9711AB Groningen"
    assert reference in str(event["SUMMARY"])
    first_uid, first_sequence = str(event["UID"]), int(event["SEQUENCE"])
    await assert_link_works(world, message, reference)

    # Planned again: the same calendar item, moved.
    later = visit + timedelta(days=1, hours=3)
    await world.move(reference, inspector, "inspection_planned", planned_at=later.isoformat())
    message = await only_one(pool)
    assert message["Subject"].startswith("Nieuwe afspraak voor de inspectie")
    assert "is verzet" in plain_of(message)
    event = calendar_of(message).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == later
    assert str(event["UID"]) == first_uid
    assert int(event["SEQUENCE"]) > first_sequence

    await note(world, reference, "Wij bellen u een dag van tevoren.\nTot dan!", "tenant")
    message = await only_one(pool)
    assert message["Subject"] == f"Bericht over uw melding {reference}"
    assert "> Wij bellen u een dag van tevoren.\n> Tot dan!" in plain_of(message)
    assert "Wij bellen u een dag van tevoren.<br>Tot dan!" in html_of(message)

    # Nothing for the tenant: an internal note, the findings (inspected), an assignment.
    await note(world, reference, "Intern: lastige huurder?", "internal")
    await record_findings(world, reference)
    assert await deliver(pool) == []

    repair = planned(days=10, hour=14)
    await world.move(reference, inspector, "repair_planned", planned_at=repair.isoformat())
    message = await only_one(pool)
    assert message["Subject"] == f"Afspraak voor het herstel – melding {reference}"
    assert f"{long_date(repair, 'nl')} om 14:00 uur" in plain_of(message)
    event = calendar_of(message).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == repair
    assert str(event["UID"]) != first_uid

    before = datetime.now(UTC)
    await world.move(reference, inspector, "resolved")
    message = await only_one(pool)
    assert "bevestig of heropen" in message["Subject"]
    text = plain_of(message)
    react_before = before + TENANT_REACTION_WINDOW
    assert f"vóór {long_date(react_before, 'nl')} om" in text
    assert "heropenen" in text
    await assert_link_works(world, message, reference)

    confirmed = await world.client.post(
        f"/api/v1/reports/{reference}/confirm", headers={"X-Tracking-Token": token}
    )
    assert confirmed.status_code == 200, confirmed.text
    message = await only_one(pool)
    assert message["Subject"] == f"Uw melding {reference} is afgesloten"
    assert "Bedankt voor uw bevestiging." in plain_of(message)

    assert await deliver(pool) == []  # each once: nothing left
    kinds = [row["kind"] for row in await conn.fetch("SELECT kind FROM outbox ORDER BY created_at")]
    assert kinds == [
        "tenant_report_received",
        "tenant_acknowledged",
        "tenant_visit_planned",
        "tenant_visit_planned",
        "tenant_note",
        "tenant_visit_planned",
        "tenant_resolved",
        "tenant_closed",
    ]
    await assert_no_token_in_outbox(conn, token)
    assert (
        await conn.fetchval("SELECT count(*) FROM outbox WHERE recipient <> $1", TENANT_MAIL) == 0
    )


def english(**overrides: Any) -> dict[str, Any]:
    reporter = {"name": "Jane Smith", "email": "jane@example.com", "language": "en"}
    return {"reporter": reporter, **overrides}


async def test_an_english_tenant_is_written_to_in_english(pool, conn, world) -> None:
    inspector, coordinator = world.who("inspector"), world.who("coordinator")
    created = await world.report(OWN_HOME, **english())
    reference, token = created["reference"], created["tracking_token"]
    deadline = datetime.fromisoformat(created["deadlines"]["acknowledge_by"])

    received = await only_one(pool, to="jane@example.com")
    assert received["Subject"] == f"We received your damage report {reference}"
    last_day = long_date(deadline - timedelta(seconds=1), "en")
    assert re.fullmatch(r"[A-Z][a-z]+day \d{1,2} [A-Z][a-z]+ \d{4}", last_day)
    assert f"Lefier will contact you by {last_day}." in plain_of(received)
    assert 'lang="en"' in html_of(received)
    await assert_link_works(world, received, reference)

    await world.move(reference, inspector, "acknowledged")
    message = await only_one(pool, to="jane@example.com")
    assert message["Subject"] == f"Your report {reference} is being handled"

    visit = planned(days=2, hour=9)
    await world.move(reference, inspector, "inspection_planned", planned_at=visit.isoformat())
    message = await only_one(pool, to="jane@example.com")
    assert "An appointment is planned for the inspection of the damage: " in plain_of(message)
    assert f"{long_date(visit, 'en')} at 09:00" in plain_of(message)
    assert calendar_of(message).walk("VEVENT")[0].decoded("DTSTART") == visit

    await record_findings(world, reference)
    assert await deliver(pool) == []
    await world.move(
        reference, inspector, "referred", referred_to="NCG", external_reference="NCG-2026-777"
    )
    message = await only_one(pool, to="jane@example.com")
    assert message["Subject"] == f"Your report {reference} was passed on to NCG"
    text = plain_of(message)
    assert "the National Coordinator Groningen (NCG)" in text
    assert "Your reference at NCG is NCG-2026-777." in text

    await note(world, reference, "We will call you first.", "tenant")
    message = await only_one(pool, to="jane@example.com")
    assert message["Subject"] == f"A message about your report {reference}"

    await world.move(reference, inspector, "resolved")
    message = await only_one(pool, to="jane@example.com")
    assert message["Subject"] == f"Damage repaired – confirm or reopen report {reference}"
    assert "Please confirm it with the link below, before " in plain_of(message)

    # The tenant reopens it: they did that themselves, so no e-mail about it.
    reopened = await world.client.post(
        f"/api/v1/reports/{reference}/reopen",
        json={"reason": "The crack is back."},
        headers={"X-Tracking-Token": token},
    )
    assert reopened.status_code == 200, reopened.text
    assert await deliver(pool) == []

    # A coordinator closing a case by hand: the plain "closed" message.
    await world.move(reference, inspector, "inspection_planned", planned_at=visit.isoformat())
    assert len(await deliver(pool)) == 1
    await record_findings(world, reference)
    await world.move(reference, inspector, "resolved")
    assert len(await deliver(pool)) == 1
    await world.move(reference, coordinator, "closed")
    message = await only_one(pool, to="jane@example.com")
    assert message["Subject"] == f"Your report {reference} is closed"
    assert "If the damage comes back" in plain_of(message)
    await assert_no_token_in_outbox(conn, token)


async def test_acute_and_unrouted_reports_say_who_calls_and_when(pool, conn, world) -> None:
    acute = await world.report(OWN_HOME, acute=True, category="unsafe_situation")
    message = await only_one(pool)
    deadline = datetime.fromisoformat(acute["deadlines"]["acknowledge_by"])
    text = plain_of(message)
    assert "Lefier neemt binnen 4 uur contact met u op" in text
    local = deadline.astimezone(AMSTERDAM)
    assert f"uiterlijk om {local:%H:%M} uur op {long_date(deadline, 'nl')}" in text
    assert "Bel 112" in text
    # Without an emergency number the e-mail says where the tenant finds it; with one, the
    # number itself (issue 13, point 2).
    assert "Bel het spoednummer van Lefier. Dat staat op hun website" in text
    await conn.execute("UPDATE corporations SET emergency_phone = '088-123 45 67'")
    await world.report(OWN_HOME, acute=True, category="unsafe_situation")
    text = plain_of(await only_one(pool))
    assert "'s nachts of in het weekend? Bel het spoednummer van Lefier: 088-123 45 67." in text

    unrouted = await world.report(UNKNOWN_HOME, **english())
    message = await only_one(pool, to="jane@example.com")
    assert unrouted["reference"] in message["Subject"]
    assert "The regional coordinator will contact you by " in plain_of(message)


async def test_the_worker_closing_an_unanswered_repair_says_why(pool, world) -> None:
    inspector = world.who("inspector")
    reference = (await world.report(OWN_HOME))["reference"]
    await world.move(reference, inspector, "acknowledged")
    await world.move(
        reference, inspector, "inspection_planned", planned_at=planned(1, 10).isoformat()
    )
    await record_findings(world, reference)
    await world.move(reference, inspector, "resolved")
    assert len(await deliver(pool)) == 4

    messages = await deliver(
        pool, at=datetime.now(UTC) + TENANT_REACTION_WINDOW + timedelta(hours=1)
    )
    assert [m["Subject"] for m in messages] == [f"Uw melding {reference} is afgesloten"]
    assert "niet laten weten" in plain_of(messages[0])


@pytest.mark.parametrize("reporter", [{"name": "Piet", "phone": "0612345678"}])
async def test_no_e_mail_address_no_e_mail(pool, conn, world, reporter) -> None:
    inspector = world.who("inspector")
    reference = (await world.report(OWN_HOME, reporter=reporter))["reference"]
    await world.move(reference, inspector, "acknowledged")
    await note(world, reference, "Wij bellen u.", "tenant")
    assert await conn.fetchval("SELECT count(*) FROM outbox") == 0
    assert await deliver(pool) == []


async def test_a_staff_reopening_tells_the_tenant(pool, world) -> None:
    inspector, coordinator = world.who("inspector"), world.who("coordinator")
    reference = (await world.report(OWN_HOME))["reference"]
    await world.move(reference, inspector, "rejected", reason="not_damage")
    assert len(await deliver(pool)) == 1  # received; a rejection is not (yet) mailed
    await world.move(reference, coordinator, "acknowledged", reason="Toch schade.")
    message = await only_one(pool)
    assert message["Subject"] == f"Uw melding {reference} is heropend"
    assert text_of(message).count(reference) >= 2
