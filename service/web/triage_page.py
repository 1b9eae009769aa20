"""The triage page: unrouted cases with the suggested corporations, routed in one click.

A report becomes `unrouted` when no corporation owns the address; intake then records an
`unrouted` event with suggested corporations, ranked by their homes in the same postcode,
then in the same 4-digit area (service/domain/routing.py). Routing goes through the
same action as the API, with the case version from the page: a change made by someone
else in the meantime is shown, never overwritten.
"""

import re
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
from service.web.case_forms import VERSION
from service.web.language import chosen_language
from service.web.outcomes import INVALID, outcome_of
from service.web.staff_access import STAFF_PAGE_DEPENDENCIES, STAFF_PAGE_HANDLERS, staff_render
from service.web.texts import page_texts, status_label

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
    description: str
    deadline: DeadlineOut | None
    suggestions: list[Suggestion]


@dataclass(frozen=True)
class RoutingChoice:
    reference: str
    version: int
    corporation: str | None  # None: missing or not a possible code


def _address_as_given(row: asyncpg.Record, texts: dict[str, str]) -> str:
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


def _why(suggestion: dict[str, Any], postcode: str | None, texts: dict[str, str]) -> str:
    """Why a corporation is suggested: its homes in the postcode, else in the 4-digit area."""
    in_postcode = suggestion.get("homes_in_postcode") or 0
    if in_postcode:
        key = "triage_home_in_postcode" if in_postcode == 1 else "triage_homes_in_postcode"
        return texts[key].format(count=in_postcode)
    in_area = suggestion.get("homes_in_area") or 0
    key = "triage_home_in_area" if in_area == 1 else "triage_homes_in_area"
    return texts[key].format(count=in_area, area=(postcode or "")[:4])


def _suggestions(
    row: asyncpg.Record, active: dict[str, str], texts: dict[str, str]
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
    ) -> Template:
        language, _ = chosen_language(request)
        async with db_pool.acquire() as connection:
            active = await corporations.active_corporations(connection)
            cases = await _waiting_cases(connection, staff, active, language, pipeline.clock())
        return staff_render(
            request,
            staff,
            "triage.html",
            title_key="triage_title",
            status=status,
            cases=cases[:TRIAGE_PAGE_SIZE],
            more_waiting=len(cases) > TRIAGE_PAGE_SIZE,
            page_size=TRIAGE_PAGE_SIZE,
            corporations=active,
            notice=notice,
            alert=alert,
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
        choose_again = texts["triage_choose_from_list"].format(reference=choice.reference)
        if choice.corporation is None:
            return await self._page(
                request, staff, db_pool, pipeline, status=400, alert=choose_again
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
        except msgspec.ValidationError:
            return await self._page(
                request,
                staff,
                db_pool,
                pipeline,
                status=INVALID.status,
                alert=texts["triage_register_needs_address"],
            )
        target = CaseAt(choice.reference, staff.scope, choice.version)
        try:
            await pipeline.run(db_pool, target, actions.route(staff, route))
        except InvalidInput as error:
            about_the_home = any(e.field != "corporation" for e in error.errors)
            alert = texts["triage_register_needs_address"] if about_the_home else choose_again
            return await self._page(
                request, staff, db_pool, pipeline, status=INVALID.status, alert=alert
            )
        except (StaleVersion, Conflict) as error:
            # Stale, or routed by someone else meanwhile: say what the case is now.
            changed = await self._changed_meanwhile(
                db_pool, staff, choice.reference, language, route.add_to_portfolio
            )
            shown = outcome_of(error)
            return await self._page(
                request, staff, db_pool, pipeline, status=shown.status, alert=changed
            )
        return Redirect(f"{TRIAGE_PATH}?{urlencode({'routed': choice.reference})}", status_code=303)

    async def _changed_meanwhile(
        self, db_pool: DbPool, staff: Staff, reference: str, language: str, registering: bool
    ) -> str:
        async with db_pool.acquire() as connection:
            state = await store.status_and_corporation(connection, reference, staff.scope)
        if registering and state is not None and state["status"] == "unrouted":
            # Still waiting: what stood in the way was the home, already in the register.
            return page_texts(language)["triage_already_registered"]
        status = status_label(state["status"], language) if state else "-"
        if state and state["corporation_name"]:
            status += f" ({state['corporation_name']})"
        return page_texts(language)["triage_changed_meanwhile"].format(
            reference=reference, status=status
        )
