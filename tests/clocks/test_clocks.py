"""Statutory clocks as data: started by events, met on time or late, breached, stopped."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import IntegrityError, transaction

from strategise.audit.models import AuditEvent
from strategise.clocks import services as clock_services
from strategise.clocks.models import CLOCK_LABELS, DISCUSSION_HELD, Clock, ClockState
from strategise.clocks.services import (
    clock_mark_met,
    clock_meet,
    clock_stop,
    clocks_mark_breached,
    clocks_remind,
    remind_at,
)
from strategise.discussions.concluding import discussion_conclude
from strategise.discussions.decisions import decision_save
from strategise.discussions.recording import record_save
from strategise.discussions.services import discussion_convene, discussion_start
from strategise.notifications.models import Kind, Notification
from strategise.organisations.models import LocalAuthority, Role, Team, User
from strategise.organisations.selectors import line_managers
from strategise.policy import LONDON
from strategise.policy import clocks as policy_clocks
from strategise.policy.citations import cite
from strategise.policy.wording import format_when
from strategise.problems import Problem
from strategise.requests.models import StrategyRequest
from tests.clocks.support import CONCLUDED, RECORD, held_discussion
from tests.discussions.support import (
    IDENTIFIED,
    NOW,
    invitations_for,
    make_child,
    make_request,
    started_discussion,
)
from tests.factories import AgencyFactory, LocalAuthorityFactory, TeamFactory, UserFactory
from tests.notifications.support import link


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


@pytest.fixture
def team(authority: LocalAuthority, team_manager: User, social_worker: User) -> Team:
    """The assessment team: the social worker and the team manager, managed by a service
    manager named as its manager."""
    service_manager = UserFactory.create(
        agency=authority.agencies.get(kind="childrens_social_care"), role=Role.SERVICE_MANAGER
    )
    team = TeamFactory.create(
        agency=authority.agencies.get(kind="childrens_social_care"), manager=service_manager
    )
    User.objects.filter(pk__in=[team_manager.pk, social_worker.pk]).update(team=team)
    team_manager.refresh_from_db()
    social_worker.refresh_from_db()
    return team


def _clock(discussion_or_request: object, code: str) -> Clock:
    return Clock.objects.get(code=code, **{_owner(discussion_or_request): discussion_or_request})


def _owner(thing: object) -> str:
    return "discussion" if type(thing).__name__ == "Discussion" else "request"


# --- request raised -----------------------------------------------------------------


def test_raising_a_request_starts_the_clock_for_holding_its_discussion(
    social_worker: User,
) -> None:
    request = make_request(social_worker, [make_child(social_worker, "Amara")])
    clock = Clock.objects.get(request=request)
    assert clock.code == "discussion_held"
    assert clock.discussion is None
    # Identified Wednesday 4 March 2026: three working days is Monday 9 March (§9.0).
    assert clock.due_at == request.hold_by == _at("2026-03-09T23:59:59")
    assert clock.source == "002_3bebd37290b13db4.txt §9.0"
    assert clock.rule == "sandwell-9-0-three-working-days"
    assert clock.responsible == social_worker
    assert clock.responsible_reason == "Who raised the request"
    assert (clock.local_authority, clock.started_at) == (request.local_authority, IDENTIFIED)
    assert clock.reason == request.triage["timescales"][0]["rule"]
    assert clock.state == ClockState.OPEN
    assert clock.remind_at == _at("2026-03-09T09:00")


def test_a_procedure_without_a_timescale_starts_no_request_clock(db: None) -> None:
    national = LocalAuthorityFactory.create(profile="national")
    worker = UserFactory.create(
        agency=AgencyFactory.create(local_authority=national, kind="childrens_social_care")
    )
    request = make_request(worker, [make_child(worker, "Ruby")])
    assert request.hold_by is None
    assert not Clock.objects.filter(request=request).exists()


def test_a_request_has_its_discussion_held_clock_once(social_worker: User) -> None:
    clock = Clock.objects.get(
        request=make_request(social_worker, [make_child(social_worker, "Amara")])
    )
    clock.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        clock.save()


# --- discussion held --------------------------------------------------------------


def test_holding_the_discussion_in_time_meets_the_request_clock(
    social_worker: User, team_manager: User
) -> None:
    discussion = held_discussion(social_worker, team_manager)
    clock = _clock(discussion.request, DISCUSSION_HELD)
    assert (clock.state, clock.met_at, clock.remind_at) == (
        ClockState.MET,
        NOW + timedelta(hours=1),
        None,
    )
    event = AuditEvent.objects.get(action="clock-met", object_id=str(clock.pk))
    # Whoever started the discussion met the clock.
    assert (event.user, event.detail) == (team_manager, {"code": DISCUSSION_HELD, "state": "met"})


def test_holding_the_discussion_late_meets_the_request_clock_late(
    social_worker: User, team_manager: User
) -> None:
    # Identified Friday 20 February: due by Wednesday 25 February, held 4 March.
    request = make_request(
        social_worker,
        [make_child(social_worker, "Amara")],
        identified_at=_at("2026-02-20T10:00"),
    )
    discussion = discussion_convene(
        user=social_worker,
        request=request,
        format="virtual",
        scheduled_for=NOW + timedelta(hours=1),
        chair=team_manager,
        invitations=invitations_for(request, {}),
        respond_url=lambda invitation: "https://strategise.test/reply/",
        delay_rationale="The family could not be traced until today.",
        now=NOW,
    )
    discussion_start(
        user=team_manager,
        discussion=discussion,
        attendance={i.pk: "attended" for i in discussion.invitations.all()},
        absence_reasons={},
        now=NOW + timedelta(hours=1),
    )
    assert _clock(request, DISCUSSION_HELD).state == ClockState.MET_LATE


def test_concluding_starts_the_procedures_clocks_on_the_request_and_discussion(
    social_worker: User, team_manager: User
) -> None:
    discussion = held_discussion(social_worker, team_manager)
    decisions = _clock(discussion, "decisions_circulated")
    assert decisions.request == discussion.request
    assert decisions.started_at == NOW + timedelta(hours=1)  # held when it started, at noon
    assert decisions.due_at == _at("2026-03-05T23:59:59")  # §11.0: one working day
    assert decisions.remind_at == _at("2026-03-05T09:00")
    assert decisions.responsible == team_manager
    # The assessment runs from when concerns were identified (§4.3).
    assert _clock(discussion, "assessment_completed").started_at == _at("2026-03-04T10:00")


# --- met on time, met late ----------------------------------------------------------


def test_a_clock_met_on_time(social_worker: User, team_manager: User) -> None:
    discussion = held_discussion(social_worker, team_manager)
    clock = clock_mark_met(
        user=team_manager,
        clock=_clock(discussion, "icpc_held"),
        at=_at("2026-03-20T10:00"),
        now=_at("2026-03-20T12:00"),
    )
    assert (clock.state, clock.met_at) == (ClockState.MET, _at("2026-03-20T10:00"))


def test_a_clock_met_after_its_due_time_is_met_late(
    social_worker: User, team_manager: User
) -> None:
    discussion = held_discussion(social_worker, team_manager)
    clock = clock_mark_met(
        user=social_worker,  # the authority's social care may record it too
        clock=_clock(discussion, "icpc_held"),
        at=_at("2026-03-26T10:00"),  # due by Wednesday 25 March (§2.0: 15 working days)
        now=_at("2026-03-26T12:00"),
    )
    assert clock.state == ClockState.MET_LATE


def test_recording_a_clock_met_checks_who_which_clock_and_when(
    social_worker: User, team_manager: User, police_officer: User
) -> None:
    discussion = held_discussion(social_worker, team_manager, users={"police": police_officer})
    icpc = _clock(discussion, "icpc_held")
    stale = Clock.objects.get(pk=icpc.pk)
    held, circulated = CLOCK_LABELS["icpc_held"], CLOCK_LABELS["decisions_circulated"]
    now = _at("2026-03-20T12:00")
    with pytest.raises(Problem) as caught:
        clock_mark_met(user=police_officer, clock=icpc, at=now, now=now)
    assert caught.value.errors == [
        (None, "Only the person responsible or this authority's social care can do this")
    ]
    with pytest.raises(Problem) as caught:
        clock_mark_met(
            user=team_manager, clock=_clock(discussion, "decisions_circulated"), at=now, now=now
        )
    assert caught.value.errors == [
        (None, f"'{circulated}' is recorded by Strategise itself when it happens")
    ]
    with pytest.raises(Problem) as caught:
        clock_mark_met(user=team_manager, clock=icpc, at=now + timedelta(days=1), now=now)
    assert caught.value.errors == [("at", "The date it happened must be today or in the past")]
    with pytest.raises(Problem) as caught:
        clock_mark_met(user=team_manager, clock=icpc, at=_at("2026-03-01T10:00"), now=now)
    assert caught.value.errors == [
        (
            "at",
            "The date it happened must be after the clock started "
            f"({format_when(icpc.started_at)})",
        )
    ]
    # A device clock a few minutes ahead is not the future.
    clock_mark_met(user=team_manager, clock=icpc, at=now + timedelta(minutes=5), now=now)
    icpc.refresh_from_db()
    assert icpc.met_at == now + timedelta(minutes=5)
    with pytest.raises(Problem) as caught:
        clock_mark_met(user=team_manager, clock=icpc, at=now, now=now)
    assert caught.value.errors == [(None, f"'{held}' is already met on time")]
    # From a page read before it was met.
    with pytest.raises(Problem) as caught:
        clock_mark_met(user=team_manager, clock=stale, at=now, now=now)
    assert caught.value.errors == [(None, f"'{held}' was closed by someone else: reload the page")]
    icpc.refresh_from_db()
    assert icpc.met_at == now + timedelta(minutes=5)


# --- breached -----------------------------------------------------------------------


def test_an_open_clock_past_its_due_time_is_breached_and_alerts_managers(
    social_worker: User, team_manager: User, team: Team
) -> None:
    discussion = held_discussion(social_worker, team_manager)
    breached = clocks_mark_breached(now=_at("2026-03-06T10:00"))
    decisions = _clock(discussion, "decisions_circulated")
    assert [clock.pk for clock in breached] == [decisions.pk]
    assert (decisions.state, decisions.breached_at, decisions.remind_at) == (
        ClockState.BREACHED,
        _at("2026-03-06T10:00"),
        None,
    )
    assert _clock(discussion, "icpc_held").state == ClockState.OPEN
    alerts = Notification.objects.filter(kind=Kind.OVERDUE)
    assert {n.user for n in alerts} == {team_manager, team.manager}
    manager_alert = alerts.get(user=team.manager)
    assert f"strategy discussion {discussion.pk} is overdue" in manager_alert.text
    assert "Sandwell procedure §11.0" in manager_alert.text
    assert f"{team_manager} is responsible for it" in manager_alert.text
    assert {link(alert) for alert in alerts} == {f"/discussions/{discussion.pk}/clocks/"}
    event = AuditEvent.objects.get(action="clock-breached")
    assert (event.user, event.object_id) == (None, str(decisions.pk))
    assert event.child_ids == [discussion.request.children.get().pk]
    assert event.detail == {"code": "decisions_circulated", "due_at": decisions.due_at.isoformat()}


def test_marking_breaches_twice_alerts_nobody_twice(
    social_worker: User, team_manager: User, team: Team
) -> None:
    held_discussion(social_worker, team_manager)
    clocks_mark_breached(now=_at("2026-03-06T10:00"))
    assert clocks_mark_breached(now=_at("2026-03-06T10:01")) == []
    assert Notification.objects.filter(kind=Kind.OVERDUE).count() == 2


def test_a_breached_clock_met_afterwards_is_met_late(
    social_worker: User, team_manager: User
) -> None:
    discussion = held_discussion(social_worker, team_manager)
    clocks_mark_breached(now=_at("2026-03-06T10:00"))
    clock = clock_meet(
        discussion=discussion,
        code="decisions_circulated",
        at=_at("2026-03-06T11:00"),
        user=team_manager,
    )
    assert clock is not None
    assert (clock.state, clock.met_at) == (ClockState.MET_LATE, _at("2026-03-06T11:00"))


def test_a_clock_met_on_time_is_never_breached(social_worker: User, team_manager: User) -> None:
    discussion = held_discussion(social_worker, team_manager)
    clock_meet(discussion=discussion, code="decisions_circulated", at=CONCLUDED, user=team_manager)
    assert clocks_mark_breached(now=_at("2026-03-06T10:00")) == []
    assert _clock(discussion, "decisions_circulated").state == ClockState.MET


# --- stopped ------------------------------------------------------------------------


def test_a_manager_stops_a_clock_with_a_reason(social_worker: User, team_manager: User) -> None:
    discussion = held_discussion(social_worker, team_manager)
    icpc = _clock(discussion, "icpc_held")
    now = _at("2026-03-10T10:00")
    held = CLOCK_LABELS["icpc_held"]
    with pytest.raises(Problem) as caught:
        clock_stop(user=social_worker, clock=icpc, reason="Moved away", now=now)
    assert caught.value.errors == [
        (None, "Only a team manager or above in this authority's social care can stop a clock")
    ]
    with pytest.raises(Problem) as caught:
        clock_stop(user=team_manager, clock=icpc, reason="  ", now=now)
    assert caught.value.errors == [("reason", f"Give the reason '{held}' no longer applies")]
    stopped = clock_stop(
        user=team_manager, clock=icpc, reason="The family moved to Wales.", now=now
    )
    assert (stopped.state, stopped.stopped_at, stopped.stopped_reason) == (
        ClockState.STOPPED,
        now,
        "The family moved to Wales.",
    )
    with pytest.raises(Problem) as caught:
        clock_stop(user=team_manager, clock=icpc, reason="Again", now=now)
    assert caught.value.errors == [(None, f"'{held}' is already stopped")]
    event = AuditEvent.objects.get(action="clock-stopped", object_id=str(icpc.pk))
    assert (event.user, event.detail) == (
        team_manager,
        {"code": "icpc_held", "reason": "The family moved to Wales."},
    )
    assert event.child_ids == [discussion.request.children.get().pk]


def test_a_stopped_clock_is_neither_reminded_nor_breached(
    social_worker: User, team_manager: User
) -> None:
    discussion = held_discussion(social_worker, team_manager)
    decisions = _clock(discussion, "decisions_circulated")
    clock_stop(user=team_manager, clock=decisions, reason="Recorded on paper", now=CONCLUDED)
    assert clocks_remind(now=_at("2026-03-05T09:00")) == []
    assert clocks_mark_breached(now=_at("2026-03-06T10:00")) == []
    assert not Notification.objects.filter(dedupe_key__startswith=f"clock:{decisions.pk}:")


# --- reminders ----------------------------------------------------------------------


def test_the_reminder_goes_at_the_start_of_the_last_working_day(
    social_worker: User, team_manager: User
) -> None:
    discussion = held_discussion(social_worker, team_manager)
    decisions = _clock(discussion, "decisions_circulated")
    assert clocks_remind(now=_at("2026-03-05T08:59")) == []
    reminded = clocks_remind(now=_at("2026-03-05T09:00"))
    assert [clock.pk for clock in reminded] == [decisions.pk]
    reminder = Notification.objects.get(kind=Kind.REMINDER)
    assert reminder.user == team_manager
    assert reminder.text == (
        f"Decisions and action points circulated for strategy discussion {discussion.pk} is "
        "due by Thursday 5 March 2026, 11:59pm (Sandwell procedure §11.0)."
    )
    assert link(reminder) == f"/discussions/{discussion.pk}/clocks/"


def test_a_reminder_is_sent_once(social_worker: User, team_manager: User) -> None:
    held_discussion(social_worker, team_manager)
    clocks_remind(now=_at("2026-03-05T09:00"))
    assert clocks_remind(now=_at("2026-03-05T09:01")) == []
    assert Notification.objects.filter(kind=Kind.REMINDER).count() == 1


def test_a_clock_met_before_its_reminder_is_never_reminded(
    social_worker: User, team_manager: User
) -> None:
    discussion = held_discussion(social_worker, team_manager)
    clock_meet(discussion=discussion, code="decisions_circulated", at=CONCLUDED, user=team_manager)
    assert clocks_remind(now=_at("2026-03-05T09:00")) == []
    assert not Notification.objects.filter(kind=Kind.REMINDER).exists()


def test_a_clock_shorter_than_a_working_day_is_reminded_as_it_starts() -> None:
    # Bristol §6.1: held out of hours on Saturday at 2am, due at 9am on Monday.
    started = _at("2026-03-07T02:00")
    assert remind_at(profile="bristol", started_at=started, due_at=_at("2026-03-09T09:00")) == (
        started
    )


def test_a_clock_started_after_its_due_time_has_no_reminder() -> None:
    assert (
        remind_at(
            profile="sandwell",
            started_at=_at("2026-03-10T10:00"),
            due_at=_at("2026-03-09T23:59:59"),
        )
        is None
    )


# --- reconvened ---------------------------------------------------------------------


def test_an_agreed_date_for_the_next_discussion_brings_its_clock_forward(
    social_worker: User, team_manager: User
) -> None:
    agreed = _at("2026-03-18T17:00")
    discussion = held_discussion(
        social_worker,
        team_manager,
        record={"further_discussion_needed": True, "further_discussion_by": agreed},
    )
    clock = _clock(discussion, "next_discussion_by")
    assert (clock.due_at, clock.source) == (agreed, "Agreed at the strategy discussion")
    assert clock.rule == "agreed-at-discussion"
    assert clock.reason == (
        "The discussion agreed when the next strategy discussion must be held by."
    )


def test_an_agreed_date_after_the_procedures_interval_leaves_the_interval(
    social_worker: User, team_manager: User
) -> None:
    discussion = held_discussion(
        social_worker,
        team_manager,
        record={
            "further_discussion_needed": True,
            "further_discussion_by": _at("2026-05-01T17:00"),
        },
    )
    clock = _clock(discussion, "next_discussion_by")
    # Sandwell §2.0: no more than 28 days apart, so by Wednesday 1 April.
    assert (clock.due_at, clock.source) == (
        _at("2026-04-01T23:59:59"),
        "002_3bebd37290b13db4.txt §2.0",
    )


def test_holding_the_reconvened_discussion_meets_the_previous_ones_clock(
    social_worker: User, team_manager: User
) -> None:
    first = held_discussion(social_worker, team_manager)
    request = first.request
    request.refresh_from_db()
    later = _at("2026-03-18T10:00")
    again = discussion_convene(
        user=social_worker,
        request=request,
        format="virtual",
        scheduled_for=later,
        chair=team_manager,
        invitations=invitations_for(request, {}),
        respond_url=lambda invitation: "https://strategise.test/reply/",
        previous=first,
        reconvene_reason="New medical information",
        now=later - timedelta(days=1),
    )
    discussion_start(
        user=team_manager,
        discussion=again,
        attendance={i.pk: "attended" for i in again.invitations.all()},
        absence_reasons={},
        now=later,
    )
    record_save(user=team_manager, discussion=again, values=RECORD, expected_version=0, now=later)
    decision_save(
        user=team_manager,
        discussion=again,
        child=request.children.get(),
        values={
            "outcome": "s47_joint",
            "rationale": "The medical found new injuries",
            "medical_decision": "already_done",
        },
        expected_version=0,
        now=later,
    )
    discussion_conclude(user=team_manager, discussion=again, now=later)
    clock = _clock(first, "next_discussion_by")
    assert (clock.state, clock.met_at) == (ClockState.MET, later)
    met = AuditEvent.objects.get(action="clock-met", object_id=str(clock.pk))
    assert met.user == team_manager


# --- line managers ------------------------------------------------------------------


def test_the_named_team_manager_is_alerted(team: Team, social_worker: User) -> None:
    assert line_managers(social_worker) == [team.manager]


def test_without_a_named_manager_the_teams_managers_are_alerted(
    team: Team, team_manager: User, social_worker: User
) -> None:
    Team.objects.filter(pk=team.pk).update(manager=None)
    social_worker.refresh_from_db()
    assert line_managers(social_worker) == [team_manager]


def test_the_named_manager_is_not_alerted_about_themselves(team: Team, team_manager: User) -> None:
    Team.objects.filter(pk=team.pk).update(manager=team_manager)
    team_manager.refresh_from_db()
    assert line_managers(team_manager) == []


def test_nobody_is_alerted_for_someone_without_a_team(social_worker: User) -> None:
    assert line_managers(social_worker) == []


def test_a_clock_met_exactly_at_its_due_time_is_met_on_time(
    social_worker: User, team_manager: User
) -> None:
    discussion = held_discussion(social_worker, team_manager)
    clock = _clock(discussion, "icpc_held")
    met = clock_mark_met(user=team_manager, clock=clock, at=clock.due_at, now=clock.due_at)
    assert met.state == ClockState.MET


def test_a_clock_met_is_audited_against_the_requests_children(
    social_worker: User, team_manager: User
) -> None:
    discussion = held_discussion(social_worker, team_manager)
    clock = _clock(discussion, "icpc_held")
    clock_mark_met(
        user=team_manager, clock=clock, at=_at("2026-03-20T10:00"), now=_at("2026-03-20T12:00")
    )
    event = AuditEvent.objects.filter(action="clock-met", object_id=str(clock.pk)).get()
    assert event.user == team_manager
    assert event.child_ids == [discussion.request.children.get().pk]
    assert event.detail == {"code": "icpc_held", "state": "met"}


def test_a_reminder_is_audited_with_its_clock_and_children(
    social_worker: User, team_manager: User
) -> None:
    discussion = held_discussion(social_worker, team_manager)
    decisions = _clock(discussion, "decisions_circulated")
    clocks_remind(now=_at("2026-03-05T09:00"))
    event = AuditEvent.objects.get(action="clock-reminded", object_id=str(decisions.pk))
    assert event.user is None
    assert event.child_ids == [discussion.request.children.get().pk]
    assert event.detail == {"code": "decisions_circulated", "state": "open"}


def test_each_clock_keeps_the_procedures_rule_that_started_it(
    social_worker: User, team_manager: User
) -> None:
    discussion = held_discussion(social_worker, team_manager)
    answer = policy_clocks(
        profile=discussion.request.profile,
        identified_at=discussion.request.identified_at,
        held_at=NOW + timedelta(hours=1),
        section_47=True,
    )
    assert {clock.code: clock.rule for clock in Clock.objects.filter(discussion=discussion)} == {
        clock.code: clock.rule for clock in answer.clocks
    }
    assert all(clock.rule for clock in answer.clocks)


def test_each_clock_keeps_the_procedures_reason_for_it(
    social_worker: User, team_manager: User
) -> None:
    discussion = held_discussion(social_worker, team_manager)
    answer = policy_clocks(
        profile=discussion.request.profile,
        identified_at=discussion.request.identified_at,
        held_at=NOW + timedelta(hours=1),
        section_47=True,
    )
    assert {clock.code: clock.reason for clock in Clock.objects.filter(discussion=discussion)} == {
        clock.code: clock.reason for clock in answer.clocks
    }
    assert all(clock.reason for clock in answer.clocks)


def test_sandwell_4_2_a_complex_discussion_starts_the_clock_for_its_minutes(
    social_worker: User, team_manager: User
) -> None:
    discussion = started_discussion(
        worker=social_worker, chair=team_manager, children=[make_child(social_worker, "Amara")]
    )
    StrategyRequest.objects.filter(pk=discussion.request_id).update(discussion_type="complex")
    discussion.request.refresh_from_db()
    record_save(
        user=team_manager, discussion=discussion, values=RECORD, expected_version=0, now=CONCLUDED
    )
    decision_save(
        user=team_manager,
        discussion=discussion,
        child=discussion.request.children.get(),
        values={"outcome": "s47_joint", "rationale": "Bruising", "medical_decision": "arrange"},
        expected_version=0,
        now=CONCLUDED,
    )
    discussion_conclude(user=team_manager, discussion=discussion, now=CONCLUDED)
    minutes = _clock(discussion, "minutes_distributed")
    assert (minutes.rule, cite(minutes.source)) == (
        "sandwell-4-2-minutes-five-working-days",
        "Sandwell procedure §4.2",
    )
    assert _clock(discussion, "decisions_circulated").rule == "sandwell-4-2-decisions-24-hours"


def test_meeting_a_discussions_clock_leaves_another_discussions_clock_of_the_same_kind(
    social_worker: User, team_manager: User
) -> None:
    first = held_discussion(social_worker, team_manager)
    second = held_discussion(social_worker, team_manager, child_name="Kofi")
    met = clock_meet(
        discussion=second, code="decisions_circulated", at=CONCLUDED, user=social_worker
    )
    assert met is not None
    assert met == _clock(second, "decisions_circulated")
    assert _clock(first, "decisions_circulated").state == ClockState.OPEN
    # Only the clock of that kind: the conference is still to be held.
    assert _clock(second, "icpc_held").state == ClockState.OPEN
    held = clock_meet(discussion=first, code="icpc_held", at=CONCLUDED, user=social_worker)
    assert held == _clock(first, "icpc_held")
    event = AuditEvent.objects.get(action="clock-met", object_id=str(met.pk))
    assert event.user == social_worker


# --- the tick in batches, each committed on its own -------------------------------------


def test_the_tick_works_through_every_batch_of_clocks(
    social_worker: User, team_manager: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock_services, "BATCH", 1)
    first = held_discussion(social_worker, team_manager)
    second = held_discussion(social_worker, team_manager, child_name="Bola")
    circulated = {_clock(first, "decisions_circulated"), _clock(second, "decisions_circulated")}
    assert circulated <= set(clocks_remind(now=_at("2026-03-05T09:00")))
    later = _at("2027-03-01T10:00")
    open_clocks = set(Clock.objects.filter(state=ClockState.OPEN, due_at__lt=later))
    assert len(open_clocks) > 2
    assert set(clocks_mark_breached(now=later)) == open_clocks


def test_the_tick_commits_on_its_own_never_inside_a_callers_transaction(
    social_worker: User, team_manager: User
) -> None:
    held_discussion(social_worker, team_manager)
    for tick in (clocks_remind, clocks_mark_breached):
        with pytest.raises(RuntimeError), transaction.atomic():
            tick(now=_at("2026-03-06T10:00"))
