"""Decisions: one per child with its rationale, the decisions about the whole discussion,
and a team manager's confirmation of no further action (Sandwell §10.0)."""

from __future__ import annotations

import pytest
from django.test import Client

from strategise.discussions.decisions import decision_save
from strategise.discussions.models import ChildDecision, Discussion, DiscussionRecord
from strategise.discussions.recording import record_save
from strategise.organisations.models import User
from strategise.policy import LONDON
from tests.web.pages import broken_error_links, choices, error_summary, page, text
from tests.web.recording.support import LATER, draft_post, siblings, started

pytestmark = pytest.mark.django_db


@pytest.fixture
def recording(social_worker: User, team_manager: User, police_officer: User) -> Discussion:
    return started(
        social_worker,
        team_manager,
        police_officer,
        children=siblings(social_worker),
    )


def _child(discussion: Discussion, name: str) -> int:
    return discussion.request.children.get(first_name=name).pk


def test_the_page_lists_each_child_with_a_link_to_record_the_decision(
    client: Client, social_worker: User, recording: Discussion
) -> None:
    html = page(client, f"/discussions/{recording.pk}/decisions/", social_worker)
    words = text(html)
    assert "Amara Okafor Not recorded yet Record the decision for Amara Okafor" in words
    assert "Kofi Okafor Not recorded yet Record the decision for Kofi Okafor" in words
    assert f'href="/discussions/{recording.pk}/decisions/{_child(recording, "Kofi")}/"' in html
    assert "Source: Sandwell procedure §10.0" in words  # NFA needs confirming


def test_a_decision_without_an_outcome_or_rationale_names_both(
    client: Client, social_worker: User, recording: Discussion
) -> None:
    client.force_login(social_worker)
    path = f"/discussions/{recording.pk}/decisions/{_child(recording, 'Amara')}/"
    html = client.post(path, draft_post(client, path, seen_alone="no")).content.decode()
    assert error_summary(html) == [
        ("Choose the decision for Amara Okafor", "outcome"),
        ("Give the rationale for the decision for Amara Okafor", "rationale"),
        ("Say why the child will not be seen alone", "seen_alone_reason"),
    ]
    assert broken_error_links(html) == []
    assert choices(html, "seen_alone") == {"yes": False, "no": True}


def test_a_decision_is_saved_with_who_sees_the_child_and_when(
    client: Client, social_worker: User, recording: Discussion
) -> None:
    client.force_login(social_worker)
    amara = _child(recording, "Amara")
    path = f"/discussions/{recording.pk}/decisions/{amara}/"
    response = client.post(
        path,
        draft_post(
            client,
            path,
            outcome="s47_joint",
            also=["recommend_icpc"],
            rationale="Unexplained bruising",
            seen_by="Sam Patel, social worker",
            seen_by_when_date_day="5",
            seen_by_when_date_month="3",
            seen_by_when_date_year="2026",
            seen_alone="yes",
            medical_decision="not_needed",
            medical_reasoning="No injuries",
        ),
    )
    assert response["Location"] == f"/discussions/{recording.pk}/decisions/#children"
    decision = ChildDecision.objects.get(child_id=amara)
    assert (decision.outcome, decision.also, decision.seen_by, decision.seen_alone) == (
        "s47_joint",
        ["recommend_icpc"],
        "Sam Patel, social worker",
        True,
    )
    assert (decision.medical_decision, decision.medical_reasoning) == ("not_needed", "No injuries")
    assert decision.seen_by_when is not None
    # Without a time, by the end of that day.
    assert decision.seen_by_when.astimezone(LONDON).isoformat() == "2026-03-05T23:59:00+00:00"
    words = text(page(client, f"/discussions/{recording.pk}/decisions/"))
    assert "Decision for Amara Okafor saved" in words
    assert (
        "Amara Okafor Section 47 enquiry, joint with the police Also: Recommend an initial "
        "child protection conference Unexplained bruising Medical assessment: No child "
        "protection medical Change"
    ) in words
    # The form shows what was saved.
    html = page(client, path)
    assert choices(html, "outcome")["s47_joint"]
    assert choices(html, "also") == {"inform_lado": False, "recommend_icpc": True}
    assert 'value="Sam Patel, social worker"' in html


def test_a_mistyped_date_for_seeing_the_child_is_named(
    client: Client, social_worker: User, recording: Discussion
) -> None:
    client.force_login(social_worker)
    path = f"/discussions/{recording.pk}/decisions/{_child(recording, 'Amara')}/"
    html = client.post(
        path,
        draft_post(
            client,
            path,
            outcome="nfa",
            rationale="Accidental",
            seen_by_when_date_day="31",
            seen_by_when_date_month="2",
            seen_by_when_date_year="2026",
        ),
    ).content.decode()
    assert error_summary(html) == [
        (
            "The date the child will be seen must be a real date",
            "seen_by_when_date-day",
        )
    ]


def test_the_decisions_about_the_discussion_are_saved_as_a_draft(
    client: Client, social_worker: User, recording: Discussion
) -> None:
    client.force_login(social_worker)
    path = f"/discussions/{recording.pk}/decisions/"
    response = client.post(
        path,
        draft_post(
            client,
            path,
            family_informed="no",
            family_not_informed_reason="It would alert the alleged perpetrator",
            legal_advice="seek",
            interpreter="Twi for the mother",
            further_discussion_needed="yes",
            further_discussion_by_day="20",
            further_discussion_by_month="3",
            further_discussion_by_year="2026",
        ),
    )
    assert response["Location"] == path
    record = DiscussionRecord.objects.get(discussion=recording)
    assert (record.family_informed, record.legal_advice) == ("no", "seek")
    assert record.further_discussion_needed is True
    assert record.further_discussion_by is not None
    html = page(client, path)
    assert choices(html, "family_informed")["no"]
    assert choices(html, "further_discussion_needed") == {"yes": True, "no": False}
    assert 'value="20"' in html


def test_no_further_action_is_confirmed_by_a_team_manager_with_reasons(
    client: Client, social_worker: User, team_manager: User, recording: Discussion
) -> None:
    kofi = _child(recording, "Kofi")
    decision_save(
        user=social_worker,
        discussion=recording,
        child=recording.request.children.get(pk=kofi),
        values={"outcome": "nfa", "rationale": "Accidental injury, explained"},
        expected_version=0,
        now=LATER,
    )
    confirm = f"/discussions/{recording.pk}/decisions/{kofi}/confirm/"
    client.force_login(social_worker)
    assert client.get(confirm).status_code == 404  # a social worker may not confirm
    html = page(client, f"/discussions/{recording.pk}/decisions/", team_manager)
    assert "Not yet confirmed by a team manager" in text(html)
    assert f'href="{confirm}"' in html
    words = text(page(client, confirm))
    assert "Any decision that child protection action is not necessary" in words
    html = client.post(confirm, {"reasons": ""}).content.decode()
    assert error_summary(html) == [
        ("Record the reasons for confirming no further action", "reasons")
    ]
    response = client.post(confirm, {"reasons": "Agreed: the GP confirms the account"})
    assert response["Location"] == f"/discussions/{recording.pk}/decisions/#children"
    words = text(page(client, f"/discussions/{recording.pk}/decisions/"))
    assert f"Confirmed by {team_manager}: Agreed: the GP confirms the account" in words


def test_only_a_no_further_action_decision_is_confirmed(
    client: Client, team_manager: User, recording: Discussion
) -> None:
    amara = _child(recording, "Amara")
    words = text(
        page(client, f"/discussions/{recording.pk}/decisions/{amara}/confirm/", team_manager)
    )
    assert "Only a decision of no further action needs confirming" in words


def test_a_decision_changed_meanwhile_shows_both_in_words(
    client: Client, social_worker: User, team_manager: User, recording: Discussion
) -> None:
    amara = recording.request.children.get(first_name="Amara")
    first = {"outcome": "s47_joint", "also": [], "rationale": "Bruising", "seen_alone": True}
    decision_save(
        user=team_manager,
        discussion=recording,
        child=amara,
        values=first,
        expected_version=0,
        now=LATER,
    )
    client.force_login(social_worker)
    path = f"/discussions/{recording.pk}/decisions/{amara.pk}/"
    mine = draft_post(
        client,
        path,
        outcome="s47_social_care",
        seen_alone="",
        seen_by_when_date_day="6",
        seen_by_when_date_month="3",
        seen_by_when_date_year="2026",
    )
    decision_save(
        user=team_manager,
        discussion=recording,
        child=amara,
        values={
            **first,
            "outcome": "nfa",
            "also": ["inform_lado"],
            "seen_alone": False,
            "seen_alone_reason": "Too young",
            "seen_by_when": LATER,
        },
        expected_version=1,
        now=LATER,
    )
    html = client.post(path, mine).content.decode()
    words = text(html)
    assert (
        "Saved by someone else No further action Yours, not saved yet Section 47 enquiry, "
        "single agency (children's social care)"
    ) in words
    assert "Saved by someone else No Yours, not saved yet Nothing recorded" in words
    assert (
        "Saved by someone else Wednesday 4 March 2026, 1pm Yours, not saved yet Friday 6 March "
        "2026, 11:59pm"
    ) in words
    assert (
        "Saved by someone else Inform the local authority designated officer (LADO) Yours, not "
        "saved yet Nothing recorded"
    ) not in words  # they added it, you did not touch it: theirs is kept, no conflict
    assert ("Someone else changed this: compare their version with yours", "outcome") in (
        error_summary(html)
    )


def test_the_discussions_decisions_changed_meanwhile_are_a_conflict_too(
    client: Client, social_worker: User, team_manager: User, recording: Discussion
) -> None:
    client.force_login(social_worker)
    path = f"/discussions/{recording.pk}/decisions/"
    mine = draft_post(client, path, legal_advice="seek")
    record_save(
        user=team_manager,
        discussion=recording,
        values={"legal_advice": "not_needed"},
        expected_version=0,
        now=LATER,
    )
    html = client.post(path, mine).content.decode()
    assert (
        "Saved by someone else Legal advice is not needed Yours, not saved yet Seek legal advice"
    ) in text(html)
    assert 'name="base-legal_advice" value="not_needed"' in html  # now based on theirs
