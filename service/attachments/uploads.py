"""One upload, from the request's body to a stored attachment.

The order keeps the two stores consistent. The upload's objects are noted as unrecorded
(committed at once), then written; then the change inserts the row and deletes the note in
one transaction. A failed change deletes the objects and the note again; after a crash in
between, the worker finds the note a day later and deletes the objects (sweep.py).
"""

import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

import asyncpg
from litestar import Request
from litestar.datastructures import FormMultiDict, UploadFile
from litestar.exceptions import HTTPException

from service.attachments import store
from service.attachments.changes import object_keys
from service.attachments.processing import MediaWorkers, Prepared
from service.attachments.storage import ObjectStorage
from service.db import Connection
from service.domain.errors import InvalidInput

logger = logging.getLogger(__name__)

# Room for the multipart form around the file: its boundaries, headers and small fields.
FORM_OVERHEAD = 64 * 1024
FILE_FIELD = "file"


@dataclass(frozen=True)
class Attachments:
    """What the attachment routes need: where files are kept, and who works on them."""

    storage: ObjectStorage
    workers: MediaWorkers


@dataclass(frozen=True)
class Upload:
    data: bytes
    file_name: str | None
    fields: dict[str, str]  # the form's other fields


def files_in(form: FormMultiDict, field: str) -> list[UploadFile]:
    """The files sent in a form field. A browser with no file chosen sends a part without a
    file name, which arrives as an empty text field, not as a file."""
    return [value for value in form.getall(field, []) if isinstance(value, UploadFile)]


def text_fields(form: FormMultiDict) -> dict[str, str]:
    """The form's text fields (the files left out)."""
    return {key: value for key, value in form.items() if isinstance(value, str)}


def without_folder(file_name: str | None) -> str:
    """A file's name as the browser sent it, without any folder (Windows ones included)."""
    return (file_name or "").replace("\\", "/").rpartition("/")[2].strip()


async def read_upload(request: Request) -> Upload:
    """The file (multipart/form-data, field "file") and the form's text fields."""
    media_type, _ = request.content_type
    if media_type != "multipart/form-data":
        raise HTTPException(
            status_code=415,
            detail='Send the file as multipart/form-data, in the form field "file".',
        )
    form = await request.form()
    files = files_in(form, FILE_FIELD)
    if len(files) != 1:
        raise InvalidInput.one(FILE_FIELD, 'Send exactly one file, in the form field "file".')
    upload = files[0]
    try:
        data = await upload.read()
    finally:
        await upload.close()
    if not data:
        raise InvalidInput.one(FILE_FIELD, "The file is empty.")
    return Upload(data, upload.filename or None, text_fields(form))


async def put_objects(
    db: asyncpg.Pool | Connection, storage: ObjectStorage, prepared: Prepared, now: datetime
) -> tuple[uuid.UUID, list[str]]:
    """Note, then write, the upload's objects under a new random id: the first half of
    storing it. On a pool the note commits at once; on a connection it joins whatever
    transaction that connection is in (the demo's load)."""
    attachment_id = uuid.uuid4()
    keys = object_keys(attachment_id, tuple(prepared.objects))
    if isinstance(db, asyncpg.Pool):
        async with db.acquire() as connection:
            await store.note_unrecorded(connection, attachment_id, keys, now)
    else:
        await store.note_unrecorded(db, attachment_id, keys, now)
    for key, content in zip(keys, prepared.objects.values(), strict=True):
        await storage.put(key, content, prepared.content_type)
    return attachment_id, keys


async def delete_objects(
    pool: asyncpg.Pool, storage: ObjectStorage, attachment_id: uuid.UUID, keys: list[str]
) -> None:
    """Delete objects no row accounts for (their note is in the database), then the note.

    Best effort: whatever fails here, the note stays and the worker's sweep finishes the job.
    """
    try:
        for key in keys:
            await storage.delete(key)
        async with pool.acquire() as connection:
            await store.forget_unrecorded(connection, attachment_id)
    except Exception as error:
        logger.warning("could not delete the objects of an attachment now (%s)", type(error))


# Records the attachment (its row, in a change of the case) once its objects are written.
Record = Callable[[uuid.UUID, Prepared], Awaitable[None]]


async def store_upload(
    pool: asyncpg.Pool,
    attachments: Attachments,
    data: bytes,
    now: datetime,
    *,
    documents_allowed: bool,
    record: Record,
) -> uuid.UUID:
    prepared = await attachments.workers.prepare(data, documents_allowed=documents_allowed)
    attachment_id, keys = await put_objects(pool, attachments.storage, prepared, now)
    try:
        await record(attachment_id, prepared)
    except BaseException:
        await delete_objects(pool, attachments.storage, attachment_id, keys)
        raise
    return attachment_id
