"""What Open311 shows: the services and their definition, discovery, and a case as a
service request, to the public or in full to the partner that filed it."""

from datetime import UTC, datetime

import asyncpg
import msgspec

from service.domain.addresses import format_address_line, format_postcode
from service.domain.calendar import AMSTERDAM
from service.domain.categories import Category
from service.domain.open311 import (
    ACUTE_ATTRIBUTE,
    SERVICE_GROUP,
    Open311Status,
    ServiceEntry,
    open311_status,
    services,
)
from service.domain.workflow import Status
from service.open311.schemas import (
    Attribute,
    AttributeValue,
    Discovery,
    Endpoint,
    Service,
    ServiceDefinition,
    ServiceRequest,
)
from service.web.texts import status_label

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
FORMATS = ["text/xml", "application/json"]
# When this API last changed, for discovery's changeset.
CHANGESET = datetime(2026, 11, 30, tzinfo=UTC)
API_PATH = "/open311/v2"
SERVICE_NAMES = {entry.code: entry.name for entry in services()}


def in_amsterdam(moment: datetime) -> datetime:
    """Times as the spec wants them: with their offset; Dutch local time, whole seconds."""
    return moment.astimezone(AMSTERDAM).replace(microsecond=0)


def discovery(public_base_url: str) -> Discovery:
    return Discovery(
        changeset=CHANGESET,
        contact=f"Schademelding Groningen: {public_base_url}",
        key_service=(
            "Partners get an api_key from the service's administrator "
            "(python -m service partners add NAME)."
        ),
        endpoints=[
            Endpoint(
                SPECIFICATION, f"{public_base_url}{API_PATH}", CHANGESET, "production", FORMATS
            )
        ],
    )


def _service(entry: ServiceEntry) -> Service:
    return Service(
        service_code=entry.code,
        service_name=entry.name,
        description=entry.description,
        metadata=True,  # every service has the acute attribute
        type="realtime",
        keywords=entry.keywords,
        group=SERVICE_GROUP,
    )


def service_list() -> list[Service]:
    return [_service(entry) for entry in services()]


def service_definition(category: Category) -> ServiceDefinition:
    return ServiceDefinition(
        service_code=category.value,
        attributes=[
            Attribute(
                variable=True,
                code=ACUTE_ATTRIBUTE,
                datatype="singlevaluelist",
                required=False,
                datatype_description=None,
                order=1,
                description=(
                    "Is het gevaarlijk, of kan het elk moment gevaarlijk worden (acuut)? "
                    "Is it dangerous, or could it become dangerous at any moment (acute)?"
                ),
                values=[
                    AttributeValue("true", "Ja, acuut / Yes, acute"),
                    AttributeValue("false", "Nee / No"),
                ],
            )
        ],
    )


def _address(row: asyncpg.Record) -> str | None:
    if row["postcode"] is None:
        return None
    letter, addition = row["house_letter"] or None, row["addition"] or None
    place = f"{format_postcode(row['postcode'])} {row['city'] or ''}".strip()
    if row["street"]:
        return (
            f"{format_address_line(row['street'], row['house_number'], letter, addition)}, {place}"
        )
    number = f"{row['house_number']}{letter or ''}" + (f"-{addition}" if addition else "")
    return f"{number}, {place}"


def service_request(
    row: asyncpg.Record,
    centres: dict[str, tuple[float, float]],
    partner_id: int | None,
) -> ServiceRequest:
    """The public fields for anyone; the address and description too for the partner that
    filed the request. Never the reporter, a photo, or (for others) the home."""
    status = Status(row["status"])
    own = partner_id is not None and row["partner_id"] == partner_id
    area = row["postcode"][:4] if row["postcode"] else None
    position: tuple[float, float] | None = centres.get(area) if area else None
    if own and row["lat"] is not None:
        position = (row["lat"], row["lon"])
    open_now = open311_status(status) is Open311Status.OPEN
    return ServiceRequest(
        service_request_id=row["reference"],
        status=open311_status(status).value,
        status_notes=status_label(status, "nl"),
        service_name=SERVICE_NAMES[row["category"]],
        service_code=row["category"],
        description=row["description"] if own else None,
        agency_responsible=row["corporation_name"],
        service_notice=None,
        requested_datetime=in_amsterdam(row["reported_at"]),
        updated_datetime=in_amsterdam(row["updated_at"]),
        expected_datetime=in_amsterdam(row["resolve_by"]) if open_now else None,
        address=_address(row) if own else None,
        address_id=row["bag_id"] if own else None,
        zipcode=(format_postcode(row["postcode"]) if own else area) if row["postcode"] else None,
        lat=position[0] if position else msgspec.UNSET,
        long=position[1] if position else msgspec.UNSET,
        media_url=None,
    )
