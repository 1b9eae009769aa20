"""POST requests: a partner's form, turned into the tenant's report and filed through the
same intake (service/reports/intake.py): routing, deadlines, idempotency, notifications."""

import uuid
from urllib.parse import parse_qsl

import asyncpg
import msgspec

from service.changes.pipeline import Pipeline
from service.db import Connection
from service.domain.addresses import AddressError, normalise_bag_id, parse_address_line
from service.domain.dates_in_words import deadline_words
from service.domain.errors import InvalidInput
from service.domain.open311 import (
    ACUTE_ATTRIBUTE,
    NEAREST_HOME_METRES,
    PositionError,
    acute_from_attribute,
    position,
    service_category,
)
from service.open311.formats import Open311Error
from service.open311.partners import remember_submission
from service.open311.schemas import RequestCreated
from service.open311.store import nearest_home
from service.reports.intake import submit_report
from service.reports.schemas import ReportCreated, ReportIn

FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"
MAX_FIELDS = 50
# The intake's field names in the words of the Open311 form.
_FORM_FIELDS = {
    "reporter.name": "first_name, last_name",
    "reporter.email": "email",
    "reporter.phone": "phone",
    "reporter": "email, phone",
    "description": "description",
    "category": "service_code",
    "acute": f"attribute[{ACUTE_ATTRIBUTE}]",
}
_KNOWN_ATTRIBUTES = {f"attribute[{ACUTE_ATTRIBUTE}]"}


def read_form(content_type: str, body: bytes) -> dict[str, str]:
    """The form's fields; of a field sent twice, the last."""
    if content_type.split(";")[0].strip().lower() != FORM_MEDIA_TYPE:
        raise Open311Error(400, f"Send the request form-encoded ({FORM_MEDIA_TYPE}).")
    try:
        text = body.decode()
        pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except UnicodeDecodeError:
        raise Open311Error(400, "The form is not UTF-8.") from None
    except ValueError:
        raise Open311Error(400, f"The form has more than {MAX_FIELDS} fields.") from None
    return {name: value.replace("\x00", "") for name, value in pairs}


def _address(
    form: dict[str, str], address_field: str, home_at_position: dict[str, object] | None
) -> dict[str, object]:
    if form.get("address_id", "").strip():
        return {"bag_id": normalise_bag_id(form["address_id"], "address_id")}
    if form.get("address_string", "").strip():
        home = parse_address_line(form["address_string"], address_field)
        return {
            "postcode": home.postcode,
            "house_number": home.house_number,
            "house_letter": home.house_letter,
            "addition": home.addition,
        }
    if form.get("lat", "").strip() or form.get("long", "").strip():
        try:
            position(form.get("lat", ""), form.get("long", ""))
        except PositionError as error:
            raise Open311Error(400, f"lat, long: {error}") from None
        if home_at_position is None:
            raise Open311Error(
                400,
                f"lat, long: no registered home within {NEAREST_HOME_METRES:g} m of this "
                "position. Send address_string (like: Herestraat 12a, 9711 AB Groningen) or "
                "address_id (the home's BAG id).",
            )
        return home_at_position
    raise Open311Error(
        400, "Give the home's address: address_string, address_id (BAG id), or lat and long."
    )


async def _home_at_position(pool: asyncpg.Pool, form: dict[str, str]) -> dict[str, object] | None:
    """For a request given by position only: the registered home nearest to it, if one is
    close enough (an unregistered home needs its address: a coordinator routes it by that)."""
    if form.get("address_id", "").strip() or form.get("address_string", "").strip():
        return None
    try:
        latitude, longitude = position(form.get("lat", ""), form.get("long", ""))
    except PositionError:
        return None  # report_of names the fault with the others
    async with pool.acquire() as connection:
        home = await nearest_home(connection, latitude, longitude, NEAREST_HOME_METRES)
    if home is None:
        return None
    return {
        "postcode": home["postcode"],
        "house_number": home["house_number"],
        "house_letter": home["house_letter"] or None,
        "addition": home["addition"] or None,
    }


def report_of(form: dict[str, str], home_at_position: dict[str, object] | None = None) -> ReportIn:
    """The tenant's report the form describes; every fault named at once."""
    errors: list[str] = []
    code = form.get("service_code", "").strip()
    if not code:
        errors.append("service_code: give the service, see services.json.")
    elif service_category(code) is None:
        errors.append(f"service_code: there is no service {code!r}; see services.json.")
    unknown = sorted(
        name for name in form if name.startswith("attribute[") and name not in _KNOWN_ATTRIBUTES
    )
    errors.extend(f"{name}: this service has no such attribute." for name in unknown)
    acute = acute_from_attribute(form.get(f"attribute[{ACUTE_ATTRIBUTE}]"))
    if acute is None:
        errors.append(f"attribute[{ACUTE_ATTRIBUTE}]: true or false.")
    address_field = "address_id" if form.get("address_id", "").strip() else "address_string"
    address: dict[str, object] = {}
    try:
        address = _address(form, address_field, home_at_position)
    except AddressError as error:
        errors.append(f"{error.field}: {error.message}")
    except Open311Error as error:
        errors.extend(error.descriptions)
    if errors:
        raise Open311Error(400, *errors)
    name = " ".join(
        part
        for part in (form.get("first_name", "").strip(), form.get("last_name", "").strip())
        if part
    )
    body = {
        "category": code,
        "acute": acute,
        "description": form.get("description", ""),
        "address": address,
        "reporter": {
            "name": name,
            "email": form.get("email") or None,
            "phone": form.get("phone") or None,
        },
    }
    try:
        return msgspec.convert(body, ReportIn)
    except msgspec.ValidationError as error:
        raise Open311Error(400, _convert_error(str(error))) from None


def _convert_error(message: str) -> str:
    """msgspec's words for a field too long (or empty), named as the form names it."""
    text, _, location = message.partition(" - at `$.")
    field = location.rstrip("`")
    return f"{_FORM_FIELDS.get(field, _FORM_FIELDS.get(field.split('.')[0], field))}: {text}."


def _notice(created: ReportCreated) -> str:
    contact_by = deadline_words(created.deadlines.acknowledge_by, "nl")
    if created.corporation is not None:
        notice = (
            f"Doorgestuurd naar {created.corporation.name}. De corporatie neemt uiterlijk "
            f"{contact_by} contact op met de huurder."
        )
    else:
        notice = (
            "Ontvangen. We zoeken uit welke corporatie de woning verhuurt; die neemt uiterlijk "
            f"{contact_by} contact op met de huurder."
        )
    return f"{notice} {created.advice}" if created.advice else notice


async def submit(
    pool: asyncpg.Pool,
    pipeline: Pipeline,
    form: dict[str, str],
    partner_id: int,
    *,
    idempotency_key: str | None,
    secret_key: str,
    public_base_url: str,
) -> RequestCreated:
    report = report_of(form, await _home_at_position(pool, form))

    async def remember(connection: Connection, case_id: uuid.UUID) -> None:
        await remember_submission(connection, case_id, partner_id)

    try:
        submitted = await submit_report(
            pool,
            pipeline,
            report,
            # A partner's keys are its own: another's same key is another request.
            idempotency_key=f"open311-{partner_id}-{idempotency_key}" if idempotency_key else None,
            secret_key=secret_key,
            public_base_url=public_base_url,
            also=remember,
        )
    except InvalidInput as error:
        raise Open311Error(
            400,
            *(f"{_form_field(field.field)}: {field.message}" for field in error.errors),
        ) from None
    return RequestCreated(submitted.created.reference, _notice(submitted.created))


def _form_field(field: str) -> str:
    if field.startswith("address"):
        return "address_id" if field.endswith("bag_id") else "address_string"
    if field == "Idempotency-Key":
        return field
    return _FORM_FIELDS.get(field, field)
