"""Problems are collected, then raised together: a form shows every error at once."""

from __future__ import annotations

import pytest

from strategise.problems import Problem, Problems


def test_problems_found_in_two_checks_are_raised_together_in_the_order_found() -> None:
    problems = Problems()
    assert not problems
    problems.raise_any()  # nothing found: nothing raised
    problems.add("Give the reason for reconvening", "reconvene_reason")
    problems.absorb(Problem.many([("chair", "Choose a chair"), (None, "Reload the page")]))
    assert problems
    with pytest.raises(Problem) as caught:
        problems.raise_any()
    assert caught.value.errors == [
        ("reconvene_reason", "Give the reason for reconvening"),
        ("chair", "Choose a chair"),
        (None, "Reload the page"),
    ]
