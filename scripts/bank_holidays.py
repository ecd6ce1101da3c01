"""Write the bank holidays the policy uses, from the ``holidays`` library, to a data file.

    .venv/bin/python scripts/bank_holidays.py

The policy reads ``src/strategise/policy/bank_holidays.json`` rather than importing the
library at run time: importing ``holidays`` imports all of its 250 countries, which cost
the ``strategise triage`` command a quarter of a second to answer one request. The
library stays the source: ``tests/policy/test_calendar.py`` fails if the file and the
library disagree on any day (after upgrading ``holidays``, run this and commit the file).
"""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

import holidays

from strategise.policy.calendar import (
    BANK_HOLIDAYS_FILE,
    FIRST_YEAR,
    LAST_YEAR,
    SUBDIVISIONS,
)


def bank_holidays() -> dict[str, object]:
    """Every nation's bank holidays for the years the engine answers for, as ISO dates."""
    years = range(FIRST_YEAR, LAST_YEAR + 1)
    table: dict[str, object] = {
        "source": f"holidays {version('holidays')} (scripts/bank_holidays.py)",
        "years": [FIRST_YEAR, LAST_YEAR],
    }
    for nation, subdivision in SUBDIVISIONS.items():
        days = holidays.country_holidays("GB", subdiv=subdivision, years=years)
        table[nation] = sorted(day.isoformat() for day in days)
    return table


def main() -> None:
    text = json.dumps(bank_holidays(), indent=1) + "\n"
    Path(BANK_HOLIDAYS_FILE).write_text(text, encoding="utf-8")
    print(f"wrote {BANK_HOLIDAYS_FILE}")


if __name__ == "__main__":
    main()
