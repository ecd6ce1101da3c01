"""Professional disagreements: raised by a participant, escalated stage by stage, resolved.

Sandwell §12.0: senior managers, then the LSCB escalation policy. Gloucestershire
§Dispute Resolution and Escalation Procedure: professionals, line managers, strategy
discussion leads, the partnership.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.http import Http404

from strategise.audit.models import AuditEvent
from strategise.disagreements.models import Disagreement, DisagreementStatus, Move
from strategise.disagreements.selectors import disagreement_get, disagreement_list
from strategise.disagreements.services import (
    disagreement_escalate,
    disagreement_raise,
    disagreement_resolve,
    escalation_stages,
)
from strategise.discussions.models import Discussion
from strategise.notifications.models import Kind, Notification
from strategise.organisations.models import LocalAuthority, Role, User
from strategise.policy import LONDON
from strategise.problems import Problem
from tests.clocks.support import held_discussion
from tests.discussions.support import make_child, make_request, started_discussion
from tests.factories import AgencyFactory, LocalAuthorityFactory, UserFactory

RAISED = datetime(2026, 3, 5, 10, 0, tzinfo=LONDON)


@pytest.fixture
def discussion(social_worker: User, team_manager: User, police_officer: User) -> Discussion:
    """Held in Sandwell with the police officer invited; decided: section 47, joint."""
    return held_discussion(social_worker, team_manager, users={"police": police_officer})


@pytest.fixture
def police_inspector(authority: LocalAuthority) -> User:
    """A police manager the disagreement can be escalated to."""
    return UserFactory.create(agency=authority.agencies.get(kind="police"), role=Role.POLICE)


def _raise(user: User, discussion: Discussion, **changes: Any) -> Disagreement:
    arguments: dict[str, Any] = {
        "user": user,
        "request": discussion.request,
        "discussion": discussion,
        "subject": "outcome",
        "description": "The police view is that a single-agency enquiry would do.",
        "now": RAISED,
        **changes,
    }
    return disagreement_raise(**arguments)


# --- raising ------------------------------------------------------------------------


def test_an_invitee_raises_a_disagreement_at_the_procedures_first_stage(
    discussion: Discussion, police_officer: User, social_worker: User, team_manager: User
) -> None:
    disagreement = _raise(police_officer, discussion)
    assert (disagreement.stage, disagreement.stage_title, disagreement.stage_source) == (
        0,
        "Senior managers",
        "002_3bebd37290b13db4.txt §12.0",
    )
    assert (disagreement.holder, disagreement.held_since) == (police_officer, RAISED)
    assert disagreement.raised_by_agency == police_officer.agency
    assert [move.kind for move in disagreement.moves.all()] == [Move.Kind.RAISED]
    told = Notification.objects.filter(kind=Kind.DISAGREEMENT)
    assert {n.user for n in told} == {social_worker, team_manager}  # who raised it, the chair
    assert AuditEvent.objects.filter(
        action="disagreement-raised", object_id=str(disagreement.pk)
    ).exists()


def test_social_care_may_disagree_about_holding_a_discussion(social_worker: User) -> None:
    request = make_request(social_worker, [make_child(social_worker, "Amara")])
    disagreement = disagreement_raise(
        user=social_worker,
        request=request,
        subject="holding",
        description="The school's referral does not meet the threshold.",
        now=RAISED,
    )
    assert disagreement.discussion is None
    assert disagreement.get_subject_display() == "Whether to hold a strategy discussion"


def test_only_a_participant_may_raise_one(
    discussion: Discussion, health_practitioner: User, other_authority_social_worker: User
) -> None:
    # The health practitioner was invited by email, not as this user.
    for outsider in (health_practitioner, other_authority_social_worker):
        with pytest.raises(Problem, match="Only someone taking part"):
            _raise(outsider, discussion)


def test_raising_one_needs_what_it_is_about_and_why(
    discussion: Discussion, police_officer: User
) -> None:
    with pytest.raises(Problem) as caught:
        _raise(police_officer, discussion, subject="mood", description=" ")
    assert [field for field, _ in caught.value.errors] == ["subject", "description"]


def test_an_outcome_disagreement_is_about_a_discussion_that_was_held(
    social_worker: User, team_manager: User, police_officer: User
) -> None:
    started = started_discussion(
        worker=social_worker,
        chair=team_manager,
        children=[make_child(social_worker, "Amara")],
        users={"police": police_officer},
    )
    with pytest.raises(Problem, match="whose outcome you disagree with"):
        _raise(police_officer, started, subject="s47_outcome")
    with pytest.raises(Problem, match="whose outcome you disagree with"):
        disagreement_raise(
            user=police_officer,
            request=started.request,
            subject="outcome",
            description="No discussion named",
            now=RAISED,
        )


def test_the_discussion_must_belong_to_the_request(
    discussion: Discussion, social_worker: User
) -> None:
    other = make_request(social_worker, [make_child(social_worker, "Kai")])
    with pytest.raises(Problem, match="Choose a discussion of this request"):
        _raise(social_worker, discussion, request=other)


# --- escalating ---------------------------------------------------------------------


def test_escalating_moves_it_to_the_next_stage_and_tells_the_new_holder(
    discussion: Discussion, police_officer: User, police_inspector: User
) -> None:
    disagreement = _raise(police_officer, discussion)
    later = RAISED + timedelta(days=2)
    moved = disagreement_escalate(
        user=police_officer,
        disagreement=disagreement,
        note="Senior managers met on 6 March and could not agree.",
        expected_stage=0,
        holder=police_inspector,
        now=later,
    )
    assert (moved.stage, moved.stage_title, moved.holder, moved.held_since) == (
        1,
        "Safeguarding partnership escalation policy",
        police_inspector,
        later,
    )
    assert [m.kind for m in moved.moves.all()] == [Move.Kind.RAISED, Move.Kind.ESCALATED]
    told = Notification.objects.get(user=police_inspector)
    assert "escalated to you" in told.text
    assert "(Sandwell procedure §12.0)" in told.text
    assert AuditEvent.objects.filter(action="disagreement-escalated").count() == 1


def test_it_can_be_held_by_someone_outside_strategise(
    discussion: Discussion, police_officer: User
) -> None:
    moved = disagreement_escalate(
        user=police_officer,
        disagreement=_raise(police_officer, discussion),
        note="Referred to the partnership",
        expected_stage=0,
        holder_name="Sandwell Children's Safeguarding Partnership business unit",
        now=RAISED,
    )
    assert moved.holder is None
    assert moved.holder_name == "Sandwell Children's Safeguarding Partnership business unit"


def test_escalating_needs_a_note_and_a_holder(discussion: Discussion, police_officer: User) -> None:
    disagreement = _raise(police_officer, discussion)
    with pytest.raises(Problem) as caught:
        disagreement_escalate(
            user=police_officer, disagreement=disagreement, note="", expected_stage=0, now=RAISED
        )
    assert [field for field, _ in caught.value.errors] == ["note", "holder"]


def test_at_the_last_stage_it_can_only_be_resolved(
    discussion: Discussion, police_officer: User
) -> None:
    disagreement = disagreement_escalate(
        user=police_officer,
        disagreement=_raise(police_officer, discussion),
        note="Not agreed",
        expected_stage=0,
        holder_name="The partnership",
        now=RAISED,
    )
    with pytest.raises(Problem, match="last stage .*record how it was resolved"):
        disagreement_escalate(
            user=police_officer,
            disagreement=disagreement,
            note="Again",
            expected_stage=1,
            holder_name="Someone",
            now=RAISED,
        )


def test_two_people_escalating_at_once_are_not_both_applied(
    discussion: Discussion, police_officer: User, team_manager: User
) -> None:
    disagreement = _raise(police_officer, discussion)
    stale = Disagreement.objects.get(pk=disagreement.pk)
    arguments: dict[str, Any] = {"note": "Not agreed", "holder_name": "The partnership"}
    disagreement_escalate(
        user=police_officer, disagreement=disagreement, expected_stage=0, now=RAISED, **arguments
    )
    with pytest.raises(Problem, match="Someone else moved this disagreement on"):
        disagreement_escalate(
            user=team_manager, disagreement=stale, expected_stage=0, now=RAISED, **arguments
        )


def test_only_the_raiser_holder_or_a_manager_moves_it(
    discussion: Discussion, police_officer: User, social_worker: User
) -> None:
    disagreement = _raise(police_officer, discussion)
    with pytest.raises(Problem, match="can escalate it"):
        disagreement_escalate(
            user=social_worker,
            disagreement=disagreement,
            note="x",
            expected_stage=0,
            holder_name="y",
            now=RAISED,
        )
    with pytest.raises(Problem, match="can resolve it"):
        disagreement_resolve(
            user=social_worker,
            disagreement=disagreement,
            resolution="agreed",
            outcome="x",
            now=RAISED,
        )


# --- resolving ----------------------------------------------------------------------


def test_resolving_records_the_outcome_and_tells_whoever_raised_it(
    discussion: Discussion, police_officer: User, team_manager: User
) -> None:
    disagreement = _raise(police_officer, discussion)
    resolved = disagreement_resolve(
        user=team_manager,
        disagreement=disagreement,
        resolution="changed",
        outcome="Agreed a single-agency police investigation; the s47 enquiry closes.",
        now=RAISED + timedelta(days=1),
    )
    assert (resolved.status, resolved.resolution, resolved.resolved_by) == (
        DisagreementStatus.RESOLVED,
        "changed",
        team_manager,
    )
    assert resolved.moves.last().kind == Move.Kind.RESOLVED  # type: ignore[union-attr]
    told = Notification.objects.get(dedupe_key=f"disagreement:{resolved.pk}:resolved")
    assert told.user == police_officer
    assert "Agreed: the decision changes" in told.text
    with pytest.raises(Problem, match="already been resolved"):
        disagreement_resolve(
            user=team_manager, disagreement=resolved, resolution="agreed", outcome="x", now=RAISED
        )
    with pytest.raises(Problem, match="has been resolved"):
        disagreement_escalate(
            user=team_manager,
            disagreement=resolved,
            note="x",
            expected_stage=0,
            holder_name="y",
            now=RAISED,
        )


def test_resolving_needs_how_and_the_outcome(discussion: Discussion, police_officer: User) -> None:
    disagreement = _raise(police_officer, discussion)
    with pytest.raises(Problem) as caught:
        disagreement_resolve(
            user=police_officer, disagreement=disagreement, resolution="", outcome="", now=RAISED
        )
    assert [field for field, _ in caught.value.errors] == ["resolution", "outcome"]


def test_withdrawn_by_whoever_raised_it_tells_nobody(
    discussion: Discussion, police_officer: User
) -> None:
    disagreement = _raise(police_officer, discussion)
    disagreement_resolve(
        user=police_officer,
        disagreement=disagreement,
        resolution="withdrawn",
        outcome="New information answers the concern.",
        now=RAISED,
    )
    assert not Notification.objects.filter(dedupe_key__endswith=":resolved").exists()


def test_someone_resolving_at_the_same_time_is_told(
    discussion: Discussion, police_officer: User, team_manager: User
) -> None:
    disagreement = _raise(police_officer, discussion)
    stale = Disagreement.objects.get(pk=disagreement.pk)
    disagreement_resolve(
        user=police_officer,
        disagreement=disagreement,
        resolution="withdrawn",
        outcome="x",
        now=RAISED,
    )
    with pytest.raises(Problem, match="Someone else resolved"):
        disagreement_resolve(
            user=team_manager, disagreement=stale, resolution="agreed", outcome="y", now=RAISED
        )


# --- stages from the procedure ---------------------------------------------------------


def test_gloucestershire_starts_with_the_professionals_concerned() -> None:
    titles = [stage["title"] for stage in escalation_stages("gloucestershire")]
    assert titles == [
        "Professional to professional",
        "Line managers",
        "Strategy discussion leads",
        "Safeguarding partnership",
    ]


def test_a_procedure_without_a_dispute_clause_uses_the_usual_route_and_says_so(
    db: None,
) -> None:
    stages = escalation_stages("birmingham")
    assert [(stage["title"], stage["holder"]) for stage in stages] == [
        ("Professional to professional", "The professionals where the difference exists"),
        ("Line managers", "The line managers of the professionals concerned"),
        ("Strategy discussion leads", "Each agency's strategy discussion lead"),
        ("Safeguarding partnership", "The local safeguarding partnership"),
    ]
    assert {stage["source"] for stage in stages} == {
        "No local clause: the safeguarding partnership's escalation procedure"
    }
    birmingham = LocalAuthorityFactory.create(profile="birmingham")
    worker = UserFactory.create(
        agency=AgencyFactory.create(local_authority=birmingham, kind="childrens_social_care")
    )
    disagreement = disagreement_raise(
        user=worker,
        request=make_request(worker, [make_child(worker, "Amira")]),
        subject="holding",
        description="Threshold not met",
        now=RAISED,
    )
    assert disagreement.stage_source.startswith("No local clause")


# --- reading --------------------------------------------------------------------------


def test_who_sees_a_disagreement(
    discussion: Discussion,
    police_officer: User,
    police_inspector: User,
    social_worker: User,
    other_authority_social_worker: User,
    analyst: User,
) -> None:
    disagreement = disagreement_escalate(
        user=police_officer,
        disagreement=_raise(police_officer, discussion),
        note="Not agreed",
        expected_stage=0,
        holder=police_inspector,
        now=RAISED,
    )
    for viewer in (police_officer, police_inspector, social_worker):
        detail = disagreement_get(user=viewer, pk=disagreement.pk)
        assert [m.kind for m in detail.moves] == [Move.Kind.RAISED, Move.Kind.ESCALATED]
    for outsider in (other_authority_social_worker, analyst):
        with pytest.raises(Http404):
            disagreement_get(user=outsider, pk=disagreement.pk)
    assert AuditEvent.objects.filter(action="view", object_id=str(disagreement.pk)).count() == 3


def test_the_detail_says_what_can_happen_next(
    discussion: Discussion, police_officer: User, social_worker: User
) -> None:
    disagreement = _raise(police_officer, discussion)
    mine = disagreement_get(user=police_officer, pk=disagreement.pk)
    assert mine.may_move
    assert mine.next_stage is not None
    assert mine.next_stage["title"] == "Safeguarding partnership escalation policy"
    assert not disagreement_get(user=social_worker, pk=disagreement.pk).may_move
    disagreement_resolve(
        user=police_officer,
        disagreement=disagreement,
        resolution="withdrawn",
        outcome="x",
        now=RAISED,
    )
    assert disagreement_get(user=police_officer, pk=disagreement.pk).next_stage is None


def test_the_list_is_open_ones_longest_held_first(
    discussion: Discussion, police_officer: User, social_worker: User
) -> None:
    older = _raise(police_officer, discussion, now=RAISED - timedelta(days=3))
    newer = _raise(police_officer, discussion)
    closed = _raise(police_officer, discussion)
    disagreement_resolve(
        user=police_officer, disagreement=closed, resolution="withdrawn", outcome="x", now=RAISED
    )
    listed = disagreement_list(user=social_worker)
    assert [entry.disagreement for entry in listed] == [older, newer]
    assert [entry.about for entry in listed] == [discussion.request.children.get().full_name] * 2
    assert [
        entry.disagreement
        for entry in disagreement_list(
            user=social_worker, request_id=discussion.request_id, open_only=False
        )
    ] == [
        older,
        newer,
        closed,
    ]
    assert AuditEvent.objects.filter(action="list-disagreements").count() == 2
