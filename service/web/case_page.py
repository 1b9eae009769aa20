"""The staff case page: everything about one case, and the forms that change it.

Every form posts to the page itself with the version it was shown, so a change someone
else made in the meantime is caught (StaleVersion) and shown instead of overwritten.
"""

from datetime import date, datetime
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, PathParameter, QueryParameter
from litestar.response import Redirect, Template

from service.attachments import access as attachment_access
from service.attachments import staff_files
from service.attachments import store as attachment_store
from service.attachments.controller import AttachmentId, SizeQuery
from service.attachments.files import file_response
from service.attachments.kinds import MAX_DOCUMENT_BYTES, MediaRefused, MediaTooLarge
from service.attachments.staff_files import StaffUpload
from service.attachments.uploads import FORM_OVERHEAD, read_upload, text_fields
from service.attachments.views import staff_attachment
from service.auth.staff import CurrentStaff, Staff
from service.cases import actions, store
from service.cases.case_views import record_view
from service.cases.schemas import AssigneeIn, EventOut, FindingOut
from service.cases.views import contact_viewer, detail_for, event_of, summary_of
from service.changes.pipeline import CASE_NOT_FOUND, CaseAt, Decide
from service.corporations import store as corporations
from service.dependencies import AppAttachments, ChangePipeline, DbPool
from service.domain.categories import category_label
from service.domain.dates_in_words import long_date, long_moment
from service.domain.errors import DomainError, InvalidInput, NotFound
from service.domain.events import EventKind
from service.domain.permissions import ActionKind, Allowed, CaseFacts, MoveKind, allowed_actions
from service.domain.references import MAX_REFERENCE_LENGTH
from service.domain.roles import Permission
from service.domain.work_dates import default_visit_day, local_day, refusal
from service.domain.workflow import (
    REFERRAL_AGENCIES,
    REJECTION_REASONS,
    TENANT_REACTION_DAYS,
    Status,
)
from service.privacy.erasure import erase_now
from service.web.case_forms import (
    FINDING_ROWS,
    FormErrors,
    assignee_of,
    findings_of,
    input_errors,
    note_of,
    transfer_of,
    transition_of,
    version_of,
)
from service.web.language import chosen_language
from service.web.outcomes import INVALID, outcome_of
from service.web.pages import format_day, format_time
from service.web.photo_forms import MULTIPART_PAGE_FORM
from service.web.staff_access import (
    STAFF_PAGE_DEPENDENCIES,
    STAFF_PAGE_HANDLERS,
    staff_render,
)
from service.web.texts import page_texts
from service.who_looked.store import Route

# Moves that end the work on a case: the page asks to confirm them first.
ENDING_MOVES = frozenset({Status.RESOLVED, Status.REJECTED})
# What a move's form may carry, kept in the confirm step's form.
_CONFIRMED_FIELDS = ("to", "reason", "duplicate_of", "repaired_on", "note")

CaseReference = Annotated[str, PathParameter(max_length=MAX_REFERENCE_LENGTH)]
CaseForm = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


def _move_label_key(move: Allowed) -> str:
    match move.move:
        case MoveKind.RESUME:
            return "move_resume"
        case MoveKind.REOPEN:
            return "move_reopen"
        case MoveKind.REPLAN:
            return f"move_again_{move.to}"
    return f"move_to_{move.to}"


def _moves(allowed: tuple[Allowed, ...]) -> list[dict[str, Any]]:
    """The transitions offered as buttons, each with the fields its form asks for.

    A move another action makes (recording findings marks an inspection done) is that
    action's form, not a button; the optional note has a field of its own in every form.
    """
    return [
        {
            "to": move.to,
            "label_key": _move_label_key(move),
            "fields": move.requires + tuple(name for name in move.optional if name != "note"),
        }
        for move in allowed
        if move.action is ActionKind.TRANSITION and move.made_by is None
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
    ("visited_on", "visited_on"),
    ("repaired_on", "repaired_on"),
    ("highest_class", "highest_class"),
    ("text", "note_text"),
    ("note", "note_text"),
)


_ATTACHMENT_EVENTS = frozenset({EventKind.ATTACHMENT_ADDED, EventKind.ATTACHMENT_REMOVED})
# A damage item of a finding: (finding id, item position).
ItemKey = tuple[int, int]


def item_labels(findings: list[FindingOut], language: str) -> dict[ItemKey, str]:
    """Each damage item in words: "bevinding van 30-11-2026, item 2: keuken, scheur"."""
    words = page_texts(language)["finding_item"]
    return {
        (finding.id, item.position): words.format(
            date=format_day(finding.visited_on),
            position=item.position,
            location=item.location,
            kind=item.kind,
        )
        for finding in findings
        for item in finding.items
    }


def _attachment_details(event: EventOut, items: dict[ItemKey, str]) -> list[tuple[str, str]]:
    """What an attachment event says: the document's title, the damage item a photo shows."""
    details = []
    if event.data.get("title"):
        details.append(("attachment_title", str(event.data["title"])))
    item = items.get((event.data.get("finding_id"), event.data.get("damage_item")))  # type: ignore[arg-type]
    if item:
        details.append(("photo_of_item", item))
    return details


def _history_entry(event: EventOut, items: dict[ItemKey, str]) -> dict[str, Any]:
    headline = f"event_{event.kind}"
    if event.kind in _ATTACHMENT_EVENTS:
        # "Foto toegevoegd", "Document verwijderd": the kind of file in the headline.
        if event.data.get("kind") in ("photo", "document"):
            headline = f"{headline}_{event.data['kind']}"
        return {"event": event, "headline": headline, "details": _attachment_details(event, items)}
    details = []
    for key, label_key in _EVENT_DETAILS:
        value = event.data.get(key)
        if value is None or value == "":
            continue
        if key == "planned_at":
            value = format_time(datetime.fromisoformat(value))
        elif key in ("visited_on", "repaired_on"):
            value = format_day(date.fromisoformat(value))
        details.append((label_key, value))
    return {"event": event, "headline": headline, "details": details}


def _photos_of_items(files: list[dict[str, Any]]) -> dict[ItemKey, list[dict[str, Any]]]:
    photos: dict[ItemKey, list[dict[str, Any]]] = {}
    for shown in files:
        file = shown["file"]
        if file.finding_id is not None and file.damage_item is not None:
            photos.setdefault((file.finding_id, file.damage_item), []).append(shown)
    return photos


def _files(reference: str, rows: list[Any], items: dict[ItemKey, str]) -> list[dict[str, Any]]:
    """The case's photos and documents as the page shows them, photos numbered."""
    base = f"/cases/{reference}/attachments"
    files = []
    photos = 0
    for row in rows:
        shown = staff_attachment(base, row)
        photos += shown.kind == "photo"
        files.append(
            {
                "file": shown,
                "number": photos,
                "item": items.get((shown.finding_id, shown.damage_item)),  # type: ignore[arg-type]
            }
        )
    return files


async def _page(
    request: Request,
    staff: Staff,
    db_pool: DbPool,
    pipeline: ChangePipeline,
    reference: str,
    *,
    status: int = 200,
    **context: Any,
) -> Template:
    now = pipeline.clock()
    # The page shows the reporter's contact details (masked for some roles): on record.
    viewer = contact_viewer(staff, Route.CASE_PAGE, now)
    async with db_pool.acquire() as connection:
        row = await store.case_detail_shown(connection, reference.upper(), staff.scope, viewer)
        if row is None:
            raise NotFound(CASE_NOT_FOUND)
        # Seen now, the tenant's news included: the work queue stops marking it.
        await record_view(connection, row["id"], staff.id, now)
        allowed = allowed_actions(staff, CaseFacts.of(row))
        offered = {action.action for action in allowed}
        findings = await store.findings_of(connection, row["id"])
        files = await attachment_store.of_case(connection, row["id"])
        events = [event_of(e) for e in await store.events_of(connection, row["id"])]
        same_address, same_postcode = await store.similar_cases(
            connection, row, staff.scope, now - store.SIMILAR_WINDOW
        )
        colleagues = (
            await store.colleagues(connection, row["corporation_id"])
            if ActionKind.ASSIGN in offered and row["corporation_id"] is not None
            else []
        )
        transfer_to = (
            {
                code: name
                for code, name in (await corporations.active_corporations(connection)).items()
                if code != row["corporation_code"]
            }
            if ActionKind.TRANSFER in offered
            else {}
        )
    case = detail_for(staff, row, findings, now)
    language, _ = chosen_language(request)
    items = item_labels(case.findings, language)
    shown_files = _files(case.reference, files, items)
    if context.get("confirm") and context["confirm"]["repaired_on"]:
        context["confirm"]["repaired_words"] = long_date(
            context["confirm"]["repaired_on"], language
        )
    context = {
        "errors": {},
        "values": {},
        "failed_form": None,
        "outcome": None,
        "confirm": None,
        "erase_confirm": False,
    } | context
    return staff_render(
        request,
        staff,
        "case.html",
        title_key="case_title",
        status=status,
        page_path=f"/cases/{case.reference}",
        title=case.reference,
        case=case,
        # Newest first: what changed last is read first.
        history=[_history_entry(event, items) for event in reversed(events)],
        attachments=shown_files,
        # An inspector's photos of a damage item, shown with the item in the findings too.
        photos_of_item=_photos_of_items(shown_files),
        damage_items=items,
        moves=_moves(allowed),
        may_record_findings=ActionKind.FINDINGS in offered,
        # The tenant's request for erasure, carried out from the page (service/privacy).
        may_erase=ActionKind.ERASE in offered,
        anonymised_on=local_day(case.anonymised_at) if case.anonymised_at else None,
        # Unrouted cases are routed on the triage page.
        may_route=ActionKind.ROUTE in offered and case.status is Status.UNROUTED,
        colleagues=colleagues,
        same_address=[summary_of(r, now) for r in same_address],
        same_postcode=[summary_of(r, now) for r in same_postcode],
        transfer_to=transfer_to,
        # Who may give the case to a colleague chooses from the list; others take or release.
        may_take=not colleagues and ActionKind.TAKE in offered,
        may_release=not colleagues and ActionKind.RELEASE in offered,
        finding_rows=range(1, FINDING_ROWS + 1),
        # The day fields: from the report's day to today, the visit's by default the plan's.
        today=local_day(now),
        reported_day=local_day(case.reported_at),
        default_visit_day=default_visit_day(
            case.planned_at if case.status is Status.INSPECTION_PLANNED else None, now
        ),
        rejection_reasons=REJECTION_REASONS,
        reaction_days=TENANT_REACTION_DAYS,
        agencies=REFERRAL_AGENCIES,
        category_text=category_label(case.category, language),
        # The moment the dossier's data is from, in its printed header.
        printed_at=long_moment(now, language),
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


def _needs_confirmation(form: dict[str, str]) -> bool:
    return (
        form.get("form") == "transition"
        and form.get("to") in ENDING_MOVES
        and form.get("confirmed") != "yes"
    )


async def _confirmation(
    db_pool: DbPool, staff: Staff, reference: str, form: dict[str, str], now: datetime
) -> dict[str, Any]:
    """What the confirm step shows and carries; FormErrors for what would be refused anyway."""
    move = transition_of(form)
    async with db_pool.acquire() as connection:
        row = await store.case_detail(connection, reference, staff.scope)
        if row is None:
            raise NotFound(CASE_NOT_FOUND)
        if move.to is Status.REJECTED:
            await actions.rejection_fields(connection, staff, row, move)  # InvalidInput
    repaired_on = None
    if move.to is Status.RESOLVED:
        repaired_on = move.repaired_on or local_day(now)
        if refusal(repaired_on, row["reported_at"], now) is not None:
            raise FormErrors({"repaired_on": "error_repaired_on"})
    return {
        "to": move.to,
        "repaired_on": repaired_on,
        "repaired_words": None,  # the day in words, in the page's language
        "reason": move.reason,
        "fields": {name: form[name] for name in _CONFIRMED_FIELDS if form.get(name)},
    }


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
        pipeline: ChangePipeline,
        outcome: Annotated[str | None, QueryParameter(required=False, max_length=20)] = None,
    ) -> Template:
        staff.require(Permission.WORK_CASES)
        return await _page(request, staff, db_pool, pipeline, reference, outcome=outcome)

    @post("/{reference:str}", status_code=200)
    async def change(
        self,
        request: Request,
        reference: CaseReference,
        data: CaseForm,
        staff: CurrentStaff,
        db_pool: DbPool,
        pipeline: ChangePipeline,
        attachments: AppAttachments,
    ) -> Template | Redirect:
        staff.require(Permission.WORK_CASES)
        form = {key: value for key, value in data.items() if isinstance(value, str)}
        failed = {"values": form, "failed_form": _form_name(form)}
        target = CaseAt(reference.upper(), staff.scope, version_of(form))
        try:
            if form.get("form") == "erase":
                if form.get("confirmed") != "yes":
                    return await _page(
                        request, staff, db_pool, pipeline, reference, erase_confirm=True
                    )
                await erase_now(db_pool, pipeline, attachments.storage, staff, target)
                return Redirect(f"/cases/{target.reference}?outcome=erased", status_code=303)
            if _needs_confirmation(form):
                confirm = await _confirmation(
                    db_pool, staff, reference.upper(), form, pipeline.clock()
                )
                return await _page(request, staff, db_pool, pipeline, reference, confirm=confirm)
            changed = await pipeline.run(db_pool, target, _decide(staff, form))
        except (FormErrors, InvalidInput) as error:
            errors = error.fields if isinstance(error, FormErrors) else input_errors(error)
            return await _page(
                request,
                staff,
                db_pool,
                pipeline,
                reference,
                status=INVALID.status,
                errors=errors,
                **failed,
            )
        except NotFound:
            raise  # the case is gone from this user's sight: the not-found page
        except DomainError as error:
            # Stale: the case as it is now, with what this user typed kept in the form.
            shown = outcome_of(error)
            return await _page(
                request,
                staff,
                db_pool,
                pipeline,
                reference,
                status=shown.status,
                outcome=shown.notice,
                **failed,
            )
        if changed is not None and staff.scope not in (None, changed.corporation_id):
            return Redirect("/work", status_code=303)  # transferred out of this user's sight
        return Redirect(f"/cases/{reference.upper()}?outcome=saved", status_code=303)

    @get("/{reference:str}/attachments/{attachment_id:uuid}")
    async def attachment(
        self,
        reference: CaseReference,
        attachment_id: AttachmentId,
        staff: CurrentStaff,
        db_pool: DbPool,
        attachments: AppAttachments,
        size: SizeQuery = "full",
    ) -> Response[bytes]:
        """A photo or document of the page; another corporation's case is not found."""
        staff.require(Permission.WORK_CASES)
        row = await staff_files.staff_file(db_pool, staff, reference.upper(), attachment_id)
        return await file_response(attachments.storage, reference.upper(), row, size)

    # multipart/form-data: the file, its title, who sees it and which damage item it shows.
    @post(
        "/{reference:str}/attachments",
        status_code=200,
        request_max_body_size=MAX_DOCUMENT_BYTES + FORM_OVERHEAD,
        opt=MULTIPART_PAGE_FORM,
    )
    async def add_attachment(
        self,
        request: Request,
        reference: CaseReference,
        staff: CurrentStaff,
        db_pool: DbPool,
        pipeline: ChangePipeline,
        attachments: AppAttachments,
    ) -> Template | Redirect:
        reference = reference.upper()
        async with db_pool.acquire() as connection:
            await attachment_access.staff_case_id(connection, reference, staff, changing=True)
        # What was typed is shown again with the errors (a file field cannot be).
        failed = {"failed_form": "attachment", "values": text_fields(await request.form())}
        try:
            upload = await read_upload(request)
            described = StaffUpload.of_form(_attachment_fields(upload.fields), upload.file_name)
            await staff_files.add_file(
                db_pool, pipeline, attachments, staff, reference, upload.data, described
            )
        except InvalidInput as error:
            errors = input_errors(error)
            return await _page(
                request, staff, db_pool, pipeline, reference, status=400, errors=errors, **failed
            )
        except MediaRefused as error:
            errors = {
                "file": "file_too_large" if isinstance(error, MediaTooLarge) else "file_not_usable"
            }
            return await _page(
                request,
                staff,
                db_pool,
                pipeline,
                reference,
                status=error.status,
                errors=errors,
                **failed,
            )
        return Redirect(f"/cases/{reference}?outcome=attachment_added#attachments", status_code=303)

    @post("/{reference:str}/attachments/{attachment_id:uuid}/remove")
    async def remove_attachment(
        self,
        reference: CaseReference,
        attachment_id: AttachmentId,
        staff: CurrentStaff,
        db_pool: DbPool,
        pipeline: ChangePipeline,
        attachments: AppAttachments,
    ) -> Redirect:
        reference = reference.upper()
        await staff_files.remove_file(
            db_pool, pipeline, attachments, staff, reference, attachment_id
        )
        return Redirect(
            f"/cases/{reference}?outcome=attachment_removed#attachments", status_code=303
        )


def _attachment_fields(fields: dict[str, str]) -> dict[str, str]:
    """The form's fields as StaffUpload reads them: the damage item is chosen in one select
    ("12-2": finding 12, item 2), the checkbox is sent only when ticked."""
    finding_id, _, damage_item = fields.get("damage_item_of", "").partition("-")
    return {
        "title": fields.get("title", ""),
        "visible_to_tenant": "true" if fields.get("visible_to_tenant") else "false",
        "finding_id": finding_id,
        "damage_item": damage_item,
    }
