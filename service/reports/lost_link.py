""" "Lost your link?": one e-mail listing a tenant's reports, each with a working link.

The request's answer is the same whether the address is known or not, and so is its work:
the same two statements run either way (the second queues nothing for an unknown address),
and no e-mail is sent while the tenant waits: the worker sends it.
"""

import re
import uuid
from datetime import datetime, timedelta

import asyncpg

from service.domain.errors import InvalidInput
from service.notifications import outbox
from service.reports.intake import EMAIL_PATTERN
from service.reports.tokens import derived_tracking_token, new_tracking_salt, token_hash
from service.throttle.policy import Limited, Throttle

# Open reports, and those closed (or rejected) this recently: what a tenant may still ask about.
CLOSED_WITHIN = timedelta(days=183)
MOST_REPORTS = 50
BAD_EMAIL = "This is not an e-mail address; it looks like name@example.nl."

_FIND_SQL = """
SELECT c.id, c.reference, c.status, c.reported_at, c.tracking_salt, r.email, r.language
FROM reporters r JOIN cases c ON c.reporter_id = r.id
WHERE lower(r.email) = lower($1) AND (c.closed_at IS NULL OR c.closed_at > $2)
ORDER BY c.reported_at DESC
LIMIT $3
FOR UPDATE OF c
"""

# Cases made before salts were kept get one now, and a new token with it: their old link
# stops working, which the e-mail's new links make up for.
_QUEUE_SQL = """
WITH salted AS (
    UPDATE cases c SET tracking_salt = f.salt, tracking_token_hash = f.hash
    FROM unnest($1::uuid[], $2::bytea[], $3::bytea[]) AS f (id, salt, hash)
    WHERE c.id = f.id AND c.tracking_salt IS NULL
    RETURNING c.id
)
INSERT INTO outbox (kind, recipient, payload, next_attempt_at, created_at)
SELECT $4, $5::text, $6::jsonb, $7, $7 WHERE $5::text IS NOT NULL
"""


def valid_email(email: str) -> str:
    address = email.strip()
    if not EMAIL_PATTERN.fullmatch(address) or re.search(r"[\x00-\x1f]", address):
        raise InvalidInput.one("email", BAD_EMAIL)
    return address


async def ask_for_links(
    pool: asyncpg.Pool, throttle: Throttle, typed: str, secret_key: str, now: datetime
) -> None:
    """A request from the API or the page: InvalidInput for a malformed address,
    RateLimited when this address was asked for too often, else the e-mail is queued."""
    email = valid_email(typed)
    await throttle.admit_email(Limited.LINKS_PER_EMAIL, email)
    await send_links(pool, email, secret_key, now)


async def send_links(pool: asyncpg.Pool, email: str, secret_key: str, now: datetime) -> None:
    """Queue one e-mail with the links of every report of this address; none when unknown."""
    async with pool.acquire() as connection, connection.transaction():
        rows = await connection.fetch(_FIND_SQL, email, now - CLOSED_WITHIN, MOST_REPORTS)
        new_ids: list[uuid.UUID] = []
        new_salts: list[bytes] = []
        new_hashes: list[bytes] = []
        reports = []
        for row in rows:
            salt = row["tracking_salt"]
            if salt is None:
                salt = new_tracking_salt()
                new_ids.append(row["id"])
                new_salts.append(salt)
                new_hashes.append(token_hash(derived_tracking_token(secret_key, row["id"], salt)))
            reports.append(
                {
                    "case_id": str(row["id"]),
                    "reference": row["reference"],
                    "status": row["status"],
                    "reported_at": row["reported_at"].isoformat(),
                    "tracking_salt": salt.hex(),
                }
            )
        newest = rows[0] if rows else None
        await connection.execute(
            _QUEUE_SQL,
            new_ids,
            new_salts,
            new_hashes,
            outbox.TENANT_LINKS,
            newest["email"] if newest else None,
            {"language": newest["language"] if newest else "nl", "reports": reports},
            now,
        )
