"""The worker's sweep: the objects of uploads that never got their row, after a day.

An upload notes its objects in unrecorded_objects before it writes them, and its change
deletes the note with the row it inserts. A note a day old is an upload that failed or
crashed halfway (a day is far longer than any upload takes), or a removal whose objects
could not be deleted at once: its objects are deleted, then the note.
"""

import logging
from datetime import datetime, timedelta

import asyncpg

from service.attachments import store
from service.attachments.storage import ObjectStorage, StorageUnavailable

logger = logging.getLogger(__name__)

ORPHAN_AGE = timedelta(days=1)
BATCH = 100


async def sweep_orphans(pool: asyncpg.Pool, storage: ObjectStorage, now: datetime) -> int:
    """Delete the objects of notes older than ORPHAN_AGE; how many objects."""
    deleted = 0
    while True:
        # No connection is held while the store is talked to.
        async with pool.acquire() as connection:
            claimed = await store.claim_unrecorded(connection, now - ORPHAN_AGE, now, BATCH)
        for entry in claimed:
            try:
                for key in entry["keys"]:
                    await storage.delete(key)
                    deleted += 1
            except StorageUnavailable as error:
                # The claim keeps the note: it comes round again in a day.
                logger.warning("could not sweep an upload's objects (%s)", error)
                continue
            async with pool.acquire() as connection:
                await store.forget_unrecorded(connection, entry["attachment_id"])
        if len(claimed) < BATCH:
            return deleted
