"""Photos and documents on the pages: the report form, the tracking page, the staff case page."""

import html
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from litestar.testing import AsyncTestClient

from service.attachments.kinds import MAX_DOCUMENT_BYTES
from service.attachments.uploads import FORM_OVERHEAD
from tests.attachments.images import jpeg_bytes, pdf_bytes, png_bytes
from tests.attachments.uploading import image_of, staff_upload, tenant_upload
from tests.web.session import csrf_token, sign_in
from tests.world import OWN_HOME, World

PHOTO = jpeg_bytes(80, 60)
NOT_A_PHOTO = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
FORM = {
    "postcode": OWN_HOME["postcode"],
    "house_number": str(OWN_HOME["house_number"]),
    "category": "crack",
    "description": "Scheur in de muur van de woonkamer, sinds de beving van vorige week.",
    "name": "Jan de Vries",
    "email": "jan@example.nl",
    "reporter_language": "nl",
}
THUMBNAIL = re.compile(r'<img src="(/t/[^"]+size=thumbnail)" alt="([^"]+)"')
STAFF_THUMBNAIL = re.compile(r'<img src="(/cases/[^"]+\?size=thumbnail)" alt="([^"]+)"')


def photo_parts(*photos: tuple[str, bytes]) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("photos", (name, data, "image/jpeg")) for name, data in photos]


async def send_report(
    client: AsyncTestClient,
    photos: list[tuple[str, tuple[str, bytes, str]]],
    *,
    key: str | None = None,
    **fields: str,
) -> Any:
    """The report form as a browser sends it: multipart, with the form's CSRF token."""
    form_page = await client.get("/")
    data = {**FORM, "_csrf_token": csrf_token(form_page.text), **fields}
    if key is not None:
        data["idempotency_key"] = key
    return await client.post("/report", data=data, files=photos)


async def reference_of(conn) -> str:
    return await conn.fetchval("SELECT reference FROM cases")


async def photo_count(conn) -> int:
    return await conn.fetchval("SELECT count(*) FROM attachments")


def words(response: Any) -> str:
    """The page's text as a reader sees it (its apostrophes are escaped in the HTML)."""
    return html.unescape(response.text)


def section(page: str, heading_id: str) -> str:
    """The HTML of the page's section with this heading."""
    return page.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


def tracking_path(done_page: str) -> str:
    found = re.search(r'<a href="(/t/[^"]+)">', done_page)
    assert found, "the done page has no link to the tracking page"
    return found.group(1).replace("&amp;", "&")


async def test_the_report_form_shows_a_photo_field_and_is_multipart(client, conn):
    page = (await client.get("/")).text
    assert 'enctype="multipart/form-data"' in page
    assert 'type="file" accept="image/*,.heic,.heif" multiple' in page
    assert "Hoogstens 10 foto&#39;s" in page


async def test_a_report_with_two_photos_has_two_photos(world: World, conn):
    done = await send_report(
        world.client, photo_parts(("IMG_0001.jpg", PHOTO), ("IMG_0002.png", png_bytes()))
    )
    assert done.status_code == 200, done.text
    assert "Uw foto's zijn toegevoegd: 2 foto's." in words(done)
    assert "niet toegevoegd" not in done.text
    assert await photo_count(conn) == 2
    kinds = await conn.fetch("SELECT kind, data FROM case_events WHERE kind LIKE 'attachment%'")
    assert len(kinds) == 2

    tracking = await world.client.get(tracking_path(done.text))
    thumbnails = THUMBNAIL.findall(tracking.text)
    assert [alt for _, alt in thumbnails] == ["Foto 1 van uw melding", "Foto 2 van uw melding"]
    served = await world.client.get(thumbnails[0][0].replace("&amp;", "&"))
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/jpeg"
    assert served.headers["cache-control"].startswith("private")
    assert max(image_of(served.content).size) <= 400


async def test_a_refused_photo_is_named_and_the_report_is_still_made(world: World, conn):
    done = await send_report(
        world.client,
        photo_parts(("<b>scheur&co.jpg", NOT_A_PHOTO), ("IMG_0001.jpg", PHOTO)),
    )
    assert done.status_code == 200, done.text
    assert await reference_of(conn) in done.text
    assert await photo_count(conn) == 1
    assert "Uw foto is toegevoegd." in done.text
    assert "<strong>&lt;b&gt;scheur&amp;co.jpg</strong>: dit is geen foto" in done.text
    assert "<b>scheur" not in done.text
    assert "U kunt later nog foto's toevoegen op de pagina van uw melding." in words(done)


async def test_the_done_page_speaks_english_of_refused_photos(world: World, conn):
    await world.client.get("/?lang=en")
    done = await send_report(world.client, photo_parts(("notes.jpg", NOT_A_PHOTO)))
    assert done.status_code == 200, done.text
    assert "<strong>notes.jpg</strong>: this is not a photo we can use." in done.text
    assert "You can add photos later on the page of your report." in done.text
    assert await photo_count(conn) == 0


async def test_sending_the_same_form_twice_adds_the_photos_once(world: World, conn):
    photos = photo_parts(("IMG_0001.jpg", PHOTO), ("IMG_0002.jpg", PHOTO))
    first = await send_report(world.client, photos, key="same-key-1234")
    again = await send_report(world.client, photos, key="same-key-1234")
    assert (first.status_code, again.status_code) == (200, 200)
    assert await conn.fetchval("SELECT count(*) FROM cases") == 1
    assert await photo_count(conn) == 2
    assert "Deze melding was al verstuurd. Uw foto's zijn niet nog een keer toegevoegd." in (
        words(again)
    )


async def test_a_form_with_errors_asks_for_the_photos_again(world: World, conn):
    refused = await send_report(world.client, photo_parts(("IMG_0001.jpg", PHOTO)), postcode="")
    assert refused.status_code == 400
    assert "Kies uw foto's opnieuw." in words(refused)
    assert await conn.fetchval("SELECT count(*) FROM cases") == 0
    # Without photos the same mistake says nothing about photos.
    plain = await send_report(world.client, [], postcode="")
    assert plain.status_code == 400
    assert "Kies uw foto's opnieuw." not in words(plain)


async def test_the_form_works_without_photos(world: World, conn):
    # A browser sends the empty file field as a part without a file name.
    empty = [("photos", ("", b"", "application/octet-stream"))]
    done = await send_report(world.client, empty)
    assert done.status_code == 200, done.text
    assert await conn.fetchval("SELECT count(*) FROM cases") == 1
    assert await photo_count(conn) == 0
    assert "foto" not in done.text.lower()
    # URL-encoded, as before the form took photos.
    form_page = await world.client.get("/")
    encoded = await world.client.post(
        "/report", data={**FORM, "_csrf_token": csrf_token(form_page.text)}
    )
    assert encoded.status_code == 200, encoded.text
    assert await conn.fetchval("SELECT count(*) FROM cases") == 2


async def test_the_tenant_adds_and_removes_photos_on_the_tracking_page(world: World, conn):
    report = await world.report()
    assert (await tenant_upload(world.client, report, PHOTO)).status_code == 201
    path = report["tracking_url"].removeprefix("https://schade.example.nl")
    page = await world.client.get(path)
    assert len(THUMBNAIL.findall(page.text)) == 1
    token = csrf_token(page.text)

    added = await world.client.post(
        f"/t/{report['reference']}/photos",
        data={"_csrf_token": token, "token": report["tracking_token"]},
        files=photo_parts(("IMG_0002.jpg", PHOTO), ("IMG_0003.jpg", PHOTO)),
        follow_redirects=False,
    )
    assert added.status_code == 303
    page = await world.client.get(added.headers["location"])
    assert "Uw foto&#39;s zijn toegevoegd." in page.text
    assert len(THUMBNAIL.findall(page.text)) == 3

    refused = await world.client.post(
        f"/t/{report['reference']}/photos",
        data={"_csrf_token": token, "token": report["tracking_token"]},
        files=photo_parts(("brief.jpg", NOT_A_PHOTO)),
    )
    assert refused.status_code == 415
    assert "<strong>brief.jpg</strong>: dit is geen foto die wij kunnen gebruiken." in refused.text
    assert len(THUMBNAIL.findall(refused.text)) == 3

    removes = re.findall(r'action="(/t/[^"]+/photos/[^"]+/remove)"', page.text)
    assert len(removes) == 3
    assert "Foto 1 verwijderen" in page.text
    removed = await world.client.post(
        removes[0],
        data={"_csrf_token": token, "token": report["tracking_token"]},
        follow_redirects=False,
    )
    assert removed.status_code == 303
    page = await world.client.get(removed.headers["location"])
    assert "De foto is verwijderd." in page.text
    assert len(THUMBNAIL.findall(page.text)) == 2
    assert await photo_count(conn) == 2

    # Once the corporation has started, the photos stay: no remove buttons.
    await world.move(report["reference"], world.who("inspector"), "acknowledged")
    page = await world.client.get(path)
    assert len(THUMBNAIL.findall(page.text)) == 2
    assert "/remove" not in page.text


async def test_the_tracking_page_shows_a_document_shared_with_the_tenant(world: World):
    report = await world.report()
    inspector = world.who("inspector")
    shared = await staff_upload(
        world.client,
        report["reference"],
        inspector,
        pdf_bytes(),
        name="rapport.pdf",
        title="Inspectierapport",
        visible_to_tenant="true",
    )
    assert shared.status_code == 201, shared.text
    await staff_upload(world.client, report["reference"], inspector, PHOTO)  # internal
    page = await world.client.get(report["tracking_url"].removeprefix("https://schade.example.nl"))
    link = re.search(r'<a href="(/t/[^"]+)">Inspectierapport</a>', page.text)
    assert link, page.text
    assert THUMBNAIL.findall(page.text) == []  # the internal photo is not shown
    served = await world.client.get(link.group(1).replace("&amp;", "&"))
    assert served.status_code == 200
    assert served.headers["content-type"] == "application/pdf"
    assert served.headers["content-disposition"].startswith("attachment")


async def test_the_tenant_file_route_answers_404_for_a_wrong_token(world: World):
    report = await world.report()
    photo = (await tenant_upload(world.client, report, PHOTO)).json()
    base = f"/t/{report['reference']}/attachments/{photo['id']}"
    assert (await world.client.get(f"{base}?token={report['tracking_token']}")).status_code == 200
    for query in ("?token=wrong", "", "?token=wrong&size=thumbnail"):
        answer = await world.client.get(f"{base}{query}")
        assert answer.status_code == 404
        assert answer.headers["content-type"].startswith("text/html")
        assert "Melding niet gevonden" in answer.text
    other = await world.report()
    foreign = f"/t/{other['reference']}/attachments/{photo['id']}?token={other['tracking_token']}"
    assert (await world.client.get(foreign)).status_code == 404


async def record_findings(world: World, reference: str) -> int:
    admin, inspector = world.who("admin"), world.who("inspector")
    await world.move(reference, admin, "acknowledged")
    next_week = (datetime.now(UTC) + timedelta(days=7)).isoformat()
    await world.move(reference, admin, "inspection_planned", planned_at=next_week)
    version = (await world.case(reference, admin))["version"]
    recorded = await world.client.post(
        f"/api/v1/cases/{reference}/findings",
        json={
            "items": [
                {"location": "woonkamer", "kind": "scheur", "damage_class": 2},
                {"location": "keuken", "kind": "scheur", "damage_class": 1},
            ],
            "acute": False,
            "earthquake_cause": "likely",
        },
        headers={**inspector.headers, "If-Match": f'"{version}"'},
    )
    assert recorded.status_code == 201, recorded.text
    return recorded.json()["findings"][0]["id"]


async def test_staff_see_add_and_remove_the_case_s_files(world: World, conn):
    report = await world.report()
    reference = report["reference"]
    assert (await tenant_upload(world.client, report, PHOTO)).status_code == 201
    finding_id = await record_findings(world, reference)
    inspector = world.who("inspector")
    await sign_in(world.client, conn, inspector.id)

    page = await world.client.get(f"/cases/{reference}")
    assert "Foto&#39;s en documenten" in page.text
    thumbnails = STAFF_THUMBNAIL.findall(page.text)
    assert [alt for _, alt in thumbnails] == [f"Foto 1 bij {reference}"]
    assert "Toegevoegd door de huurder" in page.text
    assert "Zichtbaar voor huurder" in page.text
    served = await world.client.get(thumbnails[0][0])
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/jpeg"
    full = await world.client.get(thumbnails[0][0].removesuffix("?size=thumbnail"))
    assert image_of(full.content).size == (80, 60)
    # The damage items of the findings are offered for a photo.
    assert f'<option value="{finding_id}-2">bevinding van ' in page.text
    assert "item 2: keuken, scheur</option>" in page.text

    token = csrf_token(page.text)
    added = await world.client.post(
        f"/cases/{reference}/attachments",
        data={"_csrf_token": token, "damage_item_of": f"{finding_id}-2"},
        files={"file": ("IMG_0042.jpg", PHOTO, "image/jpeg")},
        follow_redirects=False,
    )
    assert added.status_code == 303, added.text
    document = await world.client.post(
        f"/cases/{reference}/attachments",
        data={"_csrf_token": token, "title": "Offerte herstel", "visible_to_tenant": "yes"},
        files={"file": ("offerte.pdf", pdf_bytes(), "application/pdf")},
        follow_redirects=False,
    )
    assert document.status_code == 303, document.text
    page = await world.client.get(document.headers["location"])
    assert "Het bestand is toegevoegd." in page.text
    assert len(STAFF_THUMBNAIL.findall(section(page.text, "attachments-heading"))) == 2
    assert "Foto van bevinding van " in page.text
    # The photo is shown with its damage item in the findings too.
    findings = section(page.text, "findings-heading")
    assert findings.count('class="item-photo"') == 1
    assert "keuken: scheur" in findings.split('class="item-photo"', 1)[0].rsplit("<li>", 1)[1]
    assert ", item 2: keuken, scheur" in page.text
    assert ">Offerte herstel</a> (PDF)" in page.text
    assert "Alleen intern" in page.text
    # The history says it in words.
    assert "<strong>Foto toegevoegd</strong>" in page.text
    assert "<strong>Document toegevoegd</strong>" in page.text
    assert "Titel: Offerte herstel" in page.text
    assert "attachment_added" not in page.text

    removes = re.findall(r'action="(/cases/[^"]+/attachments/[^"]+/remove)"', page.text)
    assert len(removes) == 3
    removed = await world.client.post(
        removes[-1], data={"_csrf_token": token}, follow_redirects=False
    )
    assert removed.status_code == 303
    page = await world.client.get(removed.headers["location"])
    assert "Het bestand is verwijderd." in page.text
    assert "<strong>Document verwijderd</strong>" in page.text
    assert await photo_count(conn) == 2


async def test_a_file_staff_cannot_use_is_refused_on_the_page(world: World, conn):
    report = await world.report()
    await sign_in(world.client, conn, world.who("inspector").id)
    page = await world.client.get(f"/cases/{report['reference']}")
    token = csrf_token(page.text)
    refused = await world.client.post(
        f"/cases/{report['reference']}/attachments",
        data={"_csrf_token": token, "title": "Mijn <titel>"},
        files={"file": ("rapport.pdf", NOT_A_PHOTO, "application/pdf")},
    )
    assert refused.status_code == 415
    assert refused.headers["content-type"].startswith("text/html")
    assert "Dit bestand kunnen we niet gebruiken." in refused.text
    assert 'value="Mijn &lt;titel&gt;"' in refused.text  # what was typed is kept
    none_chosen = await world.client.post(
        f"/cases/{report['reference']}/attachments",
        data={"_csrf_token": token},
        files={"file": ("", b"", "application/octet-stream")},
    )
    assert none_chosen.status_code == 400
    assert "Kies een bestand." in none_chosen.text
    large = b"%PDF-" + b"0" * MAX_DOCUMENT_BYTES  # the form around it is within the limit
    too_large = await world.client.post(
        f"/cases/{report['reference']}/attachments",
        data={"_csrf_token": token},
        files={"file": ("groot.pdf", large, "application/pdf")},
    )
    assert too_large.status_code == 413
    assert "Het bestand is te groot" in too_large.text
    # A body beyond the route's limit is refused before it is read: the page says why.
    too_large = await world.client.post(
        f"/cases/{report['reference']}/attachments",
        data={"_csrf_token": token},
        files={"file": ("groot.pdf", large + b"0" * FORM_OVERHEAD, "application/pdf")},
    )
    assert too_large.status_code == 413
    assert too_large.headers["content-type"].startswith("text/html")
    assert "Formulier te groot" in too_large.text
    assert "een PDF 25 MB" in too_large.text
    assert await photo_count(conn) == 0


async def test_another_corporation_s_inspector_gets_404_for_the_files(world: World, conn):
    report = await world.report()
    photo = (await tenant_upload(world.client, report, PHOTO)).json()
    url = f"/cases/{report['reference']}/attachments/{photo['id']}"
    await sign_in(world.client, conn, world.who("inspector").id)
    assert (await world.client.get(url)).status_code == 200
    await sign_in(world.client, conn, world.who("inspector", "acantus").id)
    for path in (url, f"{url}?size=thumbnail"):
        answer = await world.client.get(path)
        assert answer.status_code == 404
        assert answer.headers["content-type"].startswith("text/html")
    token = csrf_token((await world.client.get("/work")).text)
    removed = await world.client.post(f"{url}/remove", data={"_csrf_token": token})
    assert removed.status_code == 404
    assert await photo_count(conn) == 1


async def test_the_report_form_takes_ten_photos_and_names_the_rest(world: World, conn):
    photos = photo_parts(*((f"IMG_{n:04}.jpg", PHOTO) for n in range(1, 12)))
    done = await send_report(world.client, photos)
    assert done.status_code == 200, done.text
    assert "Uw foto's zijn toegevoegd: 10 foto's." in words(done)
    assert "<strong>IMG_0011.jpg</strong>: er kunnen geen foto's meer bij deze melding." in (
        words(done)
    )
    assert await photo_count(conn) == 10
