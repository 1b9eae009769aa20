"""Tracking tokens: at least 128 random bits, shown once, stored only as a hash."""

import base64
import hashlib
import hmac
import secrets
import uuid


def new_tracking_token() -> str:
    return secrets.token_urlsafe(32)  # 256 bits


def derived_tracking_token(secret_key: str, case_id: uuid.UUID, salt: bytes) -> str:
    """A token that can be made again, so that a retried request gets the same answer.

    Keyed with the server's secret and the client's idempotency key (or b"demo"
    for demo cases), so the database never holds what the token can be made from.
    """
    digest = hmac.new(secret_key.encode(), b"tracking:" + case_id.bytes + salt, hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode()


def token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def token_matches(token: str, stored_hash: bytes) -> bool:
    return hmac.compare_digest(token_hash(token), stored_hash)
