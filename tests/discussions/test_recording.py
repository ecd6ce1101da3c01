"""Recording the discussion: record, contributions, decisions per child, dissent, concluding."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from strategise.access import may_confirm_no_further_action
from strategise.audit.models import AuditEvent
from strategise.cases.models import Child
from strategise.clocks.models import Clock
from strategise.discussions.agenda import (
    DEFAULT_AGENDA,
    AgendaEntry,
    agenda,
    risk_questions,
)
from strategise.discussions.concluding import conclusion_problems, discussion_conclude
from strategise.discussions.decisions import (
    decision_confirm_no_further_action,
    decision_save,
    dissent_record,
)
from strategise.discussions.models import Discussion, DiscussionStatus
from strategise.discussions.recording import EditConflict, contribution_save, record_save
from strategise.organisations.models import LocalAuthority, Role, User
from strategise.problems import Problem
from strategise.requests.models import RequestStatus
from tests.discussions.support import NOW, invitation, make_child, started_discussion
from tests.factories import UserFactory

LATER = NOW + timedelta(hours=2)
COMPLETE_RECORD: dict[str, Any] = {
    "risk_answers": {"1": "Further physical harm", "5": "At the next discussion"},
    "family_informed": "yes",
    "family_informed_by": "The allocated social worker",
    "family_informed_when": "Today after school",
    "legal_advice": "not_needed",
    "further_discussion_needed": False,
}


@pytest.fixture
def manager(authority: LocalAuthority) -> User:
    return UserFactory.create(
        agency=authority.agencies.get(kind="childrens_social_care"), role=Role.SERVICE_MANAGER
    )


@pytest.fixture
def discussion(social_worker: User, team_manager: User, police_officer: User) -> Discussion:
    return started_discussion(
        worker=social_worker,
        chair=team_manager,
        children=[make_child(social_worker, "Amara")],
        users={"police": police_officer},
    )


def _decide(user: User, discussion: Discussion, outcome: str = "s47_joint", **values: Any) -> Any:
    child = discussion.request.children.get()
    values = {
        "outcome": outcome,
        "also": [],
        "rationale": "Injury explained badly",
        "medical_decision": "arrange",
        **values,
    }
    return decision_save(
        user=user, discussion=discussion, child=child, values=values, expected_version=0, now=LATER
    )


def test_the_record_is_saved_in_parts_and_versioned(
    discussion: Discussion, team_manager: User
) -> None:
    record = record_save(
        user=team_manager,
        discussion=discussion,
        values={"background": "Known to early help in 2025"},
        expected_version=0,
        now=LATER,
    )
    assert (record.version, record.background) == (1, "Known to early help in 2025")
    record = record_save(
        user=team_manager,
        discussion=discussion,
        values={"reason": "Bruising"},
        expected_version=1,
        now=LATER,
    )
    assert (record.version, record.background, record.reason) == (
        2,
        "Known to early help in 2025",
        "Bruising",
    )


def test_saving_from_the_same_version_twice_tells_the_second_what_changed(
    discussion: Discussion, team_manager: User, social_worker: User
) -> None:
    record_save(
        user=team_manager,
        discussion=discussion,
        values={"background": "A"},
        expected_version=0,
        now=LATER,
    )
    with pytest.raises(EditConflict) as caught:
        record_save(
            user=social_worker,
            discussion=discussion,
            values={"background": "B"},
            expected_version=0,
            now=LATER,
        )
    assert caught.value.changes == {"background": ("B", "A")}
    assert "They changed: background" in str(caught.value)
    assert caught.value.version == 1
    assert discussion.record.background == "A"


def test_an_invited_agency_records_its_own_contribution_with_markers(
    discussion: Discussion, police_officer: User
) -> None:
    contribution = contribution_save(
        user=police_officer,
        invitation=invitation(discussion, "police"),
        text="Father arrested in 2024 for assault",
        not_for_family=True,
        consent_needed=True,
        expected_version=0,
        now=LATER,
    )
    assert (contribution.not_for_family, contribution.consent_needed, contribution.version) == (
        True,
        True,
        1,
    )


def test_another_agency_cannot_record_for_the_police(
    discussion: Discussion, health_practitioner: User
) -> None:
    with pytest.raises(Problem, match="Only the chair, the minute-taker or children's social care"):
        contribution_save(
            user=health_practitioner,
            invitation=invitation(discussion, "police"),
            text="Not mine to say",
            not_for_family=False,
            consent_needed=False,
            expected_version=0,
            now=LATER,
        )


def test_nothing_is_recorded_before_the_discussion_starts(
    social_worker: User, team_manager: User
) -> None:
    discussion = started_discussion(
        worker=social_worker, chair=team_manager, children=[make_child(social_worker, "A")]
    )
    Discussion.objects.filter(pk=discussion.pk).update(status=DiscussionStatus.SCHEDULED)
    discussion.refresh_from_db()
    with pytest.raises(Problem, match="Start the discussion"):
        record_save(
            user=team_manager, discussion=discussion, values={}, expected_version=0, now=LATER
        )


def test_a_decision_needs_its_rationale(discussion: Discussion, team_manager: User) -> None:
    with pytest.raises(Problem) as caught:
        _decide(team_manager, discussion, outcome="maybe", rationale=" ", seen_alone=False)
    assert [field for field, _ in caught.value.errors] == [
        "outcome",
        "rationale",
        "seen_alone_reason",
    ]


def test_each_child_gets_its_own_decision(social_worker: User, team_manager: User) -> None:
    amara, bola = make_child(social_worker, "Amara"), make_child(social_worker, "Bola")
    manager = UserFactory.create(agency=team_manager.agency, role=Role.SERVICE_MANAGER)
    discussion = started_discussion(worker=social_worker, chair=manager, children=[amara, bola])
    for child, outcome in ((amara, "s47_joint"), (bola, "s17_assessment")):
        decision_save(
            user=manager,
            discussion=discussion,
            child=child,
            values={
                "outcome": outcome,
                "also": ["recommend_icpc"] if child == amara else [],
                "rationale": "Because",
            },
            expected_version=0,
            now=LATER,
        )
    assert {d.child.first_name: d.outcome for d in discussion.decisions.all()} == {
        "Amara": "s47_joint",
        "Bola": "s17_assessment",
    }


def test_a_child_not_in_the_discussion_cannot_be_decided(
    discussion: Discussion, team_manager: User, social_worker: User
) -> None:
    stranger = make_child(social_worker, "Stranger")
    with pytest.raises(Problem) as caught:
        decision_save(
            user=team_manager,
            discussion=discussion,
            child=stranger,
            values={"outcome": "nfa", "rationale": "x"},
            expected_version=0,
            now=LATER,
        )
    assert caught.value.errors == [(None, "This child is not part of this discussion")]


def test_sandwell_10_0_no_further_action_needs_a_team_managers_confirmation(
    discussion: Discussion, team_manager: User, social_worker: User
) -> None:
    record_save(
        user=team_manager,
        discussion=discussion,
        values=COMPLETE_RECORD,
        expected_version=0,
        now=LATER,
    )
    decision = _decide(team_manager, discussion, outcome="nfa")
    with pytest.raises(Problem) as caught:
        discussion_conclude(user=team_manager, discussion=discussion, now=LATER)
    assert caught.value.errors[0][1].endswith("with reasons (Sandwell procedure §10.0)")
    with pytest.raises(Problem, match="A team manager or above must confirm"):
        decision_confirm_no_further_action(user=social_worker, decision=decision, reasons="Fine")
    with pytest.raises(Problem, match="Record the reasons"):
        decision_confirm_no_further_action(user=team_manager, decision=decision, reasons=" ")
    decision_confirm_no_further_action(
        user=team_manager, decision=decision, reasons="Accidental injury"
    )
    assert discussion_conclude(user=team_manager, discussion=discussion, now=LATER).status == "held"


def test_changing_a_confirmed_no_further_action_drops_the_confirmation(
    discussion: Discussion, team_manager: User
) -> None:
    decision = _decide(team_manager, discussion, outcome="nfa")
    decision_confirm_no_further_action(user=team_manager, decision=decision, reasons="Accidental")
    child = discussion.request.children.get()
    decision = decision_save(
        user=team_manager,
        discussion=discussion,
        child=child,
        values={"outcome": "s17_assessment", "rationale": "Needs support"},
        expected_version=1,
        now=LATER,
    )
    assert decision.nfa_confirmed_by is None
    with pytest.raises(Problem, match="Only a 'no further action' decision"):
        decision_confirm_no_further_action(user=team_manager, decision=decision, reasons="x")


def _concluding_fails(
    chair: User, discussion: Discussion, decided: dict[str, Any] | None = None, **record: Any
) -> Problem:
    """Record everything but ``record``'s (and the decision's) changes, decide, and return
    why concluding fails."""
    values = {**COMPLETE_RECORD, **record}
    record_save(user=chair, discussion=discussion, values=values, expected_version=0, now=LATER)
    _decide(chair, discussion, **(decided or {}))
    with pytest.raises(Problem) as caught:
        discussion_conclude(user=chair, discussion=discussion, now=LATER)
    return caught.value


def test_sandwell_1_0_not_telling_the_family_needs_the_reason(
    discussion: Discussion, team_manager: User
) -> None:
    problem = _concluding_fails(team_manager, discussion, family_informed="no")
    assert problem.errors == [
        (
            "family_not_informed_reason",
            "Record why the family will not be told (Sandwell procedure §1.0)",
        )
    ]


def test_no_medical_needs_the_reasoning_and_medical_advice(
    discussion: Discussion, team_manager: User
) -> None:
    problem = _concluding_fails(
        team_manager, discussion, decided={"medical_decision": "not_needed"}
    )
    child = discussion.request.children.get()
    assert problem.errors == [
        (
            f"medical-{child.pk}",
            "Record why there will be no medical assessment and whether medical advice was "
            "given for Amara Okafor (Sandwell procedure §7.0)",
        )
    ]


def test_concluding_needs_every_part_recorded(discussion: Discussion, team_manager: User) -> None:
    child = discussion.request.children.get()
    with pytest.raises(Problem) as caught:
        discussion_conclude(user=team_manager, discussion=discussion, now=LATER)
    assert caught.value.errors == [
        ("decisions", f"Record the decision for {child}"),
        ("record", "Record the discussion before concluding it"),
    ]
    record_save(
        user=team_manager,
        discussion=discussion,
        values={"further_discussion_needed": True},
        expected_version=0,
        now=LATER,
    )
    with pytest.raises(Problem) as caught:
        discussion_conclude(user=team_manager, discussion=discussion, now=LATER)
    assert caught.value.errors == [
        ("decisions", f"Record the decision for {child}"),
        ("family_informed", "Record whether the family will be told"),
        ("legal_advice", "Record whether legal advice is needed"),
        ("further_discussion_by", "Record when the further discussion must be held by"),
    ]


def test_only_the_chair_concludes(discussion: Discussion, social_worker: User) -> None:
    with pytest.raises(Problem, match="Only the chair can conclude"):
        discussion_conclude(user=social_worker, discussion=discussion, now=LATER)


def _conclude(chair: User, discussion: Discussion, outcome: str, **decided: Any) -> None:
    """Record everything, decide ``outcome`` for the child and conclude."""
    record_save(
        user=chair, discussion=discussion, values=COMPLETE_RECORD, expected_version=0, now=LATER
    )
    _decide(chair, discussion, outcome=outcome, **decided)
    discussion_conclude(user=chair, discussion=discussion, now=LATER)


def test_concluding_moves_the_discussion_on_one_version_so_an_earlier_copy_is_stale(
    discussion: Discussion, team_manager: User
) -> None:
    started = Discussion.objects.get(pk=discussion.pk).version
    assert started > 0  # starting it already moved it on from 0
    _conclude(team_manager, discussion, "s47_joint")
    assert Discussion.objects.get(pk=discussion.pk).version == started + 1


def test_concluding_with_section_47_starts_the_icpc_clock(
    discussion: Discussion, team_manager: User
) -> None:
    _conclude(team_manager, discussion, "s47_joint", also=["recommend_icpc"])
    discussion.refresh_from_db()
    assert discussion.status == DiscussionStatus.HELD
    assert discussion.held_at == NOW + timedelta(hours=1)
    assert discussion.request.status == RequestStatus.HELD
    due = {
        clock.code: clock.due_at.isoformat()
        for clock in Clock.objects.filter(discussion=discussion)
    }
    # Held Wednesday 4 March 2026 at noon: 15 working days is Wednesday 25 March.
    assert due["icpc_held"] == "2026-03-25T23:59:59+00:00"
    assert due["decisions_circulated"] == "2026-03-05T23:59:59+00:00"
    assert (
        Clock.objects.get(discussion=discussion, code="icpc_held").source
        == "002_3bebd37290b13db4.txt §2.0"
    )


def test_concluding_without_section_47_starts_no_icpc_clock(
    discussion: Discussion, team_manager: User
) -> None:
    _conclude(team_manager, discussion, "s17_assessment")
    codes = set(Clock.objects.filter(discussion=discussion).values_list("code", flat=True))
    assert "icpc_held" not in codes
    assert {"decisions_circulated", "next_discussion_by", "process_concluded"} <= codes


@pytest.mark.parametrize(
    ("reference", "problem"),
    [
        ("", "is missing"),
        (
            "B70-1001",
            "must be letters and digits only, at most 10 characters: no spaces, hyphens or "
            "other characters",
        ),
    ],
)
def test_a_section_47_enquiry_needs_a_reference_the_census_accepts(
    discussion: Discussion, team_manager: User, reference: str, problem: str
) -> None:
    """The CIN census lists the enquiry under the child's local case reference (LAchildID)."""
    child = discussion.request.children.get()
    Child.objects.filter(pk=child.pk).update(local_reference=reference)
    record_save(
        user=team_manager,
        discussion=discussion,
        values=COMPLETE_RECORD,
        expected_version=0,
        now=LATER,
    )
    _decide(team_manager, discussion, outcome="s47_social_care")
    assert conclusion_problems(discussion=discussion) == [
        (
            "decisions",
            f"The local case reference of {child} {problem}: the children in need census "
            "lists a section 47 enquiry under it (letters and digits only, at most 10 "
            "characters). Record it on the child's page",
        )
    ]


def test_without_a_section_47_enquiry_no_reference_is_needed(
    discussion: Discussion, team_manager: User
) -> None:
    child = discussion.request.children.get()
    Child.objects.filter(pk=child.pk).update(local_reference="")
    _conclude(team_manager, discussion, "s17_assessment")
    discussion.refresh_from_db()
    assert discussion.status == DiscussionStatus.HELD


def test_dissent_is_recorded_with_its_reasons(
    discussion: Discussion, police_officer: User, team_manager: User
) -> None:
    with pytest.raises(Problem) as caught:
        dissent_record(
            user=police_officer,
            discussion=discussion,
            invitation=invitation(discussion, "police"),
            about="",
            reasons="",
        )
    assert [field for field, _ in caught.value.errors] == ["about", "reasons"]
    dissent = dissent_record(
        user=police_officer,
        discussion=discussion,
        invitation=invitation(discussion, "police"),
        about="Single-agency enquiry",
        reasons="Threshold for joint investigation is met",
    )
    assert dissent.recorded_by == police_officer


def test_a_sandwell_discussion_asks_sandwells_questions_cited_to_3_0(
    discussion: Discussion,
) -> None:
    asked = risk_questions(discussion)
    assert asked.questions == (
        "What is known about the child's welfare and safety?",
        "What level of risk does the child face?",
    )
    assert asked.source == "002_3bebd37290b13db4.txt §3.0"


def test_a_reconvened_gloucestershire_discussion_asks_the_review_questions(
    discussion: Discussion,
) -> None:
    discussion.request.profile = "gloucestershire"
    assert risk_questions(discussion).questions[0] == "What harm are you most worried about?"
    discussion.previous_id = discussion.pk
    reviewing = risk_questions(discussion)
    assert reviewing.questions[2] == "Has this improved life for the child?"
    assert reviewing.source == "003_d9dc6ed7629d3148.txt §Risk Review Principles"


# --- saving after someone else (the base an edit began from) ---------------------------


def test_a_save_based_on_what_it_began_from_keeps_what_only_they_changed(
    discussion: Discussion, team_manager: User, social_worker: User
) -> None:
    base = {"background": "", "reason": ""}
    record_save(
        user=social_worker,
        discussion=discussion,
        values={"reason": "Theirs"},
        expected_version=0,
        now=LATER,
    )
    record = record_save(
        user=team_manager,
        discussion=discussion,
        values={"background": "Mine", "reason": ""},
        expected_version=0,
        base=base,
        now=LATER,
    )
    assert (record.background, record.reason, record.version) == ("Mine", "Theirs", 2)


def test_a_field_both_changed_differently_is_a_conflict_with_the_version_now_saved(
    discussion: Discussion, team_manager: User, social_worker: User
) -> None:
    record_save(
        user=social_worker,
        discussion=discussion,
        values={"background": "Theirs", "reason": "Theirs too"},
        expected_version=0,
        now=LATER,
    )
    with pytest.raises(EditConflict) as caught:
        record_save(
            user=team_manager,
            discussion=discussion,
            values={"background": "Mine", "reason": ""},
            expected_version=0,
            base={"background": "", "reason": ""},
            now=LATER,
        )
    assert caught.value.changes == {"background": ("Mine", "Theirs")}
    assert caught.value.version == 1


def test_without_a_base_a_save_that_changes_nothing_of_theirs_still_saves(
    discussion: Discussion, team_manager: User, social_worker: User
) -> None:
    record_save(
        user=social_worker,
        discussion=discussion,
        values={"legal_advice": "seek"},
        expected_version=0,
        now=LATER,
    )
    record = record_save(
        user=team_manager,
        discussion=discussion,
        values={"legal_advice": "seek"},
        expected_version=0,
        now=LATER,
    )
    assert record.version == 2


def test_a_decision_saved_after_someone_else_keeps_their_confirmed_outcome(
    social_worker: User, team_manager: User
) -> None:
    discussion = started_discussion(
        worker=social_worker, chair=team_manager, children=[make_child(social_worker, "Amara")]
    )
    child = discussion.request.children.get()
    first = {"outcome": "nfa", "also": [], "rationale": "Accidental"}
    decision_save(
        user=team_manager,
        discussion=discussion,
        child=child,
        values=first,
        expected_version=0,
        now=LATER,
    )
    decision = decision_confirm_no_further_action(
        user=team_manager, decision=discussion.decisions.get(), reasons="Agreed"
    )
    # Someone who began from the first version changes only the rationale.
    decision = decision_save(
        user=social_worker,
        discussion=discussion,
        child=child,
        values={**first, "rationale": "Accidental, seen by the GP"},
        expected_version=0,
        base=first,
        now=LATER,
    )
    assert (decision.outcome, decision.rationale) == ("nfa", "Accidental, seen by the GP")
    assert decision.nfa_confirmed_by == team_manager


# --- what is still missing, the agenda, who confirms -----------------------------------


def test_conclusion_problems_list_what_is_missing_until_there_is_nothing(
    discussion: Discussion, team_manager: User
) -> None:
    assert conclusion_problems(discussion=discussion) == [
        ("decisions", f"Record the decision for {discussion.request.children.get()}"),
        ("record", "Record the discussion before concluding it"),
    ]
    record_save(
        user=team_manager,
        discussion=discussion,
        values=COMPLETE_RECORD,
        expected_version=0,
        now=LATER,
    )
    _decide(team_manager, discussion)
    assert conclusion_problems(discussion=discussion) == []


def test_the_agenda_is_the_procedures_own_with_full_citations(discussion: Discussion) -> None:
    items = agenda(discussion)
    assert items[0] == AgendaEntry(
        id="sandwell-10-0-share-information",
        title="Share all available information",
        source="002_3bebd37290b13db4.txt §10.0",
        guidance="Including information available from the police.",
    )
    assert all(item.section is None for item in items)


def test_without_an_agenda_of_its_own_the_records_sections_are_the_agenda(
    discussion: Discussion,
) -> None:
    discussion.request.profile = "national"
    items = agenda(discussion)
    assert [item.id for item in items] == [item.id for item in DEFAULT_AGENDA]
    assert [item.section for item in items][:3] == ["introductions", "family", "other-children"]
    assert next(item for item in items if item.section == "analysis").source == (
        "Working Together to Safeguard Children 2023 ch.3 Strategy discussion"
    )


def test_a_team_manager_in_the_authority_may_confirm_no_further_action(
    discussion: Discussion,
    team_manager: User,
    social_worker: User,
    police_officer: User,
    manager: User,
) -> None:
    assert may_confirm_no_further_action(team_manager, discussion)
    assert may_confirm_no_further_action(manager, discussion)
    assert not may_confirm_no_further_action(social_worker, discussion)
    assert not may_confirm_no_further_action(police_officer, discussion)


# --- what each rule writes down (rules a mutation could break unseen) ------------------


def test_dropping_a_confirmation_of_no_further_action_is_saved_sandwell_10_0(
    discussion: Discussion, team_manager: User
) -> None:
    decision = _decide(team_manager, discussion, outcome="nfa")
    decision_confirm_no_further_action(user=team_manager, decision=decision, reasons="Accidental")
    decision_save(
        user=team_manager,
        discussion=discussion,
        child=discussion.request.children.get(),
        values={"outcome": "s17_assessment", "also": [], "rationale": "Needs support"},
        expected_version=1,
        now=LATER,
    )
    stored = discussion.decisions.get()
    assert (stored.nfa_confirmed_by, stored.nfa_confirmation) == (None, "")


def test_a_decision_is_audited_with_its_outcome_and_child(
    discussion: Discussion, team_manager: User
) -> None:
    decision = _decide(team_manager, discussion, outcome="s47_joint", also=["recommend_icpc"])
    event = AuditEvent.objects.get(action="decide")
    assert (event.user, event.object_id) == (team_manager, str(decision.pk))
    assert event.child_ids == [discussion.request.children.get().pk]
    assert event.detail == {"outcome": "s47_joint", "also": ["recommend_icpc"]}


def test_dissent_is_audited_against_the_discussions_children(
    discussion: Discussion, police_officer: User
) -> None:
    dissent = dissent_record(
        user=police_officer,
        discussion=discussion,
        invitation=invitation(discussion, "police"),
        about="The decision",
        reasons="Threshold met",
    )
    event = AuditEvent.objects.get(action="dissent")
    assert (event.user, event.object_id) == (police_officer, str(dissent.pk))
    assert event.child_ids == [discussion.request.children.get().pk]


def test_an_invited_agency_cannot_record_dissent_for_another_agency(
    discussion: Discussion, police_officer: User
) -> None:
    other = discussion.invitations.exclude(agency_code="police").first()
    assert other is not None
    with pytest.raises(Problem, match="Only the chair, the minute-taker or children's social"):
        dissent_record(
            user=police_officer,
            discussion=discussion,
            invitation=other,
            about="The decision",
            reasons="Not ours to say",
        )


def test_dissent_is_for_an_agency_invited_to_this_discussion(
    discussion: Discussion, social_worker: User, team_manager: User
) -> None:
    other = started_discussion(
        worker=social_worker, chair=team_manager, children=[make_child(social_worker, "Kofi")]
    )
    with pytest.raises(Problem) as caught:
        dissent_record(
            user=team_manager,
            discussion=discussion,
            invitation=other.invitations.first(),  # type: ignore[arg-type]
            about="The decision",
            reasons="Wrong discussion",
        )
    assert caught.value.errors == [("invitation", "Choose an agency invited to this discussion")]


# --- what each refusal says, and where; what each change audits -------------------------


def test_concluding_names_in_words_each_part_still_to_record(
    discussion: Discussion, team_manager: User
) -> None:
    record_save(
        user=team_manager,
        discussion=discussion,
        values={"further_discussion_needed": False},
        expected_version=0,
        now=LATER,
    )
    _decide(team_manager, discussion)
    with pytest.raises(Problem) as caught:
        discussion_conclude(user=team_manager, discussion=discussion, now=LATER)
    # The medical assessment is each child's, on their decision (tests/discussions/
    # test_per_child.py); the record's own parts are named here.
    assert caught.value.errors == [
        ("family_informed", "Record whether the family will be told"),
        ("legal_advice", "Record whether legal advice is needed"),
    ]


def test_telling_the_family_needs_who_will_tell_them_and_when(
    discussion: Discussion, team_manager: User
) -> None:
    problem = _concluding_fails(team_manager, discussion, family_informed_when=" ")
    assert problem.errors == [
        ("family_informed_by", "Record who will tell the family and when"),
    ]


def test_only_a_started_discussion_is_concluded(discussion: Discussion, team_manager: User) -> None:
    Discussion.objects.filter(pk=discussion.pk).update(status=DiscussionStatus.SCHEDULED)
    discussion.refresh_from_db()
    with pytest.raises(Problem) as caught:
        discussion_conclude(user=team_manager, discussion=discussion, now=LATER)
    assert caught.value.errors == [(None, "Only a discussion that has started can be concluded")]


def test_a_cancelled_discussion_is_recorded_by_no_one(
    discussion: Discussion, team_manager: User, police_officer: User
) -> None:
    Discussion.objects.filter(pk=discussion.pk).update(status=DiscussionStatus.CANCELLED)
    discussion.refresh_from_db()
    with pytest.raises(Problem) as caught:
        record_save(
            user=team_manager, discussion=discussion, values={}, expected_version=0, now=LATER
        )
    assert caught.value.errors == [(None, "This discussion was cancelled")]
    with pytest.raises(Problem) as caught:
        contribution_save(
            user=police_officer,
            invitation=invitation(discussion, "police"),
            text="Too late",
            not_for_family=False,
            consent_needed=False,
            expected_version=0,
            now=LATER,
        )
    assert caught.value.errors == [(None, "This discussion was cancelled")]


def test_a_contribution_needs_its_text_at_the_text_field(
    discussion: Discussion, police_officer: User
) -> None:
    with pytest.raises(Problem) as caught:
        contribution_save(
            user=police_officer,
            invitation=invitation(discussion, "police"),
            text="  ",
            not_for_family=False,
            consent_needed=False,
            expected_version=0,
            now=LATER,
        )
    assert caught.value.errors == [("text", "Enter what the agency shared")]


def test_saving_the_record_audits_who_and_which_fields_and_keeps_who_saved_it_when(
    discussion: Discussion, team_manager: User
) -> None:
    record = record_save(
        user=team_manager,
        discussion=discussion,
        values={"legal_advice": "not_needed", "background": "Known", "not_a_field": "x"},
        expected_version=0,
        now=LATER,
    )
    assert (record.updated_by, record.updated_at) == (team_manager, LATER)
    record.refresh_from_db()
    assert (record.updated_by, record.updated_at) == (team_manager, LATER)
    event = AuditEvent.objects.get(action="record")
    assert (event.user, event.object_id) == (team_manager, str(record.pk))
    assert event.detail == {"fields": ["background", "legal_advice"]}
    assert event.child_ids == [discussion.request.children.get().pk]


def test_a_contribution_is_audited_with_its_sharing_markers(
    discussion: Discussion, police_officer: User
) -> None:
    contribution = contribution_save(
        user=police_officer,
        invitation=invitation(discussion, "police"),
        text="Father arrested in 2024",
        not_for_family=True,
        consent_needed=False,
        expected_version=0,
        now=LATER,
    )
    event = AuditEvent.objects.get(action="contribute")
    assert (event.user, event.object_id) == (police_officer, str(contribution.pk))
    assert event.object_type == "discussions.Contribution"
    assert event.detail == {"not_for_family": True, "consent_needed": False}
    assert event.child_ids == [discussion.request.children.get().pk]


def test_further_decisions_are_only_the_listed_ones_and_not_seen_alone_needs_why(
    discussion: Discussion, team_manager: User
) -> None:
    with pytest.raises(Problem) as caught:
        _decide(team_manager, discussion, also=["recommend_icpc", "adopt"], seen_alone=False)
    assert caught.value.errors == [
        ("also", "Choose only from the listed further decisions"),
        ("seen_alone_reason", "Say why the child will not be seen alone"),
    ]
    decision = _decide(
        team_manager,
        discussion,
        also=["recommend_icpc"],
        seen_alone=False,
        seen_alone_reason="Too young to speak",
    )
    assert decision.also == ["recommend_icpc"]


def test_sandwell_10_0_confirming_nfa_needs_reasons_citing_the_procedure_and_is_audited(
    discussion: Discussion, team_manager: User
) -> None:
    decision = _decide(team_manager, discussion, outcome="nfa")
    with pytest.raises(Problem) as caught:
        decision_confirm_no_further_action(user=team_manager, decision=decision, reasons=" ")
    assert caught.value.errors == [
        (
            "reasons",
            "Record the reasons for confirming no further action (Sandwell procedure §10.0)",
        )
    ]
    decision_confirm_no_further_action(user=team_manager, decision=decision, reasons="Accident")
    event = AuditEvent.objects.get(action="confirm-nfa")
    assert (event.user, event.object_id) == (team_manager, str(decision.pk))
    assert event.object_type == "discussions.ChildDecision"
    assert event.child_ids == [decision.child_id]


def test_where_the_procedure_asks_no_confirmation_the_reasons_cite_nothing(
    authority: LocalAuthority, social_worker: User, team_manager: User
) -> None:
    authority.profile = "national"
    authority.save(update_fields=["profile"])
    national = started_discussion(
        worker=social_worker, chair=team_manager, children=[make_child(social_worker, "Amara")]
    )
    decision = _decide(team_manager, national, outcome="nfa")
    with pytest.raises(Problem) as caught:
        decision_confirm_no_further_action(user=team_manager, decision=decision, reasons="")
    assert caught.value.errors == [
        ("reasons", "Record the reasons for confirming no further action")
    ]


def test_a_repeated_dissent_form_records_one_dissent(
    discussion: Discussion, police_officer: User
) -> None:
    police = invitation(discussion, "police")
    arguments: dict[str, Any] = {
        "user": police_officer,
        "discussion": discussion,
        "invitation": police,
        "about": "The decision",
        "reasons": "Threshold met",
        "token": "dissent-form-1",
    }
    first = dissent_record(**arguments)
    assert dissent_record(**arguments) == first
    assert discussion.dissents.count() == 1
    # The same form sent again after going Back and clearing it answers with the first.
    assert dissent_record(**{**arguments, "about": "", "reasons": ""}) == first
    # Without a form token each dissent is its own.
    del arguments["token"]
    assert dissent_record(**arguments) != dissent_record(**arguments)
    assert discussion.dissents.count() == 3


def test_a_conflict_names_in_words_every_field_they_changed(
    discussion: Discussion, team_manager: User, social_worker: User
) -> None:
    changed = {"background": "A", "legal_advice": "needed"}
    record_save(
        user=team_manager, discussion=discussion, values=changed, expected_version=0, now=LATER
    )
    with pytest.raises(EditConflict) as caught:
        record_save(
            user=social_worker,
            discussion=discussion,
            values={"background": "B", "legal_advice": "not_needed"},
            expected_version=0,
            now=LATER,
        )
    assert "They changed: background, legal advice." in str(caught.value)


def test_a_decision_keeps_who_saved_it_and_when(discussion: Discussion, team_manager: User) -> None:
    decision = _decide(team_manager, discussion)
    decision.refresh_from_db()
    assert (decision.updated_by, decision.updated_at) == (team_manager, LATER)


def test_dissent_keeps_what_it_is_about_and_why(
    discussion: Discussion, police_officer: User
) -> None:
    dissent = dissent_record(
        user=police_officer,
        discussion=discussion,
        invitation=invitation(discussion, "police"),
        about=" The decision for Amara ",
        reasons=" Threshold met ",
    )
    dissent.refresh_from_db()
    assert (dissent.about, dissent.reasons) == ("The decision for Amara", "Threshold met")


def test_not_telling_the_family_needs_the_reason_where_the_procedure_cites_none(
    authority: LocalAuthority, social_worker: User, team_manager: User
) -> None:
    authority.profile = "national"
    authority.save(update_fields=["profile"])
    national = started_discussion(
        worker=social_worker, chair=team_manager, children=[make_child(social_worker, "Amara")]
    )
    problem = _concluding_fails(team_manager, national, family_informed="no")
    assert problem.errors == [
        ("family_not_informed_reason", "Record why the family will not be told"),
    ]


def test_two_edits_of_a_contribution_from_the_same_version_keep_both_changes(
    discussion: Discussion, police_officer: User, team_manager: User
) -> None:
    police = invitation(discussion, "police")
    shared: dict[str, Any] = {
        "text": "A call-out",
        "not_for_family": False,
        "consent_needed": False,
    }
    contribution_save(
        user=police_officer, invitation=police, expected_version=0, now=LATER, **shared
    )
    contribution_save(
        user=team_manager,
        invitation=police,
        **{**shared, "text": "A call-out in May"},
        expected_version=1,
        now=LATER,
        base=shared,
    )
    saved = contribution_save(
        user=police_officer,
        invitation=police,
        **{**shared, "consent_needed": True},
        expected_version=1,
        now=LATER,
        base=shared,
    )
    saved.refresh_from_db()
    assert (saved.text, saved.consent_needed, saved.version) == ("A call-out in May", True, 3)
