"""A real S3 server for the tests: moto's, in a thread of this process, with one bucket.

The fixture s3_url is exposed to tests/attachments by its conftest.py; a test module elsewhere
imports it: `from tests.attachments.s3_server import s3_url  # noqa: F401`.
"""

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from moto.server import ThreadedMotoServer

BUCKET = "attachments"
REGION = "us-east-1"


@pytest.fixture(scope="session")
def s3_url() -> Iterator[str]:
    """ATTACHMENTS_URL of an empty bucket on a moto server that lives for the session, such as
    "s3://attachments?endpoint=http://127.0.0.1:40123&region=us-east-1"; dummy credentials in
    the environment (moto accepts any), restored at the end."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    with pytest.MonkeyPatch.context() as environment:
        environment.setenv("AWS_ACCESS_KEY_ID", "testing")
        environment.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        try:
            host, port = server.get_host_and_port()
            endpoint = f"http://{host}:{port}"
            boto3.client("s3", endpoint_url=endpoint, region_name=REGION).create_bucket(
                Bucket=BUCKET
            )
            yield f"s3://{BUCKET}?endpoint={endpoint}&region={REGION}"
        finally:
            server.stop()


def under_prefix(url: str, prefix: str) -> str:
    """The same bucket's URL with the objects under a prefix: a test's own part of it."""
    return urlsplit(url)._replace(path=f"/{prefix}").geturl()


def endpoint_of(url: str) -> str:
    """The endpoint=... of an s3_url, for a boto3 client that looks at the bucket directly."""
    return parse_qs(urlsplit(url).query)["endpoint"][0]
