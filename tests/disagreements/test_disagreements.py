"""Professional disagreements: raised by a participant, escalated stage by stage, resolved.

Sandwell §12.0: senior managers in the respective agencies, then the LSCB escalation
policy. Gloucestershire §Dispute Resolution and Escalation Procedure: the professional
where the difference exists, line managers, strategy discussion leads, the partnership.
At each stage the holder is whoever the procedure names, never simply whoever raised it.
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
from tests.factories import AgencyFactory, LocalAuthorityFactory, TeamFactory, UserFactory

RAISED = datetime(2026, 3, 5, 10, 0, tzinfo=LONDON)


@pytest.fixture
def discussion(social_worker: User, team_manager: User, police_officer: User) -> Discussion:
    """Held in Sandwell with the police officer invited; decided: section 47, joint."""
    return held_discussion(social_worker, team_manager, users={"police": police_officer})


@pytest.fixture
def police_inspector(authority: LocalAuthority) -> User:
    """The police's senior manager, as the agency records them."""
    police = authority.agencies.get(kind="police")
    inspector = UserFactory.create(agency=police, role=Role.POLICE)
    police.senior_manager = inspector
    police.save(update_fields=["senior_manager"])
    return inspector


@pytest.fixture
def head_of_service(authority: LocalAuthority) -> User:
    """Social care's head of service: its senior manager where none is named."""
    return UserFactory.create(
        agency=authority.agencies.get(kind="childrens_social_care"), role=Role.HEAD_OF_SERVICE
    )


OUTSIDE = {"outside_name": "Jo Patel", "outside_email": "jo.patel@sandwellcsp.org.uk"}


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
    assert disagreement.held_since == RAISED
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


def test_sandwell_12_0_it_is_held_by_a_senior_manager_of_each_agency_concerned(
    discussion: Discussion,
    police_officer: User,
    police_inspector: User,
    head_of_service: User,
    social_worker: User,
    team_manager: User,
) -> None:
    disagreement = _raise(police_officer, discussion)
    # The police's named senior manager, and social care's head of service (none named).
    assert set(disagreement.holders.all()) == {police_inspector, head_of_service}
    assert police_officer not in disagreement.holders.all()
    assert disagreement.holder_name == f"{police_inspector}, {head_of_service}"
    told = {n.user: n.text for n in Notification.objects.filter(kind=Kind.DISAGREEMENT)}
    assert set(told) == {social_worker, team_manager, police_inspector, head_of_service}
    assert "You hold it now (Senior managers, Sandwell procedure §12.0)" in told[police_inspector]
    assert f"held by {police_inspector}, {head_of_service}" in told[team_manager]


def test_sandwell_12_0_an_agency_with_no_senior_manager_recorded_is_named(
    discussion: Discussion, police_officer: User, head_of_service: User
) -> None:
    disagreement = _raise(police_officer, discussion)
    assert list(disagreement.holders.all()) == [head_of_service]
    assert f"no senior manager of {police_officer.agency} is recorded" in disagreement.holder_name


def test_sandwell_12_0_the_lscb_policy_is_held_outside_and_its_person_is_emailed(
    discussion: Discussion,
    police_officer: User,
    police_inspector: User,
    head_of_service: User,
    sent_emails: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    disagreement = _raise(police_officer, discussion)
    later = RAISED + timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        moved = disagreement_escalate(
            user=police_inspector,
            disagreement=disagreement,
            note="Senior managers met on 6 March and could not agree.",
            expected_stage=0,
            now=later,
            **OUTSIDE,
        )
    assert (moved.stage, moved.stage_title, moved.held_since) == (
        1,
        "Safeguarding partnership escalation policy",
        later,
    )
    assert list(moved.holders.all()) == []
    assert (moved.outside_name, moved.outside_email) == ("Jo Patel", OUTSIDE["outside_email"])
    assert moved.holder_name.startswith("Jo Patel (")
    assert [m.kind for m in moved.moves.all()] == [Move.Kind.RAISED, Move.Kind.ESCALATED]
    (email,) = [m for m in sent_emails if m.to == [OUTSIDE["outside_email"]]]
    assert f"disagreement {moved.pk}" in email.body
    assert "Sandwell procedure §12.0" in email.body
    assert str(police_inspector) in email.body
    # Whoever held it before is told where it has gone, and so are the others involved.
    escalated = Notification.objects.filter(dedupe_key__contains=":move:").exclude(
        text__contains="has raised"
    )
    assert {n.user for n in escalated} >= {head_of_service, police_officer}
    assert AuditEvent.objects.filter(action="disagreement-escalated").count() == 1


def test_a_stage_held_outside_strategise_needs_a_name_and_an_email(
    discussion: Discussion, police_officer: User
) -> None:
    disagreement = _raise(police_officer, discussion)
    with pytest.raises(Problem) as caught:
        disagreement_escalate(
            user=police_officer,
            disagreement=disagreement,
            note="",
            expected_stage=0,
            outside_email="not an address",
            now=RAISED,
        )
    assert [field for field, _ in caught.value.errors] == ["note", "outside_name", "outside_email"]


def test_a_holder_may_move_it_on(
    discussion: Discussion, police_officer: User, police_inspector: User, social_worker: User
) -> None:
    disagreement = _raise(police_officer, discussion)
    assert disagreement_get(user=police_inspector, pk=disagreement.pk).may_move
    assert not disagreement_get(user=social_worker, pk=disagreement.pk).may_move


def _gloucestershire() -> dict[str, User]:
    """Gloucestershire: a social worker and their team manager, a chair in another team with
    their own manager, and a police officer in a team with a manager; each agency's
    strategy discussion lead named."""
    area = LocalAuthorityFactory.create(profile="gloucestershire")
    care = AgencyFactory.create(local_authority=area, kind="childrens_social_care")
    police = AgencyFactory.create(local_authority=area, kind="police")
    people: dict[str, User] = {}
    for key, agency, role in (
        ("worker", care, Role.SOCIAL_WORKER),
        ("worker_manager", care, Role.TEAM_MANAGER),
        ("chair", care, Role.TEAM_MANAGER),
        ("chair_manager", care, Role.SERVICE_MANAGER),
        ("officer", police, Role.POLICE),
        ("sergeant", police, Role.POLICE),
        ("care_lead", care, Role.HEAD_OF_SERVICE),
        ("mash_manager", police, Role.POLICE),
    ):
        people[key] = UserFactory.create(agency=agency, role=role)
    for member, manager in (
        ("worker", "worker_manager"),
        ("chair", "chair_manager"),
        ("officer", "sergeant"),
    ):
        team = TeamFactory.create(agency=people[member].agency, manager=people[manager])
        people[member].team = team
        people[member].save(update_fields=["team"])
    care.strategy_lead = people["care_lead"]
    care.save(update_fields=["strategy_lead"])
    police.strategy_lead = people["mash_manager"]
    police.save(update_fields=["strategy_lead"])
    return people


def _gloucestershire_disagreement(people: dict[str, User]) -> Disagreement:
    discussion = held_discussion(
        people["worker"], people["chair"], users={"police": people["officer"]}
    )
    return _raise(people["officer"], discussion)


def _escalate(disagreement: Disagreement, user: User, **changes: Any) -> Disagreement:
    return disagreement_escalate(
        user=user,
        disagreement=disagreement,
        note="Not resolved at this stage",
        expected_stage=disagreement.stage,
        now=RAISED,
        **changes,
    )


def test_gloucestershire_dispute_resolution_first_the_professional_where_it_exists(
    db: None,
) -> None:
    people = _gloucestershire()
    disagreement = _gloucestershire_disagreement(people)
    # About the discussion's outcome: the chair, not the officer who raised it.
    assert list(disagreement.holders.all()) == [people["chair"]]
    assert disagreement.stage_title == "Professional to professional"


def test_gloucestershire_dispute_resolution_then_the_line_managers_of_both(db: None) -> None:
    people = _gloucestershire()
    moved = _escalate(_gloucestershire_disagreement(people), people["officer"])
    assert moved.stage_title == "Line managers"
    assert set(moved.holders.all()) == {people["sergeant"], people["chair_manager"]}
    told = Notification.objects.filter(dedupe_key__contains=":move:", user=people["chair"])
    assert told.filter(text__contains="has escalated").exists()  # who held it before


def test_gloucestershire_dispute_resolution_then_each_agencys_strategy_lead(db: None) -> None:
    people = _gloucestershire()
    moved = _escalate(
        _escalate(_gloucestershire_disagreement(people), people["officer"]), people["officer"]
    )
    assert moved.stage_title == "Strategy discussion leads"
    assert set(moved.holders.all()) == {people["mash_manager"], people["care_lead"]}
    assert not moved.holders.filter(pk=people["officer"].pk).exists()


def test_whether_to_hold_one_is_held_by_whoever_ended_the_request(db: None) -> None:
    people = _gloucestershire()
    request = make_request(people["worker"], [make_child(people["worker"], "Amara")])
    request.ended_by = people["chair"]
    request.save(update_fields=["ended_by"])
    disagreement = disagreement_raise(
        user=people["worker"],
        request=request,
        subject="holding",
        description="The referral meets the threshold.",
        now=RAISED,
    )
    assert list(disagreement.holders.all()) == [people["chair"]]


def test_at_the_last_stage_it_can_only_be_resolved(
    discussion: Discussion, police_officer: User
) -> None:
    disagreement = disagreement_escalate(
        user=police_officer,
        disagreement=_raise(police_officer, discussion),
        note="Not agreed",
        expected_stage=0,
        now=RAISED,
        **OUTSIDE,
    )
    with pytest.raises(Problem, match="last stage .*record how it was resolved"):
        disagreement_escalate(
            user=police_officer,
            disagreement=disagreement,
            note="Again",
            expected_stage=1,
            now=RAISED,
            **OUTSIDE,
        )


def test_two_people_escalating_at_once_are_not_both_applied(
    discussion: Discussion, police_officer: User, team_manager: User
) -> None:
    disagreement = _raise(police_officer, discussion)
    stale = Disagreement.objects.get(pk=disagreement.pk)
    arguments: dict[str, Any] = {"note": "Not agreed", **OUTSIDE}
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
            now=RAISED,
            **OUTSIDE,
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


def test_resolving_records_the_outcome_and_tells_everyone_involved(
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
    told = Notification.objects.filter(text__contains="has been resolved")
    assert {n.user for n in told} >= {police_officer}
    assert team_manager not in {n.user for n in told}  # who resolved it
    assert all("Agreed: the decision changes" in n.text for n in told)
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
            now=RAISED,
            **OUTSIDE,
        )


def test_resolving_needs_how_and_the_outcome(discussion: Discussion, police_officer: User) -> None:
    disagreement = _raise(police_officer, discussion)
    with pytest.raises(Problem) as caught:
        disagreement_resolve(
            user=police_officer, disagreement=disagreement, resolution="", outcome="", now=RAISED
        )
    assert [field for field, _ in caught.value.errors] == ["resolution", "outcome"]


def test_withdrawn_by_whoever_raised_it_tells_the_others_involved_not_them(
    discussion: Discussion, police_officer: User, team_manager: User
) -> None:
    disagreement = _raise(police_officer, discussion)
    disagreement_resolve(
        user=police_officer,
        disagreement=disagreement,
        resolution="withdrawn",
        outcome="New information answers the concern.",
        now=RAISED,
    )
    told = {n.user for n in Notification.objects.filter(text__contains="has been resolved")}
    assert team_manager in told
    assert police_officer not in told


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


def test_birmingham_without_a_dispute_clause_follows_the_national_route(db: None) -> None:
    stages = escalation_stages("birmingham")
    assert [stage["held_by"] for stage in stages] == [
        "counterpart",
        "line_managers",
        "senior_managers",
        "outside",
    ]
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
    assert disagreement.stage_source.startswith("Working Together to Safeguard Children 2023 ch.2")
    # Nobody else decided about this request: it says so rather than naming whoever raised it.
    assert list(disagreement.holders.all()) == []
    assert "not recorded" in disagreement.holder_name


# --- reading --------------------------------------------------------------------------


def test_who_sees_a_disagreement(
    discussion: Discussion,
    police_officer: User,
    police_inspector: User,
    social_worker: User,
    other_authority_social_worker: User,
    analyst: User,
) -> None:
    disagreement = _raise(police_officer, discussion)
    # The inspector holds it (the police's senior manager) without being invited.
    for viewer in (police_officer, police_inspector, social_worker):
        detail = disagreement_get(user=viewer, pk=disagreement.pk)
        assert [m.kind for m in detail.moves] == [Move.Kind.RAISED]
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
