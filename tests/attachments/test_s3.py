"""The whole path on an S3 object store (moto's server): upload, serve, remove, sweep."""

from datetime import UTC, datetime

import asyncpg
import boto3
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from service.app import create_app
from service.attachments.changes import object_keys
from service.attachments.processing import prepare_upload
from service.attachments.storage import ObjectMissing, open_storage
from service.attachments.sweep import ORPHAN_AGE, sweep_orphans
from service.attachments.uploads import put_objects
from service.settings import Settings
from tests.attachments.images import jpeg_with_gps_and_orientation, pdf_bytes
from tests.attachments.s3_server import BUCKET, REGION, endpoint_of, under_prefix
from tests.attachments.uploading import staff_upload, tenant_headers, tenant_upload
from tests.world import build_world

PHOTO = jpeg_with_gps_and_orientation(width=64, height=48)


def _bucket_keys(s3_url: str, prefix: str) -> list[str]:
    client = boto3.client("s3", endpoint_url=endpoint_of(s3_url), region_name=REGION)
    listed = client.list_objects_v2(Bucket=BUCKET, Prefix=f"{prefix}/")
    return sorted(item["Key"].removeprefix(f"{prefix}/") for item in listed.get("Contents", []))


async def test_photos_and_documents_live_in_the_bucket(
    conn: asyncpg.Connection, pool: asyncpg.Pool, settings: Settings, s3_url: str
):
    url = under_prefix(s3_url, "tracker")
    app = create_app(msgspec.structs.replace(settings, attachments_url=url))
    async with AsyncTestClient(app) as client:
        world = await build_world(conn, client)
        report = await world.report()
        photo = await tenant_upload(client, report, PHOTO)
        assert photo.status_code == 201, photo.text
        document = await staff_upload(
            client, report["reference"], world.who("inspector"), pdf_bytes(), name="IMG.pdf"
        )
        assert document.status_code == 201, document.text
        photo_id, document_id = photo.json()["id"], document.json()["id"]
        assert _bucket_keys(s3_url, "tracker") == sorted(
            [f"{photo_id}/full", f"{photo_id}/thumbnail", f"{document_id}/document"]
        )

        served = await client.get(photo.json()["url"], headers=tenant_headers(report))
        assert served.status_code == 200
        assert served.content[:3] == b"\xff\xd8\xff"
        pdf = await client.get(document.json()["url"], headers=world.who("manager").headers)
        assert pdf.content == pdf_bytes()

        removed = await client.delete(photo.json()["url"], headers=tenant_headers(report))
        assert removed.status_code == 204
        assert _bucket_keys(s3_url, "tracker") == [f"{document_id}/document"]

    # A crash halfway through an upload, then the worker's sweep a day later.
    storage = open_storage(url, settings.data_dir)
    now = datetime.now(UTC)
    prepared = prepare_upload(PHOTO, documents_allowed=False)
    orphan_id, _ = await put_objects(pool, storage, prepared, now)
    assert len(_bucket_keys(s3_url, "tracker")) == 3
    assert await sweep_orphans(pool, storage, now + ORPHAN_AGE * 2) == 2
    assert _bucket_keys(s3_url, "tracker") == [f"{document_id}/document"]
    with pytest.raises(ObjectMissing):
        await storage.get(object_keys(orphan_id, ("full",))[0])


async def test_a_store_that_fails_answers_503_and_records_nothing(
    conn: asyncpg.Connection, settings: Settings, s3_url: str
):
    missing_bucket = s3_url.replace(f"s3://{BUCKET}", "s3://no-such-bucket")
    app = create_app(msgspec.structs.replace(settings, attachments_url=missing_bucket))
    async with AsyncTestClient(app) as client:
        world = await build_world(conn, client)
        report = await world.report()
        failed = await tenant_upload(client, report, PHOTO)
        assert failed.status_code == 503, failed.text
        assert failed.headers["retry-after"] == "30"
        assert "nothing was saved" in failed.json()["detail"]
    assert await conn.fetchval("SELECT count(*) FROM attachments") == 0
    # The upload's note stays, so the worker's sweep deletes whatever part was written.
    assert await conn.fetchval("SELECT count(*) FROM unrecorded_objects") == 1
