"""Dates and times as GOV.UK style writes them, always in UK time."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def time_in_words(moment: datetime) -> str:
    """``9am``, ``11:59pm``, ``midday`` or ``midnight``, per the GOV.UK style guide."""
    if moment.hour == 0 and moment.minute == 0:
        return "midnight"
    if moment.hour == 12 and moment.minute == 0:
        return "midday"
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{suffix}"


def date_in_words(moment: datetime) -> str:
    """``Tuesday 8 April 2026``."""
    return f"{moment:%A} {moment.day} {moment:%B %Y}"


def deadline_in_words(value: str | datetime) -> str:
    """An ISO 8601 moment with its UTC offset, in UK time: ``Wednesday 8 April 2026, 11:59pm``."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        raise ValueError(f"{value!r} has no UTC offset; deadlines are never naive")
    local = moment.astimezone(LONDON)
    return f"{date_in_words(local)}, {time_in_words(local)}"


def day_in_words(day: date) -> str:
    """``3 May 2015``: a date without its weekday, as for a date of birth."""
    return f"{day.day} {day:%B %Y}"
