"""The language of the record under the discussion's procedure (the service)."""

from __future__ import annotations

import pytest

from strategise.discussions.language import (
    MAX_CHARACTERS,
    language_flags,
    language_flags_by_field,
)
from strategise.problems import Problem


def test_the_flags_are_those_of_the_procedure_named() -> None:
    [flag] = language_flags(text="She keeps putting herself at risk.", profile="sandwell")
    assert (flag.phrase, flag.text) == ("putting-themselves-at-risk", "putting herself at risk")


def test_an_unknown_procedure_is_a_problem_naming_it() -> None:
    with pytest.raises(Problem) as caught:
        language_flags(text="Anything", profile="atlantis")
    assert caught.value.errors == [("profile", "There is no procedure called 'atlantis'")]


def test_a_text_too_long_to_check_is_a_problem() -> None:
    with pytest.raises(Problem) as caught:
        language_flags(text="a" * (MAX_CHARACTERS + 1), profile="sandwell")
    assert caught.value.errors == [("text", "Text to check must be 20,000 characters or fewer")]


def test_only_the_fields_with_flags_are_returned_and_a_too_long_one_is_left_out() -> None:
    found = language_flags_by_field(
        values={
            "reason": "He is streetwise.",
            "background": "The risk to the child is high.",
            "other_children": "He is streetwise. " * 2000,
        },
        profile="birmingham",
    )
    assert list(found) == ["reason"]
    assert [flag.phrase for flag in found["reason"]] == ["streetwise"]
