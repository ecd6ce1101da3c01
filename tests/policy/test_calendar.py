"""Working days, bank holidays, out of hours and the contract's deadline arithmetic."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from strategise.policy.calendar import (
    LONDON,
    Within,
    WorkingCalendar,
    end_of_day,
    london_clock_change,
    london_moment,
    to_london,
)

ENGLAND = WorkingCalendar("england_and_wales")
SCOTLAND = WorkingCalendar("scotland")
NORTHERN_IRELAND = WorkingCalendar("northern_ireland")

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2032, 12, 31))
counts = st.integers(min_value=0, max_value=80)
nations = st.sampled_from([ENGLAND, SCOTLAND, NORTHERN_IRELAND])


def test_substitute_boxing_day_2026_is_not_a_working_day() -> None:
    # Boxing Day 2026 is a Saturday, so Monday 28 December is the substitute bank holiday.
    assert ENGLAND.is_bank_holiday(date(2026, 12, 28))
    assert not ENGLAND.is_working_day(date(2026, 12, 28))


def test_substitute_christmas_and_boxing_days_2027() -> None:
    # Christmas Day 2027 is a Saturday and Boxing Day a Sunday: 27 and 28 December are off.
    assert not ENGLAND.is_working_day(date(2027, 12, 27))
    assert not ENGLAND.is_working_day(date(2027, 12, 28))
    assert ENGLAND.is_working_day(date(2027, 12, 29))


def test_one_off_bank_holiday_for_the_coronation_2023() -> None:
    assert ENGLAND.is_bank_holiday(date(2023, 5, 8))


def test_one_off_bank_holiday_for_the_state_funeral_2022() -> None:
    assert ENGLAND.is_bank_holiday(date(2022, 9, 19))


def test_nations_keep_their_own_bank_holidays() -> None:
    # 2 January is a bank holiday in Scotland only; 17 March in Northern Ireland only.
    assert SCOTLAND.is_bank_holiday(date(2026, 1, 2))
    assert not ENGLAND.is_bank_holiday(date(2026, 1, 2))
    assert NORTHERN_IRELAND.is_bank_holiday(date(2026, 3, 17))
    assert not ENGLAND.is_bank_holiday(date(2026, 3, 17))


def test_friday_plus_one_working_day_is_monday() -> None:
    assert ENGLAND.add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)


def test_friday_before_a_bank_holiday_monday_plus_one_is_tuesday() -> None:
    # Friday 22 May 2026; Monday 25 May is the spring bank holiday.
    assert ENGLAND.add_working_days(date(2026, 5, 22), 1) == date(2026, 5, 26)


def test_day_zero_need_not_be_a_working_day() -> None:
    # Identified on Saturday 7 March 2026: the first working day after it is Monday.
    assert ENGLAND.add_working_days(date(2026, 3, 7), 1) == date(2026, 3, 9)
    assert ENGLAND.add_working_days(date(2026, 3, 7), 0) == date(2026, 3, 7)


def test_christmas_2026_two_working_days_from_christmas_eve() -> None:
    # 24 Dec (Thu) -> 25 (bank holiday), 28 (substitute) skipped: 29th is day 1, 30th day 2.
    assert ENGLAND.add_working_days(date(2026, 12, 24), 2) == date(2026, 12, 30)


def test_negative_working_days_are_refused() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        ENGLAND.add_working_days(date(2026, 3, 6), -1)


@given(day=days, count=st.integers(min_value=1, max_value=80), calendar=nations)
def test_working_day_deadline_never_falls_on_weekend_or_bank_holiday(
    day: date, count: int, calendar: WorkingCalendar
) -> None:
    result = calendar.add_working_days(day, count)
    assert result.weekday() < 5
    assert not calendar.is_bank_holiday(result)


@given(day=days, count=counts, calendar=nations)
def test_adding_working_days_is_monotonic_in_the_count(
    day: date, count: int, calendar: WorkingCalendar
) -> None:
    assert calendar.add_working_days(day, count + 1) > calendar.add_working_days(day, count)


@given(day=days, count=counts)
def test_adding_working_days_is_monotonic_in_the_start(day: date, count: int) -> None:
    later = day + timedelta(days=1)
    assert ENGLAND.add_working_days(later, count) >= ENGLAND.add_working_days(day, count)


@given(day=days, count=st.integers(min_value=1, max_value=80))
def test_exactly_count_working_days_lie_between(day: date, count: int) -> None:
    result = ENGLAND.add_working_days(day, count)
    between = [day + timedelta(days=n) for n in range(1, (result - day).days + 1)]
    assert sum(ENGLAND.is_working_day(d) for d in between) == count


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("2026-03-04T08:59:59", True),
        ("2026-03-04T09:00:00", False),
        ("2026-03-04T16:59:59", False),
        ("2026-03-04T17:00:00", True),
        ("2026-03-07T12:00:00", True),  # Saturday
        ("2026-12-28T12:00:00", True),  # substitute bank holiday
    ],
)
def test_out_of_hours_boundaries(moment: str, expected: bool) -> None:
    assert ENGLAND.is_out_of_hours(datetime.fromisoformat(moment)) is expected


def test_out_of_hours_reads_an_aware_time_in_london() -> None:
    # 08:30 UTC in summer is 09:30 in London: in hours.
    assert not ENGLAND.is_out_of_hours(datetime.fromisoformat("2026-06-03T08:30:00+00:00"))


def test_naive_time_is_london_time() -> None:
    moment = to_london(datetime(2026, 7, 1, 10, 0))
    assert moment.utcoffset() == timedelta(hours=1)
    assert moment.hour == 10


def test_aware_time_is_converted_to_london() -> None:
    moment = to_london(datetime.fromisoformat("2026-07-01T10:00:00+00:00"))
    assert (moment.hour, moment.utcoffset()) == (11, timedelta(hours=1))


def _deadline(within: str, start: str, calendar: WorkingCalendar = ENGLAND) -> str:
    return calendar.deadline(Within.parse(within), datetime.fromisoformat(start)).isoformat()


def test_same_day_is_one_second_before_midnight() -> None:
    assert _deadline("same day", "2026-03-04T10:00") == "2026-03-04T23:59:59+00:00"


def test_same_day_on_a_saturday_is_still_that_saturday() -> None:
    assert _deadline("same day", "2026-03-07T22:00") == "2026-03-07T23:59:59+00:00"


def test_working_days_end_at_the_end_of_the_nth_working_day() -> None:
    assert _deadline("2 working days", "2026-03-06T10:00") == "2026-03-10T23:59:59+00:00"


def test_hours_are_added_to_the_identification_time() -> None:
    assert _deadline("24 hours", "2026-03-04T15:30") == "2026-03-05T15:30:00+00:00"


def test_hours_are_elapsed_time_across_the_clocks_going_forward() -> None:
    # Clocks go forward at 01:00 on 29 March 2026: 24 hours later reads 11:00 BST.
    assert _deadline("24 hours", "2026-03-28T10:00") == "2026-03-29T11:00:00+01:00"


def test_calendar_days_ignore_weekends() -> None:
    assert _deadline("3 days", "2026-03-06T10:00") == "2026-03-09T23:59:59+00:00"


def test_months_keep_the_day_of_the_month() -> None:
    assert _deadline("3 months", "2026-03-04T10:00") == "2026-06-04T23:59:59+01:00"


def test_months_end_on_the_last_day_of_a_shorter_month() -> None:
    assert _deadline("3 months", "2026-11-30T10:00") == "2027-02-28T23:59:59+00:00"


def test_start_of_next_working_day_after_an_evening() -> None:
    assert _deadline("start of next working day", "2026-03-06T20:00") == (
        "2026-03-09T09:00:00+00:00"
    )


def test_start_of_next_working_day_before_nine_is_that_morning() -> None:
    assert _deadline("start of next working day", "2026-03-04T02:00") == (
        "2026-03-04T09:00:00+00:00"
    )


def test_start_of_next_working_day_from_exactly_nine_is_the_next_day() -> None:
    # The working day that starts at 09:00 does not start after 09:00.
    assert _deadline("start of next working day", "2026-03-04T09:00") == (
        "2026-03-05T09:00:00+00:00"
    )


def test_start_of_next_working_day_from_a_bank_holiday_morning() -> None:
    assert _deadline("start of next working day", "2026-12-28T02:00") == (
        "2026-12-29T09:00:00+00:00"
    )


@pytest.mark.parametrize(
    ("text", "described"),
    [
        ("same day", "the same day"),
        ("start of next working day", "the start of the next working day"),
        ("1 working day", "one working day"),
        ("2 working days", "two working days"),
        ("24 hours", "24 hours"),
        ("1 hour", "one hour"),
        ("3 days", "three days"),
        ("3 months", "three months"),
    ],
)
def test_timescales_read_back_in_words(text: str, described: str) -> None:
    assert Within.parse(text).describe() == described


@pytest.mark.parametrize("text", ["tomorrow", "3 weeks", "working days", "-1 days", ""])
def test_unreadable_timescale_is_refused_with_the_forms_allowed(text: str) -> None:
    with pytest.raises(ValueError, match="is not a timescale; write 'same day'"):
        Within.parse(text)


def test_end_of_day_is_london_time() -> None:
    assert end_of_day(date(2026, 7, 1)) == datetime(2026, 7, 1, 23, 59, 59, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("moment", "change"),
    [
        (datetime(2026, 3, 29, 0, 59), None),
        (datetime(2026, 3, 29, 1, 30), "forward"),
        (datetime(2026, 3, 29, 2, 0), None),
        (datetime(2026, 10, 25, 0, 59), None),
        (datetime(2026, 10, 25, 1, 30), "back"),
        (datetime(2026, 10, 25, 2, 0), None),
    ],
)
def test_london_clock_change_names_the_hour_skipped_and_the_hour_repeated(
    moment: datetime, change: str | None
) -> None:
    assert london_clock_change(moment) == change


def test_london_clock_change_finds_the_repeated_hour_whichever_fold_it_carries() -> None:
    assert london_clock_change(datetime(2026, 10, 25, 1, 30, fold=1)) == "back"


def test_london_clock_change_does_not_depend_on_the_machines_time_zone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The command line runs without Django, which would set TZ to London.
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        assert london_clock_change(datetime(2026, 3, 29, 1, 30)) == "forward"
        assert london_clock_change(datetime(2026, 10, 25, 1, 30)) == "back"
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.parametrize("nation", ["england_and_wales", "scotland", "northern_ireland"])
def test_the_bank_holiday_file_agrees_with_the_holidays_library_every_year(nation: str) -> None:
    # The policy reads bank_holidays.json (scripts/bank_holidays.py writes it) so that it
    # need not import the library's 250 countries; the library stays the source of truth.
    # After upgrading holidays, run the script if this fails, and commit the file.
    import holidays

    from strategise.policy.calendar import FIRST_YEAR, LAST_YEAR, SUBDIVISIONS

    calendar = WorkingCalendar(nation)  # type: ignore[arg-type]
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        library = set(holidays.country_holidays("GB", subdiv=SUBDIVISIONS[nation], years=year))
        day = date(year, 1, 1)
        ours = set()
        while day.year == year:
            if calendar.is_bank_holiday(day):
                ours.add(day)
            day += timedelta(days=1)
        assert ours == library, f"{nation} {year}: run scripts/bank_holidays.py"


def test_an_unreadable_timescale_is_refused_with_the_forms_it_may_take() -> None:
    with pytest.raises(ValueError) as caught:
        Within.parse("soon")
    assert str(caught.value) == (
        "'soon' is not a timescale; write 'same day', 'start of next working day' "
        "or a number followed by 'working days', 'days', 'hours' or 'months'"
    )


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("0 days", "zero days"),
        ("4 working days", "four working days"),
        ("6 days", "six days"),
        ("7 days", "seven days"),
        ("9 hours", "nine hours"),
        ("10 working days", "10 working days"),
        ("15 working days", "15 working days"),
    ],
)
def test_a_timescale_is_described_in_words_up_to_nine_then_in_figures(
    text: str, words: str
) -> None:
    assert Within.parse(text).describe() == words


def test_a_negative_count_of_working_days_is_refused_by_name() -> None:
    with pytest.raises(ValueError) as caught:
        ENGLAND.add_working_days(date(2026, 3, 2), -1)
    assert str(caught.value) == "count must not be negative"


@pytest.mark.parametrize("text", ["2000-01-04T10:00", "2099-12-30T10:00"])
def test_the_first_and_last_years_of_the_calendar_are_accepted(text: str) -> None:
    moment = london_moment(text)
    assert moment.replace(tzinfo=None) == datetime.fromisoformat(text)
    assert moment.tzinfo == LONDON


@pytest.mark.parametrize("text", ["1999-12-31T10:00", "2100-01-04T10:00"])
def test_a_moment_outside_the_calendars_years_is_refused(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        london_moment(text)
    assert str(caught.value) == "must be in the years 2000 to 2099"


@pytest.fixture
def machine_in_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The machine's own time zone set to UTC (Django, where it runs, sets it to London)."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("machine_in_utc")
def test_an_aware_moment_is_read_in_london_time_whatever_the_machines_zone() -> None:
    utc_summer = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
    for moment in (london_moment(utc_summer), to_london(utc_summer)):
        assert moment.utcoffset() == timedelta(hours=1)
        assert moment.hour == 10


@pytest.mark.usefixtures("machine_in_utc")
def test_an_hours_deadline_is_given_in_london_time_whatever_the_machines_zone() -> None:
    # 09:00 London on 1 July is 08:00 UTC; 24 hours later is 09:00 London time (+01:00).
    end = ENGLAND.deadline(Within.parse("24 hours"), datetime(2026, 7, 1, 9, 0))
    assert end.isoformat() == "2026-07-02T09:00:00+01:00"
