from service.domain.workflow import RULES, WORKFLOW, Status, allowed_next, can_transition

# The workflow table (README, "How a case moves"), written out again here so that a change
# to the table is deliberate.
EXPECTED = {
    "unrouted": {"new", "rejected"},
    "new": {"acknowledged", "rejected", "on_hold"},
    "acknowledged": {"inspection_planned", "referred", "rejected", "on_hold"},
    "inspection_planned": {"inspected", "on_hold", "inspection_planned"},
    "inspected": {"repair_planned", "referred", "resolved", "rejected"},
    "repair_planned": {"resolved", "on_hold", "repair_planned"},
    "referred": {"repair_planned", "resolved", "on_hold"},
    "resolved": {"closed", "acknowledged"},
    "closed": {"acknowledged"},
    "rejected": {"acknowledged"},
}


def test_every_status_has_exactly_one_rule():
    assert {rule.status for rule in WORKFLOW} == set(Status)
    assert len(WORKFLOW) == len(Status)


def test_every_allowed_and_every_forbidden_transition():
    for current in Status:
        if current is Status.ON_HOLD:
            continue
        for target in Status:
            expected = target in EXPECTED[current]
            assert can_transition(current, target) is expected, (current, target)


def test_on_hold_returns_only_to_where_it_came_from():
    for previous in EXPECTED:
        if Status.ON_HOLD not in EXPECTED[previous]:
            continue
        assert allowed_next(Status.ON_HOLD, Status(previous)) == (Status(previous),)
        for target in Status:
            assert can_transition(Status.ON_HOLD, target, Status(previous)) is (target == previous)
    assert allowed_next(Status.ON_HOLD) == ()


def test_required_fields():
    assert RULES[Status.INSPECTION_PLANNED].requires == ("planned_at",)
    assert RULES[Status.REPAIR_PLANNED].requires == ("planned_at",)
    assert RULES[Status.REFERRED].requires == ("referred_to", "external_reference")
    assert RULES[Status.ON_HOLD].requires == ("reason",)
