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
# A house number as people type it in one field: "12", "12a", "12 A", "12-2", "12 bis", "12a-2".
# A single letter right after the number (a space allowed) is the huisletter; what follows a
# hyphen, slash or space is the huisnummertoevoeging ("12-a" is addition A, as the hyphen says).
TYPED_HOUSE_NUMBER_PATTERN = re.compile(
    r"(?P<number>[1-9][0-9]{0,4})"
    r"(?:\s*(?P<letter>[A-Za-z])(?![A-Za-z]))?"
    # Digits run on into the number ("123456" is no house number 12345, addition 6), so an
    # addition after a digit needs a space, hyphen or slash; after a letter it needs none.
    r"(?:(?:\s*[-/]\s*|\s+|(?=[A-Za-z])|(?<=[A-Za-z]))(?P<addition>[A-Za-z0-9]{1,4}))?"
)
# The postcode areas served: the region 93xx-99xx of the Dutch postcode map, which holds the
# whole province of Groningen and the north and middle of Drenthe (Assen, Tynaarlo,
# Noordenveld, Aa en Hunze, Midden-Drenthe, the north of Borger-Odoorn): the homes the
# Groningen gas field's earthquakes reach (the IMG's damage area). Friesland ends at 92xx; the
# south of Drenthe (Emmen, Hoogeveen, Meppel: 77xx-79xx) is outside. A rough line on purpose:
# a home outside it is still taken, the tenant is only asked to check (see the report form).
SERVICE_AREA_POSTCODES = range(9300, 10000)


class AddressError(InvalidInput):
    """An address field a person typed that cannot be a Dutch address."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__([FieldError(field, message)], detail=message)
        self.field = field
        self.message = message


class HouseNumberConflict(AddressError):
    """A letter or addition given both in the house number and in its own field, differently."""


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
    """Stored "9711AB" shown as "9711 AB"; an anonymised case's area "9711" as it is."""
    return f"{postcode[:4]} {postcode[4:]}" if len(postcode) > 4 else postcode


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


@dataclass(frozen=True)
class HouseNumber:
    """A house number with its letter and addition, normalised like NormalisedAddress's."""

    number: int
    letter: str | None
    addition: str | None


def parse_house_number(typed: str, field: str = "house_number") -> HouseNumber:
    """ "12a" -> 12, A; "12 bis" -> 12, addition BIS; "12-2" -> 12, addition 2."""
    match = TYPED_HOUSE_NUMBER_PATTERN.fullmatch(typed.strip())
    if match is None:
        raise AddressError(
            field, "A house number is a number with perhaps a letter or addition, like 12 or 12a."
        )
    return HouseNumber(
        number=int(match["number"]),
        letter=normalise_house_letter(match["letter"], field),
        addition=normalise_addition(match["addition"], field),
    )


def with_separate_parts(
    typed: HouseNumber,
    house_letter: str | None,
    addition: str | None,
    letter_field: str = "house_letter",
    addition_field: str = "addition",
) -> HouseNumber:
    """The house number typed in one field, completed by the separate letter and addition
    fields. A part given in both places must be the same ("12a" and letter "A"); when they
    differ, neither is taken for the other: the person is asked which is right."""
    letter = normalise_house_letter(house_letter, letter_field)
    extra = normalise_addition(addition, addition_field)
    if letter is not None and typed.letter is not None and letter != typed.letter:
        raise HouseNumberConflict(
            letter_field, "The house number has another letter than the house letter field."
        )
    if extra is not None and typed.addition is not None and extra != typed.addition:
        raise HouseNumberConflict(
            addition_field, "The house number has another addition than the addition field."
        )
    return HouseNumber(typed.number, typed.letter or letter, typed.addition or extra)


def in_service_area(postcode: str) -> bool:
    """Whether a normalised postcode ("9711AB") lies in Groningen or the north of Drenthe."""
    return int(postcode[:4]) in SERVICE_AREA_POSTCODES


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


# A postcode inside a line of text: "9711 AB", "9711AB" or "9711ab", not part of a longer word.
POSTCODE_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])([1-9][0-9]{3})\s?([A-Za-z]{2})(?![A-Za-z])")
# Where a house number can start in "Herestraat 12a": a digit after a space.
HOUSE_NUMBER_START = re.compile(r"\s(?=[1-9])")


def parse_address_line(text: str, field: str = "address") -> NormalisedAddress:
    """An address written on one line, as Dutch post has it: "Herestraat 12a, 9711 AB
    Groningen" (the comma and the city may be left out). The street and city are not
    checked: the postcode and house number find the home."""
    found = POSTCODE_IN_TEXT.search(text)
    if found is None:
        raise AddressError(
            field, "Give the address with its postcode, like: Herestraat 12a, 9711 AB Groningen."
        )
    postcode = normalise_postcode(found[1] + found[2], field)
    before = text[: found.start()].strip().rstrip(",")
    parts = [part.strip() for part in before.split(",") if part.strip()]
    for part in parts:
        # The first place where the rest of the part reads as a house number.
        for start in HOUSE_NUMBER_START.finditer(part):
            try:
                number = parse_house_number(part[start.end() :], field)
            except AddressError:
                continue
            return NormalisedAddress(postcode, number.number, number.letter, number.addition)
    raise AddressError(
        field,
        "Give the street and house number before the postcode, like: "
        "Herestraat 12a, 9711 AB Groningen.",
    )
