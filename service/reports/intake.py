"""Taking a tenant's report: validate, route, set deadlines, store, in one transaction."""

import hashlib
import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import asyncpg
import msgspec

from service.api_types import CorporationRef
from service.changes.pipeline import Change, Pipeline
from service.changes.store import NewCase
from service.db import Connection
from service.domain.addresses import (
    AddressError,
    NormalisedAddress,
    normalise_address,
    normalise_bag_id,
)
from service.domain.calendar import AMSTERDAM
from service.domain.categories import Category
from service.domain.errors import Conflict, FieldError, InvalidInput
from service.domain.events import SYSTEM, TENANT, Event, EventKind
from service.domain.references import format_reference
from service.domain.routing import RoutingReason
from service.domain.sla import Deadlines, Urgency, deadlines_for, urgency_for
from service.domain.workflow import Status
from service.portfolio import store as portfolio
from service.reports import store
from service.reports.schemas import DeadlinesOut, ReportCreated, ReportIn
from service.reports.timeline import acute_advice
from service.reports.tokens import derived_tracking_token, new_tracking_salt, token_hash

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_PATTERN = re.compile(r"^\+?[0-9]{6,15}$")
IDEMPOTENCY_KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,200}$")
# Damage from induced earthquakes is noticed no earlier than 1986, the year the first one was
# recorded in the north of the Netherlands; an earlier date is a typing error.
EARLIEST_NOTICED_ON = date(1986, 1, 1)
# A description the corporation can act on: a few words, not one letter or one word
# ("Scheur" says nothing of where). The form and the API share this rule.
MIN_DESCRIPTION_WORDS = 2
MIN_DESCRIPTION_CHARACTERS = 10


@dataclass(frozen=True)
class Submitted:
    created: ReportCreated
    replayed: bool


@dataclass(frozen=True)
class Contact:
    name: str
    email: str | None
    phone: str | None


def _validate_contact(report: ReportIn, errors: list[FieldError]) -> Contact:
    before = len(errors)
    name = report.reporter.name.strip()
    if not name:
        errors.append(FieldError("reporter.name", "Please give your name."))
    email = (report.reporter.email or "").strip() or None
    if email is not None and not EMAIL_PATTERN.fullmatch(email):
        errors.append(FieldError("reporter.email", "This is not an email address."))
    phone = re.sub(r"[\s().-]", "", report.reporter.phone or "") or None
    if phone is not None and not PHONE_PATTERN.fullmatch(phone):
        errors.append(
            FieldError("reporter.phone", "A phone number has 6 to 15 digits, like 0501234567.")
        )
    if email is None and phone is None and len(errors) == before:
        errors.append(
            FieldError("reporter", "Give an email address or a phone number so we can reach you.")
        )
    return Contact(name, email, phone)


def _validate_address(
    report: ReportIn, errors: list[FieldError]
) -> tuple[NormalisedAddress | None, str | None]:
    given = report.address
    before = len(errors)
    address = bag_id = None
    try:
        if given.bag_id is not None and given.bag_id.strip():
            bag_id = normalise_bag_id(given.bag_id, "address.bag_id")
    except AddressError as error:
        errors.append(FieldError(error.field, error.message))
    if given.postcode is not None or given.house_number is not None:
        if given.postcode is None or given.house_number is None:
            field = "address.postcode" if given.postcode is None else "address.house_number"
            errors.append(FieldError(field, "Give both the postcode and the house number."))
        else:
            try:
                address = normalise_address(
                    given.postcode,
                    given.house_number,
                    given.house_letter,
                    given.addition,
                    "address.",
                )
            except AddressError as error:
                errors.append(FieldError(error.field, error.message))
    elif bag_id is None and len(errors) == before:
        errors.append(FieldError("address", "Give the postcode and house number of the home."))
    return address, bag_id


def _validate_text(report: ReportIn, today: date, errors: list[FieldError]) -> str:
    description = report.description.strip()
    if not description:
        errors.append(FieldError("description", "Please describe the damage."))
    elif not is_enough_description(description):
        errors.append(
            FieldError(
                "description",
                "Please describe the damage in a few words (at least "
                f"{MIN_DESCRIPTION_CHARACTERS} characters), like: crack above the front door.",
            )
        )
    if report.noticed_on is not None and report.noticed_on > today + timedelta(days=1):
        errors.append(FieldError("noticed_on", "The date you noticed the damage is in the future."))
    if report.noticed_on is not None and report.noticed_on < EARLIEST_NOTICED_ON:
        errors.append(
            FieldError(
                "noticed_on",
                "The date you noticed the damage is before 1986, the year of the first "
                "induced earthquake; check the year.",
            )
        )
    return description


def is_enough_description(description: str) -> bool:
    text = description.strip()
    return len(text) >= MIN_DESCRIPTION_CHARACTERS and len(text.split()) >= MIN_DESCRIPTION_WORDS


def validate_idempotency_key(key: str | None) -> str | None:
    if key is None:
        return None
    if not IDEMPOTENCY_KEY_PATTERN.fullmatch(key):
        raise InvalidInput.one(
            "Idempotency-Key", "Use 1 to 200 visible ASCII characters, for example a UUID."
        )
    return key


@dataclass(frozen=True)
class ValidReport:
    """A report whose every field is checked and normalised: ready to file."""

    category: Category
    acute: bool
    description: str
    noticed_on: date | None
    address: NormalisedAddress | None
    bag_id: str | None
    contact: Contact
    language: str


def validate_report(report: ReportIn, today: date) -> ValidReport:
    """Every field checked before any is refused: the answer names all that are wrong."""
    errors: list[FieldError] = []
    contact = _validate_contact(report, errors)
    address, bag_id = _validate_address(report, errors)
    description = _validate_text(report, today, errors)
    if errors:
        raise InvalidInput(errors)
    return ValidReport(
        category=report.category,
        acute=report.acute,
        description=description,
        noticed_on=report.noticed_on,
        address=address,
        bag_id=bag_id,
        contact=contact,
        language=report.reporter.language,
    )


async def submit_report(
    pool: asyncpg.Pool,
    pipeline: Pipeline,
    report: ReportIn,
    *,
    idempotency_key: str | None,
    secret_key: str,
    public_base_url: str,
    also: Callable[[Connection, uuid.UUID], Awaitable[None]] | None = None,
) -> Submitted:
    """File the report; `also` runs in the same transaction with the new case's id (an Open311
    partner's submission is remembered so), not on a replay."""
    valid = validate_report(report, pipeline.clock().date())
    key = validate_idempotency_key(idempotency_key)
    case_id = uuid.uuid4()

    async with pool.acquire() as connection, connection.transaction():
        key_hash = hashlib.sha256(key.encode()).digest() if key else None
        if key is not None and key_hash is not None:
            request_hash = hashlib.sha256(msgspec.json.encode(report)).digest()
            if not await store.claim_idempotency_key(connection, key_hash, request_hash):
                return await _replay(
                    connection, key_hash, request_hash, key, secret_key, public_base_url
                )
        # The salt goes into the case's INSERT: a replay and every e-mail make the token again.
        salt = new_tracking_salt()
        token = derived_tracking_token(secret_key, case_id, salt)
        filed = await file_report(
            connection,
            pipeline,
            valid,
            case_id=case_id,
            tracking_token_hash=token_hash(token),
            tracking_salt=salt,
        )
        if also is not None:
            await also(connection, case_id)
        created = ReportCreated(
            reference=filed.reference,
            tracking_token=token,
            status=filed.status,
            corporation=filed.corporation,
            urgency=filed.urgency,
            deadlines=DeadlinesOut.of(
                filed.deadlines.acknowledge_by,
                filed.deadlines.inspect_by,
                filed.deadlines.resolve_by,
            ),
            tracking_url=tracking_url(public_base_url, filed.reference, token),
            advice=acute_advice(
                valid.language,
                filed.corporation.name if filed.corporation else None,
                filed.emergency_phone,
            )
            if valid.acute
            else None,
            emergency_phone=filed.emergency_phone if valid.acute else None,
        )
        if key_hash is not None:
            stored = msgspec.to_builtins(created)
            # The token is made again on replay; it is never stored.
            stored["tracking_token"] = stored["tracking_url"] = None
            await store.store_idempotent_answer(connection, key_hash, case_id, stored)
    return Submitted(created, replayed=False)


@dataclass(frozen=True)
class Filed:
    """A case as intake made it."""

    reference: str
    status: Status
    corporation: CorporationRef | None
    urgency: Urgency
    deadlines: Deadlines
    emergency_phone: str | None  # the corporation's, read with the home


async def file_report(
    connection: Connection,
    pipeline: Pipeline,
    report: ValidReport,
    *,
    case_id: uuid.UUID,
    tracking_token_hash: bytes,
    tracking_salt: bytes | None,
    synthetic: bool = False,
) -> Filed:
    """Route the report, set its deadlines and make the case, through the change pipeline."""
    urgency = urgency_for(report.category, report.acute)
    made: list[NewCase] = []  # the case decide made, for the answer
    emergency_phones: list[str | None] = []  # the routed corporation's, from the same query

    async def decide(connection: Connection, _: asyncpg.Record | None, now: datetime) -> Change:
        home = None
        reason = RoutingReason.NO_MATCH
        if report.bag_id is not None:
            home = await portfolio.home_by_bag_id(connection, report.bag_id)
            reason = RoutingReason.BAG_ID
        if home is None and report.address is not None:
            home = await portfolio.home_by_address(connection, report.address)
            reason = RoutingReason.ADDRESS
        if home is None:
            reason = RoutingReason.NO_MATCH

        contact = report.contact
        reporter_id, number = await store.insert_reporter(
            connection, contact.name, contact.email, contact.phone, report.language, now
        )
        # The year in the reference is the Dutch calendar year of the report.
        reference = format_reference(now.astimezone(AMSTERDAM).year, number)
        reported = Event(
            EventKind.REPORTED,
            TENANT,
            {"category": report.category, "acute": report.acute},
            public=True,
        )
        emergency_phones.append(home["corporation_emergency_phone"] if home else None)
        if home is not None:
            status = Status.NEW
            routing = Event(
                EventKind.ROUTED,
                SYSTEM,
                {
                    "reason": reason,
                    "corporation_code": home["corporation_code"],
                    "corporation_name": home["corporation_name"],
                },
                to_status=status,
                public=True,
            )
        else:
            status = Status.UNROUTED
            suggestions = (
                await portfolio.suggest_corporations(connection, report.address.postcode)
                if report.address
                else []
            )
            routing = Event(
                EventKind.UNROUTED,
                SYSTEM,
                {"reason": reason, "suggestions": suggestions},
                to_status=status,
                public=True,
            )
        new_case = NewCase(
            id=case_id,
            reference=reference,
            category=report.category,
            acute=report.acute,
            urgency=urgency,
            description=report.description,
            noticed_on=report.noticed_on,
            status=status,
            corporation_id=home["corporation_id"] if home else None,
            address_id=home["id"] if home else None,
            **case_location(home, report.address, report.bag_id),
            reporter_id=reporter_id,
            tracking_token_hash=tracking_token_hash,
            tracking_salt=tracking_salt,
            deadlines=deadlines_for(urgency, now),
            synthetic=synthetic,
        )
        made.append(new_case)
        return Change(new_case=new_case, events=[reported, routing])

    changed = await pipeline.run(connection, None, decide)
    assert changed is not None  # intake always makes a case
    case, routing = made[0], changed.events[-1]
    corporation = (
        CorporationRef(routing.data["corporation_code"], routing.data["corporation_name"])
        if routing.kind is EventKind.ROUTED
        else None
    )
    return Filed(
        case.reference, case.status, corporation, urgency, case.deadlines, emergency_phones[-1]
    )


def case_location(
    home: asyncpg.Record | None, address: NormalisedAddress | None, bag_id: str | None
) -> dict[str, Any]:
    """The address stored on the case: the register's when the home is known, else as typed."""
    if home is not None:
        return {
            "bag_id": home["bag_id"] or bag_id,
            "postcode": home["postcode"],
            "house_number": home["house_number"],
            "house_letter": home["house_letter"],
            "addition": home["addition"],
            "street": home["street"],
            "city": home["city"],
            "municipality_code": home["municipality_code"],
        }
    return {
        "bag_id": bag_id,
        "postcode": address.postcode if address else None,
        "house_number": address.house_number if address else None,
        "house_letter": (address.house_letter or "") if address else "",
        "addition": (address.addition or "") if address else "",
        "street": None,
        "city": None,
        "municipality_code": None,
    }


def tracking_url(public_base_url: str, reference: str, token: str) -> str:
    return f"{public_base_url}/t/{reference}?token={token}"


async def _replay(
    connection: Connection,
    key_hash: bytes,
    request_hash: bytes,
    key: str,
    secret_key: str,
    public_base_url: str,
) -> Submitted:
    row = await store.idempotent_answer(connection, key_hash)
    if row["request_hash"] != request_hash:
        raise Conflict(
            "This Idempotency-Key was used before with a different report. "
            "Use a new key for a new report."
        )
    answer = row["response"]
    # A case filed before salts were stored derived its token from the key itself.
    salt = row["tracking_salt"] or key.encode()
    token = derived_tracking_token(secret_key, row["case_id"], salt)
    answer["tracking_token"] = token
    answer["tracking_url"] = tracking_url(public_base_url, answer["reference"], token)
    return Submitted(msgspec.convert(answer, ReportCreated), replayed=True)
