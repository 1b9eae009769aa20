"""Uploads made ready to store: photos decoded and re-encoded, PDFs checked.

Decoding a 12-megapixel photo takes about a third of a second of CPU, and Pillow keeps the
GIL for part of it (its JPEG encoder writes block by block while holding it): in a thread of
the server process, that would make every other request wait its turn for milliseconds at a
time. So the work runs in worker processes: at most MEDIA_WORKERS per server process, started
at the first upload (a server that never receives one never starts them) and at a lower
priority, so that answering requests comes first when both want a core. A file that crashes
its decoder takes down only its worker process: the upload is refused, the pool replaced.
"""

import asyncio
import logging
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

import anyio

from service.attachments.kinds import HEIC, JPEG, PDF, PNG, WEBP, Kind, UnsupportedMedia

logger = logging.getLogger(__name__)

PHOTO_TYPES = frozenset({JPEG, PNG, WEBP, HEIC})
# Added to the worker processes' nice value: serving gets the CPU first.
MEDIA_NICENESS = 10

ONLY_PHOTOS = "This file is not a photo we can read. Send a photo as JPEG, PNG, WebP or HEIC."
PHOTOS_OR_PDF = (
    "This file is neither a photo we can read nor a PDF. Send a photo as JPEG, PNG, WebP or "
    "HEIC, or a document as PDF."
)
CRASHED = "This file could not be read: it may be damaged. Send it again, or another one."


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


def prepare_upload(data: bytes, documents_allowed: bool) -> Prepared:
    """The work itself, synchronous: in a worker process when serving; in a thread where
    nothing else waits (the demo's load). Raises kinds.MediaRefused (415, 413)."""
    # Imported here, in the worker process: the server processes never load the decoders.
    from service.attachments import media

    found = media.sniff(data)
    if found == PDF and documents_allowed:
        media.check_pdf(data)
        return Prepared(Kind.DOCUMENT, PDF, {"document": data})
    if found not in PHOTO_TYPES:
        raise UnsupportedMedia(PHOTOS_OR_PDF if documents_allowed else ONLY_PHOTOS)
    photo = media.process_photo(data)
    objects = {"full": photo.full, "thumbnail": photo.thumbnail}
    return Prepared(Kind.PHOTO, JPEG, objects, photo.width, photo.height)


def _yield_to_serving() -> None:
    if sys.platform == "linux":
        os.nice(MEDIA_NICENESS)


class MediaWorkers:
    """At most `processes` uploads of this server process are worked on at once, each in a
    worker process; the rest wait for a turn."""

    def __init__(self, processes: int) -> None:
        self._processes = processes
        self._limiter = anyio.CapacityLimiter(processes)
        self._pool: ProcessPoolExecutor | None = None

    def _started(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # forkserver: the workers are forked from a small clean process, not from this
            # one with its event loop, threads and open connections.
            self._pool = ProcessPoolExecutor(
                self._processes,
                mp_context=multiprocessing.get_context("forkserver"),
                initializer=_yield_to_serving,
            )
        return self._pool

    async def prepare(self, data: bytes, *, documents_allowed: bool) -> Prepared:
        """Raises kinds.MediaRefused (415, 413) with words for the person who sent it."""
        async with self._limiter:
            pool = self._started()
            try:
                return await asyncio.get_running_loop().run_in_executor(
                    pool, prepare_upload, data, documents_allowed
                )
            except BrokenProcessPool:
                # The file (or something else) killed a worker: a new pool for what follows.
                logger.warning("a media worker process died; starting new ones")
                if self._pool is pool:
                    self._pool = None
                pool.shutdown(wait=False, cancel_futures=True)
                raise UnsupportedMedia(CRASHED) from None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
