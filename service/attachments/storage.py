"""Where the attachments' bytes live: a folder, or a bucket of an S3-compatible object store.

ATTACHMENTS_URL chooses (open_storage); both are obstore stores behind one small class, and
obstore does the I/O in its own threads, so no call blocks the event loop.
"""

import os
import re
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, unquote, urlsplit

import obstore
import obstore.exceptions
from obstore.store import LocalStore, S3Store

if TYPE_CHECKING:
    # Type hints only: obstore has them in its stubs, not at run time.
    from obstore.store import ClientConfig, S3Config

# Keys are made by the caller from random ids; this is defence in depth against a key that
# climbs out of the folder or the prefix. Each segment starts with a letter, digit, _ or -.
_KEY = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*")
_ACCEPTED_FORMS = (
    "ATTACHMENTS_URL must be empty (a folder 'attachments' in DATA_DIR), a folder "
    "(file:///absolute/path or a plain path), or an S3 bucket "
    "(s3://bucket/optional/prefix?endpoint=https://host:port&region=eu-west-1, with the "
    "credentials in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)"
)
# Where obstore reads an S3 endpoint from the environment, strongest first.
_ENDPOINT_VARIABLES = ("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL", "AWS_ENDPOINT")


class ObjectMissing(Exception):
    """No object under the key."""


class StorageUnavailable(Exception):
    """The store did not do what was asked: a bucket that does not answer, a full disk, a
    credential refused. Nothing was recorded; the upload can be tried again later."""


# What obstore raises when the store fails (its own errors; OSError from a folder).
_FAILURES = (obstore.exceptions.BaseError, OSError)


class ObjectStorage:
    """Objects under keys such as "3f2a.../full.jpg", in a folder or in a bucket."""

    def __init__(
        self,
        store: LocalStore | S3Store,
        *,
        description: str,
        copy_hint: str,
        keeps_content_type: bool,
    ) -> None:
        self._store = store
        # For the operator: where the objects are, without secrets.
        self.description = description
        self._copy_hint = copy_hint
        # A folder has nowhere to keep a content type (obstore refuses attributes for it);
        # the caller keeps it with the attachment's row anyway.
        self._keeps_content_type = keeps_content_type

    def copy_hint(self) -> str:
        """How to copy the objects for a backup, for the backup command's instructions."""
        return self._copy_hint

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        _check_key(key)
        attributes = {"Content-Type": content_type} if self._keeps_content_type else None
        try:
            await obstore.put_async(self._store, key, data, attributes=attributes)
        except _FAILURES as error:
            raise StorageUnavailable(type(error).__name__) from error

    async def get(self, key: str) -> bytes:
        _check_key(key)
        try:
            result = await obstore.get_async(self._store, key)
            return bytes(await result.bytes_async())
        except FileNotFoundError as missing:
            raise ObjectMissing(key) from missing
        except _FAILURES as error:
            raise StorageUnavailable(type(error).__name__) from error

    async def delete(self, key: str) -> None:
        """Delete the object; a key with no object is fine, so a retried delete succeeds."""
        _check_key(key)
        # The folder reports a missing file; S3 does not.
        try:
            with suppress(FileNotFoundError):
                await obstore.delete_async(self._store, key)
        except _FAILURES as error:
            raise StorageUnavailable(type(error).__name__) from error

    async def close(self) -> None:
        """Nothing to release: obstore's connections close with the store."""


def open_storage(url: str | None, data_dir: Path) -> ObjectStorage:
    """The storage ATTACHMENTS_URL names; none is the folder DATA_DIR/attachments."""
    if not url:
        return _folder(data_dir / "attachments")
    parts = urlsplit(url)
    if parts.scheme == "":
        return _folder(Path(url))
    if parts.scheme == "file":
        if parts.netloc not in ("", "localhost") or parts.query:
            raise _refused("A file:// URL names a folder on this machine: file:///absolute/path.")
        return _folder(Path(unquote(parts.path)))
    if parts.scheme == "s3":
        return _bucket(url)
    # The URL itself is not repeated: it might hold a password.
    raise _refused(f"It starts with {parts.scheme}://.")


def _folder(path: Path) -> ObjectStorage:
    folder = path.resolve()
    return ObjectStorage(
        # automatic_cleanup: deleting an attachment's last object removes its empty folder.
        LocalStore(prefix=folder, mkdir=True, automatic_cleanup=True),
        description=f"folder {folder}",
        copy_hint=f"copy the folder {folder} (for example with rsync -a)",
        keeps_content_type=False,
    )


def _bucket(url: str) -> ObjectStorage:
    parts = urlsplit(url)
    if not parts.netloc:
        raise _refused("Name the bucket after s3://.")
    if "@" in parts.netloc:
        raise _refused(
            "Give the credentials in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, not in the URL."
        )
    options = parse_qs(parts.query, keep_blank_values=True)
    unknown = sorted(set(options) - {"endpoint", "region"})
    if unknown:
        raise _refused(f"Only endpoint and region may follow the '?', not {', '.join(unknown)}.")
    if any(len(values) != 1 or not values[0] for values in options.values()):
        raise _refused("Give endpoint and region once each, with a value.")
    endpoint = options["endpoint"][0] if "endpoint" in options else None
    if endpoint and not endpoint.startswith(("http://", "https://")):
        raise _refused("The endpoint is an http:// or https:// address.")
    bucket = parts.netloc
    prefix = parts.path.strip("/")
    config: S3Config = {}
    if endpoint:
        # obstore lets AWS_ENDPOINT_URL_S3 win over `endpoint`; under this name the URL's
        # endpoint wins over the environment.
        config["aws_endpoint_url_s3"] = endpoint
    if "region" in options:
        config["region"] = options["region"][0]
    endpoint = endpoint or next(
        (os.environ[name] for name in _ENDPOINT_VARIABLES if os.environ.get(name)), None
    )
    # Plain HTTP only where the operator named an http:// endpoint (a local MinIO, moto).
    client_options: ClientConfig | None = (
        {"allow_http": True} if endpoint and endpoint.startswith("http://") else None
    )
    store = S3Store(bucket, prefix=prefix or None, config=config, client_options=client_options)
    location = f"s3://{bucket}/{prefix}" if prefix else f"s3://{bucket}"
    endpoint_option = f" --endpoint-url {endpoint}" if endpoint else ""
    return ObjectStorage(
        store,
        description=f"{location} at {endpoint or 'the AWS endpoint of its region'}",
        copy_hint=(
            "copy the bucket with your object store's tools "
            f"(for example aws s3 sync{endpoint_option} {location} DEST)"
        ),
        keeps_content_type=True,
    )


def _refused(reason: str) -> ValueError:
    return ValueError(f"{_ACCEPTED_FORMS}. {reason}")


def _check_key(key: str) -> None:
    if ".." in key or not _KEY.fullmatch(key):
        raise ValueError(
            f"Object key {key!r} refused: only letters, digits, '.', '_', '-' and '/' between "
            "names, no '..' and no leading '/'."
        )
