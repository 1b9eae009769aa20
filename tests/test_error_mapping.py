"""Each domain error has one HTTP answer (service/errors.py) and one page outcome
(service/web/outcomes.py)."""

import msgspec
import pytest

from service.domain.addresses import AddressError
from service.domain.errors import (
    Conflict,
    DomainError,
    FieldError,
    Forbidden,
    InvalidInput,
    NotFound,
    StaleVersion,
)
from service.errors import PROBLEM_JSON, handle_domain_error
from service.web.outcomes import outcome_of

ERRORS = [
    (InvalidInput.one("reason", "Give a reason."), 400, "invalid"),
    (AddressError("postcode", "A Dutch postcode is four digits and two letters."), 400, "invalid"),
    (Forbidden("Your role may not do this."), 403, "not_allowed"),
    (NotFound("No case with this reference."), 404, "not_found"),
    (Conflict("A closed case cannot move to new."), 409, "not_possible"),
    (StaleVersion(7), 412, "stale"),
]


@pytest.mark.parametrize(("error", "status", "notice"), ERRORS, ids=lambda v: type(v).__name__)
def test_each_domain_error_has_its_problem_and_its_page(error: DomainError, status, notice):
    response = handle_domain_error(None, error)  # type: ignore[arg-type]
    assert response.status_code == status
    assert response.media_type == PROBLEM_JSON
    problem = msgspec.to_builtins(response.content)
    assert problem["status"] == status
    assert problem["detail"] == error.detail
    if isinstance(error, InvalidInput):
        assert problem["errors"] == [msgspec.to_builtins(e) for e in error.errors]
    else:
        assert "errors" not in problem
    shown = outcome_of(error)
    assert (shown.status, shown.notice) == (status if status != 412 else 409, notice)


def test_an_address_error_names_its_field():
    error = AddressError("address.postcode", "Postcodes with the letters SA do not exist.")
    assert error.errors == [FieldError("address.postcode", error.message)]
    assert error.detail == error.message


def test_a_stale_version_says_the_version_now():
    assert "version 7" in StaleVersion(7).detail
