"""The bodies of Open311 GeoReport v2, field for field and in the order of the spec's
examples: JSON and XML are both made from these (service/open311/formats.py)."""

from datetime import datetime

import msgspec


class Endpoint(msgspec.Struct):
    specification: str
    url: str
    changeset: datetime
    type: str
    formats: list[str]


class Discovery(msgspec.Struct):
    changeset: datetime
    contact: str
    key_service: str
    endpoints: list[Endpoint]


class Service(msgspec.Struct):
    service_code: str
    service_name: str
    description: str
    metadata: bool
    type: str
    keywords: str
    group: str


class AttributeValue(msgspec.Struct):
    key: str
    name: str


class Attribute(msgspec.Struct):
    variable: bool
    code: str
    datatype: str
    required: bool
    datatype_description: str | None
    order: int
    description: str
    values: list[AttributeValue]


class ServiceDefinition(msgspec.Struct):
    service_code: str
    attributes: list[Attribute]


class RequestCreated(msgspec.Struct):
    service_request_id: str
    service_notice: str


class ServiceRequest(msgspec.Struct, omit_defaults=True, kw_only=True):
    """One request as GET requests shows it; what a viewer may not see is null, and lat and
    long are left out when there is nothing to show (no coordinates known)."""

    service_request_id: str
    status: str
    status_notes: str | None
    service_name: str
    service_code: str
    description: str | None
    agency_responsible: str | None
    service_notice: str | None
    requested_datetime: datetime
    updated_datetime: datetime
    expected_datetime: datetime | None
    address: str | None
    address_id: str | None
    zipcode: str | None
    lat: float | msgspec.UnsetType = msgspec.UNSET
    long: float | msgspec.UnsetType = msgspec.UNSET
    media_url: str | None


class SpecError(msgspec.Struct):
    code: int
    description: str
