"""A small region for staff tests: two corporations, staff of every role, and their homes."""

from dataclasses import dataclass, field
from typing import Any

import asyncpg
from litestar.testing import AsyncTestClient

from tests import factories
from tests.factories import bearer, if_match, report_body

ROLES = ("inspector", "manager", "coordinator", "admin")
OWN_HOME = {"postcode": "9711AB", "house_number": 12}  # Lefier's
OTHER_HOME = {"postcode": "9601AA", "house_number": 3}  # Acantus's
UNKNOWN_HOME = {"postcode": "9999ZZ", "house_number": 1}


@dataclass
class Person:
    id: int
    role: str
    corporation: str | None
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return bearer(self.token)


@dataclass
class World:
    client: AsyncTestClient
    corporations: dict[str, int]
    people: dict[str, Person] = field(default_factory=dict)

    def who(self, role: str, corporation: str = "lefier") -> Person:
        """A person of role; inspectors and managers of the corporation named."""
        key = f"{role}@{corporation}" if role in ("inspector", "manager") else role
        return self.people[key]

    async def report(self, home: dict[str, Any] | None = None, **overrides: Any) -> dict[str, Any]:
        body = report_body(address=dict(home or OWN_HOME), **overrides)
        response = await self.client.post("/api/v1/reports", json=body)
        assert response.status_code == 201, response.text
        return response.json()

    async def case(self, reference: str, person: Person) -> dict[str, Any]:
        response = await self.client.get(f"/api/v1/cases/{reference}", headers=person.headers)
        assert response.status_code == 200, response.text
        return response.json()

    async def move(
        self, reference: str, person: Person, to: str, expect: int = 200, **fields: Any
    ) -> dict[str, Any]:
        """POST a transition with the case's current version; assert the status code."""
        version = (await self.case(reference, self.who("admin")))["version"]
        response = await self.client.post(
            f"/api/v1/cases/{reference}/transitions",
            json={"to": to, **fields},
            headers={**person.headers, **if_match(version)},
        )
        assert response.status_code == expect, response.text
        return response.json()


async def build_world(conn: asyncpg.Connection, client: AsyncTestClient) -> World:
    lefier = await factories.corporation(conn, "lefier", "Lefier")
    acantus = await factories.corporation(conn, "acantus", "Acantus")
    await factories.home(conn, lefier, OWN_HOME["postcode"], OWN_HOME["house_number"])
    await factories.home(conn, acantus, OTHER_HOME["postcode"], OTHER_HOME["house_number"])
    world = World(client, {"lefier": lefier, "acantus": acantus})
    for code, corporation_id in world.corporations.items():
        for role in ("inspector", "manager"):
            user_id = await factories.user(
                conn, role, corporation_id, name=f"{role.title()} {code}"
            )
            token = await factories.api_token(conn, user_id)
            world.people[f"{role}@{code}"] = Person(user_id, role, code, token)
    for role in ("coordinator", "admin"):
        user_id = await factories.user(conn, role, name=role.title())
        world.people[role] = Person(user_id, role, None, await factories.api_token(conn, user_id))
    return world
