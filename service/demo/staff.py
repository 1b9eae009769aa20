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

from service.auth.secrets import TOKEN_PREFIX, api_token_hash, hash_password
from service.auth.staff import Staff
from service.db import Connection
from service.demo import store, texts
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
    existing = await store.existing_emails(connection, [u.email for u in users])
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
    added: dict[str, int] = {}
    if missing:
        assert password_hash is not None
        added = await store.insert_users(
            connection,
            [(u.email, u.name, str(u.role), u.corporation_code) for u in missing],
            password_hash,
            created_at,
        )
    holders = [(label, email) for label, email in TOKEN_HOLDERS if email in added]
    await store.insert_tokens(
        connection,
        [
            (added[email], api_token_hash(demo_token(secret_key, email)), f"{TOKEN_LABEL}: {label}")
            for label, email in holders
        ],
        created_at,
    )
    rows = await store.users_by_email(connection, [u.email for u in demo_users()])
    staff = DemoStaff({row["email"]: Staff.from_row(row) for row in rows})
    return len(added), staff


async def demo_staff_tokens(connection: Connection, secret_key: str) -> dict[str, str]:
    """Working API tokens of demo users, by a short label ("coordinator", "manager (lefier)").

    Only tokens the database knows, unrevoked, of active users: with another secret key
    than the demo was loaded with, none.
    """
    tokens = {label: demo_token(secret_key, email) for label, email in TOKEN_HOLDERS}
    present = await store.working_token_hashes(
        connection, [api_token_hash(token) for token in tokens.values()]
    )
    return {label: token for label, token in tokens.items() if api_token_hash(token) in present}
