"""Standard Webhooks signatures (https://www.standardwebhooks.com): HMAC-SHA256 over
"<webhook-id>.<webhook-timestamp>.<body>" with the subscription's secret.

A few lines of the standard library; the tests verify them with the `standardwebhooks`
package, as a receiver would, so the two are checked against each other.
"""

import base64
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"  # noqa: S105 - the prefix the standard gives secrets


def new_secret() -> str:
    """A signing secret of 32 random bytes, as the standard writes it: whsec_<base64>."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def signed_headers(secret: str, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, message_id, timestamp, body),
    }
