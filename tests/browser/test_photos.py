"""A tenant sends a report with two photos from a phone; an inspector sees them on the case."""

from tests import factories
from tests.attachments.images import jpeg_bytes, jpeg_with_gps_and_orientation
from tests.browser.conftest import (
    PHONE,
    needs_chromium,
    screenshot,
    serious_accessibility_violations,
    sign_in,
    staff_member,
)

pytestmark = needs_chromium

DESKTOP = {"width": 1280, "height": 900}
# A phone photo (GPS in its EXIF, taken sideways) and a plain one.
PHOTOS = [
    {
        "name": "IMG_0001.jpg",
        "mimeType": "image/jpeg",
        "buffer": jpeg_with_gps_and_orientation(640, 480),
    },
    {"name": "IMG_0002.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(800, 600)},
]


async def loaded_images(page, selector: str) -> list[int]:
    """The natural widths of the images: 0 for one that did not load."""
    images = page.locator(selector)
    await images.first.wait_for()
    return await images.evaluate_all(
        """images => Promise.all(images.map(image => image.decode()
              .then(() => image.naturalWidth, () => 0)))"""
    )


async def tap_target_heights(page, selector: str) -> list[float]:
    return await page.locator(selector).evaluate_all(
        "elements => elements.map(element => element.getBoundingClientRect().height)"
    )


async def test_a_tenant_s_photos_reach_the_inspector(live_server, conn, browser):
    lefier = await factories.corporation(conn, "lefier", "Lefier")
    await factories.home(conn, lefier, "9711AB", 12)
    await staff_member(conn, "inspector", lefier, "inge@example.nl", "Inge")

    phone = await browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = await phone.new_page()
    await page.goto(f"{live_server}/")
    await page.get_by_label("Postcode").fill("9711 AB")
    await page.get_by_label("Huisnummer").fill("12")
    await page.get_by_label("Scheur", exact=True).check()
    await page.get_by_label("Beschrijf de schade").fill("Scheur boven de voordeur, zie de foto's.")
    await page.get_by_label("Naam").fill("Jan Jansen")
    await page.get_by_label("E-mailadres").fill("jan@example.nl")
    photo_field = page.get_by_label("Foto's van de schade (niet verplicht)")
    await photo_field.set_input_files(PHOTOS)
    assert min(await tap_target_heights(page, "#photos")) >= 44
    assert await serious_accessibility_violations(page) == []
    await screenshot(page, "report-form-photos-nl")
    await page.get_by_role("button", name="Melding versturen").click()

    assert await page.locator("h1").inner_text() == "Uw melding is ontvangen"
    assert await page.locator("#photos-added").inner_text() == (
        "Uw foto's zijn toegevoegd: 2 foto's."
    )
    assert await page.locator("#photos-refused").count() == 0
    assert await serious_accessibility_violations(page) == []
    await screenshot(page, "report-done-photos-nl")

    await page.get_by_role("link", name="Volg uw melding").click()
    reference = await conn.fetchval("SELECT reference FROM cases")
    assert await page.locator("h1").inner_text() == f"Uw melding {reference}"
    widths = await loaded_images(page, ".gallery img")
    assert len(widths) == 2
    assert all(width > 0 for width in widths), widths
    assert await page.get_by_role("img", name="Foto 1 van uw melding").count() == 1
    assert min(await tap_target_heights(page, ".gallery button")) >= 44
    assert await serious_accessibility_violations(page) == []
    await screenshot(page, "tracking-page-photos-nl")

    # A third photo later, from the tracking page; then taken back again.
    await page.get_by_label("Kies een of meer foto's").set_input_files(
        [{"name": "IMG_0003.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(300, 200)}]
    )
    await page.get_by_role("button", name="Foto's toevoegen").click()
    assert await page.get_by_role("status").inner_text() == "Uw foto's zijn toegevoegd."
    assert len(await loaded_images(page, ".gallery img")) == 3
    await page.get_by_role("button", name="Foto 3 verwijderen").click()
    assert await page.get_by_role("status").inner_text() == "De foto is verwijderd."
    widths = await loaded_images(page, ".gallery img")
    assert len(widths) == 2
    assert all(width > 0 for width in widths), widths
    await phone.close()

    desktop = await browser.new_context(viewport=DESKTOP)
    page = await desktop.new_page()
    await sign_in(page, live_server, "inge@example.nl")
    await page.goto(f"{live_server}/cases/{reference}")
    widths = await loaded_images(page, "#attachments .gallery img")
    assert len(widths) == 2
    assert all(width > 0 for width in widths), widths
    gallery = await page.locator("#attachments").inner_text()
    assert "Toegevoegd door de huurder" in gallery
    assert "Zichtbaar voor huurder" in gallery
    history = await page.locator("ol.timeline").inner_text()
    assert (history.count("Foto toegevoegd"), history.count("Foto verwijderd")) == (3, 1)
    assert await serious_accessibility_violations(page) == []
    await screenshot(page, "case-page-photos-nl")

    await page.get_by_role("link", name=f"Foto 1 bij {reference}").click()
    assert "/attachments/" in page.url
    full_width = await page.locator("img").evaluate(
        "image => image.decode().then(() => image.naturalWidth)"
    )
    # The sideways phone photo (640 x 480, orientation 6) is served upright: 480 wide.
    assert full_width == 480
    await desktop.close()
