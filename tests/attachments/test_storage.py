"""The attachments' object storage: the same behaviour from a folder and from S3 (moto)."""

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import boto3
import pytest

from service.attachments.storage import ObjectMissing, ObjectStorage, open_storage
from tests.attachments.s3_server import REGION, endpoint_of, under_prefix

KEY = "3f2a9c0d41b84e7e9d1c5a7b2e6f8a10/full.jpg"


@pytest.fixture(params=["folder", "s3"])
async def storage(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[ObjectStorage]:
    """Each test's own, empty storage: a folder, or a prefix of its own in moto's bucket."""
    if request.param == "folder":
        url = None
    else:
        url = under_prefix(request.getfixturevalue("s3_url"), f"test-{uuid.uuid4().hex}")
    storage = open_storage(url, tmp_path)
    yield storage
    await storage.close()


async def test_what_is_put_is_got_back(storage: ObjectStorage) -> None:
    await storage.put(KEY, b"\xff\xd8 first", "image/jpeg")
    await storage.put("other/thumb.jpg", b"other", "image/jpeg")
    assert await storage.get(KEY) == b"\xff\xd8 first"

    await storage.put(KEY, b"\xff\xd8 second", "image/jpeg")
    assert await storage.get(KEY) == b"\xff\xd8 second"
    assert await storage.get("other/thumb.jpg") == b"other"


async def test_a_missing_object_is_reported(storage: ObjectStorage) -> None:
    with pytest.raises(ObjectMissing):
        await storage.get(KEY)


async def test_delete_is_idempotent(storage: ObjectStorage) -> None:
    await storage.put(KEY, b"data", "image/jpeg")
    await storage.delete(KEY)
    with pytest.raises(ObjectMissing):
        await storage.get(KEY)
    await storage.delete(KEY)
    await storage.delete("never/there.pdf")


@pytest.mark.parametrize(
    "key",
    ["", "../secret", "a/../../b", "a..b", "/etc/passwd", "a//b", "a/", ".hidden", "a/./b",
     "a b", "a\\b", "a?b", "ü.jpg", "a\nb"],
)  # fmt: skip
async def test_bad_keys_are_refused(storage: ObjectStorage, key: str) -> None:
    with pytest.raises(ValueError, match="refused"):
        await storage.put(key, b"x", "image/jpeg")
    with pytest.raises(ValueError, match="refused"):
        await storage.get(key)
    with pytest.raises(ValueError, match="refused"):
        await storage.delete(key)


async def test_a_folder_removes_an_attachments_empty_folder(tmp_path: Path) -> None:
    storage = open_storage(None, tmp_path)
    await storage.put(KEY, b"data", "image/jpeg")
    await storage.delete(KEY)
    assert list((tmp_path / "attachments").iterdir()) == []


async def test_a_folder_reads_and_writes_off_the_event_loop(tmp_path: Path) -> None:
    # If the write blocked the loop, the ticker would not run while it lasts.
    storage = open_storage(None, tmp_path)
    data = os.urandom(64 * 1024 * 1024)
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0)
            ticks += 1

    ticker = asyncio.create_task(tick())
    await asyncio.sleep(0)
    before = ticks
    await storage.put(KEY, data, "application/pdf")
    ticks_while_writing = ticks - before
    before = ticks
    assert await storage.get(KEY) == data
    ticks_while_reading = ticks - before
    ticker.cancel()
    assert ticks_while_writing > 10
    assert ticks_while_reading > 10


async def test_s3_keeps_the_content_type(s3_url: str) -> None:
    storage = open_storage(under_prefix(s3_url, "typed"), Path("unused"))
    await storage.put(KEY, b"%PDF-1.7", "application/pdf")

    s3 = boto3.client("s3", endpoint_url=endpoint_of(s3_url), region_name=REGION)
    head = await asyncio.to_thread(s3.head_object, Bucket="attachments", Key=f"typed/{KEY}")
    assert head["ContentType"] == "application/pdf"


async def test_s3_endpoint_from_the_environment(
    s3_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The standard variable, plain HTTP: allowed because the endpoint is http://.
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint_of(s3_url))
    monkeypatch.setenv("AWS_REGION", REGION)
    storage = open_storage("s3://attachments/from-environment", Path("unused"))
    await storage.put(KEY, b"data", "image/jpeg")
    assert await storage.get(KEY) == b"data"
    assert storage.description == f"s3://attachments/from-environment at {endpoint_of(s3_url)}"


def test_no_url_is_a_folder_in_the_data_directory(tmp_path: Path) -> None:
    storage = open_storage("", tmp_path / "data")
    folder = tmp_path / "data" / "attachments"
    assert folder.is_dir()
    assert storage.description == f"folder {folder}"
    assert storage.copy_hint() == f"copy the folder {folder} (for example with rsync -a)"


def test_a_folder_by_file_url_or_plain_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path.resolve()
    assert open_storage(f"file://{folder}/files", Path("unused")).description == (
        f"folder {folder}/files"
    )
    monkeypatch.chdir(folder)
    assert open_storage("relative/files", Path("unused")).description == (
        f"folder {folder}/relative/files"
    )
    assert (tmp_path / "relative" / "files").is_dir()


def test_an_s3_url_names_bucket_prefix_and_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1")
    storage = open_storage(
        "s3://photos/schade/prod?endpoint=https://s3.example.nl&region=eu-west-1", Path("unused")
    )
    assert storage.description == "s3://photos/schade/prod at https://s3.example.nl"
    assert storage.copy_hint() == (
        "copy the bucket with your object store's tools (for example aws s3 sync "
        "--endpoint-url https://s3.example.nl s3://photos/schade/prod DEST)"
    )


def test_an_s3_url_without_endpoint_is_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL", "AWS_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    storage = open_storage("s3://photos", Path("unused"))
    assert storage.description == "s3://photos at the AWS endpoint of its region"
    assert storage.copy_hint() == (
        "copy the bucket with your object store's tools (for example aws s3 sync s3://photos DEST)"
    )


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://photos.example.nl/x", "It starts with http://."),
        ("ftp://user:hunter2@example.nl", "It starts with ftp://."),
        ("file://otherhost/srv/files", "file:///absolute/path"),
        ("s3://", "Name the bucket"),
        ("s3:///prefix", "Name the bucket"),
        ("s3://AKIA:hunter2@photos", "not in the URL"),
        ("s3://photos?endpoint=s3.example.nl", "http:// or https://"),
        ("s3://photos?endpont=https://s3.example.nl", "not endpont"),
        ("s3://photos?region=", "once each, with a value"),
        ("s3://photos?region=eu-west-1&region=us-east-1", "once each, with a value"),
    ],
)
def test_other_urls_are_refused_with_the_accepted_forms(url: str, reason: str) -> None:
    with pytest.raises(ValueError, match="ATTACHMENTS_URL must be") as refusal:
        open_storage(url, Path("unused"))
    message = str(refusal.value)
    assert reason in message
    assert "s3://bucket/optional/prefix" in message
    assert "file:///absolute/path" in message
    assert "hunter2" not in message
