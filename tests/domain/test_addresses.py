import pytest

from service.domain.addresses import (
    AddressError,
    HouseNumber,
    HouseNumberConflict,
    format_address_line,
    format_postcode,
    in_service_area,
    normalise_addition,
    normalise_address,
    normalise_bag_id,
    normalise_house_letter,
    normalise_house_number,
    normalise_municipality_code,
    normalise_postcode,
    parse_house_number,
    with_separate_parts,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("9711AB", "9711AB"), ("9711 ab", "9711AB"), (" 9711  aB ", "9711AB"), ("1000aa", "1000AA")],
)
def test_postcode_accepts_lower_case_and_spaces(typed, stored):
    assert normalise_postcode(typed) == stored


@pytest.mark.parametrize("typed", ["0711AB", "971AB", "97111AB", "9711A", "9711-AB", "ABCD12", ""])
def test_postcode_refuses_malformed(typed):
    with pytest.raises(AddressError, match="four digits") as caught:
        normalise_postcode(typed, "address.postcode")
    assert caught.value.field == "address.postcode"


@pytest.mark.parametrize("letters", ["SA", "SD", "SS", "sa"])
def test_postcode_refuses_letter_pairs_that_do_not_exist(letters):
    with pytest.raises(AddressError, match="do not exist"):
        normalise_postcode(f"9711{letters}")


def test_postcode_is_shown_with_a_space():
    assert format_postcode("9711AB") == "9711 AB"


@pytest.mark.parametrize("number", [1, 12, 99999])
def test_house_number_in_range(number):
    assert normalise_house_number(number) == number


@pytest.mark.parametrize("number", [0, -1, 100000])
def test_house_number_out_of_range(number):
    with pytest.raises(AddressError, match="1 to 99999"):
        normalise_house_number(number)


def test_house_letter_is_one_upper_case_letter():
    assert normalise_house_letter("a") == "A"
    assert normalise_house_letter(" B ") == "B"
    assert normalise_house_letter("") is None
    assert normalise_house_letter(None) is None
    for bad in ("AB", "1", "é"):
        with pytest.raises(AddressError, match="single letter"):
            normalise_house_letter(bad)


def test_addition_is_up_to_four_letters_or_digits():
    assert normalise_addition("bis") == "BIS"
    assert normalise_addition("2") == "2"
    assert normalise_addition("-2") == "2"
    assert normalise_addition(" ") is None
    for bad in ("12345", "2/3", "ä"):
        with pytest.raises(AddressError, match="one to four"):
            normalise_addition(bad)


def test_bag_id_is_sixteen_digits_with_01_object_type():
    assert normalise_bag_id(" 0014010011067299 ") == "0014010011067299"
    for bad in ("0014020011067299", "001401001106729", "00140100110672990", "00140100110672a9"):
        with pytest.raises(AddressError, match="16 digits"):
            normalise_bag_id(bad)


def test_normalise_address_prefixes_the_field_at_fault():
    address = normalise_address("9711 ab", 12, "a", "bis")
    assert (address.postcode, address.house_number, address.house_letter, address.addition) == (
        "9711AB",
        12,
        "A",
        "BIS",
    )
    with pytest.raises(AddressError) as caught:
        normalise_address("9711AB", 0, prefix="address.")
    assert caught.value.field == "address.house_number"


def test_address_line():
    assert format_address_line("Herestraat", 12, "A", "2") == "Herestraat 12A-2"
    assert format_address_line("Herestraat", 12, None, None) == "Herestraat 12"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("GM1979", "GM1979"), ("gm1979", "GM1979"), ("1979", "GM1979"), (" 0014 ", "GM0014")],
)
def test_municipality_code_is_stored_with_gm_also_when_cbs_left_it_off(typed, stored):
    assert normalise_municipality_code(typed) == stored


def test_an_empty_municipality_code_is_no_code():
    assert normalise_municipality_code("  ") is None


@pytest.mark.parametrize("typed", ["GM14", "197", "19790", "GM 1979", "XX1979", "GM197A"])
def test_municipality_code_refuses_anything_but_four_digits_after_an_optional_gm(typed):
    with pytest.raises(AddressError) as caught:
        normalise_municipality_code(typed)
    assert caught.value.field == "municipality_code"
    assert "four digits" in caught.value.message


@pytest.mark.parametrize(
    ("typed", "parsed"),
    [
        ("12", HouseNumber(12, None, None)),
        (" 12 ", HouseNumber(12, None, None)),
        ("12a", HouseNumber(12, "A", None)),
        ("12 A", HouseNumber(12, "A", None)),
        ("12-2", HouseNumber(12, None, "2")),
        ("12 bis", HouseNumber(12, None, "BIS")),
        ("12a-2", HouseNumber(12, "A", "2")),
        ("12 A 2", HouseNumber(12, "A", "2")),
        ("12-a", HouseNumber(12, None, "A")),
        ("12/3", HouseNumber(12, None, "3")),
        ("12hs", HouseNumber(12, None, "HS")),
        ("12bis", HouseNumber(12, None, "BIS")),
        ("12a2", HouseNumber(12, "A", "2")),
        ("12 2", HouseNumber(12, None, "2")),
        ("99999", HouseNumber(99999, None, None)),
    ],
)
def test_a_typed_house_number_is_number_letter_and_addition(typed, parsed):
    assert parse_house_number(typed) == parsed


@pytest.mark.parametrize(
    "typed",
    ["", "a12", "0", "012", "123456", "12 abcde", "12a-abcde", "²", "١٢", "12--2", "12 a b c"],
)
def test_a_typed_house_number_that_is_none_is_refused(typed):
    with pytest.raises(AddressError, match="like 12 or 12a") as caught:
        parse_house_number(typed, "house_number")
    assert caught.value.field == "house_number"


def test_separate_letter_and_addition_complete_the_typed_number():
    assert with_separate_parts(HouseNumber(12, None, None), "b", " 2 ") == HouseNumber(12, "B", "2")
    assert with_separate_parts(HouseNumber(12, "A", None), "a", None) == HouseNumber(12, "A", None)
    assert with_separate_parts(HouseNumber(12, None, "2"), None, "2") == HouseNumber(12, None, "2")


def test_a_letter_given_twice_and_different_is_a_question_not_a_guess():
    with pytest.raises(HouseNumberConflict, match="another letter") as caught:
        with_separate_parts(HouseNumber(12, "A", None), "B", None)
    assert caught.value.field == "house_letter"
    with pytest.raises(HouseNumberConflict, match="another addition") as caught:
        with_separate_parts(HouseNumber(12, None, "2"), None, "3")
    assert caught.value.field == "addition"


@pytest.mark.parametrize(
    ("postcode", "inside"),
    [
        ("9711AB", True),  # Groningen city
        ("9931AA", True),  # Delfzijl
        ("9401AA", True),  # Assen
        ("9301AA", True),  # Roden
        ("9999AA", True),
        ("9300AA", True),
        ("9299AA", False),  # Friesland
        ("1011AB", False),  # Amsterdam
        ("7811AA", False),  # Emmen, the south of Drenthe
    ],
)
def test_the_service_area_is_groningen_and_the_north_of_drenthe(postcode, inside):
    assert in_service_area(postcode) is inside
