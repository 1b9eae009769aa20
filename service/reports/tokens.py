"""Tracking tokens: HMAC(SECRET_KEY, case id + the case's salt), shown to the tenant and made
again when an e-mail needs the link; the database holds the salt and the token's hash only."""

import base64
import hashlib
import hmac
import secrets
import uuid

SALT_BYTES = 16


def new_tracking_salt() -> bytes:
    return secrets.token_bytes(SALT_BYTES)


def derived_tracking_token(secret_key: str, case_id: uuid.UUID, salt: bytes) -> str:
    """The case's token (256 bits): the same for the same salt, so that a retried request
    gets the same answer and an e-mail sent days later can carry the link.

    Keyed with the server's secret, so the salt stored with the case (or b"demo" for demo
    cases) is of no use to whoever reads the database or the outbox without the key.
    """
    digest = hmac.new(secret_key.encode(), b"tracking:" + case_id.bytes + salt, hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode()


def token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def token_matches(token: str, stored_hash: bytes) -> bool:
    return hash_matches(token_hash(token), stored_hash)


def hash_matches(presented_hash: bytes, stored_hash: bytes) -> bool:
    """In constant time: how long it takes says nothing about how much of the hash matched."""
    return hmac.compare_digest(presented_hash, stored_hash)
