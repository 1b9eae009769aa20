from service.domain.privacy import mask_email, mask_name, mask_phone
from service.domain.roles import Permission, Role, can, is_region_wide


def test_the_role_matrix():
    matrix = {
        Role.INSPECTOR: {Permission.WORK_CASES, Permission.ASSIGN_SELF, Permission.SEE_CONTACT},
        Role.MANAGER: {
            Permission.WORK_CASES,
            Permission.ASSIGN_SELF,
            Permission.ASSIGN_ANYONE,
            Permission.TRANSFER,
            Permission.SEE_CONTACT,
            Permission.SEE_DASHBOARD,
            Permission.ERASE,
        },
        Role.COORDINATOR: set(Permission),
        Role.ADMIN: set(Permission) - {Permission.ASSIGN_SELF, Permission.SEE_CONTACT},
    }
    for role, allowed in matrix.items():
        assert {p for p in Permission if can(role, p)} == allowed, role
    assert [r for r in Role if is_region_wide(r)] == [Role.COORDINATOR, Role.ADMIN]


def test_masking_keeps_too_little_to_identify():
    assert mask_name("Jan de Vries") == "J. d. V."
    assert mask_email("jan.devries@example.nl") == "j…@example.nl"
    assert mask_phone("0612345678") == "…78"
    assert mask_email(None) is None
    assert mask_phone(None) is None
