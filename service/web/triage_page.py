"""The triage page: unrouted cases with the suggested corporations, routed in one click.

A report becomes `unrouted` when no corporation owns the address; intake then records an
`unrouted` event with suggested corporations, ranked by their homes in the same postcode,
then in the same 4-digit area (service/domain/routing.py). Routing goes through the
same action as the API, with the case version from the page: a change made by someone
else in the meantime is shown, never overwritten.

The page is a compact list, one row per case, each a native <details> that opens to its
routing choices: it works without JavaScript, and a coordinator scans a long queue without
scrolling past every form. A failed routing opens its case again with the error next to the
field and a notice at the top that names the case.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

import asyncpg
import msgspec
from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, QueryParameter
from litestar.response import Redirect, Template

from service.auth.staff import CurrentStaff, Staff
from service.cases import actions, store
from service.cases.schemas import DeadlineOut, RouteIn
from service.cases.views import summary_of
from service.changes.pipeline import CaseAt
from service.corporations import store as corporations
from service.db import Connection
from service.dependencies import ChangePipeline, DbPool
from service.domain.addresses import format_postcode
from service.domain.categories import category_label
from service.domain.errors import Conflict, InvalidInput, StaleVersion
from service.domain.references import MAX_REFERENCE_LENGTH, REFERENCE
from service.domain.roles import Permission
from service.errors import validation_path
from service.web.case_forms import VERSION
from service.web.language import chosen_language
from service.web.outcomes import INVALID, outcome_of
from service.web.staff_access import STAFF_PAGE_DEPENDENCIES, STAFF_PAGE_HANDLERS, staff_render
from service.web.texts import page_texts, staff_status_label

TRIAGE_PATH = "/triage"
TRIAGE_PAGE_SIZE = 100
# As the corporations table allows (migration 0001); anything else cannot be one.
_CORPORATION_CODE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_MAX_CORPORATION_LENGTH = 40

TriageForm = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
RoutedReference = Annotated[
    str | None, QueryParameter(name="routed", required=False, max_length=MAX_REFERENCE_LENGTH)
]


@dataclass(frozen=True)
class Suggestion:
    code: str
    name: str
    why: str


@dataclass(frozen=True)
class WaitingCase:
    reference: str
    version: int
    acute: bool
    reported_at: datetime
    category: str
    address: str
    why: str  # why no corporation was found: the row says it before the case is opened
    description: str
    deadline: DeadlineOut | None
    suggestions: list[Suggestion]


@dataclass(frozen=True)
class FailedRouting:
    """A routing that did not go through: its case opens again, the form as it was sent."""

    reference: str
    values: dict[str, str]
    errors: dict[str, str]  # form field -> text key of what is wrong with it


@dataclass(frozen=True)
class RoutingChoice:
    reference: str
    version: int
    corporation: str | None  # None: missing or not a possible code


def _address_as_given(row: asyncpg.Record, texts: Mapping[str, str]) -> str:
    """The address as the tenant typed it (normalised); the register has no street for it."""
    parts = []
    if row["postcode"]:
        number = f"{row['house_number']}{row['house_letter'] or ''}"
        if row["addition"]:
            number += f"-{row['addition']}"
        parts.append(f"{format_postcode(row['postcode'])} {number}")
    if row["bag_id"]:
        parts.append(texts["triage_bag_id"].format(bag_id=row["bag_id"]))
    return " · ".join(parts)


def _why_waiting(row: asyncpg.Record, texts: Mapping[str, str]) -> str:
    """Why the report found no corporation: what the tenant gave is not in the register."""
    if row["postcode"]:
        return texts["triage_why_address"]
    if row["bag_id"]:
        return texts["triage_why_bag_id"]
    return texts["triage_why_nothing"]


def _why(suggestion: dict[str, Any], postcode: str | None, texts: Mapping[str, str]) -> str:
    """Why a corporation is suggested: its homes in the postcode, else in the 4-digit area."""
    in_postcode = suggestion.get("homes_in_postcode") or 0
    if in_postcode:
        key = "triage_home_in_postcode" if in_postcode == 1 else "triage_homes_in_postcode"
        return texts[key].format(count=in_postcode)
    in_area = suggestion.get("homes_in_area") or 0
    key = "triage_home_in_area" if in_area == 1 else "triage_homes_in_area"
    return texts[key].format(count=in_area, area=(postcode or "")[:4])


def _suggestions(
    row: asyncpg.Record, active: dict[str, str], texts: Mapping[str, str]
) -> list[Suggestion]:
    # Suggestions were made at intake: leave out corporations deactivated since.
    return [
        Suggestion(code, active[code], _why(suggestion, row["postcode"], texts))
        for suggestion in row["suggestions"] or []
        if (code := suggestion.get("corporation_code")) in active
    ]


async def _waiting_cases(
    connection: Connection,
    staff: Staff,
    active: dict[str, str],
    language: str,
    now: datetime,
) -> list[WaitingCase]:
    texts = page_texts(language)
    rows = await store.unrouted_cases(connection, staff.scope, TRIAGE_PAGE_SIZE + 1)
    return [
        WaitingCase(
            reference=row["reference"],
            version=row["version"],
            acute=row["acute"],
            reported_at=row["reported_at"],
            category=category_label(row["category"], language),
            address=_address_as_given(row, texts),
            why=_why_waiting(row, texts),
            description=row["description"],
            deadline=summary_of(row, now).next_deadline,
            suggestions=_suggestions(row, active, texts),
        )
        for row in rows
    ]


def _routing_choice(form: dict[str, str]) -> RoutingChoice | None:
    """The form's reference, version and corporation; None when the form is not ours."""
    reference = form.get("reference", "")
    version = form.get("version", "")
    if len(reference) > MAX_REFERENCE_LENGTH or not REFERENCE.fullmatch(reference):
        return None
    if not VERSION.fullmatch(version):
        return None
    corporation = form.get("corporation", "")
    possible = len(corporation) <= _MAX_CORPORATION_LENGTH and _CORPORATION_CODE.fullmatch(
        corporation
    )
    return RoutingChoice(reference, int(version), corporation if possible else None)


# What a wrong field of the routing form is told; the keys are the form's field names.
_FIELD_ERRORS = {
    "corporation": "triage_error_corporation",
    "add_to_portfolio": "triage_error_add_to_portfolio",
    "street": "triage_error_street",
    "city": "triage_error_city",
}


def _field_errors(fields: set[str], form: dict[str, str]) -> dict[str, str]:
    """The form's fields at fault, in the form's order, each with its text key."""
    if {"street", "city"} <= fields:
        # Registering names both when either is missing: point at the empty ones.
        blank = {name for name in ("street", "city") if not form.get(name, "").strip()}
        fields = fields - ({"street", "city"} - blank) if blank else fields
    return {name: key for name, key in _FIELD_ERRORS.items() if name in fields}


class TriageController(Controller):
    include_in_schema = False
    dependencies = STAFF_PAGE_DEPENDENCIES
    exception_handlers = STAFF_PAGE_HANDLERS

    async def _page(
        self,
        request: Request,
        staff: Staff,
        db_pool: DbPool,
        pipeline: ChangePipeline,
        *,
        status: int = 200,
        notice: str | None = None,
        alert: str | None = None,
        failed: FailedRouting | None = None,
    ) -> Template:
        language, _ = chosen_language(request)
        async with db_pool.acquire() as connection:
            active = await corporations.active_corporations(connection)
            cases = await _waiting_cases(connection, staff, active, language, pipeline.clock())
        shown = cases[:TRIAGE_PAGE_SIZE]
        return staff_render(
            request,
            staff,
            "triage.html",
            title_key="triage_title",
            status=status,
            page_path=TRIAGE_PATH,
            cases=shown,
            more_waiting=len(cases) > TRIAGE_PAGE_SIZE,
            page_size=TRIAGE_PAGE_SIZE,
            corporations=active,
            notice=notice,
            alert=alert,
            failed=failed,
            failed_shown=failed is not None
            and any(case.reference == failed.reference for case in shown),
        )

    async def _refused(
        self,
        request: Request,
        staff: Staff,
        db_pool: DbPool,
        pipeline: ChangePipeline,
        form: dict[str, str],
        *,
        status: int,
        errors: dict[str, str] | None = None,
        alert: str | None = None,
    ) -> Template:
        """The page again with the case open, its form as sent, and what went wrong."""
        if not errors and alert is None:  # a field this page does not know: never silent
            alert = page_texts(chosen_language(request)[0])["triage_bad_form"]
        failed = FailedRouting(
            reference=form["reference"],
            values={name: form.get(name, "") for name in _FIELD_ERRORS},
            errors=errors or {},
        )
        return await self._page(
            request, staff, db_pool, pipeline, status=status, alert=alert, failed=failed
        )

    @get(TRIAGE_PATH)
    async def triage(
        self,
        request: Request,
        staff: CurrentStaff,
        db_pool: DbPool,
        pipeline: ChangePipeline,
        routed: RoutedReference = None,
    ) -> Template:
        staff.require(Permission.ROUTE)
        notice = None
        if routed and REFERENCE.fullmatch(routed):
            # Confirm only what the database says: the case now has a corporation.
            async with db_pool.acquire() as connection:
                state = await store.status_and_corporation(connection, routed, staff.scope)
            if state is not None and state["corporation_name"]:
                texts = page_texts(chosen_language(request)[0])
                notice = texts["triage_routed"].format(
                    reference=routed, corporation=state["corporation_name"]
                )
        return await self._page(request, staff, db_pool, pipeline, notice=notice)

    @post(TRIAGE_PATH, status_code=200)
    async def route(
        self,
        request: Request,
        staff: CurrentStaff,
        data: TriageForm,
        db_pool: DbPool,
        pipeline: ChangePipeline,
    ) -> Template | Redirect:
        staff.require(Permission.ROUTE)
        language, _ = chosen_language(request)
        texts = page_texts(language)
        choice = _routing_choice(data)
        if choice is None:
            return await self._page(
                request, staff, db_pool, pipeline, status=400, alert=texts["triage_bad_form"]
            )
        refuse = (request, staff, db_pool, pipeline, data)
        if choice.corporation is None:
            return await self._refused(
                *refuse, status=400, errors=_field_errors({"corporation"}, data)
            )
        try:
            route = msgspec.convert(
                {
                    "corporation": choice.corporation,
                    "add_to_portfolio": data.get("add_to_portfolio") == "yes",
                    "street": data.get("street", "").strip() or None,
                    "city": data.get("city", "").strip() or None,
                },
                RouteIn,
            )
        except msgspec.ValidationError as error:
            # The corporation was checked above: only street or city can be too long.
            errors = _field_errors({validation_path(error)}, data)
            return await self._refused(*refuse, status=INVALID.status, errors=errors)
        target = CaseAt(choice.reference, staff.scope, choice.version)
        try:
            await pipeline.run(db_pool, target, actions.route(staff, route))
        except InvalidInput as error:
            errors = _field_errors({e.field for e in error.errors}, data)
            return await self._refused(*refuse, status=INVALID.status, errors=errors)
        except (StaleVersion, Conflict) as error:
            # Stale, or routed by someone else meanwhile: say what the case is now.
            async with db_pool.acquire() as connection:
                state = await store.status_and_corporation(
                    connection, choice.reference, staff.scope
                )
            status = outcome_of(error).status
            if isinstance(error, Conflict) and route.add_to_portfolio and _unrouted(state):
                # Still waiting: what stood in the way was the home, already in the register.
                errors = {"add_to_portfolio": "triage_already_registered"}
                return await self._refused(*refuse, status=status, errors=errors)
            alert = _changed_meanwhile(choice.reference, state, language)
            return await self._refused(*refuse, status=status, alert=alert)
        return Redirect(f"{TRIAGE_PATH}?{urlencode({'routed': choice.reference})}", status_code=303)


def _unrouted(state: asyncpg.Record | None) -> bool:
    return state is not None and state["status"] == "unrouted"


def _changed_meanwhile(reference: str, state: asyncpg.Record | None, language: str) -> str:
    status = staff_status_label(state["status"], language) if state else "-"
    if state and state["corporation_name"]:
        status += f" ({state['corporation_name']})"
    return page_texts(language)["triage_changed_meanwhile"].format(
        reference=reference, status=status
    )
