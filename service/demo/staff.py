"""Demo staff: an inspector and a manager for every demo corporation, a coordinator and an admin.

Their password is derived from the server's secret (`demo_password`), and so are the API
tokens of four of them (`demo_staff_tokens`), so that a demo install can be tried out at
once. Loading is idempotent: users whose email exists already are left alone, and tokens
are only made for the users a load creates.
"""

# Seeded generators on purpose: the demo must be reproducible, and nothing here is secret.
# ruff: noqa: S311

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from random import Random

import asyncpg

from service.auth.secrets import TOKEN_PREFIX, api_token_hash, hash_password
from service.auth.staff import Staff
from service.db import Connection
from service.demo import texts
from service.demo.places import CORPORATIONS
from service.domain.roles import Role

STAFF_SEED = 20_260_003
COORDINATOR_EMAIL = "coordinator@example.nl"
ADMIN_EMAIL = "admin@example.nl"
TOKEN_LABEL = "demo"  # noqa: S105 - a label, not a secret


def inspector_email(corporation_code: str) -> str:
    return f"inspecteur.{corporation_code}@example.nl"


def manager_email(corporation_code: str) -> str:
    return f"manager.{corporation_code}@example.nl"


# Who gets a ready-made API token: (label, email).
TOKEN_HOLDERS: tuple[tuple[str, str], ...] = (
    ("coordinator", COORDINATOR_EMAIL),
    ("admin", ADMIN_EMAIL),
    ("inspector (lefier)", inspector_email("lefier")),
    ("manager (lefier)", manager_email("lefier")),
)


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    role: Role
    corporation_code: str | None


def demo_users(seed: int = STAFF_SEED) -> list[DemoUser]:
    """The demo staff, with made-up names that differ from each other."""
    rng = Random(seed)
    taken: set[str] = set()

    def name() -> str:
        while True:
            full = f"{rng.choice(texts.FIRST_NAMES)} {rng.choice(texts.SURNAMES)}"
            if full not in taken:
                taken.add(full)
                return full

    users = [
        DemoUser(COORDINATOR_EMAIL, name(), Role.COORDINATOR, None),
        DemoUser(ADMIN_EMAIL, name(), Role.ADMIN, None),
    ]
    for corporation in CORPORATIONS:
        code = corporation.code
        users.append(DemoUser(inspector_email(code), name(), Role.INSPECTOR, code))
        users.append(DemoUser(manager_email(code), name(), Role.MANAGER, code))
    return users


def _mac(secret_key: str, message: bytes) -> bytes:
    return hmac.new(secret_key.encode(), message, hashlib.sha256).digest()


def demo_password(secret_key: str) -> str:
    """The password of every demo user: known to whoever knows the server's secret."""
    return base64.urlsafe_b64encode(_mac(secret_key, b"demo-password")).decode()[:16]


def demo_token(secret_key: str, email: str) -> str:
    mac = _mac(secret_key, b"demo-token:" + email.encode())
    return TOKEN_PREFIX + base64.urlsafe_b64encode(mac).decode().rstrip("=")


@dataclass(frozen=True)
class DemoStaff:
    """The demo users in the database, by role and corporation."""

    by_email: dict[str, Staff]

    def inspector(self, corporation_code: str) -> Staff:
        return self._get(inspector_email(corporation_code))

    def manager(self, corporation_code: str) -> Staff:
        return self._get(manager_email(corporation_code))

    @property
    def coordinator(self) -> Staff:
        return self._get(COORDINATOR_EMAIL)

    @property
    def admin(self) -> Staff:
        return self._get(ADMIN_EMAIL)

    def member(self, role: Role, corporation_code: str | None) -> Staff:
        """The demo user in this role: of the corporation for inspectors and managers."""
        if role is Role.COORDINATOR:
            return self.coordinator
        if role is Role.ADMIN:
            return self.admin
        if corporation_code is None:
            raise RuntimeError(f"no corporation for the demo {role}")
        if role is Role.INSPECTOR:
            return self.inspector(corporation_code)
        return self.manager(corporation_code)

    def has_team(self, corporation_code: str) -> bool:
        return {inspector_email(corporation_code), manager_email(corporation_code)} <= set(
            self.by_email
        )

    def _get(self, email: str) -> Staff:
        try:
            return self.by_email[email]
        except KeyError:
            raise RuntimeError(f"the demo user {email} is missing") from None


async def missing_staff(connection: Connection) -> list[DemoUser]:
    """The demo users the database has no user with the same email for."""
    users = demo_users()
    rows = await connection.fetch(
        "SELECT email FROM users WHERE email = ANY($1::text[])", [u.email for u in users]
    )
    existing = {row["email"] for row in rows}
    return [u for u in users if u.email not in existing]


def hash_demo_password(secret_key: str) -> str:
    """The hash all demo users share: argon2 takes a while on purpose, so hash once."""
    return hash_password(demo_password(secret_key))


async def load_staff(
    connection: Connection,
    secret_key: str,
    missing: list[DemoUser],
    password_hash: str | None,
    *,
    created_at: datetime,
) -> tuple[int, DemoStaff]:
    """Add the missing demo users (and tokens for them); (users added, all demo users).

    password_hash: hash_demo_password's, when any are missing.
    """
    added: list[asyncpg.Record] = []
    if missing:
        assert password_hash is not None
        added = await connection.fetch(
            """
            INSERT INTO users (email, name, role, corporation_id, password_hash, created_at)
            SELECT u.email, u.name, u.role, c.id, $5, $6
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
                 AS u (email, name, role, corporation_code)
            LEFT JOIN corporations c ON c.code = u.corporation_code
            ON CONFLICT (email) DO NOTHING
            RETURNING id, email
            """,
            [u.email for u in missing],
            [u.name for u in missing],
            [str(u.role) for u in missing],
            [u.corporation_code for u in missing],
            password_hash,
            created_at,
        )
    new_ids = {row["email"]: row["id"] for row in added}
    holders = [(label, email) for label, email in TOKEN_HOLDERS if email in new_ids]
    if holders:
        await connection.execute(
            """
            INSERT INTO api_tokens (user_id, token_hash, label, created_at)
            SELECT *, $4 FROM unnest($1::bigint[], $2::bytea[], $3::text[])
            ON CONFLICT (token_hash) DO NOTHING
            """,
            [new_ids[email] for _, email in holders],
            [api_token_hash(demo_token(secret_key, email)) for _, email in holders],
            [f"{TOKEN_LABEL}: {label}" for label, _ in holders],
            created_at,
        )
    rows = await connection.fetch(
        """
        SELECT u.id, u.email, u.name, u.role, u.corporation_id, c.code AS corporation_code
        FROM users u LEFT JOIN corporations c ON c.id = u.corporation_id
        WHERE u.email = ANY($1::text[])
        """,
        [u.email for u in demo_users()],
    )
    staff = DemoStaff({row["email"]: Staff.from_row(row) for row in rows})
    return len(added), staff


async def demo_staff_tokens(connection: Connection, secret_key: str) -> dict[str, str]:
    """Working API tokens of demo users, by a short label ("coordinator", "manager (lefier)").

    Only tokens the database knows, unrevoked, of active users: with another secret key
    than the demo was loaded with, none.
    """
    tokens = {label: demo_token(secret_key, email) for label, email in TOKEN_HOLDERS}
    rows = await connection.fetch(
        """
        SELECT t.token_hash FROM api_tokens t JOIN users u ON u.id = t.user_id AND u.active
        WHERE t.token_hash = ANY($1::bytea[]) AND t.revoked_at IS NULL
        """,
        [api_token_hash(token) for token in tokens.values()],
    )
    present = {bytes(row["token_hash"]) for row in rows}
    return {label: token for label, token in tokens.items() if api_token_hash(token) in present}
