"""Serving a stored file: only through the service, after the case's own access check.

The answer can never be run as a page of this site: the type is the one the service wrote
(JPEG or PDF), nosniff forbids guessing another, and the CSP sandboxes whatever a browser
would make of it. Browsers may keep it privately (it is personal data): never a shared cache.
"""

import re
import unicodedata

import asyncpg
from litestar import Response

from service.attachments.changes import VARIANTS, object_keys
from service.attachments.kinds import Kind
from service.attachments.storage import ObjectMissing, ObjectStorage
from service.domain.errors import NotFound

FILE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    # The file behind an id never changes; a browser may keep it for the person who saw it.
    "Cache-Control": "private, max-age=3600",
    "Cross-Origin-Resource-Policy": "same-origin",
}
_UNSAFE_IN_NAME = re.compile(r"[^A-Za-z0-9._ -]+")


def download_name(reference: str, row: asyncpg.Record) -> str:
    """A file name a person recognises; a document keeps its title, in safe characters."""
    if row["kind"] == Kind.PHOTO:
        return f"{reference}-foto-{str(row['id'])[:8]}.jpg"
    plain = unicodedata.normalize("NFKD", row["title"] or "").encode("ascii", "ignore").decode()
    stem = _UNSAFE_IN_NAME.sub("_", plain).strip(" ._").removesuffix(".pdf")[:100]
    return f"{stem or reference}.pdf"


async def file_response(
    storage: ObjectStorage, reference: str, row: asyncpg.Record, size: str
) -> Response[bytes]:
    """The file of a row the caller may see; size: "full" or "thumbnail" (photos)."""
    kind = Kind(row["kind"])
    variant = "thumbnail" if kind is Kind.PHOTO and size == "thumbnail" else VARIANTS[kind][0]
    try:
        data = await storage.get(object_keys(row["id"], (variant,))[0])
    except ObjectMissing:
        raise NotFound("The file of this attachment is missing.") from None
    # Photos open in the browser; a PDF is downloaded, so no script in it runs on this site.
    disposition = "inline" if kind is Kind.PHOTO else "attachment"
    headers = {
        **FILE_HEADERS,
        "Content-Disposition": f'{disposition}; filename="{download_name(reference, row)}"',
        "ETag": f'"{row["id"]}-{variant}"',
    }
    return Response(data, media_type=row["content_type"], headers=headers)
