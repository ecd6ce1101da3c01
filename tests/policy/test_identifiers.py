"""NHS numbers (modulus 11 check digit) and unique pupil numbers (DfE check letter).

Worked by hand:

* 943 476 5919: 9×10 + 4×9 + 3×8 + 4×7 + 7×6 + 6×5 + 5×4 + 9×3 + 1×2 = 299;
  299 = 27×11 + 2, and 11 − 2 = 9, the last digit.
* H801200001001: characters 2 to 13 are 8 0 1 2 0 0 0 0 1 0 0 1, times 2 to 13:
  16 + 0 + 4 + 10 + 0 + 0 + 0 + 0 + 10 + 0 + 0 + 13 = 53; 53 = 2×23 + 7, and the 8th
  letter of ABCDEFGHJKLMNPQRTUVWXYZ (counting from 0: 7) is H.
"""

from __future__ import annotations

import pytest

from strategise.policy import identifiers
from strategise.policy.identifiers import (
    nhs_number_check_digit,
    nhs_number_normalised,
    nhs_number_problem,
    nhs_number_shown,
    upn_check_letter,
    upn_normalised,
    upn_problem,
)


def test_a_real_nhs_number_passes_with_or_without_spaces() -> None:
    assert nhs_number_problem("9434765919") is None
    assert nhs_number_problem("943 476 5919") is None
    assert nhs_number_problem("943-476-5919") is None
    assert nhs_number_normalised(" 943 476-5919 ") == "9434765919"


def test_one_digit_wrong_is_refused_naming_the_check_digit() -> None:
    assert nhs_number_problem("9434765918") == (
        "is not a real NHS number: check each digit (its last digit does not match)"
    )


def test_a_remainder_of_11_means_a_check_digit_of_0() -> None:
    # 4×10 + 0×9 + 1×8 + 0×7 + 2×6 + 3×5 + 2×4 + 1×3 + 3×2 = 92 = 8×11 + 4: check 7.
    assert nhs_number_check_digit("401023213") == 7
    # 1×10 + 0 … + 0 = 10; 11 − 10 = 1.
    assert nhs_number_check_digit("100000000") == 1
    # 0: the total is 0, so 11 − 0 = 11, which stands for 0.
    assert nhs_number_check_digit("000000000") == 0
    assert nhs_number_problem("0000000000") is None


def test_nine_digits_that_call_for_10_make_no_nhs_number() -> None:
    # 1×10 + 0×9 + … + 1×2 = 12 = 11 + 1: 11 − 1 = 10, which no check digit can be.
    assert nhs_number_check_digit("100000001") is None
    assert nhs_number_problem("1000000010") is not None


def test_the_wrong_length_or_letters_are_named() -> None:
    assert nhs_number_problem("943476591") == "must be 10 digits long: it has 9"
    assert nhs_number_problem("94347659190") == "must be 10 digits long: it has 11"
    assert nhs_number_problem("943476591X") == "must contain only numbers, like 943 476 5919"
    # A digit from another script is not one of the ten digits.
    assert nhs_number_problem("943476591٩") == "must contain only numbers, like 943 476 5919"


def test_an_nhs_number_is_shown_in_its_groups() -> None:
    assert nhs_number_shown("9434765919") == "943 476 5919"
    assert nhs_number_shown("") == ""
    assert nhs_number_shown("12345") == "12345"


def test_the_upn_check_letter_as_worked_by_hand() -> None:
    assert upn_check_letter("801200001001") == "H"
    assert upn_problem("H801200001001") is None
    assert upn_problem("h8012 0000 1001") is None
    assert upn_normalised("h8012 0000 1001") == "H801200001001"


def test_a_temporary_upn_ends_with_a_letter_counted_by_its_value() -> None:
    # As above, but the 13th character is the letter A (value 0) instead of 1:
    # 53 − 13 = 40 = 23 + 17, the letter U.
    assert upn_check_letter("80120000100A") == "U"
    assert upn_problem("U80120000100A") is None


def test_a_wrong_check_letter_is_refused() -> None:
    assert upn_problem("A801200001001") == (
        "is not a real UPN: check each character (its check letter does not match)"
    )


@pytest.mark.parametrize(
    ("upn", "problem"),
    [
        ("H80120000100", "must be 13 characters long: it has 12"),
        ("I801200001001", "must start with its check letter (any letter but I, O and S)"),
        ("1801200001001", "must start with its check letter (any letter but I, O and S)"),
        ("H8012000X1001", "must have numbers only from its 2nd to its 12th character"),
        (
            "H80120000100O",
            "must end with a number, or a letter other than I, O and S (a temporary UPN)",
        ),
    ],
)
def test_each_malformed_upn_is_named(upn: str, problem: str) -> None:
    assert upn_problem(upn) == problem


def test_the_check_letters_leave_out_i_o_and_s() -> None:
    assert len(identifiers.UPN_LETTERS) == 23
    assert not set("IOS") & set(identifiers.UPN_LETTERS)
