"""The language of the record under a procedure: which words of a text to flag, and why.

The words are found by ``strategise.policy.language`` with the phrases of the
discussion's profile (the built-in list, with the profile's ``language:`` section). This
reads no case data and writes nothing: it checks the text it is given, so it is not
audited. A flag is advice; nothing here refuses or changes what was typed.
"""

from __future__ import annotations

from collections.abc import Mapping

from strategise.policy import get_profile
from strategise.policy.language import Flag
from strategise.problems import Problem

# A text longer than any free-text field takes is not checked (the record's fields take
# at most ``strategise.web.govuk.TEXT`` characters).
MAX_CHARACTERS = 20_000


def language_flags(*, text: str, profile: str) -> list[Flag]:
    """The flags in ``text`` under the procedure ``profile``, in the order of the text."""
    if len(text) > MAX_CHARACTERS:
        raise Problem(f"Text to check must be {MAX_CHARACTERS:,} characters or fewer", "text")
    try:
        phrases = get_profile(profile).language
    except KeyError:
        raise Problem(f"There is no procedure called {profile!r}", "profile") from None
    return phrases.check(text)


def language_flags_by_field(*, values: Mapping[str, str], profile: str) -> dict[str, list[Flag]]:
    """The flags in each free-text field that has any, by the field's name. A text too
    long to check is left out (its form says it is too long)."""
    found = {
        name: language_flags(text=text, profile=profile)
        for name, text in values.items()
        if len(text) <= MAX_CHARACTERS
    }
    return {name: flags for name, flags in found.items() if flags}
