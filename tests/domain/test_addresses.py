import pytest

from service.domain.addresses import (
    AddressError,
    format_address_line,
    format_postcode,
    normalise_addition,
    normalise_address,
    normalise_bag_id,
    normalise_house_letter,
    normalise_house_number,
    normalise_municipality_code,
    normalise_postcode,
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
