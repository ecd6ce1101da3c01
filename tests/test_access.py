"""Who may see and do what (strategise/access.py), rule by rule, for the people a mutation
of a rule would let through: other agencies' users, an invited analyst, someone deactivated.

The page-by-page matrix is in tests/web/test_access.py; these call the predicates and
querysets themselves.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from strategise import access
from strategise.actions.models import Action
from strategise.actions.services import action_create
from strategise.clocks.models import Clock
from strategise.disagreements.services import disagreement_escalate, disagreement_raise
from strategise.discussions.models import Discussion, Invitation
from strategise.organisations.models import LocalAuthority, Role, User
from strategise.problems import Problem
from tests.clocks.support import CONCLUDED
from tests.discussions.support import make_child, started_discussion
from tests.factories import UserFactory

LATER = CONCLUDED + timedelta(days=1)


@pytest.fixture
def uninvited_police(authority: LocalAuthority) -> User:
    return UserFactory.create(agency=authority.agencies.get(kind="police"), role=Role.POLICE)


@pytest.fixture
def discussion(social_worker: User, team_manager: User, police_officer: User) -> Discussion:
    return started_discussion(
        worker=social_worker,
        chair=team_manager,
        children=[make_child(social_worker, "Amara")],
        users={"police": police_officer},
    )


def _deactivated(user: User) -> User:
    user.is_active = False
    user.save(update_fields=["is_active"])
    return user


def _invite(discussion: Discussion, user: User) -> Invitation:
    return Invitation.objects.create(discussion=discussion, user=user, agency_code="health")


def _action(discussion: Discussion, chair: User, owner: User) -> Action:
    return action_create(
        user=chair,
        discussion=discussion,
        description="Police checks",
        agency_code="police",
        due_at=LATER,
        owner=owner,
    )


# --- authority_of ----------------------------------------------------------------------


def test_authority_of_social_care_is_their_own(social_worker: User, authority: LocalAuthority):
    assert access.authority_of(social_worker) == authority


def test_authority_of_anyone_outside_social_care_is_refused(police_officer: User) -> None:
    with pytest.raises(Problem) as refused:
        access.authority_of(police_officer)
    assert refused.value.errors == [(None, "Only children's social care can do this")]


def test_authority_of_an_analyst_in_social_care_is_refused(analyst: User) -> None:
    with pytest.raises(Problem, match="Only children's social care can do this"):
        access.authority_of(analyst)


# --- visible clocks and actions for other agencies -------------------------------------


def test_an_invited_agency_sees_the_clocks_of_its_discussions_request(
    discussion: Discussion, police_officer: User, uninvited_police: User
) -> None:
    clocks = Clock.objects.filter(request=discussion.request)
    assert clocks.exists()
    assert set(access.visible_clocks(police_officer)) == set(clocks)
    assert not access.visible_clocks(uninvited_police).exists()


def test_another_authoritys_social_care_sees_none_of_the_clocks(
    discussion: Discussion, other_authority_social_worker: User
) -> None:
    assert not access.visible_clocks(other_authority_social_worker).exists()


def test_an_invited_agency_sees_its_discussions_actions_and_no_others(
    discussion: Discussion,
    social_worker: User,
    team_manager: User,
    police_officer: User,
    uninvited_police: User,
) -> None:
    theirs = _action(discussion, team_manager, team_manager)
    other = started_discussion(
        worker=social_worker, chair=team_manager, children=[make_child(social_worker, "Kofi")]
    )
    elsewhere = _action(other, team_manager, team_manager)
    assert theirs in access.visible_actions(police_officer)
    assert elsewhere not in access.visible_actions(police_officer)
    assert not access.visible_actions(uninvited_police).exists()


def test_an_action_owner_sees_their_own_action(
    discussion: Discussion, team_manager: User, police_officer: User
) -> None:
    mine = _action(discussion, team_manager, police_officer)
    Invitation.objects.filter(user=police_officer).delete()  # no longer invited
    assert list(access.visible_actions(police_officer)) == [mine]


def test_social_care_sees_every_action_of_its_authority_only(
    discussion: Discussion, team_manager: User, other_authority_social_worker: User
) -> None:
    action = _action(discussion, team_manager, team_manager)
    assert list(access.visible_actions(team_manager)) == [action]
    assert not access.visible_actions(other_authority_social_worker).exists()


def test_disagreements_are_seen_by_the_invited_and_not_by_the_uninvited(
    discussion: Discussion, police_officer: User, uninvited_police: User, analyst: User
) -> None:
    raised = disagreement_raise(
        user=police_officer,
        request=discussion.request,
        subject="holding",
        description="Not a section 47",
        now=LATER,
    )
    assert list(access.visible_disagreements(police_officer)) == [raised]
    assert not access.visible_disagreements(uninvited_police).exists()
    assert not access.visible_disagreements(analyst).exists()


def test_whoever_raised_a_disagreement_still_sees_it_once_a_colleague_took_their_place(
    discussion: Discussion, police_officer: User, uninvited_police: User
) -> None:
    """Escalated to someone named, it is no longer theirs to hold; invited no longer, they
    see no request; they raised it, so they still see it."""
    raised = disagreement_raise(
        user=police_officer,
        request=discussion.request,
        subject="holding",
        description="Not a section 47",
        now=LATER,
    )
    disagreement_escalate(
        user=police_officer,
        disagreement=raised,
        note="Spoke to the team manager",
        expected_stage=0,
        now=LATER,
        outside_name="A detective inspector",
        outside_email="di@example.org",
    )
    discussion.invitations.filter(user=police_officer).update(user=uninvited_police)
    assert not access.visible_requests(police_officer).exists()
    assert list(access.visible_disagreements(police_officer)) == [raised]


# --- an invited analyst, someone deactivated --------------------------------------------


def test_an_invited_analyst_sees_no_case_records(discussion: Discussion, analyst: User) -> None:
    _invite(discussion, analyst)
    assert not access.visible_discussions(analyst).exists()
    assert not access.visible_requests(analyst).exists()
    assert not access.visible_children(analyst).exists()
    assert not access.visible_clocks(analyst).exists()
    assert not access.visible_actions(analyst).exists()


def test_an_invited_analyst_may_not_own_an_action(discussion: Discussion, analyst: User) -> None:
    _invite(discussion, analyst)
    assert not access.may_own_action(analyst, discussion)


def test_an_invited_health_practitioner_may_own_an_action(
    discussion: Discussion, health_practitioner: User
) -> None:
    assert not access.may_own_action(health_practitioner, discussion)
    _invite(discussion, health_practitioner)
    assert access.may_own_action(health_practitioner, discussion)


def test_a_deactivated_invited_practitioner_may_no_longer_own_an_action(
    discussion: Discussion, health_practitioner: User
) -> None:
    _invite(discussion, health_practitioner)
    assert not access.may_own_action(_deactivated(health_practitioner), discussion)


def test_a_deactivated_social_worker_sees_nothing_and_may_do_nothing(
    discussion: Discussion, social_worker: User
) -> None:
    gone = _deactivated(social_worker)
    assert not access.sees_whole_authority(gone)
    assert not access.visible_discussions(gone).exists()
    assert not access.visible_children(gone).exists()
    assert not access.may_record(gone, discussion)
    assert not access.can_raise_requests(gone)


def test_a_deactivated_chair_may_no_longer_run_record_or_correct(
    discussion: Discussion, team_manager: User
) -> None:
    assert access.may_run_discussion(team_manager, discussion)
    assert access.may_record(team_manager, discussion)
    gone = _deactivated(team_manager)
    assert not access.may_run_discussion(gone, discussion)
    assert not access.may_record(gone, discussion)
    assert not access.may_correct(gone, discussion)
    assert not access.may_confirm_no_further_action(gone, discussion)


def test_a_deactivated_action_owner_may_not_update_it(
    discussion: Discussion, team_manager: User, police_officer: User
) -> None:
    action = _action(discussion, team_manager, police_officer)
    assert access.may_update_action(police_officer, action)
    assert not access.may_update_action(_deactivated(police_officer), action)


def test_a_deactivated_person_responsible_may_not_mark_a_clock_met(
    discussion: Discussion, police_officer: User
) -> None:
    clock = Clock.objects.filter(request=discussion.request).first()
    assert clock is not None
    clock.responsible = police_officer
    assert access.may_mark_met(police_officer, clock)
    assert not access.may_mark_met(_deactivated(police_officer), clock)


# --- the minute-taker, other agencies, managers ------------------------------------------


def test_the_minute_taker_records_but_does_not_confirm_or_correct(
    social_worker: User, team_manager: User, authority: LocalAuthority
) -> None:
    health = UserFactory.create(agency=authority.agencies.get(kind="health"), role=Role.HEALTH)
    discussion = started_discussion(
        worker=social_worker,
        chair=team_manager,
        minute_taker=health,
        children=[make_child(social_worker, "Amara")],
    )
    assert access.may_record(health, discussion)
    assert not access.may_confirm_no_further_action(health, discussion)
    assert not access.may_correct(health, discussion)
    assert not access.may_run_discussion(health, discussion)


def test_an_invited_officer_may_neither_record_nor_run_the_discussion(
    discussion: Discussion, police_officer: User
) -> None:
    assert not access.may_record(police_officer, discussion)
    assert not access.may_run_discussion(police_officer, discussion)
    assert not access.may_convene(police_officer, discussion.request)
    assert access.may_raise(police_officer, discussion.request)


def test_reports_are_for_analysts_and_managers_of_social_care(
    analyst: User, team_manager: User, social_worker: User, police_officer: User
) -> None:
    assert access.may_see_reports(analyst)
    assert access.may_see_reports(team_manager)
    assert not access.may_see_reports(social_worker)
    assert not access.may_see_reports(police_officer)
    assert not access.may_download_returns(analyst)
    assert access.may_download_returns(team_manager)
    assert not access.may_oversee(social_worker)
    assert access.may_oversee(team_manager)


def test_a_manager_of_another_authority_may_stop_none_of_its_clocks(
    discussion: Discussion, team_manager: User, other_authority_social_worker: User
) -> None:
    clock = Clock.objects.filter(request=discussion.request).first()
    assert clock is not None
    assert access.may_stop_clock(team_manager, clock)
    other_authority_social_worker.role = Role.TEAM_MANAGER
    assert not access.may_stop_clock(other_authority_social_worker, clock)
