"""A case printed from the browser is a dossier: the home, the reporter (only for who may see
them), the findings with their damage classes, the photos and the history; no menu, no forms,
no buttons. Printed to PDF by Chromium; the PDF's text and images are read back with pypdf."""

import io
import unicodedata
from datetime import UTC, datetime, timedelta

from pypdf import PdfReader

from service.auth.secrets import hash_password
from tests.attachments.images import jpeg_bytes
from tests.attachments.uploading import staff_upload, tenant_upload
from tests.browser.conftest import (
    PASSWORD,
    needs_chromium,
    screenshot,
    serious_accessibility_violations,
    sign_in,
)
from tests.conftest import REPO
from tests.factories import if_match
from tests.world import World

pytestmark = needs_chromium

PRINTS = REPO / "test-output" / "print"
DESKTOP = {"width": 1280, "height": 900}
REPORTER = {"name": "Jan Jansen", "email": "jan@example.nl", "phone": "0612345678"}
FINDINGS = {
    "items": [
        {"location": "woonkamer", "kind": "scheur", "damage_class": 2, "crack_width_mm": 2.5},
        {"location": "keuken", "kind": "tegels los", "damage_class": 1},
    ],
    "acute": False,
    "earthquake_cause": "likely",
}


async def _case_with_findings_and_photos(world: World) -> str:
    """A case inspected with two damage items, a photo of the tenant and one of the inspector."""
    report = await world.report(reporter={**REPORTER, "language": "nl"})
    reference = report["reference"]
    added = await tenant_upload(world.client, report, jpeg_bytes(800, 600))
    assert added.status_code == 201, added.text
    coordinator, inspector = world.who("coordinator"), world.who("inspector")
    await world.move(reference, coordinator, "acknowledged")
    next_week = (datetime.now(UTC) + timedelta(days=7)).isoformat()
    await world.move(reference, coordinator, "inspection_planned", planned_at=next_week)
    version = (await world.case(reference, inspector))["version"]
    recorded = await world.client.post(
        f"/api/v1/cases/{reference}/findings",
        json=FINDINGS,
        headers={**inspector.headers, **if_match(version)},
    )
    assert recorded.status_code == 201, recorded.text
    finding_id = recorded.json()["findings"][0]["id"]
    added = await staff_upload(
        world.client,
        reference,
        inspector,
        jpeg_bytes(600, 800),
        finding_id=str(finding_id),
        damage_item="1",
    )
    assert added.status_code == 201, added.text
    return reference


async def _may_sign_in(conn, role: str, world: World) -> str:
    """The e-mail address the world's person of role signs in to the pages with."""
    return await conn.fetchval(
        "UPDATE users SET password_hash = $1 WHERE id = $2 RETURNING email",
        hash_password(PASSWORD),
        world.who(role).id,
    )


async def _printed(page, name: str) -> tuple[str, int]:
    """The page printed to PDF (kept in test-output/print): its text with the white space
    made single and the ligatures ("ﬁ") undone (NFKC: "…" reads "..."), and how many images
    its pages show."""
    PRINTS.mkdir(parents=True, exist_ok=True)
    data = await page.pdf(format="A4", path=str(PRINTS / f"{name}.pdf"))
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    text = unicodedata.normalize("NFKC", text)
    return text, sum(len(page.images) for page in reader.pages)


async def test_a_coordinator_prints_the_case_as_a_dossier(live_server, conn, browser, world):
    reference = await _case_with_findings_and_photos(world)
    email = await _may_sign_in(conn, "coordinator", world)
    context = await browser.new_context(viewport=DESKTOP)
    page = await context.new_page()
    await sign_in(page, live_server, email)
    await page.goto(f"{live_server}/cases/{reference}")
    assert await serious_accessibility_violations(page) == []
    # What is there to work with on the screen, and must not be on paper.
    controls = await page.locator("button:visible, summary:visible").all_inner_texts()
    assert "Uitloggen" in controls
    assert "Notitie toevoegen" in controls

    await page.emulate_media(media="print")
    await screenshot(page, "case-print-nl")
    heights = await page.locator("#attachments .gallery img").evaluate_all(
        "images => images.map(image => image.getBoundingClientRect().height)"
    )
    assert len(heights) == 2
    assert all(0 < height <= 6 / 2.54 * 96 + 1 for height in heights), heights  # 6 cm
    text, images = await _printed(page, "case-coordinator-nl")

    assert "Aardbevingsschade melden · Dossier van een schademelding" in text
    assert reference in text
    assert "Afgedrukt door Coordinator".lower() in text.lower()
    assert "Herestraat 12 9711 AB Groningen" in text
    assert "Jan Jansen" in text
    assert "jan@example.nl" in text
    assert "0612345678" in text
    assert "woonkamer: scheur, schadeklasse 2, scheurbreedte 2,5 mm" in text
    assert "keuken: tegels los, schadeklasse 1" in text
    assert "Diagonale scheur boven de deur" in text
    for entry in ("Gemeld", "Status gewijzigd", "Bevindingen vastgelegd", "Foto toegevoegd"):
        assert entry in text, entry
    for control in [*controls, "Ingelogd als", "Terug naar de werkvoorraad", "English"]:
        assert control.strip() not in text, control
    # Links print as their words only, never their addresses.
    assert "http" not in text
    assert "/cases/" not in text
    # The tenant's photo and the inspector's (in the gallery and with its damage item).
    assert images == 3
    await context.close()


async def test_an_admin_s_print_keeps_the_reporter_masked(live_server, conn, browser, world):
    reference = await _case_with_findings_and_photos(world)
    email = await _may_sign_in(conn, "admin", world)
    page = await (await browser.new_context(viewport=DESKTOP)).new_page()
    await sign_in(page, live_server, email, language="en")
    await page.goto(f"{live_server}/cases/{reference}")
    await page.emulate_media(media="print")
    await screenshot(page, "case-print-admin-en")
    text, _ = await _printed(page, "case-admin-en")

    assert "Report earthquake damage · Damage report file" in text
    assert "printed by Admin" in text
    assert "damage class 2, crack width 2.5 mm" in text
    assert "J. J." in text
    assert "j...@example.nl" in text
    for contact in ("Jan Jansen", "jan@example.nl", "0612345678"):
        assert contact not in text, contact
    assert "Sign out" not in text
