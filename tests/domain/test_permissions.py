"""What a user may do to a case now: one module decides, for the API, the pages and the rules."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from service.domain.errors import Conflict, Forbidden
from service.domain.permissions import (
    FINDINGS_STATUSES,
    ActionKind,
    CaseFacts,
    MoveKind,
    TenantAction,
    allowed_actions,
    check,
    check_move,
    check_tenant,
    moves,
    tenant_actions,
)
from service.domain.roles import Role
from service.domain.workflow import (
    MOVES_BY_ACTION,
    REGION_WIDE_MOVES,
    Status,
    allowed_next,
    can_transition,
)

S = Status
A = ActionKind
LEFIER = 1


@dataclass(frozen=True)
class User:
    id: int
    role: Role


INSPECTOR, MANAGER = User(10, Role.INSPECTOR), User(11, Role.MANAGER)
COORDINATOR, ADMIN = User(20, Role.COORDINATOR), User(21, Role.ADMIN)
EVERYONE = (INSPECTOR, MANAGER, COORDINATOR, ADMIN)


def case(status: Status, corporation: int | None = LEFIER, **facts) -> CaseFacts:
    if status is S.UNROUTED:
        corporation = None
    return CaseFacts(status, corporation, **facts)


def every_case() -> list[CaseFacts]:
    cases = [case(status) for status in Status if status is not S.ON_HOLD]
    cases += [case(S.ON_HOLD, on_hold_previous_status=s) for s in (S.NEW, S.REPAIR_PLANNED)]
    return [*cases, case(S.REJECTED, corporation=None)]  # rejected before routing


def kinds(user: User, facts: CaseFacts) -> set[ActionKind]:
    return {allowed.action for allowed in allowed_actions(user, facts)}


@pytest.mark.parametrize("user", EVERYONE, ids=lambda u: u.role)
def test_moves_are_the_workflow_less_what_needs_another_action_or_another_role(user):
    for facts in every_case():
        offered = [move.to for move in moves(user.role, facts)]
        for target in allowed_next(facts.status, facts.on_hold_previous_status):
            move = (facts.status, target)
            expected = (
                move not in MOVES_BY_ACTION
                and (user.role in (Role.COORDINATOR, Role.ADMIN) or move not in REGION_WIDE_MOVES)
                and (facts.corporation_id is not None or target in (S.UNROUTED, S.REJECTED))
            )
            assert (target in offered) is expected, (user.role, facts, target)
        assert set(offered) <= set(allowed_next(facts.status, facts.on_hold_previous_status))


@pytest.mark.parametrize("user", EVERYONE, ids=lambda u: u.role)
def test_check_move_agrees_with_moves_and_says_why_not(user):
    for facts in every_case():
        offered = {move.to: move for move in moves(user.role, facts)}
        for target in Status:
            if target in offered:
                assert check_move(user.role, facts, target) == offered[target]
                continue
            with pytest.raises((Conflict, Forbidden)) as refused:
                check_move(user.role, facts, target)
            workflow_allows = can_transition(facts.status, target, facts.on_hold_previous_status)
            region_wide = (facts.status, target) in REGION_WIDE_MOVES
            if workflow_allows and region_wide and facts.corporation_id is not None:
                assert isinstance(refused.value, Forbidden)
                assert "Only coordinators and admins" in refused.value.detail
            else:
                assert isinstance(refused.value, Conflict)


def test_a_move_says_what_it_means_and_which_fields_it_needs():
    inspector = Role.INSPECTOR
    planned = {m.to: m for m in moves(inspector, case(S.INSPECTION_PLANNED))}
    assert planned[S.INSPECTION_PLANNED].move is MoveKind.REPLAN
    assert planned[S.INSPECTION_PLANNED].requires == ("planned_at",)
    assert planned[S.ON_HOLD].requires == ("reason",)
    # Recording the findings makes this move; the page offers it as the findings form.
    assert planned[S.INSPECTED].made_by is A.FINDINGS
    assert planned[S.ON_HOLD].made_by is None
    held = moves(inspector, case(S.ON_HOLD, on_hold_previous_status=S.REPAIR_PLANNED))
    assert [(m.to, m.move, m.requires) for m in held] == [(S.REPAIR_PLANNED, MoveKind.RESUME, ())]
    reopen = {m.to: m for m in moves(Role.COORDINATOR, case(S.CLOSED))}[S.ACKNOWLEDGED]
    assert (reopen.move, reopen.requires) == (MoveKind.REOPEN, ("reason",))
    new = {m.to: m for m in moves(inspector, case(S.NEW))}
    assert new[S.ACKNOWLEDGED].move is MoveKind.FORWARD
    assert new[S.REJECTED].optional == ("duplicate_of", "note")
    assert new[S.ACKNOWLEDGED].optional == ("note",)


def test_the_other_actions_by_role_and_status():
    open_case = case(S.INSPECTION_PLANNED)
    assert kinds(INSPECTOR, open_case) - {A.TRANSITION} == {A.FINDINGS, A.NOTE, A.TAKE}
    assert kinds(MANAGER, open_case) - {A.TRANSITION} == {
        A.FINDINGS,
        A.NOTE,
        A.ASSIGN,
        A.TAKE,
        A.TRANSFER,
    }
    # Taken: the inspector may release it, not take it again.
    mine = case(S.NEW, assignee_id=INSPECTOR.id)
    assert {A.RELEASE} <= kinds(INSPECTOR, mine)
    assert A.TAKE not in kinds(INSPECTOR, mine)
    assert A.RELEASE not in kinds(MANAGER, mine)  # the manager assigns instead
    # Findings only from a planned inspection until resolved.
    for status in Status:
        assert (A.FINDINGS in kinds(INSPECTOR, case(status))) is (status in FINDINGS_STATUSES)
    # Routing: unrouted (or rejected before routing), region-wide staff only.
    assert A.ROUTE in kinds(COORDINATOR, case(S.UNROUTED))
    assert A.ROUTE in kinds(ADMIN, case(S.REJECTED, corporation=None))
    assert A.ROUTE not in kinds(COORDINATOR, case(S.NEW))
    assert A.ROUTE not in kinds(MANAGER, case(S.UNROUTED))
    # Transfer: a routed case that is not finished.
    assert A.TRANSFER not in kinds(COORDINATOR, case(S.UNROUTED))
    assert A.TRANSFER not in kinds(MANAGER, case(S.CLOSED))
    assert A.TRANSFER in kinds(ADMIN, case(S.RESOLVED))


@pytest.mark.parametrize("user", EVERYONE, ids=lambda u: u.role)
def test_check_agrees_with_allowed_actions(user):
    others = [a for a in ActionKind if a is not A.TRANSITION]
    for facts in [*every_case(), case(S.NEW, assignee_id=user.id)]:
        offered = kinds(user, facts)
        for action in others:
            if action in offered:
                assert check(user, facts, action).action is action
            elif action not in (A.TAKE, A.RELEASE):  # offered only to whom it makes sense
                with pytest.raises((Conflict, Forbidden)):
                    check(user, facts, action)


def test_inspectors_may_not_give_cases_to_others_nor_route_or_transfer():
    facts = case(S.NEW, assignee_id=MANAGER.id)
    for action in (A.ASSIGN, A.TRANSFER, A.RELEASE):
        with pytest.raises(Forbidden):
            check(INSPECTOR, facts, action)
    with pytest.raises(Forbidden):
        check(INSPECTOR, case(S.UNROUTED), A.ROUTE)
    with pytest.raises(Conflict, match="cannot be transferred"):
        check(MANAGER, case(S.REJECTED), A.TRANSFER)
    with pytest.raises(Conflict, match="once an inspection is planned"):
        check(INSPECTOR, case(S.NEW), A.FINDINGS)


NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("days_ago", "may_react"), [(0, True), (13.9, True), (14.1, False)], ids=str
)
def test_the_tenant_confirms_or_reopens_within_fourteen_days(days_ago, may_react):
    resolved_at = NOW - timedelta(days=days_ago)
    allowed = tenant_actions(S.RESOLVED, resolved_at, NOW)
    expected = {TenantAction.MESSAGE, TenantAction.ADD_PHOTOS} | (
        {TenantAction.CONFIRM, TenantAction.REOPEN} if may_react else set()
    )
    assert set(allowed) == expected
    if not may_react:
        with pytest.raises(Conflict, match="14 days to confirm the repair have passed"):
            check_tenant(TenantAction.CONFIRM, S.RESOLVED, resolved_at, NOW)


def test_the_tenant_adds_information_while_the_report_is_open():
    for status in Status:
        allowed = tenant_actions(status, None, NOW)
        assert (TenantAction.MESSAGE in allowed) is (status not in (S.CLOSED, S.REJECTED))
        assert (TenantAction.ADD_PHOTOS in allowed) is (TenantAction.MESSAGE in allowed)
        assert TenantAction.CONFIRM not in allowed  # not resolved, or no moment of it
    with pytest.raises(Conflict, match="once the corporation reports the work as done"):
        check_tenant(TenantAction.REOPEN, S.REPAIR_PLANNED, None, NOW)
    with pytest.raises(Conflict, match="This report is closed"):
        check_tenant(TenantAction.MESSAGE, S.CLOSED, None, NOW)


@pytest.mark.parametrize("resolved_days_ago", [None, 0, 13.9, 14.1], ids=str)
def test_what_the_tenant_is_offered_is_what_the_check_lets_through(resolved_days_ago):
    resolved_at = None if resolved_days_ago is None else NOW - timedelta(days=resolved_days_ago)
    for status in Status:
        allowed = tenant_actions(status, resolved_at, NOW)
        for action in TenantAction:
            if action in allowed:
                check_tenant(action, status, resolved_at, NOW)
            else:
                with pytest.raises(Conflict) as refused:
                    check_tenant(action, status, resolved_at, NOW)
                assert refused.value.detail  # words for the tenant, never an empty refusal
