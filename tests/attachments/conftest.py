"""Fixtures of the attachments' tests: the S3 server (tests/attachments/s3_server.py)."""

from tests.attachments.s3_server import s3_url

__all__ = ["s3_url"]
