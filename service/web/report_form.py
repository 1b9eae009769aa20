"""The tenant's report form: the same intake as the API, in a page that keeps what was typed."""

import re
import uuid

import msgspec
from litestar import Controller, Request, get, post
from litestar.response import Template

from service.client_address import client_address
from service.dependencies import AppAttachments, AppSettings, AppThrottle, ChangePipeline, DbPool
from service.domain.categories import category_choices
from service.domain.errors import FieldError, InvalidInput
from service.errors import validation_path
from service.reports.intake import submit_report
from service.reports.schemas import AddressIn, ReporterIn, ReportIn
from service.throttle.policy import Limited, RateLimited, retry_after
from service.web.language import chosen_language
from service.web.page_errors import PUBLIC_PAGE_HANDLERS
from service.web.pages import render
from service.web.photo_forms import (
    MULTIPART_PAGE_FORM,
    PHOTO_FORM_MAX_BYTES,
    add_photos,
    chosen_photos,
    close_all,
    form_values,
)
from service.web.texts import FIELD_ERRORS, field_error, wait_words

# ASCII digits only: str.isdigit() takes "²" too, which int() refuses. The intake's rules say
# which numbers are house numbers.
HOUSE_NUMBER = re.compile(r"[0-9]{1,9}")


def _form_field(api_field: str) -> str:
    """ "address.postcode" -> "postcode", "reporter.email" -> "email"."""
    name = api_field.rsplit(".", 1)[-1]
    return (
        name
        if name in FIELD_ERRORS
        else "reporter"
        if api_field.startswith("reporter")
        else "description"
    )


def _missing(values: dict[str, str]) -> list[FieldError]:
    """Everything left empty at once, so the tenant does not find one gap per try."""
    missing = [
        FieldError(name, "missing")
        for name in ("category", "description", "postcode", "name")
        if not values.get(name, "").strip()
    ]
    if not HOUSE_NUMBER.fullmatch(values.get("house_number", "").strip()):
        missing.append(FieldError("house_number", "not a number"))
    if not values.get("email", "").strip() and not values.get("phone", "").strip():
        missing.append(FieldError("reporter", "no way to reach the reporter"))
    return missing


def _report(values: dict[str, str]) -> ReportIn:
    """The form as the API's report; raises InvalidInput naming the form's fields."""
    missing = _missing(values)
    if missing:
        raise InvalidInput(missing)
    number = values["house_number"].strip()
    try:
        return msgspec.convert(
            {
                "category": values.get("category") or None,
                "description": values.get("description", ""),
                "acute": values.get("acute") == "yes",
                "address": AddressIn(
                    postcode=values.get("postcode", ""),
                    house_number=int(number),
                    house_letter=values.get("house_letter") or None,
                    addition=values.get("addition") or None,
                ),
                "reporter": ReporterIn(
                    name=values.get("name", ""),
                    email=values.get("email") or None,
                    phone=values.get("phone") or None,
                    language="en" if values.get("reporter_language") == "en" else "nl",
                ),
            },
            ReportIn,
        )
    except msgspec.ValidationError as error:
        path = validation_path(error)
        raise InvalidInput.one(path or "description", str(error)) from None


def _form(
    request: Request,
    *,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
    limited: RateLimited | None = None,
    photos_lost: bool = False,
) -> Template:
    language, _ = chosen_language(request)
    return render(
        request,
        "report_form.html",
        title_key="report_title",
        status=status,
        headers=retry_after(limited.wait) if limited else None,
        values=values,
        errors=errors,
        wait=wait_words(limited.wait, language) if limited else None,
        categories=category_choices(language),
        # A browser cannot fill in a file field again: the tenant is told to choose again.
        photos_lost=photos_lost,
        # A fresh key per form shown: a double click sends the same report once.
        idempotency_key=uuid.uuid4().hex,
    )


class ReportFormController(Controller):
    include_in_schema = False
    exception_handlers = PUBLIC_PAGE_HANDLERS

    @get("/")
    async def form(self, request: Request) -> Template:
        return _form(request, values={}, errors={})

    # multipart/form-data with the photos (URL-encoded without): read with Request.form().
    @post(
        "/report",
        status_code=200,
        request_max_body_size=PHOTO_FORM_MAX_BYTES,
        opt=MULTIPART_PAGE_FORM,
    )
    async def submit(
        self,
        request: Request,
        db_pool: DbPool,
        pipeline: ChangePipeline,
        settings: AppSettings,
        throttle: AppThrottle,
        attachments: AppAttachments,
    ) -> Template:
        language, _ = chosen_language(request)
        form = await request.form()
        values = form_values(form)
        photos = chosen_photos(form)
        # Counted here rather than in a guard, so that a tenant past the limit gets the form
        # back with what they typed, not a page that loses it.
        try:
            await throttle.admit(Limited.REPORTS, client_address(request))
        except RateLimited as limited:
            await close_all(photos)
            return _form(
                request,
                values=values,
                errors={},
                status=429,
                limited=limited,
                photos_lost=bool(photos),
            )
        key = values.get("idempotency_key") or uuid.uuid4().hex
        try:
            submitted = await submit_report(
                db_pool,
                pipeline,
                _report(values),
                idempotency_key=key,
                secret_key=settings.secret_key,
                public_base_url=settings.public_base_url,
            )
        except InvalidInput as error:
            errors = {
                _form_field(p.field): field_error(_form_field(p.field), language)
                for p in error.errors
            }
            await close_all(photos)
            return _form(
                request, values=values, errors=errors, status=400, photos_lost=bool(photos)
            )
        created = submitted.created
        if submitted.replayed:
            # The first of the two sendings added the photos (a double click, a reload).
            await close_all(photos)
            photos_added = None
        else:
            photos_added = await add_photos(
                db_pool, pipeline, attachments, created.reference, created.tracking_token, photos
            )
        return render(
            request,
            "report_done.html",
            title_key="done_title",
            created=created,
            tracking_path=created.tracking_url.removeprefix(settings.public_base_url),
            photos_added=photos_added,
            photos_replayed=submitted.replayed and bool(photos),
        )
