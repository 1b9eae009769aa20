"""Web pages for tenants: the tracking page behind the link they were given."""

from collections.abc import Awaitable, Callable
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.enums import RequestEncodingType
from litestar.params import Body, PathParameter, QueryParameter
from litestar.response import Redirect, Stream, Template

from service.attachments import tenant_files
from service.attachments.controller import AttachmentId, SizeQuery
from service.attachments.files import file_response
from service.changes.pipeline import Decide
from service.dependencies import AppAttachments, ChangePipeline, DbPool, essentials_of
from service.domain.categories import category_label
from service.domain.dates_in_words import deadline_words, long_date, long_moment
from service.domain.errors import DomainError, NotFound
from service.domain.permissions import TenantAction
from service.domain.references import MAX_REFERENCE_LENGTH
from service.domain.workflow import FINISHED_STATUSES, Status
from service.kept_answers import TENANT_READS
from service.privacy.erasure import request_erasure
from service.reports.personal_data import download
from service.reports.schemas import TenantCaseView
from service.reports.tenant_actions import add_message, confirm, reopen, tenant_change
from service.reports.tracking import allowed_now, tenant_case, view_of
from service.throttle.before_request import TRACKING_PER_ADDRESS
from service.web.language import explicit_language
from service.web.outcomes import NOT_FOUND, outcome_of
from service.web.page_errors import PUBLIC_PAGE_HANDLERS
from service.web.pages import SECURITY_HEADERS, render, render_kept
from service.web.photo_forms import (
    MULTIPART_PAGE_FORM,
    PHOTO_FORM_MAX_BYTES,
    PhotosAdded,
    add_photos,
    chosen_photos,
    close_all,
)
from service.web.texts import page_texts
from service.web.throttled import THROTTLED_PAGE_HANDLERS

# The page itself: rendered, or as kept from a read before (a GET).
TrackingPage = Template | Response[bytes]

TrackedReference = Annotated[str, PathParameter(max_length=MAX_REFERENCE_LENGTH)]

# The work is done (or the case ended): a deadline still ahead would promise what no one does.
_NO_DEADLINES_SHOWN = FINISHED_STATUSES | {Status.RESOLVED}

# The text a form on the tracking page must carry, by field: the form's action, and the words
# for an empty one.
_REQUIRED_TEXT = {
    "text": (TenantAction.MESSAGE, "error_addition_empty"),
    "reason": (TenantAction.REOPEN, "error_reopen_reason_empty"),
}


def _not_found(request: Request) -> Template:
    return render(request, "not_found.html", title_key="not_found_title", status=NOT_FOUND.status)


def _back_to_page(reference: str, token: str, outcome: str | None = None) -> Redirect:
    query = {"token": token} | ({"outcome": outcome} if outcome else {})
    return Redirect(f"/t/{reference}?{urlencode(query)}", status_code=303, headers=SECURITY_HEADERS)


async def _tracking_page(
    request: Request,
    db_pool: DbPool,
    pipeline: ChangePipeline,
    reference: str,
    token: str | None,
    *,
    outcome: str | None = None,
    photos_added: PhotosAdded | None = None,
    empty_field: str | None = None,
    erasure_confirm: bool = False,
    status: int = 200,
) -> TrackingPage:
    language = explicit_language(request)
    case = await tenant_case(db_pool, reference, token)
    if case is None:
        return _not_found(request)
    allowed = allowed_now(case, pipeline.clock())
    if request.method == "GET":
        # The page as a link opens it: a function of the case's row, what the tenant may do,
        # the language and the query (service/kept_answers.py).
        return render_kept(
            request,
            TENANT_READS,
            "tracking.html",
            made_from=(tuple(case), allowed),
            title_key="your_report",
            default_language=language or case["language"],
            context=lambda: _tracking_context(view_of(case, allowed, language), token, outcome),
        )
    view = view_of(case, allowed, language)
    field_errors: dict[str, str] = {}
    if empty_field:
        action, error = _REQUIRED_TEXT[empty_field]
        if action in view.allowed_actions:
            field_errors[empty_field] = page_texts(view.language)[error]
        else:  # the form is gone from the page: say that, not what the field lacked
            outcome = "not_possible"
    return render(
        request,
        "tracking.html",
        title_key="your_report",
        status=status,
        default_language=view.language,
        **_tracking_context(
            view,
            token,
            outcome,
            photos_added=photos_added,
            field_errors=field_errors,
            erasure_confirm=erasure_confirm,
        ),
        **_switch_after_form(view.reference, token, view.language),
    )


def _tracking_context(
    view: TenantCaseView,
    token: str | None,
    outcome: str | None,
    *,
    photos_added: PhotosAdded | None = None,
    field_errors: dict[str, str] | None = None,
    erasure_confirm: bool = False,
) -> dict[str, Any]:
    """What tracking.html shows: the case, and the answer to a form when it answers one."""
    base = f"/t/{view.reference}/attachments"
    return {
        "title": f"{page_texts(view.language)['your_report']} {view.reference}",
        "case": view,
        "token": token,
        "outcome": outcome,
        "photos_added": photos_added,
        # The field sent empty, named next to it and at the top of the page.
        "field_errors": field_errors or {},
        # The confirm step of the request for erasure, in place of its button.
        "erasure_confirm": erasure_confirm,
        "show_deadlines": view.status not in _NO_DEADLINES_SHOWN,
        "deadline": lambda due: deadline_words(due, view.language),
        "moment": lambda at: long_moment(at, view.language),
        "day_words": lambda day: long_date(day, view.language),
        "photos": [a for a in view.attachments if a.kind == "photo"],
        "documents": [a for a in view.attachments if a.kind == "document"],
        # The page's own route for the files: the token goes in the query, as the page's does.
        "file_url": lambda attachment, size="full": (
            f"{base}/{attachment.id}?"
            + urlencode({"token": token or ""} | ({"size": size} if size != "full" else {}))
        ),
        "category_label": category_label(view.category, view.language),
        "download_url": f"/t/{view.reference}/download?"
        + urlencode({"token": token or "", "lang": view.language}),
    }


def _switch_after_form(reference: str, token: str | None, language: str) -> dict[str, Any]:
    """The page answering one of its forms (an empty field, a photo refused) switches to the
    tracking page itself, the token in its query as on every tracking link."""
    other = "en" if language == "nl" else "nl"
    return {
        "switch_language_url": f"/t/{reference}?{urlencode({'token': token or '', 'lang': other})}"
    }


class TrackingPageController(Controller):
    include_in_schema = False
    before_request = TRACKING_PER_ADDRESS
    exception_handlers = {**THROTTLED_PAGE_HANDLERS, **PUBLIC_PAGE_HANDLERS}

    @get("/t/{reference:str}")
    async def tracking_page(
        self,
        request: Request,
        reference: TrackedReference,
        state: State,
        token: Annotated[str | None, QueryParameter(required=False)] = None,
        outcome: Annotated[str | None, QueryParameter(required=False, max_length=20)] = None,
    ) -> TrackingPage:
        essentials = essentials_of(state)
        return await _tracking_page(
            request, essentials.pool, essentials.pipeline, reference, token, outcome=outcome
        )

    @get("/t/{reference:str}/download")
    async def download(
        self,
        request: Request,
        reference: TrackedReference,
        db_pool: DbPool,
        pipeline: ChangePipeline,
        attachments: AppAttachments,
        token: Annotated[str | None, QueryParameter(required=False)] = None,
    ) -> Stream | Template:
        """Everything kept about the report in one ZIP (service/reports/personal_data.py), its
        texts in the page's language."""
        answer = await download(
            db_pool,
            attachments.storage,
            reference,
            token,
            pipeline.clock(),
            explicit_language(request),
        )
        return _not_found(request) if answer is None else answer

    @get("/t/{reference:str}/attachments/{attachment_id:uuid}")
    async def attachment(
        self,
        request: Request,
        reference: TrackedReference,
        attachment_id: AttachmentId,
        db_pool: DbPool,
        attachments: AppAttachments,
        token: Annotated[str | None, QueryParameter(required=False)] = None,
        size: SizeQuery = "full",
    ) -> Response[bytes] | Template:
        """A photo or document on the page (an <img> or a download link); the file keeps its
        own headers (service/attachments/files.py)."""
        try:
            row = await tenant_files.tenant_file(db_pool, reference, token, attachment_id)
            return await file_response(attachments.storage, reference, row, size)
        except NotFound:
            return _not_found(request)


TenantForm = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


class TenantActionsController(Controller):
    """The forms on the tracking page; each goes back to the page, which shows the result."""

    include_in_schema = False
    before_request = TRACKING_PER_ADDRESS
    exception_handlers = {**THROTTLED_PAGE_HANDLERS, **PUBLIC_PAGE_HANDLERS}

    async def _act(
        self,
        request: Request,
        db_pool: DbPool,
        pipeline: ChangePipeline,
        reference: str,
        data: dict[str, str],
        decide: Decide,
    ) -> Redirect | Template:
        token = data.get("token", "")

        async def change() -> None:
            await tenant_change(db_pool, pipeline, reference, token, decide)

        return await self._do(request, reference, token, change)

    async def _empty(
        self,
        request: Request,
        db_pool: DbPool,
        pipeline: ChangePipeline,
        reference: str,
        data: dict[str, str],
        field: str,
    ) -> TrackingPage:
        """The page again, saying the field is empty: nothing is recorded."""
        token = data.get("token", "")
        return await _tracking_page(
            request, db_pool, pipeline, reference, token, empty_field=field, status=400
        )

    async def _do(
        self,
        request: Request,
        reference: str,
        token: str,
        change: Callable[[], Awaitable[None]],
        done: str = "done",
    ) -> Redirect | Template:
        try:
            await change()
            outcome = done
        except DomainError as error:
            shown = outcome_of(error)
            if shown is NOT_FOUND:
                return _not_found(request)
            outcome = shown.notice
        return _back_to_page(reference, token, outcome)

    @post("/t/{reference:str}/message")
    async def message(
        self,
        request: Request,
        reference: TrackedReference,
        data: TenantForm,
        db_pool: DbPool,
        pipeline: ChangePipeline,
    ) -> Redirect | TrackingPage:
        text = data.get("text", "").strip()[:5000]
        if not text:
            return await self._empty(request, db_pool, pipeline, reference, data, "text")
        return await self._act(request, db_pool, pipeline, reference, data, add_message(text))

    @post("/t/{reference:str}/confirm")
    async def confirm(
        self,
        request: Request,
        reference: TrackedReference,
        data: TenantForm,
        db_pool: DbPool,
        pipeline: ChangePipeline,
    ) -> Redirect | Template:
        return await self._act(request, db_pool, pipeline, reference, data, confirm())

    @post("/t/{reference:str}/reopen")
    async def reopen(
        self,
        request: Request,
        reference: TrackedReference,
        data: TenantForm,
        db_pool: DbPool,
        pipeline: ChangePipeline,
    ) -> Redirect | TrackingPage:
        reason = data.get("reason", "").strip()[:2000]
        if not reason:
            return await self._empty(request, db_pool, pipeline, reference, data, "reason")
        return await self._act(request, db_pool, pipeline, reference, data, reopen(reason))

    @post("/t/{reference:str}/erasure")
    async def erasure(
        self,
        request: Request,
        reference: TrackedReference,
        data: TenantForm,
        db_pool: DbPool,
        pipeline: ChangePipeline,
    ) -> Redirect | TrackingPage:
        """The request for erasure: first the page with what follows from it, then, confirmed,
        the request itself."""
        if data.get("confirmed") != "yes":
            token = data.get("token", "")
            return await _tracking_page(
                request, db_pool, pipeline, reference, token, erasure_confirm=True
            )
        decide = request_erasure()
        return await self._act(request, db_pool, pipeline, reference, data, decide)

    # multipart/form-data: read with Request.form().
    @post(
        "/t/{reference:str}/photos",
        status_code=200,
        request_max_body_size=PHOTO_FORM_MAX_BYTES,
        opt=MULTIPART_PAGE_FORM,
    )
    async def photos(
        self,
        request: Request,
        reference: TrackedReference,
        db_pool: DbPool,
        pipeline: ChangePipeline,
        attachments: AppAttachments,
    ) -> Redirect | TrackingPage:
        form = await request.form()
        token = form.get("token")
        token = token if isinstance(token, str) else ""
        photos = chosen_photos(form)
        if not photos:
            return _back_to_page(reference, token)
        try:
            await tenant_files.case_taking_photos(db_pool, pipeline, reference, token)
        except DomainError as error:
            await close_all(photos)
            shown = outcome_of(error)
            if shown is NOT_FOUND:
                return _not_found(request)
            return _back_to_page(reference, token, shown.notice)
        added = await add_photos(db_pool, pipeline, attachments, reference, token, photos)
        if not added.refused:
            return _back_to_page(reference, token, "photos_added")
        # The page itself, which names each photo refused and why.
        return await _tracking_page(
            request,
            db_pool,
            pipeline,
            reference,
            token,
            photos_added=added,
            status=200 if added.added else added.refused[0].status,
        )

    @post("/t/{reference:str}/photos/{attachment_id:uuid}/remove")
    async def remove_photo(
        self,
        request: Request,
        reference: TrackedReference,
        attachment_id: AttachmentId,
        data: TenantForm,
        db_pool: DbPool,
        pipeline: ChangePipeline,
        attachments: AppAttachments,
    ) -> Redirect | Template:
        token = data.get("token", "")

        async def remove() -> None:
            await tenant_files.remove_photo(
                db_pool, pipeline, attachments, reference, token, attachment_id
            )

        return await self._do(request, reference, token, remove, done="photo_removed")
