"""Photos sent with a page's form (the report form, the tracking page): each one added on its
own, so that a photo we cannot use loses neither the report nor the other photos.

The page forms are multipart/form-data and read with Request.form(), which takes URL-encoded
forms as well: a form without photos still works as it did.
"""

import logging
from dataclasses import dataclass

import asyncpg
from litestar.datastructures import FormMultiDict, UploadFile

from service.attachments import tenant_files
from service.attachments.kinds import MAX_PHOTO_BYTES, MediaRefused, MediaTooLarge
from service.attachments.uploads import Attachments, files_in, without_folder
from service.changes.pipeline import Pipeline
from service.domain.attachments import MAX_TENANT_PHOTOS
from service.domain.errors import Conflict, DomainError

logger = logging.getLogger(__name__)

PHOTOS_FIELD = "photos"
# The body a form with the most photos needs: each photo at its largest, and the form's text.
PHOTO_FORM_MAX_BYTES = MAX_TENANT_PHOTOS * MAX_PHOTO_BYTES + 1_000_000
# The opt of a page form read with Request.form() rather than a declared body:
# tests/faults/test_fuzz.py sends malformed bodies to these as to the declared forms.
MULTIPART_PAGE_FORM = {"multipart_page_form": True}
# A file name is shown back to the person who chose it; this much of it says which one.
SHOWN_NAME_LENGTH = 80


@dataclass(frozen=True)
class RefusedPhoto:
    file_name: str  # as the browser sent it, without its folder (shown escaped)
    reason_key: str  # the text saying why, in the page's language
    status: int  # what the API would answer for it


@dataclass(frozen=True)
class PhotosAdded:
    added: int
    refused: tuple[RefusedPhoto, ...]


def chosen_photos(form: FormMultiDict) -> list[UploadFile]:
    return files_in(form, PHOTOS_FIELD)


def shown_name(file_name: str | None) -> str:
    return without_folder(file_name)[:SHOWN_NAME_LENGTH] or "-"


def _refused(upload: UploadFile, error: MediaRefused | DomainError) -> RefusedPhoto:
    name = shown_name(upload.filename)
    if isinstance(error, MediaTooLarge):
        return RefusedPhoto(name, "photo_too_large", error.status)
    if isinstance(error, MediaRefused):
        return RefusedPhoto(name, "photo_not_usable", error.status)
    if isinstance(error, Conflict):  # ten photos already, or the report is finished
        return RefusedPhoto(name, "photo_no_room", 409)
    return RefusedPhoto(name, "photo_not_added", 400)  # NotFound, InvalidInput: not expected


async def add_photos(
    pool: asyncpg.Pool,
    pipeline: Pipeline,
    attachments: Attachments,
    reference: str,
    token: str,
    files: list[UploadFile],
) -> PhotosAdded:
    """Add each file as the tenant's photo; the files are closed afterwards."""
    added = 0
    refused = []
    for number, upload in enumerate(files):
        try:
            if number >= MAX_TENANT_PHOTOS:
                raise Conflict(f"At most {MAX_TENANT_PHOTOS} photos are taken at once.")
            data = await upload.read()
            await tenant_files.add_photo(pool, pipeline, attachments, reference, token, data)
            added += 1
        except (MediaRefused, DomainError) as error:
            refused.append(_refused(upload, error))
        except Exception as error:
            # The store or the database failing now must not cost the tenant the page that
            # shows their tracking link once: the report is made; the photo can come later.
            logger.warning("a photo of a page form could not be added (%s)", type(error).__name__)
            refused.append(RefusedPhoto(shown_name(upload.filename), "photo_not_added", 503))
        finally:
            await upload.close()
    return PhotosAdded(added, tuple(refused))


async def close_all(files: list[UploadFile]) -> None:
    """Files of a form that is not taken (it has errors): their spooled copies go."""
    for upload in files:
        await upload.close()
