"""Dates and times as GOV.UK style writes them, always in UK time.

The wording itself lives in ``strategise.policy.wording``, which the command line shares;
the page filters here only add what pages need on top of it.
"""

from __future__ import annotations

from datetime import date, datetime

from strategise.policy.wording import format_when


def deadline_in_words(value: str | datetime) -> str:
    """An ISO 8601 moment with its UTC offset, in UK time: ``Wednesday 8 April 2026, 11:59pm``."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        raise ValueError(f"{value!r} has no UTC offset; deadlines are never naive")
    return format_when(moment)


def day_in_words(day: date) -> str:
    """``3 May 2015``: a date without its weekday, as for a date of birth."""
    return f"{day.day} {day:%B %Y}"
