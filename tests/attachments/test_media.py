"""Photos are fully decoded, turned upright and stripped of every bit of metadata; PDFs are
parsed; anything else, anything damaged and anything too big is refused with 415 or 413."""

import io
import time

import pypdf
import pytest
from PIL import Image

from service.attachments.kinds import (
    HEIC,
    JPEG,
    MAX_DOCUMENT_BYTES,
    MAX_PHOTO_BYTES,
    PDF,
    PNG,
    WEBP,
    MediaTooLarge,
    UnsupportedMedia,
)
from service.attachments.media import (
    LONG_SIDE,
    THUMBNAIL_SIDE,
    Photo,
    check_pdf,
    process_photo,
    sniff,
)
from tests.attachments.images import (
    BLUE,
    CAMERA_MAKE,
    CAMERA_MODEL,
    JPEG_COMMENT,
    RED,
    heic_bytes,
    jpeg_bytes,
    jpeg_with_gps_and_orientation,
    marked_image,
    pdf_bytes,
    phone_exif,
    png_bytes,
    png_header,
    srgb_profile,
    swapped_primaries_profile,
    webp_bytes,
)

WHITE = (255, 255, 255)
APP0 = 0xE0  # JFIF: no data about the photo or its maker
COM = 0xFE


def opened(jpeg: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(jpeg))
    assert image.format == "JPEG"
    image.load()
    return image


def near(colour: tuple[int, ...], expected: tuple[int, int, int]) -> bool:
    """Equal within what JPEG's compression changes of a flat colour."""
    return all(abs(a - b) <= 12 for a, b in zip(colour, expected, strict=True))


def corner_colours(image: Image.Image) -> list[tuple[int, ...]]:
    """Top-left, top-right, bottom-left, bottom-right, each a few pixels in."""
    right, bottom = image.width - 3, image.height - 3
    colours = []
    for xy in ((2, 2), (right, 2), (2, bottom), (right, bottom)):
        colour = image.getpixel(xy)
        assert isinstance(colour, tuple)
        colours.append(colour)
    return colours


def first_half(data: bytes) -> bytes:
    return data[: len(data) // 2]


def metadata_markers(jpeg: bytes) -> set[int]:
    """The APPn and COM segments before the image data: where EXIF (APP1), XMP (APP1), ICC
    profiles (APP2) and comments go."""
    markers = set()
    offset = 2  # after SOI
    while jpeg[offset + 1] != 0xDA:  # start of scan: the compressed pixels follow
        assert jpeg[offset] == 0xFF
        marker = jpeg[offset + 1]
        if 0xE0 <= marker <= 0xEF or marker == COM:
            markers.add(marker)
        offset += 2 + int.from_bytes(jpeg[offset + 2 : offset + 4], "big")
    return markers


def assert_without_metadata(jpeg: bytes) -> None:
    image = opened(jpeg)
    assert not image.getexif()
    assert not {"exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "comment"} & set(image.info)
    assert metadata_markers(jpeg) == {APP0}
    for trace in (b"Exif", b"GPS", b"http://ns.adobe.com", CAMERA_MAKE.encode(), JPEG_COMMENT):
        assert trace not in jpeg


# Where the stored top-left (red) quarter ends up once the photo is upright.
@pytest.mark.parametrize(
    ("orientation", "red_corner"), [(1, 0), (6, 1), (8, 2), (3, 3)], ids=["as-is", "6", "8", "3"]
)
def test_a_phone_photo_comes_back_upright_without_gps_camera_or_any_metadata(
    orientation: int, red_corner: int
) -> None:
    sent = jpeg_with_gps_and_orientation(width=64, height=48, orientation=orientation)
    assert b"GPS" in sent
    assert CAMERA_MODEL.encode() in sent
    assert JPEG_COMMENT in sent

    photo = process_photo(sent)

    turned = orientation in (6, 8)
    assert (photo.width, photo.height) == ((48, 64) if turned else (64, 48))
    full = opened(photo.full)
    assert full.size == (photo.width, photo.height)
    assert full.mode == "RGB"
    corners = corner_colours(full)
    assert near(corners[red_corner], RED)
    assert [near(colour, BLUE) for colour in corners].count(True) == 3
    assert_without_metadata(photo.full)
    assert_without_metadata(photo.thumbnail)


def test_a_heic_from_an_iphone_is_sniffed_turned_upright_and_stripped() -> None:
    sent = heic_bytes(width=64, height=48, exif=phone_exif(orientation=6))
    assert sniff(sent) == HEIC
    assert CAMERA_MAKE.encode() in sent

    photo = process_photo(sent)

    assert (photo.width, photo.height) == (48, 64)
    corners = corner_colours(opened(photo.full))
    assert near(corners[1], RED)
    assert near(corners[2], BLUE)
    assert_without_metadata(photo.full)
    assert_without_metadata(photo.thumbnail)


GREY_RED = (76, 76, 76)  # red and blue as a grey-scale image has them
GREY_BLUE = (29, 29, 29)


@pytest.mark.parametrize(
    ("sent", "media_type", "top_left", "bottom_right"),
    [
        (png_bytes(), PNG, RED, BLUE),
        (png_bytes(mode="P"), PNG, RED, BLUE),
        (png_bytes(mode="L"), PNG, GREY_RED, GREY_BLUE),
        (webp_bytes(), WEBP, RED, BLUE),
        (jpeg_bytes(mode="CMYK"), JPEG, RED, BLUE),
        (jpeg_bytes(mode="L"), JPEG, GREY_RED, GREY_BLUE),
        (heic_bytes(), HEIC, RED, BLUE),
    ],
    ids=["png", "palette-png", "grey-png", "webp", "cmyk-jpeg", "grey-jpeg", "heic"],
)
def test_each_kind_of_photo_becomes_an_rgb_jpeg_whatever_its_name(
    sent: bytes,
    media_type: str,
    top_left: tuple[int, int, int],
    bottom_right: tuple[int, int, int],
) -> None:
    # Only the bytes are passed: a PNG named holiday.jpg is a PNG.
    assert sniff(sent) == media_type

    photo = process_photo(sent)

    full = opened(photo.full)
    assert (full.mode, full.size) == ("RGB", (64, 48))
    corners = corner_colours(full)
    assert near(corners[0], top_left)
    assert near(corners[3], bottom_right)
    assert sniff(photo.thumbnail) == JPEG


def test_a_black_and_white_png_is_accepted() -> None:
    image = marked_image(mode="L").point(lambda value: 255 if value > 50 else 0).convert("1")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")

    corners = corner_colours(opened(process_photo(buffer.getvalue()).full))

    assert near(corners[0], WHITE)
    assert near(corners[3], (0, 0, 0))


def test_transparency_is_flattened_on_white() -> None:
    photo = process_photo(png_bytes(mode="RGBA"))

    top_left, top_right, _, bottom_right = corner_colours(opened(photo.full))
    assert near(top_left, RED)
    assert near(top_right, BLUE)
    assert near(bottom_right, WHITE)


def test_a_16_bit_png_is_scaled_to_8_bits_not_clipped() -> None:
    photo = process_photo(png_bytes(mode="I;16"))

    # 40000 of 65535 is 155 of 255; clipping would give white.
    assert all(near(colour, (155, 155, 155)) for colour in corner_colours(opened(photo.full)))


@pytest.mark.parametrize("pillow_format", ["PNG", "WEBP"], ids=["apng", "animated-webp"])
def test_of_an_animation_the_first_frame_is_kept(pillow_format: str) -> None:
    buffer = io.BytesIO()
    first, second = Image.new("RGB", (32, 32), RED), Image.new("RGB", (32, 32), BLUE)
    first.save(buffer, pillow_format, save_all=True, append_images=[second], duration=100)

    photo = process_photo(buffer.getvalue())

    assert all(near(colour, RED) for colour in corner_colours(opened(photo.full)))


@pytest.mark.parametrize(
    ("width", "height", "full_size"),
    [
        (3000, 2000, (2560, 1707)),
        (2000, 3000, (1707, 2560)),
        # Decoded at half size (2700 x 1800) by libjpeg, then resized: never below LONG_SIDE.
        (5400, 3600, (2560, 1707)),
        (1200, 900, (1200, 900)),
    ],
    ids=["landscape", "portrait", "drafted-at-half-size", "small-is-not-enlarged"],
)
def test_the_full_image_is_at_most_2560_and_the_thumbnail_400_on_the_long_side(
    width: int, height: int, full_size: tuple[int, int]
) -> None:
    photo = process_photo(jpeg_bytes(width, height))

    assert opened(photo.full).size == (photo.width, photo.height)
    assert (photo.width, photo.height) == full_size
    assert max(full_size) <= LONG_SIDE
    thumbnail = opened(photo.thumbnail)
    assert max(thumbnail.size) == min(THUMBNAIL_SIDE, max(full_size))
    assert abs(thumbnail.width / thumbnail.height - width / height) < 0.01
    assert near(corner_colours(thumbnail)[0], RED)


def test_a_jpeg_with_a_script_appended_is_accepted_and_the_script_dropped() -> None:
    photo = process_photo(jpeg_bytes() + b"<script>alert(1)</script>")

    assert b"<script" not in photo.full
    assert b"<script" not in photo.thumbnail


def test_colours_are_converted_to_srgb_from_the_photos_own_profile() -> None:
    buffer = io.BytesIO()
    marked_image().save(buffer, "JPEG", icc_profile=swapped_primaries_profile())

    corners = corner_colours(opened(process_photo(buffer.getvalue()).full))

    assert near(corners[0], BLUE)
    assert near(corners[3], RED)


@pytest.mark.parametrize(
    "icc_profile", [srgb_profile(), b"not a colour profile" * 10], ids=["srgb", "damaged"]
)
def test_a_colour_profile_is_applied_and_dropped_and_a_damaged_one_ignored(
    icc_profile: bytes,
) -> None:
    sent = jpeg_with_gps_and_orientation(orientation=1, icc_profile=icc_profile)

    photo = process_photo(sent)

    assert near(corner_colours(opened(photo.full))[0], RED)
    assert_without_metadata(photo.full)


@pytest.mark.parametrize(
    "sent",
    [
        b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
        b"GIF89a" + b"\0" * 100,
        b"",
        pdf_bytes(),
    ],
    ids=["html", "gif", "empty", "pdf"],
)
def test_what_is_not_a_photo_is_refused_as_unsupported(sent: bytes) -> None:
    with pytest.raises(UnsupportedMedia) as refused:
        process_photo(sent)

    assert refused.value.status == 415
    assert "Send a photo as JPEG, PNG, WebP or HEIC." in str(refused.value)


@pytest.mark.parametrize(
    "sent",
    [
        first_half(jpeg_bytes(640, 480)),
        first_half(png_bytes(640, 480)),
        first_half(webp_bytes(640, 480)),
        first_half(heic_bytes(640, 480)),
        b"\xff\xd8\xff\xe0" + b"\0" * 200,
    ],
    ids=["jpeg-half", "png-half", "webp-half", "heic-half", "jpeg-header-only"],
)
def test_a_truncated_or_damaged_photo_is_refused_as_unreadable(sent: bytes) -> None:
    with pytest.raises(UnsupportedMedia) as refused:
        process_photo(sent)

    assert refused.value.status == 415
    assert str(refused.value).startswith("The photo could not be read")


def test_a_photo_over_15_mb_is_refused_before_anything_else() -> None:
    sent = jpeg_bytes()
    sent += b"\0" * (MAX_PHOTO_BYTES + 1 - len(sent))

    with pytest.raises(MediaTooLarge) as refused:
        process_photo(sent)

    assert refused.value.status == 413
    assert "15 MB" in str(refused.value)


def test_a_photo_of_exactly_15_mb_is_not_too_large() -> None:
    sent = jpeg_bytes()
    sent += b"\0" * (MAX_PHOTO_BYTES - len(sent))

    assert isinstance(process_photo(sent), Photo)


@pytest.mark.parametrize(
    ("width", "height"),
    # Over our limit of 50 million; over Pillow's own (178 million), which refuses in open.
    [(8000, 8000), (20_000, 20_000)],
)
def test_a_decompression_bomb_is_refused_without_decoding_it(width: int, height: int) -> None:
    started = time.perf_counter()
    with pytest.raises(MediaTooLarge) as refused:
        process_photo(png_header(width, height))

    # Decoding would first allocate 64 or 400 MB and then find the data missing (a 415).
    assert time.perf_counter() - started < 0.5
    assert refused.value.status == 413
    assert "too many pixels" in str(refused.value)


@pytest.mark.parametrize(
    ("start", "media_type"),
    [
        (jpeg_bytes(), JPEG),
        (png_bytes(), PNG),
        (webp_bytes(), WEBP),
        (heic_bytes(), HEIC),
        (pdf_bytes(), PDF),
        (b"\x00\x00\x00\x18ftypheix\x00\x00\x00\x00mif1heix", HEIC),
        (b"\x00\x00\x00\x18ftyphevc\x00\x00\x00\x00mif1hevc", HEIC),
        (b"\x00\x00\x00\x14ftypmif1\x00\x00\x00\x00mif1", HEIC),
        (b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1heic", HEIC),
        (b"\x00\x00\x00\x18ftypmsf1\x00\x00\x00\x00msf1hevc", HEIC),
        (b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf", None),
        (b"\x00\x00\x00\x1cftypmif1\x00\x00\x00\x00mif1avifmiaf", None),
        (b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2", None),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", None),
        (b"GIF89a\x01\x00\x01\x00", None),
        (b"BM\x3a\x00\x00\x00", None),
        (b"II*\x00\x08\x00\x00\x00", None),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", None),
        (b"<html>\xff\xd8\xff", None),
        (b"PK\x03\x04", None),
        (b"\xff\xd8", None),
        (b"", None),
    ],
    ids=[
        "jpeg",
        "png",
        "webp",
        "heic",
        "pdf",
        "heix",
        "hevc",
        "mif1-alone",
        "mif1-with-heic",
        "msf1-with-hevc",
        "avif",
        "mif1-with-avif",
        "mp4",
        "wav",
        "gif",
        "bmp",
        "tiff",
        "svg",
        "html-then-jpeg-magic",
        "zip",
        "two-bytes",
        "empty",
    ],
)
def test_sniff_judges_by_the_first_bytes(start: bytes, media_type: str | None) -> None:
    assert sniff(start) == media_type


def test_a_pdf_with_a_page_is_accepted() -> None:
    check_pdf(pdf_bytes())


def encrypted_pdf(user_password: str) -> bytes:
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(pdf_bytes()))
    writer.encrypt(user_password=user_password, owner_password="owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("user_password", ["", "secret"], ids=["opens-without", "password"])
def test_an_encrypted_pdf_is_refused_even_one_that_opens_without_a_password(
    user_password: str,
) -> None:
    with pytest.raises(UnsupportedMedia) as refused:
        check_pdf(encrypted_pdf(user_password))

    assert refused.value.status == 415
    assert "protected" in str(refused.value)


def test_a_pdf_without_pages_is_refused() -> None:
    buffer = io.BytesIO()
    pypdf.PdfWriter().write(buffer)

    with pytest.raises(UnsupportedMedia) as refused:
        check_pdf(buffer.getvalue())

    assert "no pages" in str(refused.value)


@pytest.mark.parametrize(
    "sent",
    [b"%PDF-1.7 garbage", first_half(pdf_bytes()), b"%PDF-1.4\n" + b"\0" * 1000],
    ids=["garbage", "truncated", "zeros"],
)
def test_a_damaged_pdf_is_refused_as_unreadable(sent: bytes) -> None:
    with pytest.raises(UnsupportedMedia) as refused:
        check_pdf(sent)

    assert refused.value.status == 415
    assert str(refused.value).startswith("The PDF could not be read")


@pytest.mark.parametrize(
    "sent", [jpeg_bytes(), b"<html></html>", b" %PDF-1.7"], ids=["jpeg", "html", "late-header"]
)
def test_what_is_not_a_pdf_is_refused_as_a_document(sent: bytes) -> None:
    with pytest.raises(UnsupportedMedia) as refused:
        check_pdf(sent)

    assert refused.value.status == 415
    assert "Send a document as PDF." in str(refused.value)


def test_a_document_over_25_mb_is_refused() -> None:
    sent = pdf_bytes()
    sent += b"\n" * (MAX_DOCUMENT_BYTES + 1 - len(sent))

    with pytest.raises(MediaTooLarge) as refused:
        check_pdf(sent)

    assert refused.value.status == 413
    assert "25 MB" in str(refused.value)
