"""The CIN census's rules for a child's identifiers (DfE validation rules 8500, 1580, 1570)."""

from __future__ import annotations

import pytest

from strategise.policy.census import ETHNICITIES, SEXES, child_id_problem


@pytest.mark.parametrize("reference", ["C900001", "1234567890", "abc123", "X"])
def test_letters_and_digits_up_to_ten_characters_are_a_child_id(reference: str) -> None:
    assert child_id_problem(reference) is None


def test_a_missing_reference_is_named_as_missing() -> None:
    assert child_id_problem("") == "is missing"


@pytest.mark.parametrize("reference", ["B70-1001", "C 900001", "C900001.", "Zoë1", "١٢٣"])
def test_anything_but_letters_and_digits_breaks_rule_1580(reference: str) -> None:
    assert child_id_problem(reference) == (
        "must be letters and digits only, at most 10 characters: no spaces, hyphens or "
        "other characters"
    )


def test_eleven_characters_are_too_many() -> None:
    assert child_id_problem("12345678901") == "must be 10 characters or fewer"


def test_the_code_sets_are_the_censuss() -> None:
    """Rule 4180's three sexes and rule 4220's twenty ethnicities, each code once."""
    assert sorted(SEXES) == ["F", "M", "U"]
    assert len(ETHNICITIES) == 20
    assert all(len(code) == 4 and code.isupper() for code in ETHNICITIES)
