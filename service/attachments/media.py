"""Photos and documents as sent, checked and made safe to keep and to show.

Pure and synchronous: the service calls these in its media worker processes
(processing.py), never in a server process. The type is judged by content, never by a file's name
or declared type. A photo is fully decoded, turned upright and re-encoded as a JPEG with no
metadata at all: phone photos carry the home's GPS position and the camera in their EXIF. A
PDF is opened and parsed; it is kept as sent.
"""

import io
import math
import struct
from dataclasses import dataclass
from typing import Final

import pillow_heif
import pypdf
from PIL import ExifTags, Image, ImageCms

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

# HEIC from iPhones; Pillow then opens it like any other format (as "HEIF").
pillow_heif.register_heif_opener()

LONG_SIDE: Final = 2560  # the full image: at most this on its long side
THUMBNAIL_SIDE: Final = 400  # the thumbnail: at most this on its long side
# A 12-megapixel phone photo is 12 M pixels; a small file that claims 20,000 x 20,000 is a
# decompression bomb (1.2 GB of pixels in RGB).
MAX_PIXELS: Final = 50_000_000
JPEG_QUALITY: Final = 85


# The Pillow format each photo type may be opened as, so that Pillow never guesses.
_PILLOW_FORMATS: Final = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP", HEIC: "HEIF"}
# ISO base media file brands of HEVC-coded HEIF. mif1 and msf1 are the generic HEIF brands,
# which AVIF files carry too: those count only without an AVIF brand, as there is no AVIF
# decoder here.
_HEVC_BRANDS: Final = frozenset({b"heic", b"heix", b"hevc", b"heim", b"heis", b"hevm", b"hevs"})
_GENERIC_HEIF_BRANDS: Final = frozenset({b"mif1", b"msf1"})
_AVIF_BRANDS: Final = frozenset({b"avif", b"avis"})
# How each EXIF orientation is turned upright (as ImageOps.exif_transpose does).
_UPRIGHT: Final = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
# The ICC colour space that matches each mode a photo is resized in.
_ICC_COLOUR_SPACES: Final = {"RGB": "RGB ", "CMYK": "CMYK", "L": "GRAY"}
# What Pillow and its plugins raise on a damaged or incomplete file (UnidentifiedImageError
# is an OSError; plugins raise SyntaxError on a malformed header).
_DECODE_ERRORS: Final = (OSError, SyntaxError, ValueError, EOFError, struct.error)


def sniff(data: bytes) -> str | None:
    """The media type by the file's first bytes, or None for any other content."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data[4:8] == b"ftyp" and _is_heic(data):
        return HEIC
    if data.startswith(b"%PDF-"):
        return PDF
    return None


def _is_heic(data: bytes) -> bool:
    """The ftyp box: its size, b"ftyp", the major brand, a minor version, compatible brands."""
    box_size = min(int.from_bytes(data[:4], "big"), len(data))
    major = data[8:12]
    brands = {major} | {data[i : i + 4] for i in range(16, box_size - 3, 4)}
    if brands & _HEVC_BRANDS:
        return True
    return major in _GENERIC_HEIF_BRANDS and not brands & _AVIF_BRANDS


@dataclass(frozen=True)
class Photo:
    """A photo as we keep it: JPEGs, upright, without metadata."""

    full: bytes  # at most LONG_SIDE on the long side
    thumbnail: bytes  # at most THUMBNAIL_SIDE on the long side
    width: int  # of full
    height: int


def process_photo(data: bytes) -> Photo:
    """Decode a JPEG, PNG, WebP or HEIC photo completely and make it a clean JPEG and a
    thumbnail. Raises MediaTooLarge or UnsupportedMedia with a message for the sender."""
    if len(data) > MAX_PHOTO_BYTES:
        raise MediaTooLarge(
            "The photo is larger than 15 MB. Send a smaller photo, "
            "for instance one taken at a lower resolution."
        )
    media_type = sniff(data)
    if media_type not in _PILLOW_FORMATS:
        raise UnsupportedMedia(
            "This file is not a photo we can use. Send a photo as JPEG, PNG, WebP or HEIC."
        )
    image, orientation, icc_profile = _decode(data, _PILLOW_FORMATS[media_type])
    image = _without_alpha(image)
    # The long side is the same either way up, so resize first: it is cheaper to turn the
    # smaller image.
    image.thumbnail((LONG_SIDE, LONG_SIDE), Image.Resampling.LANCZOS)
    if orientation in _UPRIGHT:
        image = image.transpose(_UPRIGHT[orientation])
    full = _in_srgb(image, icc_profile)
    thumbnail = full.copy()
    thumbnail.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    return Photo(full=_jpeg(full), thumbnail=_jpeg(thumbnail), width=full.width, height=full.height)


def _decode(data: bytes, pillow_format: str) -> tuple[Image.Image, int, bytes | None]:
    """The first frame, fully decoded (JPEGs already scaled down where that keeps at least
    LONG_SIDE), with its EXIF orientation and its ICC profile."""
    try:
        image = Image.open(io.BytesIO(data), formats=[pillow_format])
    except Image.DecompressionBombError as error:
        raise _too_many_pixels() from error
    except _DECODE_ERRORS as error:
        raise _unreadable() from error
    # Image.open has read the header only: refuse a bomb before any pixel is allocated.
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise _too_many_pixels()
    orientation = _orientation(image)
    icc_profile = image.info.get("icc_profile")
    if max(width, height) > LONG_SIDE:
        # JPEG only (a no-op for the rest): libjpeg decodes at 1/2, 1/4 or 1/8 scale, never
        # below the size asked for, which is far faster than decoding all and resizing.
        scale = LONG_SIDE / max(width, height)
        image.draft("RGB", (math.ceil(width * scale), math.ceil(height * scale)))
    try:
        image.load()
    except _DECODE_ERRORS as error:
        raise _unreadable() from error
    return image, orientation, icc_profile


def _orientation(image: Image.Image) -> int:
    """The EXIF orientation, 1 (as stored) when there is none or the EXIF is damaged: the
    pixels are what matter."""
    try:
        return int(image.getexif().get(ExifTags.Base.Orientation, 1))
    except (*_DECODE_ERRORS, TypeError):
        return 1


def _without_alpha(image: Image.Image) -> Image.Image:
    """The image in a mode it can be resized and colour-managed in (RGB, CMYK or L):
    transparency flattened on white, palettes expanded, 16-bit scaled to 8-bit."""
    if image.mode in ("RGB", "CMYK", "L") and not image.has_transparency_data:
        return image
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N"):
        # Pillow's conversion to L clips at 255 rather than scaling.
        return image.convert("I").point(lambda value: value / 257).convert("L")
    if image.mode == "1":
        return image.convert("L")
    if image.has_transparency_data:
        rgba = image.convert("RGBA")
        flattened = Image.new("RGB", rgba.size, "white")
        flattened.paste(rgba, mask=rgba.getchannel("A"))
        return flattened
    return image.convert("RGB")


def _in_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """The image as sRGB, converted from its ICC profile when it has one that fits (an
    iPhone's Display P3, a print shop's CMYK); browsers assume sRGB for a JPEG without one."""
    if icc_profile:
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            if profile.profile.xcolor_space == _ICC_COLOUR_SPACES.get(image.mode):
                converted = ImageCms.profileToProfile(
                    image, profile, ImageCms.createProfile("sRGB"), outputMode="RGB"
                )
                if converted is not None:
                    return converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a damaged profile: the colours are taken as they are
    return image.convert("RGB")


def _jpeg(image: Image.Image) -> bytes:
    """Encoded without any metadata: the info a decoded image carries is dropped, since
    Pillow copies some of it (a JPEG comment) into what it saves."""
    image.info = {}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=False)
    return buffer.getvalue()


def _too_many_pixels() -> MediaTooLarge:
    return MediaTooLarge(
        "The photo has too many pixels to process (more than 50 megapixels). "
        "Send a photo of a smaller size."
    )


def _unreadable() -> UnsupportedMedia:
    return UnsupportedMedia(
        "The photo could not be read: it may be damaged or incomplete. "
        "Send it again, or send another copy of it."
    )


def check_pdf(data: bytes) -> None:
    """Accept a PDF that opens without a password and has at least one page; it is kept as
    sent. Raises MediaTooLarge or UnsupportedMedia with a message for the sender."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise MediaTooLarge("The document is larger than 25 MB. Send a smaller document.")
    if sniff(data) != PDF:
        raise UnsupportedMedia("This file is not a PDF. Send a document as PDF.")
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
        pages = 0 if encrypted else len(reader.pages)
    # pypdf's parser raises many kinds of error on a malformed file, not only its own.
    except Exception as error:
        raise UnsupportedMedia(
            "The PDF could not be read: it may be damaged or incomplete. "
            "Send it again, or send another copy of it."
        ) from error
    if encrypted:
        raise UnsupportedMedia(
            "The PDF is protected with a password or encryption, so staff could not open it. "
            "Send it without the protection."
        )
    if pages == 0:
        raise UnsupportedMedia("The PDF has no pages. Send a document with at least one page.")
