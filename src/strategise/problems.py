"""The one error a service raises when what it was asked to do breaks a rule.

Views show ``Problem`` as GOV.UK error messages: ``field`` names the form field it
belongs to (or ``None`` for the whole form), ``message`` says what was wrong and what to
do, in plain words.
"""

from __future__ import annotations


class Problem(Exception):
    """One or more things wrong with a request to a service, each tied to a field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.errors: list[tuple[str | None, str]] = [(field, message)]

    @classmethod
    def many(cls, errors: list[tuple[str | None, str]]) -> Problem:
        """One problem carrying several field errors, in the order found."""
        problem = cls(errors[0][1], errors[0][0])
        problem.errors = list(errors)
        return problem


class Problems:
    """Every problem found with one request, collected so that they are raised together:
    a form then shows all its errors at once, never one round after another."""

    def __init__(self) -> None:
        self.errors: list[tuple[str | None, str]] = []

    def __bool__(self) -> bool:
        return bool(self.errors)

    def add(self, message: str, field: str | None = None) -> None:
        """One more problem, tied to ``field`` (or to the whole form)."""
        self.errors.append((field, message))

    def absorb(self, problem: Problem) -> None:
        """The problems a check raised, added to those found so far."""
        self.errors.extend(problem.errors)

    def raise_any(self) -> None:
        """Raise every problem found as one ``Problem``, in the order found; nothing if none."""
        if self.errors:
            raise Problem.many(self.errors)
