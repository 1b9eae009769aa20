"""Dutch address formats: normalise what people type, refuse what cannot exist."""

import re
from dataclasses import dataclass

from service.domain.errors import FieldError, InvalidInput

POSTCODE_PATTERN = re.compile(r"^[1-9][0-9]{3}[A-Z]{2}$")
BAG_ID_PATTERN = re.compile(r"^[0-9]{4}01[0-9]{10}$")
ADDITION_PATTERN = re.compile(r"^[0-9A-Z]{1,4}$")
# CBS writes municipality codes as GM and four digits; its tables often leave the GM off.
MUNICIPALITY_CODE_PATTERN = re.compile(r"^(?:GM)?([0-9]{4})$")
# Letter pairs PostNL never issues.
NONEXISTENT_POSTCODE_LETTERS = frozenset({"SA", "SD", "SS"})
MAX_HOUSE_NUMBER = 99999


class AddressError(InvalidInput):
    """An address field a person typed that cannot be a Dutch address."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__([FieldError(field, message)], detail=message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class NormalisedAddress:
    postcode: str  # "9711AB": no space, upper case
    house_number: int
    house_letter: str | None  # one upper-case letter
    addition: str | None  # up to four upper-case letters or digits


def normalise_postcode(raw: str, field: str = "postcode") -> str:
    compact = re.sub(r"\s+", "", raw).upper()
    if not POSTCODE_PATTERN.fullmatch(compact):
        raise AddressError(
            field,
            "A Dutch postcode is four digits (not starting with 0) and two letters, like 9711 AB.",
        )
    if compact[4:] in NONEXISTENT_POSTCODE_LETTERS:
        raise AddressError(field, f"Postcodes with the letters {compact[4:]} do not exist.")
    return compact


def format_postcode(postcode: str) -> str:
    """Stored "9711AB" shown as "9711 AB"."""
    return f"{postcode[:4]} {postcode[4:]}"


def normalise_house_number(raw: int, field: str = "house_number") -> int:
    if not 1 <= raw <= MAX_HOUSE_NUMBER:
        raise AddressError(field, f"A house number is a whole number from 1 to {MAX_HOUSE_NUMBER}.")
    return raw


def normalise_house_letter(raw: str | None, field: str = "house_letter") -> str | None:
    if raw is None or not raw.strip():
        return None
    letter = raw.strip().upper()
    if len(letter) != 1 or not "A" <= letter <= "Z":
        raise AddressError(field, "A house letter is a single letter, like A in 12A.")
    return letter


def normalise_addition(raw: str | None, field: str = "addition") -> str | None:
    if raw is None or not raw.strip():
        return None
    addition = re.sub(r"[\s-]+", "", raw).upper()
    if not ADDITION_PATTERN.fullmatch(addition):
        raise AddressError(
            field, "A house number addition is one to four letters or digits, like 2 or BIS."
        )
    return addition


def normalise_municipality_code(raw: str, field: str = "municipality_code") -> str | None:
    """GM and four digits: "gm1979" and CBS's bare "1979" are stored as "GM1979"; empty: none."""
    compact = raw.strip().upper()
    if not compact:
        return None
    match = MUNICIPALITY_CODE_PATTERN.fullmatch(compact)
    if match is None:
        raise AddressError(
            field,
            "A municipality code is four digits, with or without GM before them, like GM0014.",
        )
    return f"GM{match.group(1)}"


def normalise_bag_id(raw: str, field: str = "bag_id") -> str:
    compact = raw.strip()
    if not BAG_ID_PATTERN.fullmatch(compact):
        raise AddressError(
            field,
            "A BAG id (verblijfsobject) is 16 digits with 01 in the fifth and sixth place, "
            "like 0014010011067299.",
        )
    return compact


def normalise_address(
    postcode: str,
    house_number: int,
    house_letter: str | None = None,
    addition: str | None = None,
    prefix: str = "",
) -> NormalisedAddress:
    """Normalise all parts; field names in errors get prefix (like "address.")."""
    return NormalisedAddress(
        postcode=normalise_postcode(postcode, f"{prefix}postcode"),
        house_number=normalise_house_number(house_number, f"{prefix}house_number"),
        house_letter=normalise_house_letter(house_letter, f"{prefix}house_letter"),
        addition=normalise_addition(addition, f"{prefix}addition"),
    )


def format_address_line(
    street: str, house_number: int, house_letter: str | None, addition: str | None
) -> str:
    """Street line as Dutch post shows it: "Herestraat 12A-2"."""
    line = f"{street} {house_number}{house_letter or ''}"
    return f"{line}-{addition}" if addition else line
