"""What can go wrong in a rule, as plain exceptions.

Rules raise these; the HTTP layer turns them into problem details (service/errors.py) and the
web pages into what a page shows (service/web/outcomes.py), each in one place.
"""

import msgspec


class FieldError(msgspec.Struct):
    """One field at fault, named as the API names it ("address.postcode"), and why."""

    field: str
    message: str


class DomainError(Exception):
    """A rule said no; `detail` says why in words a person understands."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(DomainError):
    """No such thing, or none this caller may know of: both read the same."""


class Forbidden(DomainError):
    """The caller's role may not do this."""


class Conflict(DomainError):
    """The thing's current state does not allow this."""


class StaleVersion(DomainError):
    """Someone else changed the case since the version the caller read."""

    def __init__(self, current: int) -> None:
        super().__init__(
            f"Someone else changed this case; it is now at version {current}. "
            "Load it again, check the change, and retry with the new version."
        )
        self.current = current


INVALID_INPUT = "Some fields are not valid; see errors."


class InvalidInput(DomainError):
    """Input that is well-formed but not acceptable; names each field at fault."""

    def __init__(self, errors: list[FieldError], detail: str = INVALID_INPUT) -> None:
        super().__init__(detail)
        self.errors = errors

    @classmethod
    def one(cls, field: str, message: str) -> "InvalidInput":
        return cls([FieldError(field, message)])
