"""A reporting period: from one date to another, both included, as dates in London."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from strategise.policy import LONDON


def _in_words(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def year_before(day: date) -> date:
    """The same date a year earlier (28 February for 29 February)."""
    return day.replace(year=day.year - 1, day=min(day.day, 28) if day.month == 2 else day.day)


def _census_year_ending(day: date) -> int:
    """The year whose 31 March ends the census year ``day`` is in."""
    return day.year + 1 if day >= date(day.year, 4, 1) else day.year


@dataclass(frozen=True)
class Period:
    """From ``first`` to ``last``, both included, as dates in London."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError("a period cannot end before it starts")

    @property
    def starts_at(self) -> datetime:
        """Midnight at the start of ``first``, London time."""
        return datetime.combine(self.first, time(0), tzinfo=LONDON)

    @property
    def ends_before(self) -> datetime:
        """Midnight at the end of ``last``, London time (not itself in the period)."""
        return datetime.combine(self.last + timedelta(days=1), time(0), tzinfo=LONDON)

    def describe(self) -> str:
        return f"{_in_words(self.first)} to {_in_words(self.last)}"

    def slug(self) -> str:
        """The period in a file name: ``2025-04-01-to-2026-03-31``."""
        return f"{self.first.isoformat()}-to-{self.last.isoformat()}"

    @property
    def census_year(self) -> int | None:
        """The census year the whole period is in (1 April to 31 March, named by the year
        it ends: 2026 is 1 April 2025 to 31 March 2026), or None if it is in more than one."""
        first, last = _census_year_ending(self.first), _census_year_ending(self.last)
        return first if first == last else None

    @classmethod
    def census(cls, year: int) -> Period:
        """Census year ``year``: 1 April of the year before to 31 March of ``year``."""
        return cls(date(year - 1, 4, 1), date(year, 3, 31))

    @classmethod
    def year_to_date(cls, today: date) -> Period:
        """The reporting year (from 1 April) so far."""
        year = today.year if today >= date(today.year, 4, 1) else today.year - 1
        return cls(date(year, 4, 1), today)

    @classmethod
    def last_census_year(cls, today: date) -> Period:
        """The last whole census year, 1 April to 31 March, before ``today``."""
        return cls.census(_census_year_ending(today) - 1)
