"""The tenant's report form: the same intake as the API, in a page that keeps what was typed."""

import uuid
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Template

from service.dependencies import AppSettings, DbPool
from service.domain.addresses import AddressError
from service.domain.categories import CATEGORY_TEXTS
from service.errors import InputError
from service.reports.intake import submit_report
from service.reports.schemas import AddressIn, ReporterIn, ReportIn
from service.web.controller import SECURITY_HEADERS
from service.web.language import chosen_language, switch_url
from service.web.texts import FIELD_ERRORS, field_error, page_texts

FormData = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


def _categories(language: str) -> list[dict[str, str]]:
    english = language == "en"
    return [
        {
            "code": category.value,
            "label": texts[1] if english else texts[0],
            "explanation": texts[3] if english else texts[2],
        }
        for category, texts in CATEGORY_TEXTS.items()
    ]


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


def _report(values: dict[str, str]) -> ReportIn:
    """The form as the API's report; raises InputError naming the form's fields."""
    number = values.get("house_number", "").strip()
    if not number.isdigit():
        raise InputError.one("house_number", "not a number")
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
        path = str(error).rpartition("$.")[2].rstrip("`")
        raise InputError.one(path or "description", str(error)) from None


class ReportFormController(Controller):
    include_in_schema = False

    def _page(self, request: Request, template: str, status: int = 200, **context: Any) -> Template:
        language, cookies = chosen_language(request)
        texts = page_texts(language)
        return Template(
            template,
            context={
                "language": language,
                "t": texts,
                "title": texts["report_title"],
                "switch_language_url": switch_url(request, language),
                "categories": _categories(language),
                **context,
            },
            status_code=status,
            headers=SECURITY_HEADERS,
            cookies=cookies,
        )

    @get("/")
    async def form(self, request: Request) -> Template:
        return self._page(
            request, "report_form.html", values={}, errors={}, idempotency_key=uuid.uuid4().hex
        )

    @post("/report", status_code=200)
    async def submit(
        self, request: Request, data: FormData, db_pool: DbPool, settings: AppSettings
    ) -> Template:
        language, _ = chosen_language(request)
        values = {key: value for key, value in data.items() if isinstance(value, str)}
        key = values.get("idempotency_key") or uuid.uuid4().hex
        try:
            submitted = await submit_report(
                db_pool,
                _report(values),
                idempotency_key=key,
                secret_key=settings.secret_key,
                public_base_url=settings.public_base_url,
            )
        except (InputError, AddressError) as error:
            problems = error.errors if isinstance(error, InputError) else [error]
            errors = {
                _form_field(p.field): field_error(_form_field(p.field), language) for p in problems
            }
            return self._page(
                request,
                "report_form.html",
                status=400,
                values=values,
                errors=errors,
                idempotency_key=uuid.uuid4().hex,
            )
        created = submitted.created
        return self._page(
            request,
            "report_done.html",
            created=created,
            tracking_path=created.tracking_url.removeprefix(settings.public_base_url),
        )
