"""Citations in words: "Sandwell procedure §9.0", not "002_3bebd37290b13db4.txt §9.0".

Every answer carries its source as ``<source file> <section>`` (the triage contract fixes
that form, and stored requests, clocks and actions keep it). What a person reads names
the procedure by its short title instead, with the section as the profile cites it; the
source file stays with the maintainers of the profile.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .profiles import Profile, builtin_profiles

# A chapter as Working Together's sections are written ("ch.3 Strategy discussion").
_CHAPTER = re.compile(r"ch\.\s*(\d+)\s*(.*)")


def _section_in_words(section: str) -> str:
    """The section after the title: " §9.0" as written; a chapter as ", chapter 3: …"."""
    chapter = _CHAPTER.fullmatch(section)
    if chapter:
        number, heading = chapter.groups()
        return f", chapter {number}" + (f": {heading}" if heading else "")
    return f" {section}"


def cite(source: str, profiles: Iterable[Profile] | None = None) -> str:
    """``source`` in words: the procedure's short title and the section it cites.

    ``profiles`` are those whose source files it may name (the built-in ones unless
    given). Several sources joined by "; " are each put in words. A source that names
    no profile's file (a clause typed at the discussion, a profile being checked) is
    returned as it is.
    """
    if "; " in source:
        return "; ".join(cite(part, profiles) for part in source.split("; "))
    known = builtin_profiles().values() if profiles is None else profiles
    # The longest file name first, so one that begins another's is not taken for it.
    for profile in sorted(known, key=lambda p: len(p.source_file), reverse=True):
        if source == profile.source_file:
            return profile.short_title
        if source.startswith(f"{profile.source_file} "):
            section = source.removeprefix(f"{profile.source_file} ").strip()
            return profile.short_title + _section_in_words(section)
    return source
