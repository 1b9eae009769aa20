"""A case with everything personal a case can collect, and the tools to look for it.

Each personal value is a word found nowhere else in the test data, so that a scan of every
table and every stored object can tell whether any of it is left.
"""

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import pypdf

from tests import factories
from tests.attachments.images import jpeg_bytes
from tests.attachments.uploading import staff_upload, tenant_headers, tenant_upload
from tests.factories import if_match
from tests.world import World

NAME = "Aaltje Zwanenburg"
EMAIL = "aaltje.zwanenburg@voorbeeld.nl"
PHONE = "0612398745"
STREET = "Kievitsbloemstraat"
CITY = "Westerwijtwerd"
HOUSE_NUMBER = 87613
POSTCODE = "9712KD"
BAG_ID = "0014010011223344"
DESCRIPTION = "Scheur boven de Vlinderslag-deur in de woonkamer"
MESSAGE = "De Kwartelkoning-scheur is breder geworden"
NOTE_TO_TENANT = "Beste mevrouw Zwanenburg, wij komen dinsdag"
INTERNAL_NOTE = "Bel 0612398745 voor de sleutel"
SUMMARY = "Mevrouw Zwanenburg toonde de Reigersbek-scheur"
ITEM_DESCRIPTION = "Scheur naast de Ooievaarsnest-kast"
# What must be gone after anonymising: whole values and the words only this case uses.
PERSONAL = (
    NAME,
    "Zwanenburg",
    EMAIL,
    PHONE,
    STREET,
    CITY,
    POSTCODE,
    BAG_ID,
    "Vlinderslag",
    "Kwartelkoning",
    "Reigersbek",
    "Ooievaarsnest",
)
# A house number is digits: looked for as a number of its own, not inside another.
HOUSE_NUMBER_ALONE = re.compile(rf"(?<![0-9A-Za-z]){HOUSE_NUMBER}(?![0-9A-Za-z])")

# The other tenant's case stays as it is: the scan finds their name, so it can fail.
OTHER_NAME = "Berend Tjalsma"

# The portfolio register lists the corporation's homes (no tenant): the home stays there.
NOT_ABOUT_THE_TENANT = frozenset({"addresses", "schema_migrations"})


def pdf_with_name() -> bytes:
    """A document that names the tenant in its metadata, as an inspection report would."""
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Author": NAME, "/Subject": f"{STREET} {HOUSE_NUMBER}"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@dataclass
class RichCase:
    reference: str
    token: str
    report: dict[str, Any]


async def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return response.json() if response.content else {}


async def build_rich_case(
    world: World, conn: asyncpg.Connection, *, close: bool = True
) -> RichCase:
    """Reported, messaged, photographed, noted, inspected with findings, a document, webhook
    deliveries and e-mails queued; closed by the tenant's confirmation when close is set."""
    client = world.client
    await factories.home(
        conn,
        world.corporations["lefier"],
        POSTCODE,
        HOUSE_NUMBER,
        house_letter="B",
        bag_id=BAG_ID,
        street=STREET,
        city=CITY,
    )
    await _ok(
        await client.post(
            "/api/v1/corporations/lefier/webhooks",
            json={
                "url": "http://127.0.0.1:9/hook",
                "events": ["reported", "note", "status_changed"],
            },
            headers=world.who("admin").headers,
        ),
        201,
    )
    body = factories.report_body(
        description=DESCRIPTION,
        address={"postcode": POSTCODE, "house_number": HOUSE_NUMBER, "house_letter": "B"},
        reporter={"name": NAME, "email": EMAIL, "phone": PHONE, "language": "nl"},
    )
    report = await _ok(
        await client.post("/api/v1/reports", json=body, headers={"Idempotency-Key": "rich-1"}),
        201,
    )
    reference = report["reference"]
    tenant = tenant_headers(report)
    await _ok(
        await client.post(
            f"/api/v1/reports/{reference}/messages", json={"text": MESSAGE}, headers=tenant
        ),
        201,
    )
    await _ok(await tenant_upload(client, report, jpeg_bytes()), 201)
    await _ok(await client.post("/api/v1/reports/links", json={"email": EMAIL}), 202)

    manager = world.who("manager")
    await world.move(reference, manager, "acknowledged")
    for text, visibility in ((NOTE_TO_TENANT, "tenant"), (INTERNAL_NOTE, "internal")):
        version = (await world.case(reference, manager))["version"]
        await _ok(
            await client.post(
                f"/api/v1/cases/{reference}/notes",
                json={"text": text, "visibility": visibility},
                headers={**manager.headers, **if_match(version)},
            ),
            201,
        )
    await world.move(reference, manager, "on_hold", reason=f"Wacht op {NAME}")
    await world.move(reference, manager, "acknowledged")
    await _ok(await _findings_after_planning(world, reference), 201)
    await _ok(
        await staff_upload(
            client,
            reference,
            manager,
            pdf_with_name(),
            name="rapport.pdf",
            title=f"Rapport {NAME}",
            visible_to_tenant="true",
        ),
        201,
    )
    if close:
        await world.move(reference, manager, "resolved")
        await _ok(await client.post(f"/api/v1/reports/{reference}/confirm", headers=tenant))
    return RichCase(reference, report["tracking_token"], report)


async def _findings_after_planning(world: World, reference: str) -> Any:
    """Plan the inspection, then record its findings (which marks it inspected)."""
    manager = world.who("manager")
    case = await world.case(reference, manager)
    planned = case["reported_at"]
    await world.move(reference, manager, "inspection_planned", planned_at=planned)
    version = (await world.case(reference, manager))["version"]
    return await world.client.post(
        f"/api/v1/cases/{reference}/findings",
        json={
            "items": [
                {
                    "location": "woonkamer",
                    "kind": "scheur",
                    "damage_class": 2,
                    "crack_width_mm": 1.5,
                    "description": ITEM_DESCRIPTION,
                }
            ],
            "acute": False,
            "earthquake_cause": "likely",
            "summary": SUMMARY,
        },
        headers={**manager.headers, **if_match(version)},
    )


async def other_tenants_case(world: World) -> str:
    report = await world.report(
        reporter={"name": OTHER_NAME, "email": "berend@example.nl", "language": "nl"}
    )
    return report["reference"]


async def rows_with(conn: asyncpg.Connection, words: tuple[str, ...]) -> dict[str, list[str]]:
    """Per table (the register and the migrations' own aside): the words found in any row."""
    tables = [
        row["table_name"]
        for row in await conn.fetch(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
        )
    ]
    found: dict[str, list[str]] = {}
    for table in tables:
        if table in NOT_ABOUT_THE_TENANT:
            continue
        # Names from the catalogue, not from input.
        rows = await conn.fetch(f'SELECT t::text AS row FROM "{table}" t')  # noqa: S608
        text = "\n".join(row["row"] for row in rows).lower()
        hits = [word for word in words if word.lower() in text]
        if HOUSE_NUMBER_ALONE.search(text):
            hits.append(str(HOUSE_NUMBER))
        if hits:
            found[table] = hits
    return found


def objects_with(folder: Path, words: tuple[str, ...]) -> list[str]:
    """The stored objects (every file under the store's folder) holding any of the words."""
    hits = []
    for path in folder.rglob("*"):
        if path.is_file():
            content = path.read_bytes().lower()
            if any(word.lower().encode() in content for word in words):
                hits.append(str(path.relative_to(folder)))
    return hits


def stored_attachments(folder: Path) -> set[str]:
    """The attachment ids that have objects in the store's folder."""
    return {path.relative_to(folder).parts[0] for path in folder.rglob("*") if path.is_file()}


async def attachment_keys(conn: asyncpg.Connection, reference: str) -> list[str]:
    rows = await conn.fetch(
        "SELECT a.id, a.kind FROM attachments a JOIN cases c ON c.id = a.case_id "
        "WHERE c.reference = $1",
        reference,
    )
    return [str(row["id"]) for row in rows]
