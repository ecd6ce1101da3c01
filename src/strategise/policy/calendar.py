"""Working days, bank holidays, out of hours and the contract's deadline arithmetic.

All working-day arithmetic in Strategise lives here. Times are Europe/London; a naive
time is taken to be London time. Bank holidays come from the ``holidays`` library for
a UK nation (always with a subdivision), so substitute and one-off days are honoured:
``scripts/bank_holidays.py`` writes them to ``bank_holidays.json`` beside this module,
which is read once, when first needed, and a test holds the file to the library.
"""

from __future__ import annotations

import json
import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
WORKING_DAY_STARTS = time(9, 0)
WORKING_DAY_ENDS = time(17, 0)
END_OF_DAY = time(23, 59, 59)
# The years the engine answers for. Bank holidays far ahead are the library's guesses, and
# a deadline from the last days of year 9999 does not exist; nothing is guessed.
FIRST_YEAR, LAST_YEAR = 2000, 2099

Nation = Literal["england_and_wales", "scotland", "northern_ireland"]

# The holidays library's UK subdivision for each nation. England and Wales share
# their bank holidays; "ENG" is the subdivision that carries them.
SUBDIVISIONS: dict[str, str] = {
    "england_and_wales": "ENG",
    "scotland": "SCT",
    "northern_ireland": "NIR",
}
BANK_HOLIDAYS_FILE = Path(__file__).parent / "bank_holidays.json"


def to_london(moment: datetime) -> datetime:
    """The same instant in London time; a naive ``moment`` is taken as London time."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=LONDON)
    return moment.astimezone(LONDON)


def london_moment(value: datetime | str) -> datetime:
    """A moment of the contract, given as ISO 8601 text or a datetime, in London time.

    It must carry a time (a date alone is refused); a naive time is London time, but one
    that never happened there (the hour the clocks go forward) is refused, and one that
    happened twice (the hour they go back) needs its UTC offset. ``ValueError`` says why.
    """
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError("must be an ISO 8601 date and time such as 2026-03-06T10:15") from None
        # A date and a time take at least 11 characters (20260306T10); a date alone, fewer.
        if len(value) <= len("2026-03-06"):
            raise ValueError(
                "must give the time as well as the date, such as 2026-03-06T10:15: "
                "the time is not guessed"
            )
    else:
        moment = value
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ValueError(f"must be in the years {FIRST_YEAR} to {LAST_YEAR}")
    if moment.tzinfo is not None:
        return moment.astimezone(LONDON)
    first = moment.replace(tzinfo=LONDON)
    if first.utcoffset() == first.replace(fold=1).utcoffset():
        return first
    when = f"{moment:%H:%M} on {moment.day} {moment:%B %Y}"
    if london_clock_change(moment) == "forward":
        raise ValueError(
            f"{when} never happened in London (the clocks went forward an hour): check the time"
        )
    second = first.replace(fold=1)
    raise ValueError(
        f"{when} happened twice in London (the clocks went back an hour): add the UTC "
        f"offset, {_offset(first)} for the first time or {_offset(second)} for the second"
    )


def london_clock_change(moment: datetime) -> Literal["forward", "back"] | None:
    """Whether a naive London time fell in the hour the clocks skipped ("forward"), in the
    hour they repeated ("back"), or neither."""
    first = moment.replace(tzinfo=LONDON, fold=0)
    if first.utcoffset() == first.replace(fold=1).utcoffset():
        return None
    if first.astimezone(UTC).astimezone(LONDON).replace(tzinfo=None) != moment:
        return "forward"
    return "back"


def _offset(moment: datetime) -> str:
    return moment.isoformat()[-6:]


@cache
def _bank_holiday_table() -> dict[str, frozenset[date]]:
    table = json.loads(BANK_HOLIDAYS_FILE.read_text(encoding="utf-8"))
    return {nation: frozenset(map(date.fromisoformat, table[nation])) for nation in SUBDIVISIONS}


@lru_cache(maxsize=256)
def _bank_holidays(nation: str, year: int) -> frozenset[date]:
    return frozenset(day for day in _bank_holiday_table()[nation] if day.year == year)


@lru_cache(maxsize=65536)
def _add_working_days(nation: str, day: date, count: int) -> date:
    # Cached: many requests start on the same day, and the answer never changes.
    year = day.year
    bank_holidays = _bank_holidays(nation, year)
    current = day
    remaining = count
    while remaining:
        current += timedelta(days=1)
        if current.year != year:
            year = current.year
            bank_holidays = _bank_holidays(nation, year)
        if current.weekday() < 5 and current not in bank_holidays:
            remaining -= 1
    return current


@dataclass(frozen=True)
class Within:
    """A timescale as a procedure states it: "same day", "2 working days", "24 hours"..."""

    unit: Literal[
        "same_day", "working_days", "hours", "days", "months", "start_of_next_working_day"
    ]
    count: int = 0

    _PATTERN = re.compile(
        r"^(?:(?P<same>same day)|(?P<next>start of next working day)"
        r"|(?P<count>\d+) (?P<unit>working days?|hours?|days?|months?))$"
    )

    @classmethod
    def parse(cls, text: str) -> Within:
        """Read a timescale such as ``"3 working days"``; raise ``ValueError`` if unreadable."""
        match = cls._PATTERN.match(text.strip())
        if match is None:
            raise ValueError(
                f"{text!r} is not a timescale; write 'same day', 'start of next working day' "
                "or a number followed by 'working days', 'days', 'hours' or 'months'"
            )
        if match["same"]:
            return cls("same_day")
        if match["next"]:
            return cls("start_of_next_working_day")
        unit = match["unit"]
        count = int(match["count"])
        if unit.startswith("working"):
            return cls("working_days", count)
        if unit.startswith("hour"):
            return cls("hours", count)
        if unit.startswith("month"):
            return cls("months", count)
        return cls("days", count)

    def describe(self) -> str:
        """The timescale in words, as a person would say it."""
        if self.unit == "same_day":
            return "the same day"
        if self.unit == "start_of_next_working_day":
            return "the start of the next working day"
        noun = self.unit.replace("_", " ")
        if self.count == 1:
            noun = noun[:-1]
        return f"{_number_in_words(self.count)} {noun}"


def _number_in_words(count: int) -> str:
    words = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
    return words[count] if count < len(words) else str(count)


@dataclass(frozen=True)
class WorkingCalendar:
    """Working days for one UK nation: Monday to Friday, not a bank holiday."""

    nation: Nation = "england_and_wales"

    def is_bank_holiday(self, day: date) -> bool:
        """Whether ``day`` is a bank holiday (including substitute and one-off days)."""
        return day in _bank_holidays(self.nation, day.year)

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` is Monday to Friday and not a bank holiday."""
        return day.weekday() < 5 and not self.is_bank_holiday(day)

    def add_working_days(self, day: date, count: int) -> date:
        """The ``count``-th working day after ``day`` (``day`` itself is day 0)."""
        if count < 0:
            raise ValueError("count must not be negative")
        return _add_working_days(self.nation, day, count)

    def is_out_of_hours(self, moment: datetime) -> bool:
        """Before 09:00 or from 17:00 on a working day, or any time on a non-working day."""
        local = to_london(moment)
        if not self.is_working_day(local.date()):
            return True
        return not (WORKING_DAY_STARTS <= local.time() < WORKING_DAY_ENDS)

    def next_working_day_start(self, moment: datetime) -> datetime:
        """09:00 on the first working day that starts after ``moment``."""
        local = to_london(moment)
        day = local.date()
        if not (self.is_working_day(day) and local.time() < WORKING_DAY_STARTS):
            day = self.add_working_days(day, 1)
        return datetime.combine(day, WORKING_DAY_STARTS, tzinfo=LONDON)

    def last_working_day_start_before(self, moment: datetime) -> datetime:
        """09:00 on the last working day that starts before ``moment``.

        A reminder sent then gives the person responsible that whole working day before a
        deadline at ``moment``.
        """
        local = to_london(moment)
        day = local.date()
        if not (self.is_working_day(day) and local.time() > WORKING_DAY_STARTS):
            day -= timedelta(days=1)
            while not self.is_working_day(day):
                day -= timedelta(days=1)
        return datetime.combine(day, WORKING_DAY_STARTS, tzinfo=LONDON)

    def deadline(self, within: Within, start: datetime) -> datetime:
        """When a timescale that starts at ``start`` runs out, in London time."""
        local = to_london(start)
        if within.unit == "hours":
            return (local.astimezone(ZoneInfo("UTC")) + timedelta(hours=within.count)).astimezone(
                LONDON
            )
        if within.unit == "start_of_next_working_day":
            return self.next_working_day_start(local)
        day = local.date()
        if within.unit == "working_days":
            day = self.add_working_days(day, within.count)
        elif within.unit == "days":
            day += timedelta(days=within.count)
        elif within.unit == "months":
            day = _add_months(day, within.count)
        return end_of_day(day)


def end_of_day(day: date) -> datetime:
    """23:59:59 London time on ``day``."""
    return datetime.combine(day, END_OF_DAY, tzinfo=LONDON)


def _add_months(day: date, months: int) -> date:
    """The same day of the month ``months`` later, or that month's last day if it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))
