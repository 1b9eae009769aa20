"""The forms of the staff case page, read into the API's request bodies.

Each reader raises FormErrors naming the form's fields, so the page can say what is wrong
next to each field and keep everything that was typed.
"""

import re
from datetime import datetime
from typing import Any

import msgspec

from service.cases.schemas import AssigneeIn, FindingsIn, NoteIn, TransferIn, TransitionIn
from service.domain.calendar import AMSTERDAM
from service.domain.errors import InvalidInput
from service.errors import validation_path

# Rows of damage items the findings form offers; empty rows are left out.
FINDING_ROWS = 3
# A case version as a form carries it (the pages' hidden field).
VERSION = re.compile(r"[0-9]{1,9}")
# An id chosen in a form: ASCII digits only (str.isdigit() takes "²" too), few enough for
# int() to be cheap; the request body's Struct says which are too large.
ID = re.compile(r"[0-9]{1,20}")
# A version no case has: a form without a readable version is taken as stale.
_NO_VERSION = 0
ITEM_FIELDS = ("location", "kind", "damage_class", "crack_width_mm", "description")


class FormErrors(Exception):
    """Fields of one form that are not right: form field name -> error text key."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__(", ".join(fields))
        self.fields = fields


def _text(form: dict[str, str], name: str) -> str | None:
    value = form.get(name, "").strip()
    return value or None


def _local_time(value: str | None) -> datetime | None:
    """A datetime-local field ("2026-12-01T10:00") as a moment in Dutch time."""
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=AMSTERDAM)
    except ValueError:
        raise FormErrors({"planned_at": "error_planned_at"}) from None


def _convert(values: dict[str, Any], kind: type, field_of: dict[str, str]) -> Any:
    """msgspec's checks of the API, with its complaint turned into the form's field."""
    try:
        return msgspec.convert(values, kind)
    except msgspec.ValidationError as error:
        path = validation_path(error)
        top = path.split("[", 1)[0].split(".", 1)[0]
        last = path.rsplit(".", 1)[-1].split("[", 1)[0]
        raise FormErrors({field_of.get(path, top): f"error_{last}"}) from None


def transition_of(form: dict[str, str]) -> TransitionIn:
    values = {
        "to": form.get("to", ""),
        "planned_at": _local_time(_text(form, "planned_at")),
        "referred_to": _text(form, "referred_to"),
        "external_reference": _text(form, "external_reference"),
        "reason": _text(form, "reason"),
        "duplicate_of": _text(form, "duplicate_of"),
        "repaired_on": _text(form, "repaired_on"),  # a date field: "2026-12-02"
        "note": _text(form, "note"),
    }
    return _convert({k: v for k, v in values.items() if v is not None}, TransitionIn, {})


def _number(value: str | None, field: str) -> float | None:
    if value is None:
        return None
    try:
        return float(value.replace(",", "."))
    except ValueError:
        raise FormErrors({field: f"error_{field.rsplit('-', 1)[-1]}"}) from None


def findings_of(form: dict[str, str]) -> FindingsIn:
    items = []
    rows_of_items = []  # the form row each item came from: empty rows are skipped
    errors: dict[str, str] = {}
    for row in range(1, FINDING_ROWS + 1):
        cells = {name: _text(form, f"item{row}-{name}") for name in ITEM_FIELDS}
        if not any(cells.values()):
            continue
        for name in ("location", "kind", "damage_class"):
            if cells[name] is None:
                errors[f"item{row}-{name}"] = f"error_{name}"
        try:
            damage_class = _number(cells["damage_class"], f"item{row}-damage_class")
            width = _number(cells["crack_width_mm"], f"item{row}-crack_width_mm")
        except FormErrors as error:
            errors |= error.fields
            continue
        if damage_class is None:
            continue  # reported as missing above
        rows_of_items.append(row)
        items.append(
            {
                "location": cells["location"] or "",
                "kind": cells["kind"] or "",
                "damage_class": int(damage_class),
                "crack_width_mm": width,
                "description": cells["description"],
            }
        )
    if not items:
        errors["item1-location"] = "error_items"
    if errors:
        raise FormErrors(errors)
    values = {
        "items": items,
        "acute": form.get("acute") == "yes",
        "earthquake_cause": form.get("earthquake_cause", ""),
        "summary": _text(form, "summary"),
        "visited_on": _text(form, "visited_on"),  # a date field: "2026-11-27"
    }
    # "items[0].damage_class" -> the field of that item's row in the form.
    field_of = {
        f"items[{n}].{name}": f"item{row}-{name}"
        for n, row in enumerate(rows_of_items)
        for name in ITEM_FIELDS
    }
    return _convert(values, FindingsIn, field_of)


def note_of(form: dict[str, str]) -> NoteIn:
    return _convert(
        {"text": form.get("text", "").strip(), "visibility": form.get("visibility", "")},
        NoteIn,
        {},
    )


def assignee_of(form: dict[str, str]) -> AssigneeIn:
    """The colleague chosen; the empty choice unassigns."""
    chosen = form.get("assignee_id", "").strip()
    if chosen and not ID.fullmatch(chosen):
        raise FormErrors({"assignee_id": "error_assignee_id"})
    return _convert({"assignee_id": int(chosen) if chosen else None}, AssigneeIn, {})


def transfer_of(form: dict[str, str]) -> TransferIn:
    return _convert(
        {"corporation": form.get("corporation", ""), "reason": form.get("reason", "").strip()},
        TransferIn,
        {},
    )


def version_of(form: dict[str, str]) -> int:
    """The case version the form was shown with."""
    version = form.get("version", "")
    return int(version) if VERSION.fullmatch(version) else _NO_VERSION


def input_errors(error: InvalidInput) -> dict[str, str]:
    """The API's field errors (raised while applying a change) as the form's error keys."""
    return {problem.field: f"error_{problem.field}" for problem in error.errors}
