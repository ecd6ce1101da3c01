"""Dates and answers in the words a person reads."""

from __future__ import annotations

from datetime import datetime

import pytest

from strategise.policy import clocks, triage
from strategise.policy.wording import clocks_summary, format_time, format_when, triage_summary


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("2026-03-04T09:00", "9am"),
        ("2026-03-04T12:00", "midday"),
        ("2026-03-04T00:00", "midnight"),
        ("2026-03-04T23:59:59", "11:59pm"),
        ("2026-03-04T12:30", "12:30pm"),
        ("2026-03-04T00:15", "12:15am"),
    ],
)
def test_times_in_govuk_style(moment: str, expected: str) -> None:
    assert format_time(datetime.fromisoformat(moment)) == expected


def test_dates_in_govuk_style_from_text_in_london() -> None:
    assert format_when("2026-04-07T22:59:59+00:00") == "Tuesday 7 April 2026, 11:59pm"


def test_summary_of_a_complex_meeting_with_chair_exception() -> None:
    answer = triage(
        {
            "profile": "sandwell",
            "identified_at": "2026-03-07T11:00",
            "concerns": ["sexual_abuse"],
            "alleged_perpetrators": [{"position_of_trust": True}],
        }
    ).to_dict()
    text = triage_summary(answer, "Sandwell")
    assert text.splitlines()[0] == "Sandwell [sandwell]"
    assert "Complex strategy discussion: a meeting is needed" in text
    also = [line for line in text.splitlines() if line.startswith("  Also: ")]
    assert len(also) == len(answer["timescales"]) - 1 >= 2
    assert "  Exception: A chair from the Safeguarding Service" in text
    assert "May attend:" in text.splitlines()
    assert text.splitlines()[-1] == "Concerns were identified out of hours."
    assert "Also do:" in text.splitlines()


def test_summary_without_a_timescale_says_so() -> None:
    answer = triage(
        {"profile": "national", "identified_at": "2026-03-04T10:00", "concerns": ["neglect"]}
    ).to_dict()
    text = triage_summary(answer, "National")
    lines = text.splitlines()
    assert "No timescale is set by this procedure: hold it as soon as possible." in lines
    assert "Standard strategy discussion: phone calls or a meeting." in lines
    assert "May attend" not in text


def test_summary_without_a_chair_rule_or_steps() -> None:
    answer = triage(
        {"profile": "national", "identified_at": "2026-03-04T10:00", "concerns": ["neglect"]}
    ).to_dict()
    answer["chair"]["minimum_grade"] = None
    answer["attendees"]["required"] = []
    text = triage_summary(answer, "National")
    assert "Chair:" not in text
    assert "Must attend" not in text
    assert "Also do" not in text


def test_clocks_summary_when_no_clock_starts() -> None:
    answer = clocks(
        profile="national", identified_at="2026-03-04T10:00", held_at="2026-03-04T11:00"
    ).to_dict()
    answer["clocks"] = []
    assert clocks_summary(answer, "National").splitlines()[-1] == "No clocks start for this case."


def test_dates_in_govuk_style_from_a_datetime() -> None:
    assert format_when(datetime(2026, 12, 28, 9, 0)) == "Monday 28 December 2026, 9am"
