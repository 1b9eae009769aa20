"""What the service takes as an attachment, and how it says no: light, for the server process.

The decoding itself (media.py, with Pillow, pillow-heif and pypdf) runs in the media worker
processes only: the server processes never import those libraries, and keep neither their
memory nor the longer garbage collections their many objects would cost every request.
"""

from enum import StrEnum
from typing import Final

MAX_PHOTO_BYTES: Final = 15 * 1024 * 1024  # as sent
MAX_DOCUMENT_BYTES: Final = 25 * 1024 * 1024

JPEG: Final = "image/jpeg"
PNG: Final = "image/png"
WEBP: Final = "image/webp"
HEIC: Final = "image/heic"
PDF: Final = "application/pdf"


class MediaRefused(Exception):
    """A file we do not keep; str(error) is a message for the person who sent it."""

    status: int


class UnsupportedMedia(MediaRefused):
    status = 415


class MediaTooLarge(MediaRefused):
    status = 413


class Kind(StrEnum):
    PHOTO = "photo"
    DOCUMENT = "document"
