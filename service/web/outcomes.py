"""What a page shows when a rule says no: one translation for every HTML page.

The JSON API turns the same domain errors into problem details (service/errors.py).
"""

from dataclasses import dataclass

from service.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    StaleVersion,
)


@dataclass(frozen=True)
class Outcome:
    """The page's status code, and which notice it shows (a key its template knows)."""

    status: int
    notice: str


STALE = Outcome(409, "stale")  # someone else changed it meanwhile: show the new state
NOT_POSSIBLE = Outcome(409, "not_possible")
NOT_ALLOWED = Outcome(403, "not_allowed")
NOT_FOUND = Outcome(404, "not_found")
INVALID = Outcome(400, "invalid")


def outcome_of(error: DomainError) -> Outcome:
    if isinstance(error, StaleVersion):
        return STALE
    if isinstance(error, Conflict):
        return NOT_POSSIBLE
    if isinstance(error, Forbidden):
        return NOT_ALLOWED
    if isinstance(error, NotFound):
        return NOT_FOUND
    if isinstance(error, InvalidInput):
        return INVALID
    raise TypeError(f"no page outcome for {type(error).__name__}")
