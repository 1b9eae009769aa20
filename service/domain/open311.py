"""Open311 GeoReport v2's rules: the damage categories as services, the filters of GET
requests, and what a request shows to whom. The HTTP side is service/open311."""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from service.domain.categories import CATEGORY_TEXTS, Category
from service.domain.workflow import FINISHED_STATUSES, Status

# GET requests without dates covers the last 90 days; a range may span no more (the spec's
# words), and one answer holds at most 1,000 requests, the newest first.
DEFAULT_WINDOW = timedelta(days=90)
MAX_REQUESTS = 1000
# The one attribute every service has: whether it is dangerous now (the form's "acute").
ACUTE_ATTRIBUTE = "acute"
SERVICE_GROUP = "aardbevingsschade"


class Open311Status(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


def open311_status(status: Status) -> Open311Status:
    """Closed once the case is closed or rejected; a repair waiting for the tenant's
    confirmation is still open."""
    return Open311Status.CLOSED if status in FINISHED_STATUSES else Open311Status.OPEN


@dataclass(frozen=True)
class ServiceEntry:
    code: str
    name: str  # Dutch, as the tenant's form shows it
    description: str  # English
    keywords: str


_KEYWORDS: dict[Category, str] = {
    Category.CRACK: "scheur, muur, plafond, tegels, crack, wall, ceiling",
    Category.SUBSIDENCE: "verzakking, scheefstand, klemmende deur, subsidence, tilt",
    Category.UNSAFE_SITUATION: "gevaar, schoorsteen, gevel, instorten, danger, chimney, collapse",
    Category.OTHER: "aardbevingsschade, earthquake damage",
}


def services() -> list[ServiceEntry]:
    """Every damage category a tenant can report, as an Open311 service."""
    return [
        ServiceEntry(
            code=category.value,
            name=name_nl,
            description=f"{name_en}: {explanation_en}",
            keywords=_KEYWORDS[category],
        )
        for category, (name_nl, name_en, _, explanation_en) in CATEGORY_TEXTS.items()
    ]


def service_category(code: str) -> Category | None:
    try:
        return Category(code)
    except ValueError:
        return None


def acute_from_attribute(value: str | None) -> bool | None:
    """attribute[acute] as sent: true or false (absent: false); None when it is neither."""
    if value is None or not value.strip():
        return False
    return {"true": True, "false": False}.get(value.strip().lower())


# A position stands for the registered home nearest to it, if one is this close: a phone's
# position in a street is good to some metres, and homes stand about ten metres apart.
NEAREST_HOME_METRES = 25.0
_METRES_PER_DEGREE = 111_320.0


class PositionError(ValueError):
    """lat and long that cannot be a position; the message says why, in English."""


def position(lat: str, long: str) -> tuple[float, float]:
    """lat and long as sent (WGS84 degrees, a decimal point) as numbers."""
    try:
        latitude, longitude = float(lat), float(long)
    except ValueError:
        raise PositionError("lat and long are decimal degrees, like 53.2194 and 6.5665.") from None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise PositionError("lat is between -90 and 90, long between -180 and 180.")
    return latitude, longitude


def search_box(latitude: float, longitude: float, metres: float) -> tuple[float, float]:
    """Half the height and width, in degrees, of the box around a position that holds every
    point within metres of it (a degree of longitude shrinks with the cosine of latitude)."""
    height = metres / _METRES_PER_DEGREE
    width = metres / (_METRES_PER_DEGREE * max(math.cos(math.radians(latitude)), 0.01))
    return height, width


class FilterError(ValueError):
    """A GET requests parameter that cannot be used; the message says why, in English."""


@dataclass(frozen=True)
class RequestFilters:
    """What GET requests asks for. With references, the other filters do not count (the
    spec: service_request_id overrides all other arguments)."""

    references: tuple[str, ...] = ()
    categories: tuple[Category, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    statuses: tuple[Open311Status, ...] = ()


def _listed(raw: str | None) -> list[str]:
    return [part.strip() for part in (raw or "").split(",") if part.strip()]


def w3c_datetime(raw: str, name: str) -> datetime:
    """A W3C date and time with its offset (Z or +01:00), as the spec asks."""
    try:
        moment = datetime.fromisoformat(raw.strip())
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None or "T" not in raw:
        raise FilterError(
            f"{name} must be a date and time with its offset (W3C format), "
            "like 2026-11-01T00:00:00+01:00 or 2026-10-31T23:00:00Z."
        )
    return moment


def request_filters(
    *,
    service_request_id: str | None,
    service_code: str | None,
    start_date: str | None,
    end_date: str | None,
    status: str | None,
    now: datetime,
) -> RequestFilters:
    """The filters of GET requests, with the spec's defaults: the last 90 days."""
    references = _listed(service_request_id)
    if len(references) > MAX_REQUESTS:
        raise FilterError(f"Ask for at most {MAX_REQUESTS} service_request_id values at once.")
    if references:
        # An id that cannot be one matches nothing; the answer is then an empty list.
        return RequestFilters(references=tuple(references))
    categories = []
    for code in _listed(service_code):
        category = service_category(code)
        if category is None:
            raise FilterError(f"There is no service with service_code {code!r}; see services.")
        categories.append(category)
    statuses = []
    for word in _listed(status):
        if word.lower() not in ("open", "closed"):
            raise FilterError(f"status is open or closed (or both, comma separated), not {word!r}.")
        statuses.append(Open311Status(word.lower()))
    start = w3c_datetime(start_date, "start_date") if start_date else None
    end = w3c_datetime(end_date, "end_date") if end_date else None
    if start is None and end is None:
        end = now
    if start is None:
        assert end is not None
        start = end - DEFAULT_WINDOW
    if end is None:
        end = start + DEFAULT_WINDOW
    if end < start:
        raise FilterError("end_date is before start_date.")
    if end - start > DEFAULT_WINDOW:
        raise FilterError("start_date and end_date may be at most 90 days apart.")
    return RequestFilters((), tuple(categories), start, end, tuple(statuses))
