"""The tenant downloads everything kept about their report (issue 14, "Access", AVG art. 15):
one ZIP from the API and from the tracking page, with what the tenant may see and no more."""

import io
import json
import zipfile
from pathlib import Path

from litestar.testing import AsyncTestClient

from service.app import create_app
from service.settings import RateLimit
from tests.attachments.images import jpeg_with_gps_and_orientation, pdf_bytes
from tests.attachments.uploading import staff_upload, tenant_headers, tenant_upload
from tests.factories import if_match, report_body, set_case_columns
from tests.faults.test_rate_limits import assert_page_429, assert_problem_429, limited
from tests.world import OWN_HOME

SECRET_NOTE = "Interne notitie: buurman klaagt vaak"
SHARED_NOTE = "Wij komen dinsdag langs"


def _zip(response) -> zipfile.ZipFile:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["cache-control"] == "no-store"
    return zipfile.ZipFile(io.BytesIO(response.content))


async def _note(world, reference: str, text: str, visibility: str) -> None:
    version = (await world.case(reference, world.who("admin")))["version"]
    response = await world.client.post(
        f"/api/v1/cases/{reference}/notes",
        json={"text": text, "visibility": visibility},
        headers={**world.who("inspector").headers, **if_match(version)},
    )
    assert response.status_code == 201, response.text


async def _a_followed_report(world) -> tuple[dict, dict[str, str]]:
    """A report with a tenant's photo, a shared document, an internal photo, a note for the
    tenant, an internal note, the tenant's addition and a status move; its file ids."""
    reporter = {"name": "Jan Jansen", "email": "jan@example.nl", "phone": "0501234567"}
    report = await world.report(reporter=reporter)
    reference = report["reference"]
    inspector = world.who("inspector")
    photo = await tenant_upload(world.client, report, jpeg_with_gps_and_orientation(80, 60))
    shared = await staff_upload(
        world.client, reference, inspector, pdf_bytes(), title="Rapport", visible_to_tenant="true"
    )
    internal = await staff_upload(
        world.client, reference, inspector, jpeg_with_gps_and_orientation(40, 30)
    )
    assert {photo.status_code, shared.status_code, internal.status_code} == {201}
    await world.client.post(
        f"/api/v1/reports/{reference}/messages",
        json={"text": "De scheur wordt groter"},
        headers=tenant_headers(report),
    )
    await _note(world, reference, SECRET_NOTE, "internal")
    await _note(world, reference, SHARED_NOTE, "tenant")
    await world.move(reference, inspector, "acknowledged")
    ids = {"photo": photo.json()["id"], "shared": shared.json()["id"]}
    return report, ids | {"internal": internal.json()["id"]}


async def test_the_api_gives_everything_the_tenant_may_see_in_one_zip(world):
    report, ids = await _a_followed_report(world)
    reference = report["reference"]
    response = await world.client.get(
        f"/api/v1/reports/{reference}/personal-data", headers=tenant_headers(report)
    )
    archive = _zip(response)
    disposition = response.headers["content-disposition"]
    assert disposition.startswith(f'attachment; filename="{reference}-uw-gegevens-20')
    names = archive.namelist()
    assert len(names) == 3
    assert "melding.json" in names
    data = json.loads(archive.read("melding.json"))

    case = data["report"]
    assert case["reference"] == reference
    assert case["status"] == "acknowledged"
    assert case["description"] == report_body()["description"]
    assert case["address"]["postcode"] == "9711 AB"
    assert case["address"]["house_number"] == OWN_HOME["house_number"]
    assert case["corporation_name"] == "Lefier"
    assert case["category_label"] == "Scheur"
    assert set(case["deadlines"]) == {"acknowledge_by", "inspect_by", "resolve_by"}
    assert data["reporter"] == {
        "name": "Jan Jansen",
        "email": "jan@example.nl",
        "phone": "0501234567",
        "language": "nl",
    }
    texts = [entry["text"] for entry in data["timeline"]]
    assert "Uw aanvulling: De scheur wordt groter" in texts
    assert f"Bericht van de woningcorporatie: {SHARED_NOTE}" in texts
    moves = [e for e in data["timeline"] if e["kind"] == "status_changed"]
    assert moves[-1]["status"] == "acknowledged"
    assert moves[-1]["at"]

    # The tenant's photo and the shared document, not the internal photo.
    files = {entry["kind"]: entry for entry in data["attachments"]}
    assert len(data["attachments"]) == 2
    assert files["photo"]["added_by_you"] is True
    assert files["document"]["title"] == "Rapport"
    token = report["tracking_token"]
    for kind, attachment_id in (("photo", ids["photo"]), ("document", ids["shared"])):
        served = await world.client.get(f"/t/{reference}/attachments/{attachment_id}?token={token}")
        assert archive.read(files[kind]["file"]) == served.content
    assert files["photo"]["file"].startswith("fotos/")
    assert files["document"]["file"].startswith("documenten/")

    # Nothing internal anywhere in the ZIP.
    everything = b"".join(archive.read(name) for name in names)
    assert SECRET_NOTE.encode() not in everything
    assert ids["internal"].encode() not in everything


async def test_the_tracking_page_links_to_the_download_in_its_language(world):
    report = await world.report()
    await tenant_upload(world.client, report, jpeg_with_gps_and_orientation(80, 60))
    reference, token = report["reference"], report["tracking_token"]
    page = await world.client.get(f"/t/{reference}?token={token}&lang=en")
    link = f'href="/t/{reference}/download?token={token}&amp;lang=en"'
    assert link in page.text
    assert "Download everything we keep about your report" in page.text
    dutch = await world.client.get(f"/t/{reference}?token={token}&lang=nl")
    assert "Download alles wat wij over uw melding bewaren" in dutch.text

    # The page's link carries its language: the file's texts and names are in it.
    response = await world.client.get(f"/t/{reference}/download?token={token}&lang=en")
    archive = _zip(response)
    assert f'filename="{reference}-your-data-' in response.headers["content-disposition"]
    data = json.loads(archive.read("report.json"))
    assert data["timeline"][0]["text"] == "Your report has been received."
    assert data["attachments"][0]["file"].startswith("photos/01-")


async def test_a_wrong_or_missing_token_answers_404(world):
    report = await world.report()
    reference = report["reference"]
    api = f"/api/v1/reports/{reference}/personal-data"
    assert (await world.client.get(api, headers=tenant_headers(report, "wrong"))).status_code == 404
    assert (await world.client.get(api)).status_code == 404
    unknown = "/api/v1/reports/SCH-2026-999999/personal-data"
    assert (await world.client.get(unknown, headers=tenant_headers(report))).status_code == 404
    page = await world.client.get(f"/t/{reference}/download?token=wrong")
    assert page.status_code == 404
    assert "text/html" in page.headers["content-type"]


async def test_a_closed_and_anonymised_case_still_downloads(world, conn, settings):
    report = await world.report()
    photo = await tenant_upload(world.client, report, jpeg_with_gps_and_orientation(80, 60))
    reference = report["reference"]
    await set_case_columns(
        conn, reference, status="closed", closed_at=await conn.fetchval("SELECT now()")
    )
    await conn.execute(
        """
        UPDATE reporters SET name = '', email = NULL, phone = NULL, anonymised_at = now()
        WHERE id = (SELECT reporter_id FROM cases WHERE reference = $1)
        """,
        reference,
    )
    # A photo whose bytes are gone is listed without a file.
    (Path(settings.attachments_url) / photo.json()["id"] / "full").unlink()
    response = await world.client.get(
        f"/api/v1/reports/{reference}/personal-data", headers=tenant_headers(report)
    )
    archive = _zip(response)
    assert archive.namelist() == ["melding.json"]
    data = json.loads(archive.read("melding.json"))
    assert data["report"]["status"] == "closed"
    assert data["reporter"] == {"name": "", "email": None, "phone": None, "language": "nl"}
    assert data["attachments"][0]["file"] is None


async def test_downloads_count_against_the_tracking_limit(conn, settings):
    app = create_app(limited(settings, tracking_limit=RateLimit(2, 60)))
    async with AsyncTestClient(app) as client:
        created = (await client.post("/api/v1/reports", json=report_body())).json()
        reference, token = created["reference"], created["tracking_token"]
        api = f"/api/v1/reports/{reference}/personal-data"
        headers = {"X-Tracking-Token": token}
        assert (await client.get(api, headers=headers)).status_code == 200
        assert (
            await client.get(f"/t/{reference}/download", params={"token": token})
        ).status_code == 200
        assert_problem_429(await client.get(api, headers=headers), 60)
        assert_page_429(
            await client.get(f"/t/{reference}/download", params={"token": token}),
            "Probeer het over",
        )
