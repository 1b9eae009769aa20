"""The README holds what users and operators need, and says what the code does.

A clone of the project has nothing beside it, so neither the README nor the code may send a
reader to a design document elsewhere. The README's workflow, deadline and role tables are
read here and held against service/domain, so a change to a rule shows up as a README to fix.
"""

import re
from datetime import datetime, timedelta

import pytest

from service.domain.calendar import AMSTERDAM, working_days_deadline
from service.domain.roles import Role, is_region_wide
from service.domain.sla import Urgency, deadlines_for
from service.domain.workflow import RULES, Status
from tests.conftest import REPO

README = (REPO / "README.md").read_text()


def section(title: str) -> str:
    """The README's text under a heading, up to the next heading of any level."""
    return README.split(f"{title}\n", 1)[1].split("\n#", 1)[0]


def table_rows(text: str) -> list[list[str]]:
    """The body rows of the first Markdown table in text, as lists of cells."""
    table = re.search(r"^\|.*?(?=\n[^|]|\Z)", text, re.M | re.S)
    assert table, text
    lines = table.group().splitlines()[2:]  # past the header and its ---
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]


def test_no_document_points_to_a_design_file_the_project_does_not_have():
    texts = [*REPO.glob("*.md"), *(REPO / "service").rglob("*.py")]
    for path in texts:
        text = path.read_text()
        assert "DESIGN.md" not in text, path
        assert "../shared" not in text, path


def test_the_readme_status_table_lists_the_moves_of_the_workflow():
    rows = table_rows(section("## How a case moves"))
    listed = {}
    for status, _, moves in rows:
        current = Status(status.strip("`"))
        targets = {Status(name) for name in re.findall(r"`([a-z_]+)`", moves)}
        if "planned anew" in moves:
            targets.add(current)
        listed[current] = targets
    assert listed == {status: set(RULES[status].next) for status in Status}


def due_as_written(cell: str, reported: datetime) -> datetime:
    """ "4 hours" or "5 working days" from the README, counted from reported."""
    count, unit = cell.split(" ", 1)
    if unit == "hours":
        return reported + timedelta(hours=int(count))
    assert unit in ("working day", "working days"), cell
    return working_days_deadline(reported, int(count))


@pytest.mark.parametrize("urgency", list(Urgency))
def test_the_readme_deadline_table_says_what_the_deadlines_are(urgency):
    rows = table_rows(section("## How a case moves").split("Deadlines are set", 1)[1])
    [row] = [row for row in rows if row[0].startswith(str(urgency))]
    reported = datetime(2026, 2, 6, 18, 30, tzinfo=AMSTERDAM)  # a Friday evening
    deadlines = deadlines_for(urgency, reported)
    assert [due_as_written(cell, reported) for cell in row[1:]] == [
        deadlines.acknowledge_by,
        deadlines.inspect_by,
        deadlines.resolve_by,
    ]


def test_the_readme_role_table_names_every_role():
    rows = table_rows(section("### Staff roles"))
    assert [row[0].strip("`") for row in rows] == [str(role) for role in Role]
    for row in rows:
        region_wide = is_region_wide(Role(row[0].strip("`")))
        assert row[1] == ("the whole region" if region_wide else "one corporation"), row
