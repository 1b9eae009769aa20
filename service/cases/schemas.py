"""Request and response bodies of the staff case API."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta

from service.api_types import CorporationRef, DatabaseId
from service.domain.categories import Category
from service.domain.permissions import ActionKind
from service.domain.sla import DeadlineState, Stage, Urgency
from service.domain.workflow import Status

Text = Annotated[str, Meta(min_length=1, max_length=5000)]


class AddressOut(msgspec.Struct):
    postcode: str | None  # shown as "9711 AB"
    house_number: int | None
    house_letter: str | None
    addition: str | None
    street: str | None
    city: str | None
    municipality_code: str | None
    bag_id: str | None


class PersonRef(msgspec.Struct):
    id: int
    name: str


class DeadlineOut(msgspec.Struct):
    stage: Stage
    due: datetime
    state: DeadlineState | None  # None: paused (on hold) or no longer applies
    completed_at: datetime | None = None


class CaseSummary(msgspec.Struct):
    reference: str
    status: Status
    category: Category
    acute: bool
    urgency: Urgency
    corporation: CorporationRef | None
    address: AddressOut
    assignee: PersonRef | None
    reported_at: datetime
    next_deadline: DeadlineOut | None


class CasePage(msgspec.Struct):
    items: list[CaseSummary]
    # Pass as ?after= for the next page; null on the last page.
    next_cursor: str | None


class ReporterOut(msgspec.Struct):
    name: str
    email: str | None
    phone: str | None
    language: str
    masked: bool  # true when this role sees the contact details only in part


class DamageItemOut(msgspec.Struct):
    # The item's place in its finding, from 1: a photo of it names finding id and position.
    position: int
    location: str
    kind: str
    damage_class: int
    crack_width_mm: float | None
    description: str | None


class FindingOut(msgspec.Struct):
    id: int
    visited_on: date  # the day of the inspection visit (Amsterdam)
    recorded_at: datetime
    recorded_by: str
    acute: bool
    earthquake_cause: str
    summary: str | None
    items: list[DamageItemOut]


class ActionOut(msgspec.Struct):
    """Something the user may do to the case now, and the fields it needs and takes."""

    action: ActionKind
    to: Status | None  # a transition's target
    requires: list[str]
    optional: list[str]


class ErasureOut(msgspec.Struct):
    requested_at: datetime
    erase_by: date  # the last day to carry it out: one month after the request


class CaseDetail(msgspec.Struct):
    reference: str
    version: int
    status: Status
    allowed_next: list[Status]  # what POST .../transitions accepts from this user now
    allowed_actions: list[ActionOut]  # everything this user may do to the case now
    category: Category
    acute: bool
    urgency: Urgency
    description: str
    noticed_on: date | None
    corporation: CorporationRef | None
    address: AddressOut
    assignee: PersonRef | None
    reporter: ReporterOut
    reported_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    deadlines: list[DeadlineOut]
    planned_at: datetime | None
    referred_to: str | None
    external_reference: str | None
    on_hold_since: datetime | None
    on_hold_previous_status: Status | None
    rejection_reason: str | None
    duplicate_of: str | None
    repaired_on: date | None  # the day of the repair, while resolved or closed after it
    findings: list[FindingOut]
    # The tenant's request for erasure, to carry out by its day (POST .../erasure); None: none.
    erasure: ErasureOut | None = None
    # When the case was anonymised (retention or erasure): nothing of the tenant is left.
    anonymised_at: datetime | None = None


class EventOut(msgspec.Struct):
    seq: int
    at: datetime
    actor: str
    kind: str
    from_status: Status | None
    to_status: Status | None
    public: bool
    data: dict[str, Any]


class TransitionIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    to: Status
    planned_at: datetime | None = None
    referred_to: Literal["IMG", "NCG"] | None = None
    external_reference: Annotated[str, Meta(min_length=1, max_length=100)] | None = None
    # on_hold and reopen: free text; rejected: not_damage, duplicate, not_our_home or withdrawn
    reason: Annotated[str, Meta(min_length=1, max_length=2000)] | None = None
    duplicate_of: Annotated[str, Meta(max_length=30)] | None = None  # a case reference
    # resolved: the day of the repair (Amsterdam), from the report's day to today; default today
    repaired_on: date | None = None
    note: Annotated[str, Meta(max_length=2000)] | None = None


class AssigneeIn(msgspec.Struct, forbid_unknown_fields=True):
    assignee_id: DatabaseId | None  # null unassigns


class TransferIn(msgspec.Struct, forbid_unknown_fields=True):
    corporation: Annotated[str, Meta(min_length=1, max_length=40)]
    reason: Annotated[str, Meta(min_length=1, max_length=2000)]


class RouteIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    corporation: Annotated[str, Meta(min_length=1, max_length=40)]
    # Also register the home to this corporation, so later reports route by themselves.
    add_to_portfolio: bool = False
    street: Annotated[str, Meta(min_length=1, max_length=200)] | None = None
    city: Annotated[str, Meta(min_length=1, max_length=100)] | None = None


class NoteIn(msgspec.Struct, forbid_unknown_fields=True):
    text: Text
    visibility: Literal["internal", "tenant"]


class DamageItemIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    location: Annotated[str, Meta(min_length=1, max_length=200, examples=["woonkamer"])]
    kind: Annotated[str, Meta(min_length=1, max_length=100, examples=["scheur"])]
    damage_class: Annotated[int, Meta(ge=0, le=5)]
    crack_width_mm: Annotated[float, Meta(ge=0, le=1000)] | None = None
    description: Annotated[str, Meta(max_length=2000)] | None = None


class FindingsIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    items: Annotated[list[DamageItemIn], Meta(min_length=1, max_length=50)]
    acute: bool
    earthquake_cause: Literal["likely", "unlikely", "unknown"]
    summary: Annotated[str, Meta(max_length=5000)] | None = None
    # The day of the visit (Amsterdam), from the report's day to today. Default: the planned
    # visit's day once it has come, else today.
    visited_on: date | None = None


class SimilarOut(msgspec.Struct):
    same_address: list[CaseSummary]  # open cases at this home, last 180 days
    same_postcode: list[CaseSummary]  # open cases of the same category in the postcode
