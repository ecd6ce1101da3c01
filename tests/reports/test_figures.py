"""Each performance figure on a small data set whose answer is worked out by hand.

Every test reports on April 2026 (1 to 30 April, London; British Summer Time, so London
midnight is 23:00 UTC the day before). The working is in each test's docstring.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from strategise.actions.models import ActionStatus
from strategise.clocks.models import ClockState
from strategise.discussions.models import Attendance, Discussion
from strategise.organisations.models import LocalAuthority, User
from strategise.reports.figures.actions import action_completion
from strategise.reports.figures.attendance import agency_attendance
from strategise.reports.figures.clocks import icpc_timeliness, minutes_timeliness
from strategise.reports.figures.outcomes import decision_outcomes
from strategise.reports.figures.reconvening import reconvening
from strategise.reports.figures.section_47 import section_47_conversion
from strategise.reports.figures.timeliness import discussion_timeliness
from strategise.reports.period import Period
from strategise.reports.selectors import performance_report
from strategise.reports.tables import Timeliness
from strategise.requests.models import RequestStatus, StrategyRequest
from tests.factories import ChildFactory
from tests.reports.support import (
    APRIL_2026,
    action_row,
    at,
    clock_row,
    decision_row,
    discussion_row,
    held_discussion,
    invitation_row,
    request_row,
)

pytestmark = pytest.mark.django_db


def test_discussions_held_within_their_timescale_by_rule(
    authority: LocalAuthority,
    social_worker: User,
    team_manager: User,
    other_authority_social_worker: User,
) -> None:
    """Now is 30 April, midday. Requests RAISED in April, by the rule that set their hold-by
    time, whenever that time falls:

    the same day
      A raised 2 Apr 09:00, due 2 Apr 23:59, first discussion started 2 Apr 15:00 -> on time
      B raised 3 Apr 09:00, due 3 Apr 23:59, started 4 Apr 09:00 (reconvened 20 Apr)
                                                   -> late (only the first discussion counts)
    24 hours
      C raised 30 Apr 10:00, due 1 May 10:00, started 30 Apr 10:14
                                                   -> on time (its deadline in May does not
                                                      take it out of April)
      D raised 31 Mar 23:30, due 1 Apr 23:30, started 1 Apr 09:00
                                                   -> raised in March: left out
    three working days
      E raised 6 Apr, due 9 Apr 23:59, started at exactly 9 Apr 23:59 -> on time (by = on time)
      L raised 1 Apr 00:00 London (31 Mar 23:00 UTC), due 3 Apr, started 2 Apr -> on time
      F raised 5 Apr, due 8 Apr, never convened                        -> overdue
      G raised 9 Apr, due 14 Apr, convened but not started             -> overdue
      H raised 29 Apr, due 4 May, not held                             -> not due yet
      I raised 7 Apr, due 10 Apr, withdrawn                            -> left out
      J raised 28 Mar, due 1 Apr, started 1 Apr                        -> raised in March
      M raised 8 Apr with no hold-by time (none was set)               -> left out
      K raised 7 Apr in Birmingham                                     -> another authority

    same day: 1 on time, 1 late -> 50%; 24 hours: 1 on time -> 100%;
    three working days: 2 on time, 2 overdue, 1 not due -> 2 of 4 due = 50%;
    all: 4 on time, 1 late, 2 overdue, 1 not due -> 4 of 7 = 57.1%. Shortest rule first.
    """

    def raised(
        when: datetime, due: datetime, within: str = "three working days", **kw: Any
    ) -> StrategyRequest:
        return request_row(
            authority, social_worker, hold_by=due, within=within, raised_at=when, **kw
        )

    a = raised(at(2, 9), at(2, 23, 59), "the same day")
    discussion_row(a, team_manager, started_at=at(2, 15))
    b = raised(at(3, 9), at(3, 23, 59), "the same day")
    first_b = discussion_row(b, team_manager, started_at=at(4, 9))
    discussion_row(b, team_manager, started_at=at(20, 9), previous=first_b)
    c = raised(at(30, 10), at(1, 10, month=5), "24 hours")
    discussion_row(c, team_manager, started_at=at(30, 10, 14))
    d = raised(at(31, 23, 30, month=3), at(1, 23, 30), "24 hours")
    discussion_row(d, team_manager, started_at=at(1, 9))
    e = raised(at(6), at(9, 23, 59))
    discussion_row(e, team_manager, started_at=at(9, 23, 59))
    first_minute = raised(at(1, 0, 0), at(3, 23, 59))
    discussion_row(first_minute, team_manager, started_at=at(2, 11))
    raised(at(5), at(8, 23, 59), status=RequestStatus.AWAITING_CONVENING)
    g = raised(at(9), at(14, 23, 59))
    discussion_row(g, team_manager)
    raised(at(29), at(4, 23, 59, month=5))
    raised(at(7), at(10), status=RequestStatus.WITHDRAWN)
    j = raised(at(28, month=3), at(1, 23, 59))
    discussion_row(j, team_manager, started_at=at(1, 10))
    no_deadline = raised(at(8), at(11))
    StrategyRequest.objects.filter(pk=no_deadline.pk).update(hold_by=None)
    birmingham = other_authority_social_worker.agency.local_authority  # type: ignore[union-attr]
    request_row(birmingham, other_authority_social_worker, hold_by=at(10), raised_at=at(7))

    figure = discussion_timeliness(authority=authority, period=APRIL_2026, now=at(30, 12))

    assert [(row.rule, row.counts) for row in figure.rules] == [
        ("the same day", Timeliness(on_time=1, late=1)),
        ("24 hours", Timeliness(on_time=1)),
        ("three working days", Timeliness(on_time=2, overdue=2, not_yet_due=1)),
    ]
    assert figure.total == Timeliness(on_time=4, late=1, overdue=2, not_yet_due=1)
    assert figure.table().total == ("All timescales", 4, 1, 2, 1, "57.1%")
    assert figure.table().rows[2] == ("Three working days", 2, 0, 2, 1, "50.0%")


def test_attendance_of_each_required_agency(
    authority: LocalAuthority, social_worker: User, team_manager: User
) -> None:
    """Required invitations to discussions held in April:

      held 2 Apr:  police attended, health sent apologies, education sent a written report,
                   legal attended but was not required (left out)
      held 20 Apr: police did not respond, health attended
      held 5 May:  police attended (not in April: left out)
      scheduled 10 Apr, not held: police (left out)

    police 1 of 2 = 50%; health 1 of 2 = 50%; education 0 of 1 = 0% (1 written report);
    overall 2 of 5 = 40%. Most required first, then by name: Health, Police, Education.
    """
    first = held_discussion(authority, social_worker, team_manager, at(2))
    invitation_row(first, "police", Attendance.ATTENDED)
    invitation_row(first, "health", Attendance.APOLOGIES)
    invitation_row(first, "education", Attendance.WRITTEN_REPORT)
    invitation_row(first, "legal", Attendance.ATTENDED, required=False)
    second = held_discussion(authority, social_worker, team_manager, at(20))
    invitation_row(second, "police", Attendance.NO_RESPONSE)
    invitation_row(second, "health", Attendance.ATTENDED)
    may = held_discussion(authority, social_worker, team_manager, at(5, month=5))
    invitation_row(may, "police", Attendance.ATTENDED)
    scheduled = request_row(authority, social_worker, hold_by=at(10))
    invitation_row(discussion_row(scheduled, team_manager), "police")

    figure = agency_attendance(authority=authority, period=APRIL_2026, now=at(30))

    assert [
        (row.agency, row.required, row.attended, row.written_report) for row in figure.agencies
    ] == [
        ("health", 2, 1, 0),
        ("police", 2, 1, 0),
        ("education", 1, 0, 1),
    ]
    assert figure.overall.rate == pytest.approx(0.4)
    assert figure.table().rows[2] == (
        "Education setting (school, nursery or college)",
        1,
        0,
        1,
        0,
        "0.0%",
    )
    assert figure.table().total == ("All required agencies", 5, 2, 1, 2, "40.0%")


def test_outcomes_count_each_childs_decision(
    authority: LocalAuthority, social_worker: User, team_manager: User
) -> None:
    """Decisions in discussions held in April: three children on 2 April (joint section 47,
    single-agency section 47, no further action), one on 20 April (section 17), and one on
    5 May (left out). Each outcome once, the other three none; 4 in all, 25% each."""
    children = ChildFactory.create_batch(3, local_authority=authority)
    first = held_discussion(authority, social_worker, team_manager, at(2), children=children)
    for child, outcome in zip(children, ("s47_joint", "s47_social_care", "nfa"), strict=True):
        decision_row(first, child, outcome)
    second = held_discussion(authority, social_worker, team_manager, at(20))
    decision_row(second, second.request.children.get(), "s17_assessment")
    may = held_discussion(authority, social_worker, team_manager, at(5, month=5))
    decision_row(may, may.request.children.get(), "s47_joint")

    figure = decision_outcomes(authority=authority, period=APRIL_2026, now=at(30))

    assert dict(figure.counts) == {
        "nfa": 1,
        "s47_social_care": 1,
        "s47_joint": 1,
        "police_only": 0,
        "s17_assessment": 1,
        "early_help": 0,
        "continue_plan": 0,
    }
    assert figure.table().rows[0] == ("No further action", 1, "25.0%")
    assert figure.table().total == ("All decisions", 4, "100.0%")


def test_share_leading_to_section_47_and_to_an_icpc(
    authority: LocalAuthority, social_worker: User, team_manager: User
) -> None:
    """Children discussed in April:

      2 Apr (its ICPC clock met): c1 joint s47 + recommend ICPC; c2 single-agency s47 with
            "inform the LADO" only; c3 no further action
      20 Apr (its ICPC clock open): c4 joint s47 + recommend ICPC
      5 May: c5 joint s47 (left out)

    4 children; s47 for c1, c2, c4 = 3 (75%); ICPC recommended for c1, c4 = 2 (50%);
    ICPC held for the s47 children of the 2 April discussion, c1 and c2 = 2 (50%) — c3
    shares that discussion but had no enquiry, so it is not counted.
    """
    c1, c2, c3 = ChildFactory.create_batch(3, local_authority=authority)
    first = held_discussion(authority, social_worker, team_manager, at(2), children=[c1, c2, c3])
    decision_row(first, c1, "s47_joint", ("recommend_icpc",))
    decision_row(first, c2, "s47_social_care", ("inform_lado",))
    decision_row(first, c3, "nfa")
    clock_row(first, "icpc_held", at(24, 23, 59), ClockState.MET, met_at=at(17))
    second = held_discussion(authority, social_worker, team_manager, at(20))
    decision_row(second, second.request.children.get(), "s47_joint", ("recommend_icpc",))
    clock_row(second, "icpc_held", at(12, 23, 59, month=5))
    may = held_discussion(authority, social_worker, team_manager, at(5, month=5))
    decision_row(may, may.request.children.get(), "s47_joint")

    figure = section_47_conversion(authority=authority, period=APRIL_2026, now=at(30))

    assert (figure.children, figure.section_47, figure.icpc_recommended, figure.icpc_held) == (
        4,
        3,
        2,
        2,
    )
    assert figure.table().rows == (
        ("Section 47 enquiry", 3, "75.0%"),
        ("Initial child protection conference recommended", 2, "50.0%"),
        ("Initial child protection conference held", 2, "50.0%"),
    )


def test_icpcs_within_their_timescale(
    authority: LocalAuthority, social_worker: User, team_manager: User
) -> None:
    """ICPC clocks due in April; now is 20 April, midday:

      due 10 Apr, met 9 Apr (on time)     -> on time
      due 12 Apr, met 14 Apr (late)       -> late
      due 15 Apr, open                    -> overdue
      due 14 Apr, marked breached         -> overdue (the tick marks overdue clocks so)
      due 25 Apr, open                    -> not due yet
      due 16 Apr, stopped (not needed)    -> stopped, out of the rate
      due 2 May, met                      -> not in April: left out
      a minutes clock due 10 Apr          -> another clock: left out

    1 on time of 4 due (on time, late, 2 overdue) = 25%.
    """
    cases = [
        ("icpc_held", at(10, 23, 59), ClockState.MET, at(9)),
        ("icpc_held", at(12, 23, 59), ClockState.MET_LATE, at(14)),
        ("icpc_held", at(15, 23, 59), ClockState.OPEN, None),
        ("icpc_held", at(14, 23, 59), "breached", None),
        ("icpc_held", at(25, 23, 59), ClockState.OPEN, None),
        ("icpc_held", at(16, 23, 59), ClockState.STOPPED, None),
        ("icpc_held", at(2, 23, 59, month=5), ClockState.MET, at(1, month=5)),
        ("minutes_distributed", at(10, 23, 59), ClockState.MET, at(9)),
    ]
    for code, due, state, met in cases:
        discussion = held_discussion(authority, social_worker, team_manager, at(1, 9))
        clock_row(discussion, code, due, state, met)

    figure = icpc_timeliness(authority=authority, period=APRIL_2026, now=at(20, 12))

    assert figure.clock.counts == Timeliness(on_time=1, late=1, overdue=2, not_yet_due=1)
    assert figure.clock.stopped == 1
    assert figure.table().rows == (
        ("Initial child protection conference held", 1, 1, 2, 1, "25.0%", 1),
    )


def test_decisions_and_minutes_sent_on_time(
    authority: LocalAuthority, social_worker: User, team_manager: User
) -> None:
    """Clocks due in April; now is 20 April, midday:

    decisions circulated: due 3 Apr met on time; due 5 Apr met late -> 1 of 2 = 50%
    minutes distributed: due 6 Apr met on time; due 7 Apr open (overdue); due 28 Apr open
                         (not due yet) -> 1 of 2 due = 50%
    """
    first = held_discussion(authority, social_worker, team_manager, at(2))
    clock_row(first, "decisions_circulated", at(3, 23, 59), ClockState.MET, at(3))
    clock_row(first, "minutes_distributed", at(6, 23, 59), ClockState.MET, at(6))
    second = held_discussion(authority, social_worker, team_manager, at(2))
    clock_row(second, "decisions_circulated", at(5, 23, 59), ClockState.MET_LATE, at(6))
    clock_row(second, "minutes_distributed", at(7, 23, 59))
    third = held_discussion(authority, social_worker, team_manager, at(21))
    clock_row(third, "minutes_distributed", at(28, 23, 59))

    figure = minutes_timeliness(authority=authority, period=APRIL_2026, now=at(20, 12))

    assert [(clock.code, clock.counts) for clock in figure.clocks] == [
        ("decisions_circulated", Timeliness(on_time=1, late=1)),
        ("minutes_distributed", Timeliness(on_time=1, overdue=1, not_yet_due=1)),
    ]
    assert [row[-2] for row in figure.table().rows] == ["50.0%", "50.0%"]


def test_actions_done_on_time_late_or_overdue(
    authority: LocalAuthority,
    social_worker: User,
    team_manager: User,
    other_authority_social_worker: User,
) -> None:
    """Actions due in April (each at 10:00 London); now is 20 April, midday:

      due 5 Apr, done 4 Apr 16:00                -> on time
      due 6 Apr, done at exactly 6 Apr 10:00     -> on time (by = on time)
      due 7 Apr, done 7 Apr 10:01                -> late (a minute counts)
      due 8 Apr, done 15 Apr 09:00               -> late
      due 9 Apr, done, no completion time        -> late (on time is never assumed)
      due 10 Apr, open                           -> overdue
      due 25 Apr, open                           -> not due yet
      due 12 Apr, cancelled                      -> cancelled, out of the rate
      due 3 May, open                            -> not in April: left out
      Birmingham's action due 5 Apr, on time     -> another authority: left out

    Due (done or overdue): 2 on time + 3 late + 1 overdue = 6; on time 2 of 6 = 33.3%.
    """
    discussion = held_discussion(authority, social_worker, team_manager, at(1))
    done = ActionStatus.DONE
    action_row(discussion, at(5), done, completed_at=at(4, 16))
    action_row(discussion, at(6), done, completed_at=at(6))
    action_row(discussion, at(7), done, completed_at=at(7, 10, 1))
    action_row(discussion, at(8), done, completed_at=at(15, 9))
    action_row(discussion, at(9), done)
    action_row(discussion, at(10))
    action_row(discussion, at(25))
    action_row(discussion, at(12), ActionStatus.CANCELLED)
    action_row(discussion, at(3, month=5))
    birmingham = other_authority_social_worker.agency.local_authority  # type: ignore[union-attr]
    elsewhere = held_discussion(
        birmingham, other_authority_social_worker, other_authority_social_worker, at(1)
    )
    action_row(elsewhere, at(5), done, completed_at=at(4))

    figure = action_completion(authority=authority, period=APRIL_2026, now=at(20, 12))

    assert figure.counts == Timeliness(on_time=2, late=3, overdue=1, not_yet_due=1)
    assert figure.cancelled == 1
    assert figure.table().rows == (
        ("Actions agreed at strategy discussions", 2, 3, 1, 1, 1, "33.3%"),
    )


def test_reconvened_discussions_and_the_days_between(
    authority: LocalAuthority, social_worker: User, team_manager: User
) -> None:
    """Reconvened discussions held in April, and the London dates of the one before:

      1 Mar  -> 3 Apr: 33 days (across the clocks going forward)
      10 Apr -> 17 Apr: 7 days
      17 Apr -> 30 Apr 23:30 London (22:30 UTC, still 30 April): 13 days
      20 Mar -> 20 Apr: 31 days
      20 Apr -> scheduled, not held: left out
      30 Apr -> 2 May: held in May, left out

    Intervals 7, 13, 31, 33: median (13 + 31) / 2 = 22; longest 33; over 28 days: 2.
    Bands: 0 to 7: 1; 8 to 14: 1; 15 to 21: 0; 22 to 28: 0; more than 28: 2.
    """

    def reconvene(before: Discussion, when: datetime) -> Discussion:
        return held_discussion(authority, social_worker, team_manager, when, previous=before)

    march = held_discussion(authority, social_worker, team_manager, at(1, month=3))
    reconvene(march, at(3, 9))
    tenth = held_discussion(authority, social_worker, team_manager, at(10))
    seventeenth = reconvene(tenth, at(17))
    last = reconvene(seventeenth, at(30, 23, 30))
    reconvene(last, at(2, month=5))
    twentieth_march = held_discussion(authority, social_worker, team_manager, at(20, month=3))
    twentieth = reconvene(twentieth_march, at(20))
    discussion_row(
        request_row(authority, social_worker, hold_by=at(27)),
        team_manager,
        previous=twentieth,
    )

    figure = reconvening(authority=authority, period=APRIL_2026, now=at(30))

    assert figure.intervals == (7, 13, 31, 33)
    assert (figure.median, figure.longest, figure.over_limit) == (22, 33, 2)
    assert figure.bands() == (
        ("0 to 7 days", 1),
        ("8 to 14 days", 1),
        ("15 to 21 days", 0),
        ("22 to 28 days", 0),
        ("More than 28 days", 2),
    )
    assert figure.table().rows == (
        ("Reconvened discussions held", 4),
        ("Median days since the discussion before", "22"),
        ("Longest time, in days", "33"),
        ("Held 0 to 7 days later", 1),
        ("Held 8 to 14 days later", 1),
        ("Held 15 to 21 days later", 0),
        ("Held 22 to 28 days later", 0),
        ("Held more than 28 days later", 2),
    )


def test_an_empty_period_gives_every_figure_with_nothing_to_divide(
    authority: LocalAuthority,
) -> None:
    """No data: every figure is there, with zeros and "No data" rates (no division by 0)."""
    report = performance_report(
        authority=authority, period=Period(date(2030, 1, 1), date(2030, 1, 31)), now=at(1)
    )
    assert list(report.figures) == [
        "timeliness",
        "attendance",
        "outcomes",
        "section-47",
        "icpc",
        "minutes",
        "actions",
        "reconvening",
    ]
    assert report.figures["timeliness"].table().total == ("All timescales", 0, 0, 0, 0, "No data")
    assert report.figures["reconvening"].table().rows[1] == (
        "Median days since the discussion before",
        "No data",
    )


def test_a_period_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="cannot end before it starts"):
        Period(date(2026, 4, 2), date(2026, 4, 1))


def test_default_periods() -> None:
    """The reporting year runs from 1 April; the last census year is the last whole one."""
    assert Period.year_to_date(date(2026, 11, 23)) == Period(date(2026, 4, 1), date(2026, 11, 23))
    assert Period.year_to_date(date(2026, 3, 31)) == Period(date(2025, 4, 1), date(2026, 3, 31))
    assert Period.last_census_year(date(2026, 11, 23)) == Period(
        date(2025, 4, 1), date(2026, 3, 31)
    )
    assert Period.last_census_year(date(2026, 3, 31)) == Period(date(2024, 4, 1), date(2025, 3, 31))
