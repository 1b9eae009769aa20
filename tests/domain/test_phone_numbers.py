"""A corporation's emergency number (issue 13, point 2): Dutch numbers as people write them."""

import pytest

from service.domain.phone_numbers import NotADutchPhoneNumber, dutch_phone_number


@pytest.mark.parametrize(
    ("typed", "shown", "dialled"),
    [
        ("050 123 4567", "050 123 4567", "0501234567"),
        ("088-123 45 67", "088-123 45 67", "0881234567"),
        ("  06 12345678 ", "06 12345678", "0612345678"),
        ("+31 50 123 4567", "+31 50 123 4567", "0501234567"),
        ("+31 (0)88 123 4567", "+31 (0)88 123 4567", "0881234567"),
        ("0031 50 1234567", "0031 50 1234567", "0501234567"),
        ("0800-1234", "0800-1234", "08001234"),
        ("0800 023 4567", "0800 023 4567", "08000234567"),
        ("0900-1234567", "0900-1234567", "09001234567"),
    ],
)
def test_a_dutch_number_is_kept_as_typed_and_dialled_as_its_digits(typed, shown, dialled):
    number = dutch_phone_number(typed)
    assert (number.shown, number.dialled) == (shown, dialled)


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "bel ons",
        "112",
        "050 123 456",  # a digit short
        "050 123 45678",  # a digit too many
        "+32 2 123 45 67",  # Belgian
        "0031 0031 50 123",
        "0800-12",
        "0050 123 4567",
        "050 123 4567 ext 2",
        "1" * 30,
    ],
)
def test_nonsense_is_refused_with_examples(typed):
    with pytest.raises(NotADutchPhoneNumber, match="like 050 123 4567"):
        dutch_phone_number(typed)
