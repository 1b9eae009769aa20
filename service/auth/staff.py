"""Who is calling: bearer-token authentication of staff, and what their role lets them see."""

from dataclasses import dataclass
from typing import TypeAlias

from litestar import Request
from litestar.di import NamedDependency
from litestar.exceptions import NotAuthorizedException

from service.auth.secrets import api_token_hash
from service.auth.store import staff_by_token
from service.dependencies import DbPool
from service.domain.errors import Forbidden
from service.domain.events import Actor
from service.domain.roles import Permission, Role, can, is_region_wide
from service.domain.rows import Row


@dataclass(frozen=True)
class Staff:
    id: int
    email: str
    name: str
    role: Role
    corporation_id: int | None
    corporation_code: str | None

    @classmethod
    def from_row(cls, row: Row) -> "Staff":
        return cls(
            id=row["id"],
            email=row["email"],
            name=row["name"],
            role=Role(row["role"]),
            corporation_id=row["corporation_id"],
            corporation_code=row["corporation_code"],
        )

    @property
    def scope(self) -> int | None:
        """The corporation whose cases this user sees; None for all (region-wide roles)."""
        return None if is_region_wide(self.role) else self.corporation_id

    @property
    def actor(self) -> Actor:
        """This user as a case history names them."""
        name = f"{self.name} ({self.corporation_code})" if self.corporation_code else self.name
        return Actor(name, self.id)

    def can(self, permission: Permission) -> bool:
        return can(self.role, permission)

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise Forbidden(f"Your role ({self.role}) may not do this.")


async def provide_staff(request: Request, db_pool: DbPool) -> Staff:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthorizedException(
            "Sign in: send an API token as 'Authorization: Bearer <token>'.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    async with db_pool.acquire() as connection:
        row = await staff_by_token(connection, api_token_hash(token.strip()))
    if row is None:
        raise NotAuthorizedException(
            "This API token is not valid: it may be revoked, or its user deactivated.",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    return Staff.from_row(row)


CurrentStaff: TypeAlias = NamedDependency[Staff]
