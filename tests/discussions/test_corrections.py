"""Concluded means locked; a correction opens the record again (issue 10).

Each test is named after the rule it holds, with the procedure's clause where one applies.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import transaction

from strategise.access import may_correct
from strategise.actions.services import action_create, action_update
from strategise.audit.models import AuditEvent
from strategise.audit.verification import audit_verify
from strategise.clocks.models import Clock, ClockState
from strategise.clocks.services import remind_at
from strategise.discussions.concluding import discussion_conclude
from strategise.discussions.corrections import correction_close, correction_open
from strategise.discussions.decisions import (
    decision_confirm_no_further_action,
    decision_save,
    dissent_record,
)
from strategise.discussions.models import ChildDecision, Correction, Discussion
from strategise.discussions.recording import (
    contribution_save,
    contribution_update_add,
    record_save,
)
from strategise.minutes.models import Minutes, MinutesStatus
from strategise.minutes.services import minutes_approve, minutes_draft
from strategise.organisations.models import LocalAuthority, Role, User
from strategise.problems import Problem
from strategise.reports.period import Period
from strategise.reports.returns import section_47_enquiries
from tests.discussions.support import NOW, invitation, make_child, started_discussion
from tests.discussions.test_recording import COMPLETE_RECORD
from tests.factories import AgencyFactory, LocalAuthorityFactory, UserFactory

LATER = NOW + timedelta(hours=2)
NEXT_DAY = NOW + timedelta(days=1)
CONCLUDED = "This discussion was concluded on Wednesday 4 March 2026, 1pm: open a correction"


@pytest.fixture
def discussion(social_worker: User, team_manager: User, police_officer: User) -> Discussion:
    return started_discussion(
        worker=social_worker,
        chair=team_manager,
        children=[make_child(social_worker, "Amara")],
        users={"police": police_officer},
    )


def _decide(user: User, discussion: Discussion, outcome: str, version: int = 0) -> ChildDecision:
    return decision_save(
        user=user,
        discussion=discussion,
        child=discussion.request.children.get(),
        values={
            "outcome": outcome,
            # A section 47 enquiry recommends the child's own initial conference.
            "also": ["recommend_icpc"] if outcome.startswith("s47") else [],
            "rationale": f"Rationale for {outcome}",
            "medical_decision": "arrange",
        },
        expected_version=version,
        now=LATER,
    )


def _concluded(discussion: Discussion, chair: User, outcome: str = "s47_joint") -> Discussion:
    record_save(
        user=chair, discussion=discussion, values=COMPLETE_RECORD, expected_version=0, now=LATER
    )
    decision = _decide(chair, discussion, outcome)
    if outcome == "nfa":
        decision_confirm_no_further_action(user=chair, decision=decision, reasons="Agreed")
    return discussion_conclude(user=chair, discussion=discussion, now=LATER)


def _icpc(discussion: Discussion) -> Clock:
    return Clock.objects.get(discussion=discussion, code="icpc_held")


# --- concluded means locked ------------------------------------------------------------


def test_a_concluded_record_refuses_every_change_naming_when_it_was_concluded(
    discussion: Discussion, team_manager: User, police_officer: User
) -> None:
    _concluded(discussion, team_manager)
    police = invitation(discussion, "police")
    attempts: dict[str, Any] = {
        "record": lambda: record_save(
            user=team_manager,
            discussion=discussion,
            values={"background": "Later"},
            expected_version=1,
            now=NEXT_DAY,
        ),
        "contribution": lambda: contribution_save(
            user=police_officer,
            invitation=police,
            text="Rewritten",
            not_for_family=False,
            consent_needed=False,
            expected_version=0,
            now=NEXT_DAY,
        ),
        "decision": lambda: _decide(team_manager, discussion, "nfa", version=1),
        "dissent": lambda: dissent_record(
            user=police_officer,
            discussion=discussion,
            invitation=police,
            about="The decision",
            reasons="Late",
        ),
        "action": lambda: action_create(
            user=team_manager,
            discussion=discussion,
            description="Visit",
            agency_code="childrens_social_care",
            due_at=NEXT_DAY,
            owner=team_manager,
        ),
    }
    refused = {}
    for what, attempt in attempts.items():
        with pytest.raises(Problem) as caught:
            attempt()
        refused[what] = str(caught.value)
    assert all(message.startswith(CONCLUDED) for message in refused.values()), refused
    assert discussion.record.background == ""


def test_confirming_no_further_action_is_refused_once_concluded_sandwell_10_0(
    discussion: Discussion, team_manager: User
) -> None:
    _concluded(discussion, team_manager, "nfa")
    decision = discussion.decisions.get()
    with pytest.raises(Problem, match=CONCLUDED):
        decision_confirm_no_further_action(user=team_manager, decision=decision, reasons="Again")
    decision.refresh_from_db()
    assert decision.nfa_confirmation == "Agreed"


def test_action_progress_by_its_owner_continues_after_conclusion(
    discussion: Discussion, team_manager: User, police_officer: User
) -> None:
    action = action_create(
        user=team_manager,
        discussion=discussion,
        description="Police checks",
        agency_code="police",
        due_at=NEXT_DAY,
        owner=police_officer,
    )
    _concluded(discussion, team_manager)
    action_update(user=police_officer, action=action, status="done", completion_note="Checked")
    action.refresh_from_db()
    assert (action.status, action.completion_note, action.version) == ("done", "Checked", 2)


def test_concluding_an_already_concluded_discussion_is_refused(
    discussion: Discussion, team_manager: User
) -> None:
    _concluded(discussion, team_manager)
    clocks = Clock.objects.filter(discussion=discussion).count()
    with pytest.raises(Problem, match=CONCLUDED.replace("was concluded", "was concluded")):
        discussion_conclude(user=team_manager, discussion=discussion, now=NEXT_DAY)
    stale = Discussion.objects.get(pk=discussion.pk)
    stale.status, stale.version = "started", stale.version - 1  # as read before it concluded
    with pytest.raises(Problem, match="concluded on"):
        discussion_conclude(user=team_manager, discussion=stale, now=NEXT_DAY)
    assert Clock.objects.filter(discussion=discussion).count() == clocks
    assert AuditEvent.objects.filter(action="conclude").count() == 1


def test_concluding_is_audited_with_its_clocks_and_children(
    discussion: Discussion, team_manager: User
) -> None:
    _concluded(discussion, team_manager)
    event = AuditEvent.objects.get(action="conclude")
    assert event.user == team_manager
    assert event.object_id == str(discussion.pk)
    assert event.child_ids == [discussion.request.children.get().pk]
    assert event.detail["section_47"] is True
    assert "icpc_held" in event.detail["clocks"]


# --- who opens a correction, and why ---------------------------------------------------


def test_the_chair_or_a_team_manager_and_above_may_correct(
    discussion: Discussion,
    authority: LocalAuthority,
    team_manager: User,
    social_worker: User,
    police_officer: User,
    analyst: User,
) -> None:
    social_care = authority.agencies.get(kind="childrens_social_care")
    other_manager = UserFactory.create(agency=social_care, role=Role.SERVICE_MANAGER)
    gone = UserFactory.create(agency=social_care, role=Role.SERVICE_MANAGER, is_active=False)
    assert may_correct(team_manager, discussion)  # the chair
    assert may_correct(other_manager, discussion)
    assert not may_correct(social_worker, discussion)
    assert not may_correct(police_officer, discussion)
    assert not may_correct(analyst, discussion)
    assert not may_correct(gone, discussion)


def test_a_social_worker_cannot_open_a_correction(
    discussion: Discussion, team_manager: User, social_worker: User
) -> None:
    _concluded(discussion, team_manager)
    with pytest.raises(Problem, match="Only the chair or a team manager"):
        correction_open(user=social_worker, discussion=discussion, reason="Typo", now=NEXT_DAY)


def test_a_correction_needs_its_reason(discussion: Discussion, team_manager: User) -> None:
    _concluded(discussion, team_manager)
    with pytest.raises(Problem) as caught:
        correction_open(user=team_manager, discussion=discussion, reason=" ", now=NEXT_DAY)
    assert caught.value.errors == [("reason", "Give the reason for the correction")]


def test_only_a_concluded_discussion_is_corrected(
    discussion: Discussion, team_manager: User
) -> None:
    with pytest.raises(Problem) as caught:
        correction_open(user=team_manager, discussion=discussion, reason="Typo", now=NEXT_DAY)
    assert caught.value.errors == [
        (None, "Only a concluded discussion is corrected: until then, edit the record")
    ]


def test_one_correction_at_a_time(discussion: Discussion, team_manager: User) -> None:
    _concluded(discussion, team_manager)
    correction_open(user=team_manager, discussion=discussion, reason="Typo", now=NEXT_DAY)
    with pytest.raises(Problem) as caught:
        correction_open(user=team_manager, discussion=discussion, reason="Again", now=NEXT_DAY)
    assert caught.value.errors == [
        (None, "A correction of this record is already open: close it first")
    ]


def test_a_repeated_correction_form_answers_with_the_correction_it_opened(
    discussion: Discussion, team_manager: User
) -> None:
    _concluded(discussion, team_manager)
    arguments: dict[str, Any] = {
        "user": team_manager,
        "discussion": discussion,
        "reason": "Typo",
        "now": NEXT_DAY,
        "token": "correction-form-1",
    }
    first = correction_open(**arguments)
    assert correction_open(**arguments) == first
    assert Correction.objects.count() == 1
    assert AuditEvent.objects.filter(action="correction-open").count() == 1


def test_opening_a_correction_from_a_stale_page_is_refused(
    discussion: Discussion, team_manager: User
) -> None:
    _concluded(discussion, team_manager)
    stale = Discussion.objects.get(pk=discussion.pk)
    correction_open(user=team_manager, discussion=discussion, reason="Typo", now=NEXT_DAY)
    correction_close(user=team_manager, discussion=discussion, now=NEXT_DAY)
    with pytest.raises(Problem) as caught:
        correction_open(user=team_manager, discussion=stale, reason="Again", now=NEXT_DAY)
    assert caught.value.errors == [
        (
            None,
            "Someone else changed this discussion while you were opening a correction: reload it",
        )
    ]


# --- while it is open, and closing it --------------------------------------------------


def test_while_a_correction_is_open_the_record_is_editable_and_the_reason_audited(
    discussion: Discussion, team_manager: User
) -> None:
    _concluded(discussion, team_manager)
    correction_open(user=team_manager, discussion=discussion, reason="Background", now=NEXT_DAY)
    record = record_save(
        user=team_manager,
        discussion=discussion,
        values={"background": "Known to early help"},
        expected_version=1,
        now=NEXT_DAY,
    )
    assert record.background == "Known to early help"
    event = AuditEvent.objects.get(action="correction-open")
    assert (event.user, event.detail) == (team_manager, {"reason": "Background"})
    assert event.child_ids == [discussion.request.children.get().pk]


def test_corrections_and_updates_join_the_authoritys_audit_chain_whoever_makes_them(
    discussion: Discussion, team_manager: User, police_officer: User, authority: LocalAuthority
) -> None:
    """The record's events join its authority's chain: a chair and an officer who have
    since moved to another authority still correct and update it in Sandwell's chain, in
    the transaction of the change, and every chain stays intact."""
    police = invitation(discussion, "police")
    contribution_save(
        user=police_officer,
        invitation=police,
        text="A call-out",
        not_for_family=False,
        consent_needed=False,
        expected_version=0,
        now=LATER,
    )
    _concluded(discussion, team_manager)
    elsewhere = LocalAuthorityFactory.create(name="Dudley", slug="dudley", profile="sandwell")
    for user, kind in ((team_manager, "childrens_social_care"), (police_officer, "police")):
        user.agency = AgencyFactory.create(local_authority=elsewhere, kind=kind)
        user.save(update_fields=["agency"])
    correction_open(user=team_manager, discussion=discussion, reason="Typo", now=NEXT_DAY)
    correction_close(user=team_manager, discussion=discussion, now=NEXT_DAY)
    contribution_update_add(user=police_officer, invitation=police, text="Charged", now=NEXT_DAY)
    events = AuditEvent.objects.filter(
        action__in=["correction-open", "correction-close", "contribution-update"]
    ).order_by("pk")
    assert [(event.action, event.local_authority_id) for event in events] == [
        ("correction-open", authority.pk),
        ("correction-close", authority.pk),
        ("contribution-update", authority.pk),
    ]
    assert audit_verify().intact


def test_closing_a_correction_passes_the_checks_of_concluding_sandwell_10_0(
    discussion: Discussion, team_manager: User
) -> None:
    """s47 corrected to no further action needs a team manager's confirmation again."""
    _concluded(discussion, team_manager)
    correction_open(user=team_manager, discussion=discussion, reason="Accident", now=NEXT_DAY)
    _decide(team_manager, discussion, "nfa", version=1)
    with pytest.raises(Problem) as caught:
        correction_close(user=team_manager, discussion=discussion, now=NEXT_DAY)
    assert caught.value.errors == [
        (
            "decisions",
            "A team manager must confirm no further action for Amara Okafor, with reasons "
            "(Sandwell procedure §10.0)",
        )
    ]
    assert Correction.objects.get().closed_at is None


def test_an_nfa_decision_changed_in_a_correction_is_confirmed_again_sandwell_10_0(
    discussion: Discussion, team_manager: User
) -> None:
    _concluded(discussion, team_manager, "nfa")
    correction_open(user=team_manager, discussion=discussion, reason="Rationale", now=NEXT_DAY)
    decision_save(
        user=team_manager,
        discussion=discussion,
        child=discussion.request.children.get(),
        values={
            "outcome": "nfa",
            "also": [],
            "rationale": "Accidental, seen by the GP",
            "medical_decision": "arrange",
        },
        expected_version=1,
        now=NEXT_DAY,
    )
    decision = ChildDecision.objects.get()
    assert (decision.nfa_confirmed_by, decision.nfa_confirmation) == (None, "")


def test_a_national_discussion_corrected_to_nfa_closes_without_a_confirmation(
    authority: LocalAuthority, social_worker: User, team_manager: User
) -> None:
    authority.profile = "national"
    authority.save(update_fields=["profile"])
    discussion = started_discussion(
        worker=social_worker, chair=team_manager, children=[make_child(social_worker, "Amara")]
    )
    _concluded(discussion, team_manager)
    correction_open(user=team_manager, discussion=discussion, reason="Accident", now=NEXT_DAY)
    _decide(team_manager, discussion, "nfa", version=1)
    assert correction_close(user=team_manager, discussion=discussion, now=NEXT_DAY).closed_at


def test_closing_the_correction_locks_the_record_again(
    discussion: Discussion, team_manager: User
) -> None:
    _concluded(discussion, team_manager)
    correction_open(user=team_manager, discussion=discussion, reason="Typo", now=NEXT_DAY)
    correction_close(user=team_manager, discussion=discussion, now=NEXT_DAY)
    with pytest.raises(Problem, match=CONCLUDED):
        record_save(
            user=team_manager,
            discussion=discussion,
            values={"background": "Later"},
            expected_version=1,
            now=NEXT_DAY,
        )
    with pytest.raises(Problem, match="No correction of this record is open"):
        correction_close(user=team_manager, discussion=discussion, now=NEXT_DAY)


def test_a_correction_from_section_47_to_nfa_stops_the_icpc_clock_with_its_reason(
    discussion: Discussion, team_manager: User
) -> None:
    _concluded(discussion, team_manager)
    assert _icpc(discussion).state == ClockState.OPEN
    correction_open(user=team_manager, discussion=discussion, reason="Accident", now=NEXT_DAY)
    decision = _decide(team_manager, discussion, "nfa", version=1)
    decision_confirm_no_further_action(user=team_manager, decision=decision, reasons="Agreed")
    correction_close(user=team_manager, discussion=discussion, now=NEXT_DAY)
    clock = _icpc(discussion)
    assert (clock.state, clock.stopped_reason, clock.stopped_at) == (
        ClockState.STOPPED,
        "Corrected: Accident",
        NEXT_DAY,
    )
    stopped = AuditEvent.objects.get(action="clock-stopped")
    assert stopped.detail == {"code": "icpc_held", "reason": "Accident"}
    assert stopped.child_ids == [discussion.request.children.get().pk]
    closed = AuditEvent.objects.get(action="correction-close")
    assert closed.detail["clocks_stopped"] == ["icpc_held"]
    assert closed.detail["section_47"] is False


def test_a_correction_from_nfa_to_section_47_starts_the_icpc_clock_sandwell_2_0(
    discussion: Discussion, team_manager: User
) -> None:
    _concluded(discussion, team_manager, "nfa")
    assert not Clock.objects.filter(discussion=discussion, code="icpc_held").exists()
    correction_open(user=team_manager, discussion=discussion, reason="Disclosure", now=NEXT_DAY)
    _decide(team_manager, discussion, "s47_joint", version=1)
    correction_close(user=team_manager, discussion=discussion, now=NEXT_DAY)
    clock = _icpc(discussion)
    assert clock.state == ClockState.OPEN
    assert clock.source == "002_3bebd37290b13db4.txt §2.0"
    # Counted from when the discussion was held, as if it had decided so then.
    assert clock.due_at.isoformat() == "2026-03-25T23:59:59+00:00"
    assert AuditEvent.objects.get(action="clock-started").detail["code"] == "icpc_held"


def test_a_clock_a_correction_stopped_starts_again_when_corrected_back(
    discussion: Discussion, team_manager: User
) -> None:
    _concluded(discussion, team_manager)
    correction_open(user=team_manager, discussion=discussion, reason="Accident", now=NEXT_DAY)
    decision = _decide(team_manager, discussion, "nfa", version=1)
    decision_confirm_no_further_action(user=team_manager, decision=decision, reasons="Agreed")
    correction_close(user=team_manager, discussion=discussion, now=NEXT_DAY)
    correction_open(user=team_manager, discussion=discussion, reason="Disclosure", now=NEXT_DAY)
    _decide(team_manager, discussion, "s47_joint", version=2)
    correction_close(user=team_manager, discussion=discussion, now=NEXT_DAY)
    clock = _icpc(discussion)
    assert (clock.state, clock.stopped_reason, clock.stopped_at) == (ClockState.OPEN, "", None)
    # Its reminder is due again, as when it first started.
    assert clock.remind_at == remind_at(
        profile=discussion.request.profile, started_at=clock.started_at, due_at=clock.due_at
    )
    assert clock.remind_at is not None and clock.remind_at > NEXT_DAY


def test_a_clock_a_manager_stopped_is_not_started_again_by_a_correction(
    discussion: Discussion, team_manager: User
) -> None:
    _concluded(discussion, team_manager)
    Clock.objects.filter(discussion=discussion, code="icpc_held").update(
        state=ClockState.STOPPED, stopped_reason="The family moved away"
    )
    correction_open(user=team_manager, discussion=discussion, reason="Typo", now=NEXT_DAY)
    correction_close(user=team_manager, discussion=discussion, now=NEXT_DAY)
    assert _icpc(discussion).stopped_reason == "The family moved away"


def test_closing_a_correction_drafts_the_next_minutes_and_the_approved_stays_frozen(
    discussion: Discussion, team_manager: User
) -> None:
    _concluded(discussion, team_manager)
    first = minutes_approve(
        user=team_manager,
        minutes=minutes_draft(user=team_manager, discussion=discussion, now=LATER),
        revision=1,
        now=LATER,
    )
    frozen = first.document
    correction_open(user=team_manager, discussion=discussion, reason="Accident", now=NEXT_DAY)
    with pytest.raises(Problem, match="close the correction before drafting"):
        minutes_draft(user=team_manager, discussion=discussion, now=NEXT_DAY, correction_reason="x")
    decision = _decide(team_manager, discussion, "nfa", version=1)
    decision_confirm_no_further_action(user=team_manager, decision=decision, reasons="Agreed")
    correction_close(user=team_manager, discussion=discussion, now=NEXT_DAY)
    second = Minutes.objects.get(discussion=discussion, number=2)
    assert (second.status, second.correction_reason) == (MinutesStatus.DRAFT, "Accident")
    assert "No further action" in str(second.document["sections"])
    first.refresh_from_db()
    assert (first.status, first.document) == (MinutesStatus.APPROVED, frozen)
    minutes_approve(user=team_manager, minutes=second, revision=second.revision, now=NEXT_DAY)
    first.refresh_from_db()
    assert (first.status, first.document) == (MinutesStatus.SUPERSEDED, frozen)


def test_minutes_are_not_approved_while_a_correction_is_open(
    discussion: Discussion, team_manager: User
) -> None:
    _concluded(discussion, team_manager)
    draft = minutes_draft(user=team_manager, discussion=discussion, now=LATER)
    correction_open(user=team_manager, discussion=discussion, reason="Typo", now=NEXT_DAY)
    with pytest.raises(Problem, match="close the correction before approving"):
        minutes_approve(user=team_manager, minutes=draft, revision=draft.revision, now=NEXT_DAY)


def test_without_minutes_closing_a_correction_drafts_none(
    discussion: Discussion, team_manager: User
) -> None:
    _concluded(discussion, team_manager)
    correction_open(user=team_manager, discussion=discussion, reason="Typo", now=NEXT_DAY)
    correction_close(user=team_manager, discussion=discussion, now=NEXT_DAY)
    assert not Minutes.objects.filter(discussion=discussion).exists()
    assert AuditEvent.objects.get(action="correction-close").detail["minutes"] is None


# --- an agency's post-meeting update ---------------------------------------------------


def test_an_agency_adds_a_dated_update_and_its_contribution_is_never_rewritten(
    discussion: Discussion, team_manager: User, police_officer: User
) -> None:
    police = invitation(discussion, "police")
    contribution_save(
        user=police_officer,
        invitation=police,
        text="A call-out in 2025",
        not_for_family=False,
        consent_needed=False,
        expected_version=0,
        now=LATER,
    )
    with pytest.raises(Problem, match="Updates are added after the discussion"):
        contribution_update_add(user=police_officer, invitation=police, text="Too soon", now=LATER)
    _concluded(discussion, team_manager)
    update = contribution_update_add(
        user=police_officer, invitation=police, text="The uncle was charged", now=NEXT_DAY
    )
    assert (update.added_at, update.added_by) == (NEXT_DAY, police_officer)
    police.contribution.refresh_from_db()
    assert police.contribution.text == "A call-out in 2025"
    minutes = minutes_draft(user=team_manager, discussion=discussion, now=NEXT_DAY)
    shared = str(minutes.document["sections"])
    assert "A call-out in 2025" in shared
    assert "Update added Thursday 5 March 2026, 11am by" in shared
    assert "The uncle was charged" in shared


def test_an_update_needs_its_text_and_a_recorded_contribution(
    discussion: Discussion, team_manager: User, police_officer: User, health_practitioner: User
) -> None:
    _concluded(discussion, team_manager)
    police = invitation(discussion, "police")
    with pytest.raises(Problem) as caught:
        contribution_update_add(user=police_officer, invitation=police, text="x", now=NEXT_DAY)
    assert caught.value.errors == [
        (None, "This agency's contribution was not recorded, so there is nothing to update")
    ]
    with pytest.raises(Problem, match="Only the agency's own representative"):
        contribution_update_add(user=health_practitioner, invitation=police, text="x", now=NEXT_DAY)


def test_the_returns_follow_a_corrected_decision(
    discussion: Discussion, team_manager: User, authority: LocalAuthority
) -> None:
    """The CIN census and Annex A read the decisions: an enquiry corrected to no further
    action is no longer one."""
    march = Period(date(2026, 3, 1), date(2026, 3, 31))
    _concluded(discussion, team_manager)
    assert [e.child_pk for e in section_47_enquiries(authority=authority, period=march)] == [
        discussion.request.children.get().pk
    ]
    correction_open(user=team_manager, discussion=discussion, reason="Accident", now=NEXT_DAY)
    decision = _decide(team_manager, discussion, "nfa", version=1)
    decision_confirm_no_further_action(user=team_manager, decision=decision, reasons="Agreed")
    correction_close(user=team_manager, discussion=discussion, now=NEXT_DAY)
    assert section_47_enquiries(authority=authority, period=march) == []


def test_closing_a_correction_is_audited_with_its_clocks_and_minutes_by_whoever_closed_it(
    discussion: Discussion, team_manager: User, authority: LocalAuthority
) -> None:
    _concluded(discussion, team_manager)
    minutes_approve(
        user=team_manager,
        minutes=minutes_draft(user=team_manager, discussion=discussion, now=LATER),
        revision=1,
        now=LATER,
    )
    manager = UserFactory.create(
        agency=authority.agencies.get(kind="childrens_social_care"), role=Role.SERVICE_MANAGER
    )
    correction_open(user=manager, discussion=discussion, reason="Accident", now=NEXT_DAY)
    decision = _decide(manager, discussion, "nfa", version=1)
    decision_confirm_no_further_action(user=manager, decision=decision, reasons="Agreed")
    correction_close(user=manager, discussion=discussion, now=NEXT_DAY)
    closed = AuditEvent.objects.get(action="correction-close")
    assert (closed.user, closed.object_type) == (manager, "discussions.Correction")
    assert closed.object_id == str(Correction.objects.get().pk)
    assert closed.detail == {
        "section_47": False,
        "clocks_started": [],
        "clocks_stopped": ["icpc_held"],
        "minutes": 2,
    }
    stopped = AuditEvent.objects.get(action="clock-stopped", object_id=str(_icpc(discussion).pk))
    assert stopped.user == manager
    assert stopped.child_ids == [discussion.request.children.get().pk]


def test_an_update_needs_its_text_at_the_text_field_and_a_repeated_form_adds_one(
    discussion: Discussion, team_manager: User, police_officer: User
) -> None:
    police = invitation(discussion, "police")
    contribution_save(
        user=police_officer,
        invitation=police,
        text="A call-out",
        not_for_family=False,
        consent_needed=False,
        expected_version=0,
        now=LATER,
    )
    _concluded(discussion, team_manager)
    with pytest.raises(Problem) as caught:
        contribution_update_add(user=police_officer, invitation=police, text=" ", now=NEXT_DAY)
    assert caught.value.errors == [("text", "Enter the update")]
    arguments: dict[str, Any] = {
        "user": police_officer,
        "invitation": police,
        "text": "Charged",
        "now": NEXT_DAY,
        "token": "update-form-1",
    }
    first = contribution_update_add(**arguments)
    assert contribution_update_add(**arguments) == first
    assert police.contribution.updates.count() == 1
    # The same form sent again after going Back and clearing it answers with the first: a
    # post already answered is not checked again.
    assert contribution_update_add(**{**arguments, "text": ""}) == first
    # Without a form token each update is its own.
    second = contribution_update_add(**{**arguments, "token": ""})
    third = contribution_update_add(**{**arguments, "token": "", "text": "Bailed"})
    assert len({first.pk, second.pk, third.pk}) == 3
    del arguments["token"]
    assert contribution_update_add(**arguments) != contribution_update_add(**arguments)


def test_closing_a_correction_from_a_stale_page_is_refused(
    discussion: Discussion, team_manager: User
) -> None:
    _concluded(discussion, team_manager)
    correction_open(user=team_manager, discussion=discussion, reason="Typo", now=NEXT_DAY)
    stale = Discussion.objects.get(pk=discussion.pk)
    correction_close(user=team_manager, discussion=discussion, now=NEXT_DAY)
    # Closing is one more version of the discussion, and the page that closed it has it.
    assert discussion.version == stale.version + 1
    assert Discussion.objects.get(pk=discussion.pk).version == discussion.version
    with pytest.raises(Problem) as caught:
        correction_close(user=team_manager, discussion=stale, now=NEXT_DAY)
    assert caught.value.errors == [
        (
            None,
            "Someone else changed this discussion while you were closing the correction: reload it",
        )
    ]


def test_a_correction_is_opened_in_a_transaction_of_its_own(
    discussion: Discussion, team_manager: User
) -> None:
    _concluded(discussion, team_manager)
    with pytest.raises(RuntimeError), transaction.atomic():
        correction_open(user=team_manager, discussion=discussion, reason="Typo", now=NEXT_DAY)
    assert not Correction.objects.exists()
