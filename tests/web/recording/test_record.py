"""The record of a discussion: its agenda, attendance, family details, reason, background,
contributions, the analysis of risk, and saving it as a draft without losing anyone's work."""

from __future__ import annotations

import pytest
from django.test import Client

from strategise.discussions.models import Discussion, DiscussionRecord
from strategise.discussions.recording import record_save
from strategise.organisations.models import Role, User
from strategise.requests.models import StrategyRequest
from tests.discussions.support import make_child
from tests.factories import AgencyFactory, LocalAuthorityFactory, UserFactory
from tests.second_factor import VerifiedClient
from tests.web.pages import broken_error_links, choices, error_summary, page, repeated_ids, text
from tests.web.recording.support import LATER, draft_post, hidden_inputs, started

pytestmark = pytest.mark.django_db


@pytest.fixture
def recording(social_worker: User, team_manager: User, police_officer: User) -> Discussion:
    return started(
        social_worker,
        team_manager,
        police_officer,
        children=[make_child(social_worker, "Amara", aliases="Mara", address="1 Oak Road")],
    )


def test_the_page_follows_sandwells_10_0_agenda_and_cites_it(
    client: Client, team_manager: User, recording: Discussion
) -> None:
    html = page(client, f"/discussions/{recording.pk}/record/", team_manager)
    words = text(html)
    assert "Agenda From Sandwell Children's Trust — strategy discussion / meeting" in words
    first, last = "Share all available information", "Feedback to each other and further"
    assert words.index(first) < words.index("A press strategy, if relevant") < words.index(last)
    assert "Source: Sandwell procedure §10.0" in words
    assert 'href="#agenda-sandwell-10-0-share-information"' in html
    assert 'id="agenda-sandwell-10-0-share-information"' in html
    assert repeated_ids(html) == []


def test_the_page_shows_attendance_quorum_and_the_childrens_details_read_only(
    client: Client, team_manager: User, police_officer: User, recording: Discussion
) -> None:
    words = text(page(client, f"/discussions/{recording.pk}/record/", team_manager))
    assert f"{police_officer} Police (required) Attended" in words
    assert "Quorate Every agency the procedure requires attended." in words
    assert "Amara Okafor Mara 1 June 2019 1 Oak Road" in words
    assert "Concerns Physical abuse" in words
    assert "What happened, as raised Bruising seen at school." in words


def test_the_analysis_asks_the_procedures_own_risk_questions_and_cites_them(
    client: Client, team_manager: User, recording: Discussion
) -> None:
    words = text(page(client, f"/discussions/{recording.pk}/record/", team_manager))
    assert "Analysis of risk The procedure’s questions for analysing risk." in words
    assert "Source: Sandwell procedure §3.0" in words
    assert "1. What is known about the child's welfare and safety?" in words
    assert "2. What level of risk does the child face?" in words
    # Gloucestershire's questions are Gloucestershire's alone.
    assert "What harm are you most worried about?" not in words
    assert "003_d9dc6ed7629d3148.txt" not in words


def test_a_gloucestershire_discussion_asks_its_five_risk_questions(
    client: Client, team_manager: User, recording: Discussion
) -> None:
    StrategyRequest.objects.filter(pk=recording.request_id).update(profile="gloucestershire")
    words = text(page(client, f"/discussions/{recording.pk}/record/", team_manager))
    assert "Source: Gloucestershire guidance §Risk Assessment Principles" in words
    for number, question in enumerate(
        [
            "What harm are you most worried about?",
            "If this happened what is the impact on the child?",
            "What makes harm more or less likely?",
            "What is needed to reduce harm?",
            "When will this be reviewed?",
        ],
        start=1,
    ):
        assert f"{number}. {question}" in words


def test_a_reconvened_gloucestershire_discussion_asks_the_review_questions(
    client: Client, team_manager: User, recording: Discussion, social_worker: User
) -> None:
    later = started(social_worker, team_manager, team_manager)
    Discussion.objects.filter(pk=later.pk).update(previous=recording)
    StrategyRequest.objects.filter(pk=later.request_id).update(profile="gloucestershire")
    words = text(page(client, f"/discussions/{later.pk}/record/", team_manager))
    assert "Review of risk" in words
    assert "1. What harm were you worried about?" in words
    assert "Source: Gloucestershire guidance §Risk Review Principles" in words


def test_saving_a_draft_keeps_everything_typed(
    client: Client, team_manager: User, recording: Discussion
) -> None:
    client.force_login(team_manager)
    path = f"/discussions/{recording.pk}/record/"
    response = client.post(
        path,
        draft_post(
            client,
            path,
            family_details_checked="on",
            background="Known to early help in 2025",
            risk_1="Further physical harm",
            **{"agenda-sandwell-10-0-press": "No press interest"},
        ),
    )
    assert response["Location"] == f"/discussions/{recording.pk}/record/"
    record = DiscussionRecord.objects.get(discussion=recording)
    assert record.family_details_checked
    assert record.background == "Known to early help in 2025"
    assert record.risk_answers == {"1": "Further physical harm"}
    assert record.agenda_notes == {"sandwell-10-0-press": "No press interest"}
    html = page(client, response["Location"])
    assert "Record saved as a draft" in text(html)
    assert choices(html, "family_details_checked") == {"on": True}
    assert "Known to early help in 2025</textarea>" in html
    assert "No press interest</textarea>" in html


def test_someone_elses_save_in_between_shows_both_versions_and_keeps_yours(
    client: Client, team_manager: User, social_worker: User, recording: Discussion
) -> None:
    client.force_login(team_manager)
    path = f"/discussions/{recording.pk}/record/"
    mine = draft_post(client, path, background="Mine: known to early help", risk_2="Mine")
    record_save(
        user=social_worker,
        discussion=recording,
        values={"background": "Theirs: known to the police", "risk_answers": {"2": "Theirs"}},
        expected_version=0,
        now=LATER,
    )
    html = client.post(path, mine).content.decode()
    summary = error_summary(html)
    assert (
        "There is a problem Someone else saved this while you were editing it. Your changes "
        "have not been saved. They changed: background, risk answers."
    ) in text(html)
    assert ("Someone else changed this: compare their version with yours", "background") in summary
    assert ("Someone else changed this: compare their version with yours", "risk_2") in summary
    assert broken_error_links(html) == []
    words = text(html)
    assert (
        "Saved by someone else Theirs: known to the police Yours, not saved yet Mine: known to "
        "early help"
    ) in words
    assert "Saved by someone else Theirs Yours, not saved yet Mine" in words
    assert "Mine: known to early help</textarea>" in html  # still in the box
    assert 'name="version" value="1"' in html  # saving again now saves
    assert DiscussionRecord.objects.get(discussion=recording).background == (
        "Theirs: known to the police"
    )
    # Having seen theirs, saving again saves (the page now carries their version).
    again = {**hidden_inputs(html), "background": "Mine: known to early help", "risk_2": "Mine"}
    assert client.post(path, again).status_code == 302
    record = DiscussionRecord.objects.get(discussion=recording)
    assert (record.background, record.risk_answers) == ("Mine: known to early help", {"2": "Mine"})


def test_a_save_on_another_page_in_between_is_not_a_conflict(
    client: Client, team_manager: User, social_worker: User, recording: Discussion
) -> None:
    client.force_login(team_manager)
    path = f"/discussions/{recording.pk}/record/"
    mine = draft_post(client, path, background="Mine")
    record_save(
        user=social_worker,
        discussion=recording,
        values={"legal_advice": "not_needed"},
        expected_version=0,
        now=LATER,
    )
    assert client.post(path, mine).status_code == 302
    record = DiscussionRecord.objects.get(discussion=recording)
    assert (record.background, record.legal_advice, record.version) == ("Mine", "not_needed", 2)


def test_a_discussion_not_started_cannot_be_recorded_yet(
    client: Client, team_manager: User, discussion: Discussion
) -> None:
    words = text(page(client, f"/discussions/{discussion.pk}/record/", team_manager))
    assert "Start the discussion (record who is there) before recording it." in words
    assert "Save as a draft" not in words


def test_an_invited_agency_cannot_open_the_record(
    client: Client, police_officer: User, recording: Discussion
) -> None:
    client.force_login(police_officer)
    assert client.get(f"/discussions/{recording.pk}/record/").status_code == 404
    assert client.post(f"/discussions/{recording.pk}/record/", {"version": 0}).status_code == 404


def test_a_procedure_without_an_agenda_uses_the_records_sections(db: None) -> None:
    national = LocalAuthorityFactory.create(profile="national")
    for kind in ("childrens_social_care", "police", "health"):
        AgencyFactory.create(local_authority=national, kind=kind)
    worker = UserFactory.create(
        agency=national.agencies.get(kind="childrens_social_care"), role=Role.SOCIAL_WORKER
    )
    chair = UserFactory.create(
        agency=national.agencies.get(kind="childrens_social_care"), role=Role.TEAM_MANAGER
    )
    police = UserFactory.create(agency=national.agencies.get(kind="police"), role=Role.POLICE)
    discussion = started(worker, chair, police)
    client = VerifiedClient()
    html = page(client, f"/discussions/{discussion.pk}/record/", chair)
    words = text(html)
    assert "The procedure does not set an agenda, so the sections of the record are used." in words
    assert "Introductions, apologies and quorum" in words
    assert 'href="#section-family"' in html and 'id="section-family"' in html
    assert f'href="/discussions/{discussion.pk}/decisions/"' in html
    assert "Notes on the agenda" not in words


def test_the_page_lists_each_agencys_contribution_with_a_link(
    client: Client, team_manager: User, recording: Discussion
) -> None:
    police = recording.invitations.get(agency_code="police")
    html = page(client, f"/discussions/{recording.pk}/record/", team_manager)
    assert f'href="/discussions/{recording.pk}/contributions/{police.pk}/"' in html
    assert "Nothing recorded yet." in text(html)
