"""The staff case page: everything about one case, and the forms that change it.

Every form posts to the page itself with the version it was shown, so a change someone
else made in the meantime is caught (StaleVersion) and shown instead of overwritten.
"""

from datetime import UTC, datetime
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.params import Body, PathParameter, QueryParameter
from litestar.response import Redirect, Template

from service.auth.staff import CurrentStaff, Staff
from service.cases import actions, store
from service.cases.changes import CASE_NOT_FOUND, Conflict, Decide, StaleVersion, change_case
from service.cases.schemas import AssigneeIn, EventOut
from service.cases.views import detail_for, event_of, summary_of
from service.dependencies import DbPool
from service.domain.categories import category_label
from service.domain.roles import Permission
from service.domain.workflow import (
    REFERRAL_AGENCIES,
    REJECTION_REASONS,
    REOPEN_FROM,
    Status,
    required_fields,
)
from service.errors import InputError, ProblemException
from service.web.case_forms import (
    FINDING_ROWS,
    FormErrors,
    assignee_of,
    findings_of,
    input_errors,
    note_of,
    transfer_of,
    transition_of,
)
from service.web.language import chosen_language
from service.web.pages import format_time
from service.web.staff_access import (
    STAFF_PAGE_DEPENDENCIES,
    STAFF_PAGE_HANDLERS,
    staff_render,
)

CaseReference = Annotated[str, PathParameter(max_length=30)]
CaseForm = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
S = Status
# Findings are recorded in these statuses; recording them in inspection_planned is
# what moves a case to inspected, so that move is the findings form, not a button.
FINDINGS_IN = (S.INSPECTION_PLANNED, S.INSPECTED, S.REPAIR_PLANNED, S.REFERRED)
NOT_TRANSFERABLE = (S.UNROUTED, S.CLOSED, S.REJECTED)


def _move_label_key(current: Status, target: Status) -> str:
    if current is S.ON_HOLD:
        return "move_resume"
    if target is S.ACKNOWLEDGED and current in REOPEN_FROM:
        return "move_reopen"
    if target is current:
        return f"move_again_{target}"
    return f"move_to_{target}"


def _moves(current: Status, allowed: list[Status]) -> list[dict[str, Any]]:
    """The transitions this user may make now, each with the fields it asks for."""
    return [
        {
            "to": target,
            "label_key": _move_label_key(current, target),
            "fields": required_fields(current, target)
            + (("duplicate_of",) if target is S.REJECTED else ()),
        }
        for target in allowed
        if not (target is S.INSPECTED and current is S.INSPECTION_PLANNED)
    ]


# What an event's data says, shown under it in the history: data key -> label text key.
_EVENT_DETAILS = (
    ("corporation_name", "corporation"),
    ("assignee_name", "assignee"),
    ("planned_at", "planned_visit"),
    ("referred_to", "referred_to"),
    ("external_reference", "external_reference"),
    ("reason", "reason"),
    ("duplicate_of", "duplicate_of"),
    ("highest_class", "highest_class"),
    ("text", "note_text"),
    ("note", "note_text"),
)


def _history_entry(event: EventOut) -> dict[str, Any]:
    details = []
    for key, label_key in _EVENT_DETAILS:
        value = event.data.get(key)
        if value is None or value == "":
            continue
        if key == "planned_at":
            value = format_time(datetime.fromisoformat(value))
        details.append((label_key, value))
    return {"event": event, "details": details}


async def _page(
    request: Request,
    staff: Staff,
    db_pool: DbPool,
    reference: str,
    *,
    status: int = 200,
    **context: Any,
) -> Template:
    async with db_pool.acquire() as connection:
        row = await store.case_detail(connection, reference.upper(), staff.scope)
        if row is None:
            raise NotFoundException(CASE_NOT_FOUND)
        findings = await store.findings_of(connection, row["id"])
        events = [event_of(e) for e in await store.events_of(connection, row["id"])]
        now = datetime.now(UTC)
        same_address, same_postcode = await store.similar_cases(
            connection, row, staff.scope, now - store.SIMILAR_WINDOW
        )
        may_assign = staff.can(Permission.ASSIGN_ANYONE) and row["corporation_id"] is not None
        colleagues = await store.colleagues(connection, row["corporation_id"]) if may_assign else []
        may_transfer = staff.can(Permission.TRANSFER) and row["status"] not in NOT_TRANSFERABLE
        transfer_to = (
            {
                code: name
                for code, name in (await store.active_corporations(connection)).items()
                if code != row["corporation_code"]
            }
            if may_transfer
            else {}
        )
    case = detail_for(staff, row, findings)
    language, _ = chosen_language(request)
    context = {"errors": {}, "values": {}, "failed_form": None, "outcome": None} | context
    return staff_render(
        request,
        staff,
        "case.html",
        title_key="case_title",
        status=status,
        title=case.reference,
        case=case,
        # Newest first: what changed last is read first.
        history=[_history_entry(event) for event in reversed(events)],
        moves=_moves(case.status, case.allowed_next),
        may_record_findings=case.status in FINDINGS_IN,
        may_route=case.status is S.UNROUTED and staff.can(Permission.ROUTE),
        colleagues=colleagues,
        same_address=[summary_of(r, now) for r in same_address],
        same_postcode=[summary_of(r, now) for r in same_postcode],
        transfer_to=transfer_to,
        may_take=not colleagues
        and staff.can(Permission.ASSIGN_SELF)
        and case.corporation is not None
        and (case.assignee is None or case.assignee.id != staff.id),
        may_release=not colleagues and case.assignee is not None and case.assignee.id == staff.id,
        finding_rows=range(1, FINDING_ROWS + 1),
        rejection_reasons=REJECTION_REASONS,
        agencies=REFERRAL_AGENCIES,
        category_text=category_label(case.category, language),
        **context,
    )


def _decide(staff: Staff, form: dict[str, str]) -> Decide:
    """The change one form asks for; raises FormErrors for what it cannot read."""
    match form.get("form"):
        case "transition":
            return actions.transition(staff, transition_of(form))
        case "findings":
            return actions.findings(staff, findings_of(form))
        case "note":
            return actions.note(staff, note_of(form))
        case "take":
            return actions.assign(staff, AssigneeIn(staff.id))
        case "release":
            return actions.assign(staff, AssigneeIn(None))
        case "assign":
            return actions.assign(staff, assignee_of(form))
        case "transfer":
            return actions.transfer(staff, transfer_of(form))
    raise FormErrors({"form": "error_form"})


def _form_name(form: dict[str, str]) -> str:
    """Which form on the page failed, to open it again with the errors next to its fields."""
    name = form.get("form", "")
    return f"move-{form.get('to', '')}" if name == "transition" else name


class CasePageController(Controller):
    path = "/cases"
    include_in_schema = False
    dependencies = STAFF_PAGE_DEPENDENCIES
    exception_handlers = STAFF_PAGE_HANDLERS

    @get("/{reference:str}")
    async def show(
        self,
        request: Request,
        reference: CaseReference,
        staff: CurrentStaff,
        db_pool: DbPool,
        outcome: Annotated[str | None, QueryParameter(required=False, max_length=20)] = None,
    ) -> Template:
        staff.require(Permission.WORK_CASES)
        return await _page(request, staff, db_pool, reference, outcome=outcome)

    @post("/{reference:str}", status_code=200)
    async def change(
        self,
        request: Request,
        reference: CaseReference,
        data: CaseForm,
        staff: CurrentStaff,
        db_pool: DbPool,
    ) -> Template | Redirect:
        staff.require(Permission.WORK_CASES)
        form = {key: value for key, value in data.items() if isinstance(value, str)}
        failed = {"values": form, "failed_form": _form_name(form)}
        version = form.get("version", "")
        try:
            changed = await change_case(
                db_pool,
                reference.upper(),
                scope=staff.scope,
                expected_version=int(version) if version.isdigit() else -1,
                decide=_decide(staff, form),
            )
        except FormErrors as error:
            return await _page(
                request, staff, db_pool, reference, status=400, errors=error.fields, **failed
            )
        except InputError as error:
            return await _page(
                request,
                staff,
                db_pool,
                reference,
                status=400,
                errors=input_errors(error),
                **failed,
            )
        except StaleVersion:
            # Show the case as it is now; what this user typed is kept in the form.
            return await _page(
                request, staff, db_pool, reference, status=409, outcome="stale", **failed
            )
        except Conflict:
            return await _page(
                request, staff, db_pool, reference, status=409, outcome="not_possible", **failed
            )
        except ProblemException as error:
            if error.status_code != 403:
                raise
            return await _page(
                request, staff, db_pool, reference, status=403, outcome="not_allowed", **failed
            )
        if changed is None:  # transferred out of this user's corporation
            return Redirect("/work", status_code=303)
        return Redirect(f"/cases/{reference.upper()}?outcome=saved", status_code=303)
