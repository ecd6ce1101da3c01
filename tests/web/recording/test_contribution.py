"""An agency's contribution: recorded by those who record the discussion, or by the
agency's own invitee, with its two sharing markers."""

from __future__ import annotations

import pytest
from django.test import Client

from strategise.discussions.models import Contribution, Discussion
from strategise.discussions.recording import contribution_save
from strategise.organisations.models import User
from tests.web.pages import choices, error_summary, page, text
from tests.web.recording.support import LATER, draft_post, hidden_inputs, started

pytestmark = pytest.mark.django_db


@pytest.fixture
def recording(social_worker: User, team_manager: User, police_officer: User) -> Discussion:
    return started(social_worker, team_manager, police_officer)


def _path(discussion: Discussion) -> str:
    police = discussion.invitations.get(agency_code="police")
    return f"/discussions/{discussion.pk}/contributions/{police.pk}/"


def test_the_form_offers_both_markers_without_citing_birmingham_in_sandwell(
    client: Client, team_manager: User, recording: Discussion, police_officer: User
) -> None:
    words = text(page(client, _path(recording), team_manager))
    assert f"Contribution of Police ({police_officer})" in words
    assert "Not to be shared with the family" in words
    assert (
        "Not to be shared outside this meeting without the consent of the agency that shared it"
    ) in words
    assert "000_394093cbef3e5ee1.txt" not in words


def test_nothing_shared_is_named_in_the_summary(
    client: Client, team_manager: User, recording: Discussion
) -> None:
    client.force_login(team_manager)
    html = client.post(_path(recording), draft_post(client, _path(recording))).content.decode()
    assert error_summary(html) == [("Enter what the agency shared", "text")]


def test_the_invited_officer_records_their_own_with_markers(
    client: Client, police_officer: User, recording: Discussion
) -> None:
    client.force_login(police_officer)
    response = client.post(
        _path(recording),
        draft_post(
            client,
            _path(recording),
            text="A call-out to the address in 2025",
            not_for_family="on",
            consent_needed="on",
        ),
    )
    assert response["Location"] == f"/discussions/{recording.pk}/"
    contribution = Contribution.objects.get()
    assert (contribution.text, contribution.not_for_family, contribution.consent_needed) == (
        "A call-out to the address in 2025",
        True,
        True,
    )
    assert "Contribution of Police" in text(page(client, response["Location"]))


def test_the_minute_taker_sees_it_on_the_record_with_its_markers(
    client: Client, team_manager: User, police_officer: User, recording: Discussion
) -> None:
    contribution_save(
        user=police_officer,
        invitation=recording.invitations.get(agency_code="police"),
        text="Previous domestic abuse call-out",
        not_for_family=True,
        consent_needed=False,
        expected_version=0,
        now=LATER,
    )
    html = page(client, f"/discussions/{recording.pk}/record/", team_manager)
    words = text(html)
    assert "Not to be shared with the family Previous domestic abuse call-out Change" in words
    html = page(client, _path(recording))
    assert choices(html, "not_for_family") == {"on": True}
    assert choices(html, "consent_needed") == {"on": False}


def test_a_conflicting_save_keeps_both(
    client: Client, team_manager: User, police_officer: User, recording: Discussion
) -> None:
    client.force_login(team_manager)
    mine = draft_post(client, _path(recording), text="Mine")
    contribution_save(
        user=police_officer,
        invitation=recording.invitations.get(agency_code="police"),
        text="Theirs",
        not_for_family=False,
        consent_needed=False,
        expected_version=0,
        now=LATER,
    )
    html = client.post(_path(recording), mine).content.decode()
    assert ("Someone else changed this: compare their version with yours", "text") in (
        error_summary(html)
    )
    assert "Saved by someone else Theirs Yours, not saved yet Mine" in text(html)
    assert hidden_inputs(html)["version"] == ["1"]


def test_another_officer_may_not_record_for_the_police(
    client: Client, other_police_officer: User, health_practitioner: User, recording: Discussion
) -> None:
    for user in (other_police_officer, health_practitioner):
        client.force_login(user)
        assert client.get(_path(recording)).status_code == 404


def test_the_minute_taker_goes_back_to_the_records_contributions(
    client: Client, team_manager: User, recording: Discussion
) -> None:
    client.force_login(team_manager)
    response = client.post(_path(recording), draft_post(client, _path(recording), text="Seen"))
    assert response["Location"] == f"/discussions/{recording.pk}/record/#section-contributions"
