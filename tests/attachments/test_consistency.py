"""The object store and the database agree: objects first, the row in the change, a sweep after.

A crash between writing the objects and committing the row leaves objects without a row, and
their note; the worker deletes them once the note is a day old, and never an object whose row
exists, an upload that may still be in flight, or an object it has no note of. A change that
fails deletes its objects at once.
"""

import asyncio
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from service.app import create_app
from service.attachments.changes import object_keys
from service.attachments.kinds import UnsupportedMedia
from service.attachments.processing import MediaWorkers, prepare_upload
from service.attachments.storage import ObjectMissing, open_storage
from service.attachments.sweep import ORPHAN_AGE, sweep_orphans
from service.attachments.uploads import put_objects
from service.changes.pipeline import Pipeline
from service.domain.events import CaseChanged
from service.settings import Settings
from service.worker import run_once
from tests.attachments.images import big_photo_jpeg, jpeg_with_gps_and_orientation
from tests.attachments.uploading import tenant_headers, tenant_upload
from tests.world import World, build_world

PHOTO = jpeg_with_gps_and_orientation(width=40, height=30)


async def test_a_crash_between_objects_and_row_leaves_objects_the_sweep_removes(
    world: World, pool: asyncpg.Pool, conn: asyncpg.Connection, settings: Settings
):
    storage = open_storage(settings.attachments_url, settings.data_dir)
    report = await world.report()
    kept = (await tenant_upload(world.client, report, PHOTO)).json()
    # An object of another database sharing the store: no note of it here.
    stranger = "0b6f0f4e3c1a4c4e9d8e6a5b2c1d0e9f/full"
    await storage.put(stranger, b"not ours", "image/jpeg")
    # The first half of an upload, then the process dies: no change, no row.
    now = datetime.now(UTC)
    prepared = prepare_upload(PHOTO, documents_allowed=False)
    orphan_id, orphan_keys = await put_objects(pool, storage, prepared, now)
    for key in orphan_keys:
        assert await storage.get(key)
    assert await conn.fetchval("SELECT count(*) FROM attachments WHERE id = $1", orphan_id) == 0

    # Within the day, the upload might still be in flight: nothing goes.
    assert await sweep_orphans(pool, storage, now + timedelta(hours=23)) == 0
    # A day on, the worker's round sweeps the orphan and nothing else.
    done = await run_once(pool, Pipeline(clock=lambda: now + ORPHAN_AGE * 2), storage=storage)
    assert done.orphan_objects_deleted == 2  # the photo and its thumbnail
    for key in orphan_keys:
        with pytest.raises(ObjectMissing):
            await storage.get(key)
    assert await conn.fetchval("SELECT count(*) FROM unrecorded_objects") == 0
    assert await storage.get(stranger) == b"not ours"
    served = await world.client.get(kept["url"], headers=tenant_headers(report))
    assert served.status_code == 200


def _files_in(folder: Path) -> set[Path]:
    return set(folder.rglob("*"))


async def test_a_change_that_fails_deletes_the_objects_it_wrote(
    conn: asyncpg.Connection, settings: Settings
):
    class Refuses:
        async def __call__(self, connection: asyncpg.Connection, changed: CaseChanged) -> None:
            if any(event.kind == "attachment_added" for event in changed.events):
                raise RuntimeError("the change fails after the objects were written")

    folder = Path(str(settings.attachments_url))
    before = await asyncio.to_thread(_files_in, folder)
    app = create_app(settings, subscribers=[Refuses()])
    async with AsyncTestClient(app) as client:
        world = await build_world(conn, client)
        report = await world.report()
        failed = await tenant_upload(client, report, PHOTO)
        assert failed.status_code == 500
        assert await conn.fetchval("SELECT count(*) FROM attachments") == 0
        assert await conn.fetchval("SELECT count(*) FROM unrecorded_objects") == 0
    assert await asyncio.to_thread(_files_in, folder) == before


async def test_removing_an_attachment_deletes_its_objects(
    world: World, conn: asyncpg.Connection, settings: Settings
):
    storage = open_storage(settings.attachments_url, settings.data_dir)
    report = await world.report()
    photo = (await tenant_upload(world.client, report, PHOTO)).json()
    keys = object_keys(photo["id"], ("full", "thumbnail"))
    assert all([await storage.get(key) for key in keys])
    removed = await world.client.delete(photo["url"], headers=tenant_headers(report))
    assert removed.status_code == 204
    for key in keys:
        with pytest.raises(ObjectMissing):
            await storage.get(key)
    assert await conn.fetchval("SELECT count(*) FROM unrecorded_objects") == 0


async def test_a_worker_process_that_dies_refuses_its_file_and_the_next_upload_works():
    workers = MediaWorkers(1)
    try:
        first = await workers.prepare(PHOTO, documents_allowed=False)
        assert first.kind == "photo"
        # Kill the worker process while it works, as a file that crashes a decoder would.
        working = asyncio.ensure_future(workers.prepare(big_photo_jpeg(), documents_allowed=False))
        await asyncio.sleep(0.05)
        for process in list(workers._pool._processes.values()):  # type: ignore[union-attr]
            process.kill()
        with pytest.raises(UnsupportedMedia, match="could not be read"):
            await working
        again = await workers.prepare(PHOTO, documents_allowed=False)
        assert again.objects["full"] == first.objects["full"]
    finally:
        workers.close()


def test_the_server_process_never_loads_the_decoders():
    """Pillow, pillow-heif and pypdf live in the media worker processes only: in the server
    they would cost memory and make every garbage collection longer."""
    script = (
        "import sys\n"
        "from service.app import create_app\n"
        "from service.settings import Settings\n"
        "create_app(Settings(database_url='postgresql://x@127.0.0.1/x', secret_key='x'))\n"
        "print(sorted(m for m in ('PIL', 'pillow_heif', 'pypdf') if m in sys.modules))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert loaded.stdout.strip() == "[]"
