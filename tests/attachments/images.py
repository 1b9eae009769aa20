"""Photos and documents made on the spot for the attachments' tests.

Every image is a blue field with a red block in its top-left quarter (as stored), so that a
test can tell which way up a processed photo came out. All are small unless the size is the
point (big_photo_jpeg).
"""

import functools
import io
import math
import random
import struct
import zlib

import pillow_heif
import pypdf
from PIL import ExifTags, Image, ImageCms, TiffImagePlugin

# Saving as HEIF through Pillow (registering twice, as service.attachments.media does too, is
# harmless).
pillow_heif.register_heif_opener()

RED = (255, 0, 0)
BLUE = (0, 0, 255)
# What the phone put in the photo: where the home is and which phone took it.
CAMERA_MAKE = "Apple"
CAMERA_MODEL = "iPhone 15 Pro"
JPEG_COMMENT = b"Taken at Hoofdstraat 12, Loppersum"
XMP_PACKET = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
    b'exif:GPSLatitude="53,19.8N" exif:GPSLongitude="6,43.9E"/></rdf:RDF></x:xmpmeta>'
)


def marked_image(width: int = 64, height: int = 48, mode: str = "RGB") -> Image.Image:
    """Blue with a red top-left quarter, in the given mode."""
    image = Image.new("RGB", (width, height), BLUE)
    image.paste(RED, (0, 0, width // 2, height // 2))
    return image.convert(mode)


def jpeg_bytes(width: int = 64, height: int = 48, mode: str = "RGB") -> bytes:
    """A plain JPEG without metadata (mode "CMYK" for a print shop's JPEG)."""
    buffer = io.BytesIO()
    marked_image(width, height, mode).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def phone_exif(orientation: int = 1) -> Image.Exif:
    """EXIF as a phone writes it: the camera's make and model, a GPS position (Loppersum,
    53.33 N 6.73 E) and the orientation (6: turn 90 degrees clockwise to show it upright; 8:
    anticlockwise)."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = CAMERA_MAKE
    exif[ExifTags.Base.Model] = CAMERA_MODEL
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = _degrees(53, 19, 48)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = _degrees(6, 43, 54)
    return exif


def jpeg_with_gps_and_orientation(
    width: int = 64, height: int = 48, orientation: int = 6, icc_profile: bytes | None = None
) -> bytes:
    """A phone photo as stored: phone_exif(orientation), an XMP packet with the position
    again, a JPEG comment with an address, and the ICC profile given (srgb_profile(), say)."""
    buffer = io.BytesIO()
    marked_image(width, height).save(
        buffer,
        "JPEG",
        quality=90,
        exif=phone_exif(orientation),
        xmp=XMP_PACKET,
        comment=JPEG_COMMENT,
        icc_profile=icc_profile,
    )
    return buffer.getvalue()


def srgb_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def swapped_primaries_profile() -> bytes:
    """sRGB with its red and blue primaries swapped: a colour space in which the pixel values
    of red mean blue, so that a test can see a conversion to sRGB happen."""
    profile = bytearray(srgb_profile())
    # The tag table follows the 128-byte header: a count, then (signature, offset, size).
    count = int.from_bytes(profile[128:132], "big")
    entries = {bytes(profile[at : at + 4]): at for at in range(132, 132 + 12 * count, 12)}
    red, blue = entries[b"rXYZ"] + 4, entries[b"bXYZ"] + 4
    profile[red : red + 8], profile[blue : blue + 8] = (
        profile[blue : blue + 8],
        profile[red : red + 8],
    )
    return bytes(profile)


def _degrees(degrees: int, minutes: int, seconds: int) -> tuple[TiffImagePlugin.IFDRational, ...]:
    return tuple(TiffImagePlugin.IFDRational(value, 1) for value in (degrees, minutes, seconds))


def png_bytes(width: int = 64, height: int = 48, mode: str = "RGB") -> bytes:
    """A PNG in the given mode: "RGBA" has a fully transparent bottom-right quarter, "I;16"
    is 16-bit grey at 40000 of 65535, "P" is a palette image."""
    if mode == "I;16":
        image = Image.new("I;16", (width, height), 40000)
    else:
        image = marked_image(width, height, mode)
    if mode == "RGBA":
        image.paste((0, 0, 0, 0), (width // 2, height // 2, width, height))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def webp_bytes(width: int = 64, height: int = 48) -> bytes:
    buffer = io.BytesIO()
    marked_image(width, height).save(buffer, "WEBP", quality=90)
    return buffer.getvalue()


def heic_bytes(width: int = 64, height: int = 48, exif: Image.Exif | None = None) -> bytes:
    """A HEIC as an iPhone sends it (HEVC-coded, major brand heic), with the EXIF given (an
    orientation in it is stored as the HEIF's own rotation, as an iPhone does) and then the
    XMP packet too."""
    buffer = io.BytesIO()
    if exif is None:
        pillow_heif.from_pillow(marked_image(width, height)).save(buffer, quality=90)
    else:
        marked_image(width, height).save(
            buffer, "HEIF", quality=90, exif=exif.tobytes(), xmp=XMP_PACKET
        )
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    """A one-page PDF: a blank A4."""
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@functools.cache
def big_photo_jpeg(megapixels: int = 12) -> bytes:
    """A phone-sized photo: 4:3 (4000 x 3000 at 12 megapixels), quality 95, about 4 MB at 12
    megapixels. Smooth colour (random pixels at 1/32 scale, enlarged) with a little noise, as
    a camera's sensor gives, so that it does not compress to next to nothing. Made once per
    test run (it takes about half a second)."""
    width = round(math.sqrt(megapixels * 1_000_000 * 4 / 3))
    height = width * 3 // 4
    small_width, small_height = width // 32, height // 32
    colours = random.Random(12).randbytes(small_width * small_height * 3)
    smooth = Image.frombytes("RGB", (small_width, small_height), colours).resize(
        (width, height), Image.Resampling.BICUBIC
    )
    noise = Image.effect_noise((width, height), 64).convert("RGB")
    buffer = io.BytesIO()
    Image.blend(smooth, noise, 0.04).save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims width x height grey pixels and holds a few: all a decompression
    bomb needs to say, in 80 bytes."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 1000)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )
