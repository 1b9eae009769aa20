"""Photos and documents through the API: what the tenant and staff can do, and what comes back."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image

from service.domain.attachments import MAX_TENANT_PHOTOS
from tests.attachments.images import (
    heic_bytes,
    jpeg_with_gps_and_orientation,
    pdf_bytes,
    png_bytes,
    png_header,
)
from tests.attachments.uploading import (
    image_of,
    staff_upload,
    tenant_headers,
    tenant_upload,
    tenant_view,
)
from tests.world import World

PHOTO = jpeg_with_gps_and_orientation(width=80, height=60)
FINDINGS = {
    "items": [
        {"location": "woonkamer", "kind": "scheur", "damage_class": 2},
        {"location": "keuken", "kind": "scheur", "damage_class": 1},
    ],
    "acute": False,
    "earthquake_cause": "likely",
}


async def test_a_tenant_s_photo_is_listed_and_served_upright_without_metadata(world: World):
    report = await world.report()
    added = await tenant_upload(world.client, report, PHOTO)
    assert added.status_code == 201, added.text
    photo = added.json()
    assert added.headers["location"] == photo["url"]
    assert (photo["kind"], photo["added_by_you"], photo["removable"]) == ("photo", True, True)

    view = await tenant_view(world.client, report)
    assert [item["id"] for item in view["attachments"]] == [photo["id"]]
    assert "add_photos" in view["allowed_actions"]
    assert view["timeline"][-1]["text"] == "U heeft een foto toegevoegd."

    served = await world.client.get(photo["url"], headers=tenant_headers(report))
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/jpeg"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in served.headers["content-security-policy"]
    assert served.headers["cache-control"].startswith("private")
    assert served.headers["content-disposition"].startswith("inline; filename=")
    image = image_of(served.content)
    assert image.size == (60, 80)  # the EXIF orientation (6) is applied
    assert not image.getexif()
    assert b"Exif" not in served.content

    thumbnail = await world.client.get(photo["thumbnail_url"], headers=tenant_headers(report))
    assert thumbnail.status_code == 200
    assert max(image_of(thumbnail.content).size) <= 400


async def test_the_assignee_hears_of_a_tenant_s_photo_and_the_history_records_it(
    world: World, conn
):
    report = await world.report()
    inspector = world.who("inspector")
    case = await world.case(report["reference"], inspector)
    taken = await world.client.put(
        f"/api/v1/cases/{report['reference']}/assignee",
        json={"assignee_id": inspector.id},
        headers={**inspector.headers, "If-Match": f'"{case["version"]}"'},
    )
    assert taken.status_code == 200, taken.text
    assert (await tenant_upload(world.client, report, PHOTO)).status_code == 201

    events = await world.client.get(
        f"/api/v1/cases/{report['reference']}/events", headers=inspector.headers
    )
    added = events.json()[-1]
    assert (added["kind"], added["actor"], added["data"]["kind"]) == (
        "attachment_added",
        "tenant",
        "photo",
    )
    queued = await conn.fetchval(
        "SELECT count(*) FROM outbox o JOIN users u ON u.email = o.recipient "
        "WHERE o.kind = 'tenant_message' AND u.id = $1",
        inspector.id,
    )
    assert queued == 1


async def test_a_report_takes_at_most_ten_photos(world: World):
    report = await world.report()
    for _ in range(MAX_TENANT_PHOTOS):
        assert (await tenant_upload(world.client, report, PHOTO)).status_code == 201
    refused = await tenant_upload(world.client, report, PHOTO)
    assert refused.status_code == 409
    assert "at most 10 photos" in refused.json()["detail"]
    assert len((await tenant_view(world.client, report))["attachments"]) == MAX_TENANT_PHOTOS


async def test_the_tenant_removes_a_photo_until_the_report_is_acknowledged(world: World):
    report = await world.report()
    first = (await tenant_upload(world.client, report, PHOTO)).json()
    second = (await tenant_upload(world.client, report, PHOTO)).json()

    removed = await world.client.delete(first["url"], headers=tenant_headers(report))
    assert removed.status_code == 204, removed.text
    assert (await world.client.get(first["url"], headers=tenant_headers(report))).status_code == 404
    view = await tenant_view(world.client, report)
    assert [item["id"] for item in view["attachments"]] == [second["id"]]
    assert view["timeline"][-1]["text"] == "U heeft een foto verwijderd."

    await world.move(report["reference"], world.who("inspector"), "acknowledged")
    view = await tenant_view(world.client, report)
    assert view["attachments"][0]["removable"] is False
    refused = await world.client.delete(second["url"], headers=tenant_headers(report))
    assert refused.status_code == 409
    assert "started on your report" in refused.json()["detail"]


async def test_a_closed_report_takes_no_photos(world: World):
    report = await world.report()
    await world.move(report["reference"], world.who("admin"), "rejected", reason="not_damage")
    refused = await tenant_upload(world.client, report, PHOTO)
    assert refused.status_code == 409
    assert "closed" in refused.json()["detail"]
    assert "add_photos" not in (await tenant_view(world.client, report))["allowed_actions"]


async def test_staff_share_a_document_with_the_tenant_and_keep_their_photos_internal(
    world: World,
):
    report = await world.report()
    inspector = world.who("inspector")
    document = await staff_upload(
        world.client,
        report["reference"],
        inspector,
        pdf_bytes(),
        name="C:\\Users\\IMG\\IMG-rapport 2026.pdf",
        visible_to_tenant="true",
    )
    assert document.status_code == 201, document.text
    shared = document.json()
    assert (shared["kind"], shared["title"], shared["content_type"]) == (
        "document",
        "IMG-rapport 2026.pdf",
        "application/pdf",
    )
    assert shared["thumbnail_url"] is None
    internal = await staff_upload(world.client, report["reference"], inspector, PHOTO)
    assert internal.status_code == 201, internal.text
    assert internal.json()["visible_to_tenant"] is False

    view = await tenant_view(world.client, report)
    assert [item["id"] for item in view["attachments"]] == [shared["id"]]
    assert view["attachments"][0]["removable"] is False
    assert view["timeline"][-1]["text"] == (
        "De woningcorporatie heeft een document met u gedeeld: IMG-rapport 2026.pdf"
    )
    internal_url = f"/api/v1/reports/{report['reference']}/attachments/{internal.json()['id']}"
    hidden = await world.client.get(internal_url, headers=tenant_headers(report))
    assert hidden.status_code == 404

    served = await world.client.get(shared["url"], headers=inspector.headers)
    assert served.content == pdf_bytes()
    assert served.headers["content-disposition"] == ('attachment; filename="IMG-rapport 2026.pdf"')
    listed = await world.client.get(
        f"/api/v1/cases/{report['reference']}/attachments", headers=inspector.headers
    )
    assert [(item["kind"], item["added_by"]) for item in listed.json()] == [
        ("document", "Inspector lefier"),
        ("photo", "Inspector lefier"),
    ]


async def test_an_inspector_s_photo_belongs_to_one_damage_item(world: World):
    report = await world.report()
    admin, inspector = world.who("admin"), world.who("inspector")
    reference = report["reference"]
    await world.move(reference, admin, "acknowledged")
    next_week = (datetime.now(UTC) + timedelta(days=7)).isoformat()
    await world.move(reference, admin, "inspection_planned", planned_at=next_week)
    version = (await world.case(reference, admin))["version"]
    recorded = await world.client.post(
        f"/api/v1/cases/{reference}/findings",
        json=FINDINGS,
        headers={**inspector.headers, "If-Match": f'"{version}"'},
    )
    assert recorded.status_code == 201, recorded.text
    finding_id = recorded.json()["findings"][0]["id"]

    added = await staff_upload(
        world.client, reference, inspector, PHOTO, finding_id=str(finding_id), damage_item="2"
    )
    assert added.status_code == 201, added.text
    assert (added.json()["finding_id"], added.json()["damage_item"]) == (finding_id, 2)

    for fields, status in (
        ({"finding_id": str(finding_id), "damage_item": "3"}, 404),
        ({"finding_id": str(finding_id)}, 400),
        ({"finding_id": "x", "damage_item": "1", "visible_to_tenant": "maybe"}, 400),
    ):
        refused = await staff_upload(world.client, reference, inspector, PHOTO, **fields)
        assert refused.status_code == status, refused.text
    both = await staff_upload(
        world.client, reference, inspector, PHOTO, finding_id="x", visible_to_tenant="maybe"
    )
    assert {error["field"] for error in both.json()["errors"]} == {
        "finding_id",
        "visible_to_tenant",
    }
    document = await staff_upload(
        world.client, reference, inspector, pdf_bytes(), finding_id=str(finding_id), damage_item="1"
    )
    assert document.status_code == 400
    assert "Only a photo" in document.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("content", "name", "status", "words"),
    [
        (b"<html><script>alert(1)</script></html>", "scheur.jpg", 415, "not a photo"),
        (pdf_bytes(), "rapport.pdf", 415, "not a photo"),  # tenants send photos only
        (PHOTO[: len(PHOTO) // 2], "half.jpg", 415, "could not be read"),
    ],
)
async def test_a_tenant_s_upload_is_judged_by_its_content(
    world: World, content: bytes, name: str, status: int, words: str
):
    report = await world.report()
    refused = await tenant_upload(world.client, report, content, name=name)
    assert refused.status_code == status, refused.text
    assert words in refused.json()["detail"]
    assert (await tenant_view(world.client, report))["attachments"] == []


async def test_a_photo_too_large_to_decode_answers_413_before_it_is_decoded(world: World):
    report = await world.report()
    bomb = png_header(20_000, 20_000)  # 400 megapixels in a few hundred bytes
    refused = await tenant_upload(world.client, report, bomb, name="scheur.png")
    assert refused.status_code == 413, refused.text
    assert "pixels" in refused.json()["detail"]


async def test_an_iphone_s_heic_is_taken_and_served_as_jpeg(world: World):
    report = await world.report()
    added = await tenant_upload(world.client, report, heic_bytes(), name="IMG_0042.HEIC")
    assert added.status_code == 201, added.text
    served = await world.client.get(added.json()["url"], headers=tenant_headers(report))
    assert Image.open(io.BytesIO(served.content)).format == "JPEG"


async def test_a_script_appended_to_a_photo_does_not_survive(world: World):
    report = await world.report()
    polyglot = PHOTO + b"<script>alert(document.cookie)</script>"
    added = await tenant_upload(world.client, report, polyglot)
    assert added.status_code == 201, added.text
    served = await world.client.get(added.json()["url"], headers=tenant_headers(report))
    assert b"<script" not in served.content
    assert served.headers["content-type"] == "image/jpeg"


async def test_a_png_named_jpg_is_taken_as_the_photo_it_is(world: World):
    report = await world.report()
    added = await tenant_upload(world.client, report, png_bytes(), name="scheur.jpg")
    assert added.status_code == 201, added.text
    served = await world.client.get(added.json()["url"], headers=tenant_headers(report))
    assert Image.open(io.BytesIO(served.content)).format == "JPEG"


async def test_uploads_have_their_own_size_limits_and_json_keeps_1_mb(world: World):
    report = await world.report()
    too_big = b"\xff\xd8\xff" + bytes(16 * 1024 * 1024)
    refused = await tenant_upload(world.client, report, too_big)
    assert refused.status_code == 413
    assert "15 MB" in refused.json()["detail"]
    message = await world.client.post(
        f"/api/v1/reports/{report['reference']}/messages",
        json={"text": "x" * 1_100_000},
        headers=tenant_headers(report),
    )
    assert message.status_code == 413
    assert "1 MB" in message.json()["detail"]


async def test_an_upload_needs_a_multipart_form_with_one_file(world: World):
    report = await world.report()
    url = f"/api/v1/reports/{report['reference']}/attachments"
    as_json = await world.client.post(url, json={"file": "x"}, headers=tenant_headers(report))
    assert as_json.status_code == 415
    assert "multipart/form-data" in as_json.json()["detail"]
    no_file = await world.client.post(
        url, data={"other": "x"}, files={"photo": ("a.jpg", PHOTO)}, headers=tenant_headers(report)
    )
    assert no_file.status_code == 400
    assert no_file.json()["errors"][0]["field"] == "file"
