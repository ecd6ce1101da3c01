"""Deadlines in words, as the GOV.UK style guide writes dates and times."""

from __future__ import annotations

from datetime import datetime

import pytest

from strategise.web.datetimes import deadline_in_words


def test_end_of_day_in_winter() -> None:
    assert deadline_in_words("2026-03-09T23:59:59+00:00") == "Monday 9 March 2026, 11:59pm"


def test_utc_moment_is_shown_in_british_summer_time() -> None:
    assert deadline_in_words("2026-04-08T22:59:59+00:00") == "Wednesday 8 April 2026, 11:59pm"


def test_whole_hours_have_no_minutes() -> None:
    assert deadline_in_words("2026-03-09T09:00:00+00:00") == "Monday 9 March 2026, 9am"


def test_midday_and_midnight_are_words() -> None:
    assert deadline_in_words("2026-03-09T12:00:00+00:00") == "Monday 9 March 2026, midday"
    assert deadline_in_words("2026-03-09T00:00:00+00:00") == "Monday 9 March 2026, midnight"


def test_naive_moment_is_refused() -> None:
    with pytest.raises(ValueError, match="no UTC offset"):
        deadline_in_words(datetime(2026, 3, 9, 23, 59))
