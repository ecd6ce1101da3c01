"""Clocks held by the right person (issue 10, part 7), and each child's own ICPC clock
(part 5): who is responsible comes from the procedure where it says, else the team
manager of the allocated social worker, or of the chair if none is recorded."""

from __future__ import annotations

from typing import Any

import pytest

from strategise.clocks.models import Clock
from strategise.clocks.services import clock_holder
from strategise.discussions.concluding import discussion_conclude
from strategise.discussions.decisions import decision_save
from strategise.discussions.models import Discussion
from strategise.discussions.recording import record_save
from strategise.organisations.models import LocalAuthority, Role, Team, User
from strategise.problems import Problem
from tests.clocks.support import CONCLUDED, RECORD, held_discussion
from tests.discussions.support import make_child, make_request, started_discussion
from tests.factories import AgencyFactory, LocalAuthorityFactory, TeamFactory, UserFactory
from tests.web.recording.support import siblings


def _care(authority: LocalAuthority) -> Any:
    return authority.agencies.get(kind="childrens_social_care")


@pytest.fixture
def unit(authority: LocalAuthority, social_worker: User) -> Team:
    """The allocated social worker's unit, managed by its Social Work Unit Manager."""
    manager = UserFactory.create(agency=_care(authority), role=Role.TEAM_MANAGER)
    team = TeamFactory.create(agency=_care(authority), manager=manager)
    User.objects.filter(pk__in=[social_worker.pk, manager.pk]).update(team=team)
    social_worker.refresh_from_db()
    return team


@pytest.fixture
def chair(authority: LocalAuthority) -> User:
    """A service manager in the chair, in another team with its own manager."""
    head = UserFactory.create(agency=_care(authority), role=Role.HEAD_OF_SERVICE)
    team = TeamFactory.create(agency=_care(authority), manager=head)
    return UserFactory.create(agency=_care(authority), role=Role.SERVICE_MANAGER, team=team)


def _clocks(discussion: Discussion) -> dict[str, Clock]:
    return {clock.code: clock for clock in Clock.objects.filter(discussion=discussion)}


def test_sandwell_10_0_the_social_work_unit_manager_holds_the_icpc_clock(
    social_worker: User, chair: User, unit: Team
) -> None:
    discussion = held_discussion(social_worker, chair, allocated_worker=social_worker)
    icpc = _clocks(discussion)["icpc_held"]
    assert icpc.responsible == unit.manager
    assert icpc.responsible_reason == (
        "The Social Work Unit Manager (Sandwell procedure §10.0): the team manager of "
        "the allocated social worker"
    )


def test_the_allocated_workers_team_manager_holds_the_assessment_and_three_month_clocks(
    social_worker: User, chair: User, unit: Team
) -> None:
    clocks = _clocks(held_discussion(social_worker, chair, allocated_worker=social_worker))
    for code in ("assessment_completed", "process_concluded"):
        assert clocks[code].responsible == unit.manager, code
        assert clocks[code].responsible_reason == "The team manager of the allocated social worker"
    # The discussion's own outputs stay with its chair.
    assert clocks["decisions_circulated"].responsible == chair
    assert clocks["next_discussion_by"].responsible == chair


def test_without_an_allocated_worker_the_chairs_team_manager_holds_them(
    social_worker: User, chair: User, unit: Team
) -> None:
    clocks = _clocks(held_discussion(social_worker, chair))
    assert chair.team is not None
    assert clocks["assessment_completed"].responsible == chair.team.manager
    assert clocks["assessment_completed"].responsible_reason == "The team manager of the chair"


def test_with_no_team_manager_recorded_the_chair_holds_them(
    social_worker: User, team_manager: User
) -> None:
    clocks = _clocks(held_discussion(social_worker, team_manager))
    assert clocks["process_concluded"].responsible == team_manager
    assert clocks["process_concluded"].responsible_reason == (
        "The chair (no team manager is recorded for the chair)"
    )


def test_a_procedure_silent_on_the_icpc_gives_it_to_the_team_manager_not_sandwells_title(
    db: None,
) -> None:
    national = LocalAuthorityFactory.create(profile="national")
    care = AgencyFactory.create(local_authority=national, kind="childrens_social_care")
    worker = UserFactory.create(agency=care, role=Role.SOCIAL_WORKER)
    manager = UserFactory.create(agency=care, role=Role.TEAM_MANAGER)
    team = TeamFactory.create(agency=care, manager=manager)
    User.objects.filter(pk=worker.pk).update(team=team)
    worker.refresh_from_db()
    chair = UserFactory.create(agency=care, role=Role.SERVICE_MANAGER)
    discussion = held_discussion(worker, chair, allocated_worker=worker)
    assert clock_holder(discussion=discussion, code="icpc_held") == (
        manager,
        "The team manager of the allocated social worker",
    )


def test_an_allocated_worker_must_work_in_the_authoritys_social_care(
    social_worker: User, police_officer: User
) -> None:
    with pytest.raises(Problem) as caught:
        make_request(
            social_worker, [make_child(social_worker, "Amara")], allocated_worker=police_officer
        )
    assert caught.value.errors[0][0] == "allocated_worker"


# --- an ICPC clock for each child ---------------------------------------------------------


def test_each_child_with_section_47_and_an_icpc_recommended_has_their_own_icpc_clock(
    social_worker: User, team_manager: User
) -> None:
    manager = UserFactory.create(agency=team_manager.agency, role=Role.SERVICE_MANAGER)
    amara, kofi = siblings(social_worker)
    bola = make_child(social_worker, "Bola")
    discussion = started_discussion(
        worker=social_worker, chair=manager, children=[amara, kofi, bola]
    )
    record_save(
        user=manager, discussion=discussion, values=RECORD, expected_version=0, now=CONCLUDED
    )
    for child, outcome, also in (
        (amara, "s47_joint", ["recommend_icpc"]),
        (kofi, "s47_joint", []),  # section 47, but no conference recommended (yet)
        (bola, "s17_assessment", []),
    ):
        decision_save(
            user=manager,
            discussion=discussion,
            child=child,
            values={
                "outcome": outcome,
                "also": also,
                "rationale": "Because",
                "medical_decision": "arrange",
            },
            expected_version=0,
            now=CONCLUDED,
        )
    discussion_conclude(user=manager, discussion=discussion, now=CONCLUDED)
    icpc = Clock.objects.filter(discussion=discussion, code="icpc_held")
    assert [clock.child for clock in icpc] == [amara]
    # The clocks of the whole discussion name no child.
    assert not Clock.objects.filter(discussion=discussion, child__isnull=False).exclude(
        code="icpc_held"
    )


def test_two_children_recommended_an_icpc_each_have_one(
    social_worker: User, team_manager: User
) -> None:
    manager = UserFactory.create(agency=team_manager.agency, role=Role.SERVICE_MANAGER)
    children = siblings(social_worker)
    discussion = started_discussion(worker=social_worker, chair=manager, children=children)
    record_save(
        user=manager, discussion=discussion, values=RECORD, expected_version=0, now=CONCLUDED
    )
    for child in children:
        decision_save(
            user=manager,
            discussion=discussion,
            child=child,
            values={
                "outcome": "s47_social_care",
                "also": ["recommend_icpc"],
                "rationale": "Because",
                "medical_decision": "arrange",
            },
            expected_version=0,
            now=CONCLUDED,
        )
    discussion_conclude(user=manager, discussion=discussion, now=CONCLUDED)
    clocks = list(Clock.objects.filter(discussion=discussion, code="icpc_held"))
    assert sorted(clock.child_id or 0 for clock in clocks) == sorted(c.pk for c in children)
    assert len({clock.due_at for clock in clocks}) == 1
