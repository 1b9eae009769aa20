"""Uploads made ready to store: photos decoded and re-encoded, PDFs checked.

Decoding a 12-megapixel photo takes a good part of a second of CPU: it runs in worker threads,
a few at a time per process (MEDIA_THREADS), never on the event loop. Pillow lets go of the
GIL while it decodes, resizes and encodes, so the loop keeps answering meanwhile.
"""

from dataclasses import dataclass

import anyio
import anyio.to_thread

from service.attachments import media
from service.attachments.media import Kind, UnsupportedMedia

PDF = "application/pdf"
JPEG = "image/jpeg"
PHOTO_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/heic"})

ONLY_PHOTOS = "This file is not a photo we can read. Send a photo as JPEG, PNG, WebP or HEIC."
PHOTOS_OR_PDF = (
    "This file is neither a photo we can read nor a PDF. Send a photo as JPEG, PNG, WebP or "
    "HEIC, or a document as PDF."
)


@dataclass(frozen=True)
class Prepared:
    """What is stored of one upload: its objects by variant, and what the row records."""

    kind: Kind
    content_type: str
    objects: dict[str, bytes]  # "full" and "thumbnail" of a photo; "document" of a PDF
    width: int | None = None
    height: int | None = None

    @property
    def byte_size(self) -> int:
        return len(self.objects.get("full") or self.objects["document"])


def _prepare(data: bytes, documents_allowed: bool) -> Prepared:
    found = media.sniff(data)
    if found == PDF and documents_allowed:
        media.check_pdf(data)
        return Prepared(Kind.DOCUMENT, PDF, {"document": data})
    if found not in PHOTO_TYPES:
        raise UnsupportedMedia(PHOTOS_OR_PDF if documents_allowed else ONLY_PHOTOS)
    photo = media.process_photo(data)
    objects = {"full": photo.full, "thumbnail": photo.thumbnail}
    return Prepared(Kind.PHOTO, JPEG, objects, photo.width, photo.height)


class MediaWorkers:
    """At most `threads` uploads of this process are worked on at once; the rest wait."""

    def __init__(self, threads: int) -> None:
        self._limiter = anyio.CapacityLimiter(threads)

    async def prepare(self, data: bytes, *, documents_allowed: bool) -> Prepared:
        """Raises media.MediaRefused (415, 413) with words for the person who sent it."""
        return await anyio.to_thread.run_sync(
            _prepare, data, documents_allowed, limiter=self._limiter
        )
