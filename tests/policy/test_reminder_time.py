"""The start of the last working day before a deadline: when a reminder is sent."""

from __future__ import annotations

from datetime import datetime

from strategise.policy import LONDON, WorkingCalendar

CALENDAR = WorkingCalendar()


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


def test_a_deadline_at_the_end_of_a_working_day_is_reminded_that_morning() -> None:
    # Thursday 5 March 2026, 23:59:59
    assert CALENDAR.last_working_day_start_before(_at("2026-03-05T23:59:59")) == _at(
        "2026-03-05T09:00"
    )


def test_a_deadline_in_the_afternoon_is_reminded_that_morning() -> None:
    assert CALENDAR.last_working_day_start_before(_at("2026-03-05T14:00")) == _at(
        "2026-03-05T09:00"
    )


def test_a_deadline_at_nine_is_reminded_the_working_day_before() -> None:
    # Monday 9 March 2026 09:00 (the start of the next working day): Friday's start.
    assert CALENDAR.last_working_day_start_before(_at("2026-03-09T09:00")) == _at(
        "2026-03-06T09:00"
    )


def test_a_deadline_at_the_weekend_is_reminded_on_friday() -> None:
    assert CALENDAR.last_working_day_start_before(_at("2026-03-07T23:59:59")) == _at(
        "2026-03-06T09:00"
    )


def test_bank_holidays_are_skipped() -> None:
    # Tuesday 7 April 2026 at 08:00; Good Friday and Easter Monday are bank holidays.
    assert CALENDAR.last_working_day_start_before(_at("2026-04-07T08:00")) == _at(
        "2026-04-02T09:00"
    )


def test_an_aware_deadline_is_read_in_london_time() -> None:
    utc = datetime.fromisoformat("2026-07-01T08:30:00+00:00")  # 09:30 in London (BST)
    assert CALENDAR.last_working_day_start_before(utc) == _at("2026-07-01T09:00")


def test_a_bank_holiday_monday_is_reminded_on_the_friday_before() -> None:
    # Tuesday 26 May 2026 at 08:00, after the spring bank holiday: Friday, not Thursday.
    assert CALENDAR.last_working_day_start_before(_at("2026-05-26T08:00")) == _at(
        "2026-05-22T09:00"
    )
