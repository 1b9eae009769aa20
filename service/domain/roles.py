"""Staff roles and what each may do: the one place that says so."""

from enum import StrEnum


class Role(StrEnum):
    INSPECTOR = "inspector"
    MANAGER = "manager"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


class Permission(StrEnum):
    WORK_CASES = "work_cases"  # see cases in scope; transitions, notes, findings
    ASSIGN_SELF = "assign_self"
    ASSIGN_ANYONE = "assign_anyone"
    TRANSFER = "transfer"
    ROUTE = "route"  # route unrouted cases; reopen closed or rejected ones
    SEE_CONTACT = "see_contact"  # the reporter's name, email and phone
    SEE_DASHBOARD = "see_dashboard"  # backlog dashboard and CSV export of the scope
    ERASE = "erase"  # carry out a tenant's request for erasure: anonymise the case at once


P = Permission
PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.INSPECTOR: frozenset({P.WORK_CASES, P.ASSIGN_SELF, P.SEE_CONTACT}),
    Role.MANAGER: frozenset(
        {
            P.WORK_CASES,
            P.ASSIGN_SELF,
            P.ASSIGN_ANYONE,
            P.TRANSFER,
            P.SEE_CONTACT,
            P.SEE_DASHBOARD,
            P.ERASE,
        }
    ),
    Role.COORDINATOR: frozenset(Permission),
    # Admins run the system: they see every case, but a tenant's contact details only masked.
    Role.ADMIN: frozenset(Permission) - {P.ASSIGN_SELF, P.SEE_CONTACT},
}

# Roles that work for one corporation and see only its cases.
CORPORATION_ROLES = frozenset({Role.INSPECTOR, Role.MANAGER})


def can(role: Role, permission: Permission) -> bool:
    return permission in PERMISSIONS[role]


def is_region_wide(role: Role) -> bool:
    return role not in CORPORATION_ROLES
