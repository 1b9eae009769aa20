"""Request and response bodies of the tenant intake and tracking API."""

from datetime import UTC, date, datetime
from typing import Annotated, Literal, TypeAlias

import msgspec
from msgspec import Meta

from service.api_types import CorporationRef
from service.attachments.schemas import TenantAttachment
from service.domain.categories import Category
from service.domain.permissions import TenantAction
from service.domain.sla import Urgency
from service.domain.workflow import Status

# The languages a tenant is written to in, and the public pages are shown in.
Language: TypeAlias = Literal["nl", "en"]


class AddressIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """The home: postcode and house number (with letter and addition), or a BAG id."""

    postcode: Annotated[str, Meta(max_length=12, examples=["9711 AB"])] | None = None
    house_number: Annotated[int, Meta(examples=[12])] | None = None
    house_letter: Annotated[str, Meta(max_length=3, examples=["A"])] | None = None
    addition: Annotated[str, Meta(max_length=8, examples=["2"])] | None = None
    bag_id: Annotated[str, Meta(max_length=20, examples=["0014010011067299"])] | None = None


class ReporterIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Who reports; at least an email address or a phone number."""

    name: Annotated[str, Meta(min_length=1, max_length=200)]
    email: Annotated[str, Meta(max_length=254)] | None = None
    phone: Annotated[str, Meta(max_length=30)] | None = None
    language: Language = "nl"


class ReportIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    category: Category
    description: Annotated[str, Meta(min_length=1, max_length=5000)]
    address: AddressIn
    reporter: ReporterIn
    acute: bool = False
    noticed_on: (
        Annotated[date, Meta(description="When the damage was first seen; 1986-01-01 or later.")]
        | None
    ) = None


class DeadlinesOut(msgspec.Struct):
    """Deadlines in UTC, like every time the API returns."""

    acknowledge_by: datetime
    inspect_by: datetime
    resolve_by: datetime

    @classmethod
    def of(
        cls, acknowledge_by: datetime, inspect_by: datetime, resolve_by: datetime
    ) -> "DeadlinesOut":
        return cls(
            acknowledge_by.astimezone(UTC), inspect_by.astimezone(UTC), resolve_by.astimezone(UTC)
        )


class ReportCreated(msgspec.Struct):
    reference: str
    tracking_token: str
    status: Status
    corporation: CorporationRef | None
    urgency: Urgency
    deadlines: DeadlinesOut
    tracking_url: str
    advice: str | None = None
    # Acute reports: the number the corporation answers at any hour, when it gave one.
    emergency_phone: str | None = None


class TimelineEntry(msgspec.Struct):
    at: datetime
    kind: str
    status: Status | None
    text: str


class TenantCaseView(msgspec.Struct):
    reference: str
    language: Language  # of the timeline texts: the tenant's, or the page's
    status: Status
    category: Category
    description: str
    acute: bool
    urgency: Urgency
    corporation_name: str | None
    reported_at: datetime
    deadlines: DeadlinesOut
    # The visit planned now: the inspection or the repair, by the status.
    planned_visit: datetime | None
    timeline: list[TimelineEntry]
    # What the tenant may do now: add information (message) or photos, confirm the repair,
    # reopen.
    allowed_actions: list[TenantAction]
    # The tenant's own photos, and the documents and photos staff shared with the tenant.
    attachments: list[TenantAttachment] = []
    # The tenant asked for erasure of their data (POST .../erasure): by this day (Amsterdam)
    # the corporation carries it out, and this link stops working. None: not asked.
    erase_by: date | None = None


class MessageIn(msgspec.Struct, forbid_unknown_fields=True):
    text: Annotated[str, Meta(min_length=1, max_length=5000)]


class ReopenIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: Annotated[str, Meta(min_length=1, max_length=2000)]


class LinksIn(msgspec.Struct, forbid_unknown_fields=True):
    """ "Lost your link?": the e-mail address the reports were made with."""

    email: Annotated[str, Meta(max_length=254, examples=["jan@example.nl"])]


class LinksRequested(msgspec.Struct):
    """The same answer whether or not the address is known."""

    detail: str
