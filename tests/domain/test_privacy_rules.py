"""The pure rules of retention and erasure (service/domain/privacy.py, permissions.py)."""

from datetime import date

import pytest

from service.domain.errors import Conflict, Forbidden
from service.domain.permissions import ActionKind, CaseFacts, allowed_actions, check
from service.domain.privacy import (
    erasure_deadline,
    months_later,
    retention_cutoff,
    without_free_text,
)
from service.domain.roles import Role
from service.domain.workflow import Status


class User:
    def __init__(self, role: Role) -> None:
        self.id, self.role = 1, role


def test_a_month_on_is_the_same_day_or_the_last_of_a_shorter_month():
    assert erasure_deadline(date(2026, 11, 30)) == date(2026, 12, 30)
    assert erasure_deadline(date(2026, 12, 31)) == date(2027, 1, 31)
    assert erasure_deadline(date(2027, 1, 31)) == date(2027, 2, 28)
    assert erasure_deadline(date(2028, 1, 31)) == date(2028, 2, 29)
    assert months_later(date(2026, 3, 15), -24) == date(2024, 3, 15)
    assert retention_cutoff(date(2026, 2, 28), 24) == date(2024, 2, 28)


def test_what_a_person_typed_goes_and_codes_stay():
    assert without_free_text({"text": "Bel Jan", "visibility": "tenant"}) == {
        "visibility": "tenant"
    }
    assert without_free_text({"reason": "Wacht op sleutel van Jan", "paused_seconds": 5}) == {
        "paused_seconds": 5
    }
    coded = {"reason": "withdrawn", "duplicate_of": "SCH-2026-000001"}
    assert without_free_text(coded) == coded
    moved = {"reason": "transfer", "corporation_name": "Lefier", "note": "Huurder Jan belde"}
    assert without_free_text(moved) == {"reason": "transfer", "corporation_name": "Lefier"}
    assert without_free_text({"title": "Rapport Jansen", "kind": "document"}) == {
        "kind": "document"
    }


ASKED = CaseFacts(Status.CLOSED, 1, erasure_requested=True)


@pytest.mark.parametrize("role", [Role.MANAGER, Role.COORDINATOR, Role.ADMIN])
def test_managers_coordinators_and_admins_carry_out_an_erasure(role: Role):
    check(User(role), ASKED, ActionKind.ERASE)
    assert ActionKind.ERASE in {a.action for a in allowed_actions(User(role), ASKED)}


def test_inspectors_do_not_and_nobody_without_a_request_or_twice():
    with pytest.raises(Forbidden):
        check(User(Role.INSPECTOR), ASKED, ActionKind.ERASE)
    with pytest.raises(Conflict, match="has not asked"):
        check(User(Role.MANAGER), CaseFacts(Status.CLOSED, 1), ActionKind.ERASE)
    done = CaseFacts(Status.CLOSED, 1, erasure_requested=True, anonymised=True)
    with pytest.raises(Conflict, match="anonymised already"):
        check(User(Role.MANAGER), done, ActionKind.ERASE)
    assert ActionKind.ERASE not in {a.action for a in allowed_actions(User(Role.ADMIN), done)}
