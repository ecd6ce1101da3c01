"""Per child (issue 10, part 5): each child's medical assessment decision, with siblings
considered (Sandwell §8.0); actions for one or more children or the whole family, and
each child's timeline showing only theirs; dates checked against the discussion."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from strategise.actions.services import action_create
from strategise.cases.models import Child
from strategise.cases.selectors import child_detail
from strategise.discussions import concluding
from strategise.discussions.concluding import conclusion_problems
from strategise.discussions.decisions import decision_save
from strategise.discussions.models import ChildDecision, Discussion
from strategise.discussions.recording import record_save
from strategise.organisations.models import Role, User
from strategise.policy import get_profile
from strategise.problems import Problem
from tests.discussions.support import NOW, make_child, started_discussion
from tests.discussions.test_recording import COMPLETE_RECORD
from tests.factories import UserFactory
from tests.web.recording.support import siblings

LATER = NOW + timedelta(hours=2)


@pytest.fixture
def chair(team_manager: User) -> User:
    """A service manager: allowed to chair a discussion about children in two families."""
    return UserFactory.create(agency=team_manager.agency, role=Role.SERVICE_MANAGER)


def _decide(chair: User, discussion: Discussion, child: Child, **values: Any) -> ChildDecision:
    return decision_save(
        user=chair,
        discussion=discussion,
        child=child,
        values={"outcome": "s47_joint", "rationale": "Because", **values},
        expected_version=0,
        now=LATER,
    )


# --- the medical assessment, child by child ---------------------------------------------


def test_sandwell_8_0_each_siblings_medical_decision_is_recorded(
    social_worker: User, chair: User
) -> None:
    amara, kofi = siblings(social_worker)
    discussion = started_discussion(worker=social_worker, chair=chair, children=[amara, kofi])
    record_save(
        user=chair, discussion=discussion, values=COMPLETE_RECORD, expected_version=0, now=LATER
    )
    _decide(chair, discussion, amara, medical_decision="arrange")
    _decide(chair, discussion, kofi, medical_decision="not_needed")
    assert conclusion_problems(discussion=discussion) == [
        (
            f"medical-{kofi.pk}",
            "Record why there will be no medical assessment and whether medical advice was "
            "given for Kofi Okafor (Sandwell procedure §7.0; for siblings, the "
            "decision and risk assessment (Sandwell procedure §8.0))",
        )
    ]


def test_sandwell_7_0_no_medical_with_the_reasoning_and_medical_advice_recorded_is_complete(
    social_worker: User, chair: User
) -> None:
    amara = make_child(social_worker, "Amara")
    discussion = started_discussion(worker=social_worker, chair=chair, children=[amara])
    record_save(
        user=chair, discussion=discussion, values=COMPLETE_RECORD, expected_version=0, now=LATER
    )
    _decide(
        chair,
        discussion,
        amara,
        medical_decision="not_needed",
        medical_reasoning="The bruise has healed and was photographed",
        medical_advice="The paediatrician advised no examination",
    )
    assert conclusion_problems(discussion=discussion) == []


def test_sandwell_8_0_one_siblings_complete_no_medical_does_not_excuse_the_next_sibling(
    social_worker: User, chair: User
) -> None:
    amara, kofi = siblings(social_worker)
    discussion = started_discussion(worker=social_worker, chair=chair, children=[amara, kofi])
    record_save(
        user=chair, discussion=discussion, values=COMPLETE_RECORD, expected_version=0, now=LATER
    )
    _decide(
        chair,
        discussion,
        amara,
        medical_decision="not_needed",
        medical_reasoning="The bruise has healed and was photographed",
        medical_advice="The paediatrician advised no examination",
    )
    _decide(chair, discussion, kofi, medical_decision="not_needed")
    assert [field for field, _ in conclusion_problems(discussion=discussion)] == [
        f"medical-{kofi.pk}"
    ]


def test_a_child_without_siblings_here_is_not_asked_about_siblings(
    social_worker: User, team_manager: User
) -> None:
    amara = make_child(social_worker, "Amara")
    discussion = started_discussion(worker=social_worker, chair=team_manager, children=[amara])
    _decide(team_manager, discussion, amara, medical_decision="not_needed")
    medical = [
        m for f, m in conclusion_problems(discussion=discussion) if f == f"medical-{amara.pk}"
    ]
    assert medical == [
        "Record why there will be no medical assessment and whether medical advice was given "
        "for Amara Okafor (Sandwell procedure §7.0)"
    ]


class _NoMedicalAdviceAsked:
    """A procedure as the area's, but asking only for the reasoning when there is to be no
    medical assessment (``medical_advice_required: false``, which profiles may say)."""

    def __init__(self, profile: Any) -> None:
        self._profile = profile

    def __getattr__(self, name: str) -> Any:
        return getattr(self._profile, name)

    @property
    def no_medical_assessment(self) -> Any:
        return replace(self._profile.no_medical_assessment, medical_advice_required=False)


def test_a_procedure_not_asking_for_medical_advice_asks_only_for_the_reasoning(
    social_worker: User, team_manager: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        concluding, "get_profile", lambda name: _NoMedicalAdviceAsked(get_profile(name))
    )
    amara = make_child(social_worker, "Amara")
    discussion = started_discussion(worker=social_worker, chair=team_manager, children=[amara])
    _decide(team_manager, discussion, amara, medical_decision="not_needed")
    medical = [
        m for f, m in conclusion_problems(discussion=discussion) if f == f"medical-{amara.pk}"
    ]
    assert medical == [
        "Record why there will be no medical assessment for Amara Okafor (Sandwell procedure §7.0)"
    ]
    decision_save(
        user=team_manager,
        discussion=discussion,
        child=amara,
        values={
            "outcome": "s47_joint",
            "rationale": "Because",
            "medical_decision": "not_needed",
            "medical_reasoning": "Healed",
        },
        expected_version=1,
        now=LATER,
    )
    assert f"medical-{amara.pk}" not in [f for f, _ in conclusion_problems(discussion=discussion)]


def test_each_child_needs_their_own_medical_decision(social_worker: User, chair: User) -> None:
    amara, bola = make_child(social_worker, "Amara"), make_child(social_worker, "Bola")
    discussion = started_discussion(worker=social_worker, chair=chair, children=[amara, bola])
    _decide(chair, discussion, amara, medical_decision="already_done")
    _decide(chair, discussion, bola)
    problems = conclusion_problems(discussion=discussion)
    assert (
        f"medical-{bola.pk}",
        f"Record the decision about a medical assessment for {bola}",
    ) in problems
    assert f"medical-{amara.pk}" not in [field for field, _ in problems]


def test_a_medical_decision_not_listed_is_refused(social_worker: User, team_manager: User) -> None:
    amara = make_child(social_worker, "Amara")
    discussion = started_discussion(worker=social_worker, chair=team_manager, children=[amara])
    with pytest.raises(Problem) as caught:
        _decide(team_manager, discussion, amara, medical_decision="perhaps")
    assert caught.value.errors == [
        ("medical_decision", "Choose one of the listed medical decisions")
    ]


# --- dates checked against the discussion ------------------------------------------------


def test_the_child_is_seen_after_the_discussion_not_before(
    social_worker: User, team_manager: User
) -> None:
    amara = make_child(social_worker, "Amara")
    discussion = started_discussion(worker=social_worker, chair=team_manager, children=[amara])
    with pytest.raises(Problem) as caught:
        _decide(team_manager, discussion, amara, seen_by_when=NOW - timedelta(days=1))
    assert caught.value.errors[0] == (
        "seen_by_when",
        "The date Amara Okafor will be seen by must be after the discussion "
        "(Wednesday 4 March 2026, midday)",
    )


def test_the_further_discussion_is_after_this_one(social_worker: User, team_manager: User) -> None:
    discussion = started_discussion(
        worker=social_worker, chair=team_manager, children=[make_child(social_worker, "Amara")]
    )
    with pytest.raises(Problem) as caught:
        record_save(
            user=team_manager,
            discussion=discussion,
            values={"further_discussion_needed": True, "further_discussion_by": NOW},
            expected_version=0,
            now=LATER,
        )
    assert caught.value.errors[0][0] == "further_discussion_by"


def test_an_action_is_due_today_or_later(social_worker: User, team_manager: User) -> None:
    discussion = started_discussion(
        worker=social_worker, chair=team_manager, children=[make_child(social_worker, "Amara")]
    )
    with pytest.raises(Problem, match="today or in the future"):
        action_create(
            user=team_manager,
            discussion=discussion,
            description="Visit",
            agency_code="childrens_social_care",
            due_at=LATER + timedelta(days=1),
            owner=team_manager,
            now=LATER + timedelta(days=3),
        )


# --- actions for a child, or the whole family --------------------------------------------


def _action(chair: User, discussion: Discussion, what: str, children: list[Child]) -> None:
    action_create(
        user=chair,
        discussion=discussion,
        description=what,
        agency_code="childrens_social_care",
        due_at=LATER + timedelta(days=1),
        owner=chair,
        children=children,
        now=LATER,
    )


def test_a_childs_timeline_shows_only_their_actions_and_the_whole_familys(
    social_worker: User, chair: User
) -> None:
    amara, kofi = siblings(social_worker)
    discussion = started_discussion(worker=social_worker, chair=chair, children=[amara, kofi])
    _action(chair, discussion, "Arrange Amara's medical", [amara])
    _action(chair, discussion, "Speak to Kofi's school", [kofi])
    _action(chair, discussion, "Visit the family at home", [])
    titles = [e.title for e in child_detail(user=social_worker, pk=amara.pk).timeline]
    assert "Action: Arrange Amara's medical" in titles
    assert "Action: Visit the family at home" in titles
    assert "Action: Speak to Kofi's school" not in titles
    assert discussion.actions.get(description__startswith="Visit").children.count() == 0


def test_an_action_is_only_for_the_discussions_own_children(
    social_worker: User, team_manager: User
) -> None:
    discussion = started_discussion(
        worker=social_worker, chair=team_manager, children=[make_child(social_worker, "Amara")]
    )
    stranger = make_child(social_worker, "Stranger")
    with pytest.raises(Problem) as caught:
        _action(team_manager, discussion, "Visit", [stranger])
    assert caught.value.errors == [("children", "Choose only children this discussion is about")]


# --- partners see the truth about a household -------------------------------------------


def test_a_partner_is_told_they_may_not_see_every_child_in_the_household(
    social_worker: User, team_manager: User, police_officer: User
) -> None:
    amara, kofi = siblings(social_worker)
    started_discussion(
        worker=social_worker, chair=team_manager, children=[amara], users={"police": police_officer}
    )
    theirs = child_detail(user=police_officer, pk=amara.pk)
    assert (theirs.household, theirs.whole_household) == ([], False)
    ours = child_detail(user=social_worker, pk=amara.pk)
    assert (ours.household, ours.whole_household) == ([kofi], True)


# --- the migration: a record's medical decision to each child's --------------------------

BEFORE = [("discussions", "0004_discussion_calendar_sequence")]
AFTER = [("discussions", "0005_medical_per_child_cancel_reschedule")]


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor


@pytest.fixture
def migrations(transactional_db: None) -> Iterator[MigrationExecutor]:
    executor = MigrationExecutor(connection)
    try:
        yield executor
    finally:
        _migrate(executor.loader.graph.leaf_nodes())


def test_the_medical_decision_moves_to_each_childs_decision_and_back(
    migrations: MigrationExecutor, social_worker: User, chair: User
) -> None:
    amara, kofi = siblings(social_worker)
    discussion = started_discussion(worker=social_worker, chair=chair, children=[amara, kofi])
    record_save(
        user=chair, discussion=discussion, values=COMPLETE_RECORD, expected_version=0, now=LATER
    )
    _decide(chair, discussion, amara, medical_decision="not_needed", medical_reasoning="Healed")
    _decide(chair, discussion, kofi, medical_decision="arrange")

    old = _migrate(BEFORE).loader.project_state(BEFORE).apps
    record = old.get_model("discussions", "DiscussionRecord").objects.get()
    # Reversed, the record takes the first child's.
    assert (record.medical_decision, record.medical_reasoning) == ("not_needed", "Healed")
    old.get_model("discussions", "DiscussionRecord").objects.update(
        medical_decision="already_done", medical_reasoning="", medical_advice="Seen at A&E"
    )

    # The model as it was at AFTER: later migrations add columns that are not there yet.
    new = _migrate(AFTER).loader.project_state(AFTER).apps
    moved = {
        d.child_id: (d.medical_decision, d.medical_advice)
        for d in new.get_model("discussions", "ChildDecision").objects.filter(
            discussion_id=discussion.pk
        )
    }
    assert moved == {
        amara.pk: ("already_done", "Seen at A&E"),
        kofi.pk: ("already_done", "Seen at A&E"),
    }
