"""The tenant's report form: the same intake as the API, in a page that keeps what was typed."""

import uuid
from datetime import date

import msgspec
from litestar import Controller, Request, get, post
from litestar.response import Template

from service.attachments.uploads import text_fields
from service.client_address import client_address
from service.dependencies import AppAttachments, AppSettings, AppThrottle, ChangePipeline, DbPool
from service.domain.addresses import (
    AddressError,
    HouseNumber,
    HouseNumberConflict,
    format_postcode,
    in_service_area,
    normalise_postcode,
    parse_house_number,
    with_separate_parts,
)
from service.domain.categories import Category, category_choices
from service.domain.errors import FieldError, InvalidInput
from service.domain.references import MAX_REFERENCE_LENGTH
from service.errors import validation_path
from service.reports import store
from service.reports.intake import submit_report, tracking_url, validate_report
from service.reports.schemas import AddressIn, ReporterIn, ReportIn
from service.reports.tokens import token_matches
from service.throttle.before_request import TRACKING_PER_ADDRESS
from service.throttle.policy import Limited, RateLimited, retry_after
from service.web.confirmation import (
    SWITCH_ACTION,
    Confirmation,
    confirmation_page,
    photos_from_form,
)
from service.web.language import LANGUAGE_SWITCH, chosen_language
from service.web.page_errors import PUBLIC_PAGE_HANDLERS
from service.web.pages import render
from service.web.photo_forms import (
    MULTIPART_PAGE_FORM,
    PHOTO_FORM_MAX_BYTES,
    add_photos,
    chosen_photos,
    close_all,
)
from service.web.texts import FIELD_ERRORS, field_error, wait_words
from service.web.throttled import THROTTLED_PAGE_HANDLERS

# The form's fields in the order the page shows them: the summary at the top names them so.
FORM_FIELDS = (
    "postcode",
    "house_number",
    "house_letter",
    "addition",
    "category",
    "description",
    "name",
    "email",
    "phone",
    "reporter",
)
CATEGORY_CODES = frozenset(category.value for category in Category)
# A FieldError's message that means "the same part given twice, differently": the page asks
# which is right rather than saying the part is malformed.
CONFLICT = "conflict"
# The checkbox a tenant ticks to send a report for a home outside the service area anyway.
OUTSIDE_AREA_CONFIRMED = "outside_area"


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


def _house_number(values: dict[str, str], errors: list[FieldError]) -> HouseNumber | None:
    """The house number field read as number, letter and addition ("12a", "12 bis"), with the
    separate letter and addition fields filling in what it leaves out."""
    try:
        typed = parse_house_number(values.get("house_number", ""))
    except AddressError:
        errors.append(FieldError("house_number", "not a house number"))
        return None
    try:
        return with_separate_parts(typed, values.get("house_letter"), values.get("addition"))
    except HouseNumberConflict as error:
        errors.append(FieldError(error.field, CONFLICT))
    except AddressError as error:
        errors.append(FieldError(error.field, error.message))
    return None


def _report(values: dict[str, str], today: date) -> ReportIn:
    """The form as the API's report; raises InvalidInput naming every wrong field at once."""
    errors = [
        FieldError(name, "missing")
        for name in ("description", "postcode", "name")
        if not values.get(name, "").strip()
    ]
    category = values.get("category", "")
    if category not in CATEGORY_CODES:
        errors.append(FieldError("category", "missing"))
    house = _house_number(values, errors)
    if not values.get("email", "").strip() and not values.get("phone", "").strip():
        errors.append(FieldError("reporter", "no way to reach the reporter"))
    report = ReportIn(
        # Any category stands in for a missing one, so that the intake's rules still check
        # every other field; the report is not sent while errors names the category.
        category=Category(category) if category in CATEGORY_CODES else next(iter(Category)),
        description=values.get("description", ""),
        acute=values.get("acute") == "yes",
        address=AddressIn(
            postcode=values.get("postcode", ""),
            house_number=house.number if house else None,
            house_letter=house.letter if house else None,
            addition=house.addition if house else None,
        ),
        reporter=ReporterIn(
            name=values.get("name", ""),
            email=values.get("email") or None,
            phone=values.get("phone") or None,
            language="en" if values.get("reporter_language") == "en" else "nl",
        ),
    )
    try:
        validate_report(report, today)
    except InvalidInput as error:
        errors.extend(error.errors)
    if errors:
        raise InvalidInput(errors)
    # The schema's length limits, which a browser keeps to and a script may not.
    try:
        return msgspec.convert(msgspec.to_builtins(report), ReportIn)
    except msgspec.ValidationError as error:
        raise InvalidInput.one(validation_path(error) or "description", str(error)) from None


def _shown_errors(error: InvalidInput, language: str) -> dict[str, str]:
    """Each wrong field's message, in the page's order; the first found for a field wins."""
    found: dict[str, str] = {}
    for problem in error.errors:
        field = _form_field(problem.field)
        key = f"{field}_conflict" if problem.message == CONFLICT else field
        found.setdefault(field, field_error(key, language))
    return {field: found[field] for field in FORM_FIELDS if field in found}


def _outside_service_area(values: dict[str, str]) -> str | None:
    """The postcode as "1011 AB" when it is valid and outside the area served, else None."""
    try:
        postcode = normalise_postcode(values.get("postcode", ""))
    except AddressError:
        return None
    return None if in_service_area(postcode) else format_postcode(postcode)


def _form(
    request: Request,
    *,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
    limited: RateLimited | None = None,
    photos_lost: bool = False,
    outside_area: str | None = None,
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
        outside_area=outside_area,
        wait=wait_words(limited.wait, language) if limited else None,
        categories=category_choices(language),
        # A browser cannot fill in a file field again: the tenant is told to choose again.
        photos_lost=photos_lost,
        # A fresh key per form shown: a double click sends the same report once.
        idempotency_key=uuid.uuid4().hex,
        switch_language_form={"id": "report-form", "action": "/report"},
    )


def _form_in_other_language(
    request: Request, values: dict[str, str], language: str, today: date, *, photos_lost: bool
) -> Template:
    """The form as sent, in the language just chosen: what was typed stays, and the errors it
    has are named again in the new language; nothing is sent."""
    outside_area = _outside_service_area(values)
    try:
        _report(values, today)
        errors = {}
    except InvalidInput as error:
        errors = _shown_errors(error, language)
    return _form(
        request,
        values=values,
        errors=errors,
        status=400 if errors else 200,
        photos_lost=photos_lost,
        outside_area=outside_area,
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
        values = text_fields(form)
        photos = chosen_photos(form)
        if values.get(LANGUAGE_SWITCH):
            await close_all(photos)
            return _form_in_other_language(
                request, values, language, pipeline.clock().date(), photos_lost=bool(photos)
            )
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
        # A home outside the area is still taken, once the tenant has seen why it may not be
        # ours and said the postcode is right: a typo (1711 for 9711) is caught before sending.
        outside_area = _outside_service_area(values)
        try:
            report = _report(values, pipeline.clock().date())
        except InvalidInput as error:
            await close_all(photos)
            return _form(
                request,
                values=values,
                errors=_shown_errors(error, language),
                status=400,
                photos_lost=bool(photos),
                outside_area=outside_area,
            )
        if outside_area and values.get(OUTSIDE_AREA_CONFIRMED) != "yes":
            await close_all(photos)
            return _form(
                request,
                values=values,
                errors={},
                photos_lost=bool(photos),
                outside_area=outside_area,
            )
        try:
            submitted = await submit_report(
                db_pool,
                pipeline,
                report,
                idempotency_key=key,
                secret_key=settings.secret_key,
                public_base_url=settings.public_base_url,
            )
        except InvalidInput as error:
            await close_all(photos)
            return _form(
                request,
                values=values,
                errors=_shown_errors(error, language),
                status=400,
                photos_lost=bool(photos),
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
        return confirmation_page(
            request,
            Confirmation.of(created, report.acute, created.emergency_phone),
            tracking_path=created.tracking_url.removeprefix(settings.public_base_url),
            photos_added=photos_added,
            photos_replayed=submitted.replayed and bool(photos),
        )

    @post(
        SWITCH_ACTION,
        status_code=200,
        opt=MULTIPART_PAGE_FORM,
        before_request=TRACKING_PER_ADDRESS,
        exception_handlers={**THROTTLED_PAGE_HANDLERS, **PUBLIC_PAGE_HANDLERS},
    )
    async def confirmation_again(
        self, request: Request, db_pool: DbPool, settings: AppSettings
    ) -> Template:
        """The confirmation again (the language switch posts here), once the token is right."""
        data = await request.form()
        reference, token = data.get("reference"), data.get("token")
        if not isinstance(reference, str) or not isinstance(token, str):
            return render(request, "not_found.html", title_key="not_found_title", status=404)
        async with db_pool.acquire() as connection:
            case = await store.confirmation_of(connection, reference[:MAX_REFERENCE_LENGTH])
        if case is None or not token or not token_matches(token, case["tracking_token_hash"]):
            return render(request, "not_found.html", title_key="not_found_title", status=404)
        url = tracking_url(settings.public_base_url, case["reference"], token)
        confirmation = Confirmation(
            reference=case["reference"],
            token=token,
            acute=case["acute"],
            corporation=case["corporation_name"],
            emergency_phone=case["emergency_phone"],
            acknowledge_by=case["acknowledge_by"],
            tracking_url=url,
        )
        return confirmation_page(
            request,
            confirmation,
            tracking_path=url.removeprefix(settings.public_base_url),
            photos_added=photos_from_form(data),
            photos_replayed=data.get("photos_replayed") == "yes",
        )
