"""A Dutch phone number as an administrator types it: "050 123 4567", "088-123 45 67",
"+31 (0)50 1234567", "0800-1234". Kept as typed for people to read, dialled as its digits."""

import re
from dataclasses import dataclass

_ALLOWED = re.compile(r"^\+?[0-9][0-9 ().-]*$")
_SEPARATORS = re.compile(r"[ ().-]")
# Free and paid service numbers (0800, 0900, 0906, 0909) have 4 to 7 digits after the prefix;
# every other Dutch number has 10 digits, the leading 0 included.
_SERVICE_NUMBER = re.compile(r"^09(?:00|06|09)[0-9]{4,7}$|^0800[0-9]{4,7}$")
_REGULAR_NUMBER = re.compile(r"^0[1-9][0-9]{8}$")
MAX_LENGTH = 25

EXAMPLES = "050 123 4567, 088-123 4567, +31 50 123 4567 or 0800-1234"


class NotADutchPhoneNumber(ValueError):
    pass


@dataclass(frozen=True)
class PhoneNumber:
    shown: str  # as typed, spaces tidied
    dialled: str  # the national digits, for a tel: link


def dutch_phone_number(typed: str) -> PhoneNumber:
    shown = " ".join(typed.split())
    if not shown or len(shown) > MAX_LENGTH or not _ALLOWED.fullmatch(shown):
        raise NotADutchPhoneNumber(
            f"{typed!r} is not a phone number: use digits, spaces and dashes, like {EXAMPLES}"
        )
    digits = _SEPARATORS.sub("", shown)
    for country in ("+31", "0031"):
        if digits.startswith(country):
            # "+31 (0)50 ..." writes the 0 a caller inside the country dials; drop it once.
            digits = "0" + digits.removeprefix(country).removeprefix("0")
            break
    if not (_SERVICE_NUMBER.fullmatch(digits) or _REGULAR_NUMBER.fullmatch(digits)):
        raise NotADutchPhoneNumber(
            f"{typed!r} is not a Dutch phone number: it needs 10 digits, or a service number "
            f"of 0800 or 0900 and 4 to 7 digits, like {EXAMPLES}"
        )
    return PhoneNumber(shown, digits)
