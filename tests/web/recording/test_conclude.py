"""Concluding: the chair sees what is still missing as the error summary, each linked to
where it is recorded, and once it is complete, the clocks that started."""

from __future__ import annotations

import pytest
from django.test import Client

from strategise.discussions.models import Discussion, DiscussionStatus
from strategise.discussions.recording import record_save
from strategise.organisations.models import User
from tests.web.pages import error_summary, page, text
from tests.web.recording.support import LATER, complete, started

pytestmark = pytest.mark.django_db


def _links(html: str) -> list[tuple[str, str]]:
    """The error summary's messages and links (to other pages, not to this one's fields)."""
    return error_summary(html.replace('href="/', 'href="#/'))


@pytest.fixture
def recording(social_worker: User, team_manager: User, police_officer: User) -> Discussion:
    return started(social_worker, team_manager, police_officer)


def test_until_it_is_complete_the_summary_lists_what_is_missing_and_where(
    client: Client, team_manager: User, recording: Discussion
) -> None:
    child = recording.request.children.get()
    html = page(client, f"/discussions/{recording.pk}/conclude/", team_manager)
    assert _links(html) == [
        (f"Record the decision for {child}", f"/discussions/{recording.pk}/decisions/#children"),
        (
            "Record the discussion before concluding it",
            f"/discussions/{recording.pk}/record/#main-content",
        ),
    ]


def test_concluding_too_soon_names_each_missing_part(
    client: Client, team_manager: User, recording: Discussion, social_worker: User
) -> None:
    record_save(
        user=social_worker,
        discussion=recording,
        values={"family_informed": "no"},
        expected_version=0,
        now=LATER,
    )
    client.force_login(team_manager)
    html = client.post(f"/discussions/{recording.pk}/conclude/").content.decode()
    path = f"/discussions/{recording.pk}/decisions/"
    assert _links(html)[1:] == [
        (
            "Record why the family will not be told (Sandwell procedure §1.0)",
            f"{path}#family_not_informed_reason",
        ),
        ("Record whether legal advice is needed", f"{path}#legal_advice"),
        ("Record whether a further discussion is needed", f"{path}#further_discussion_needed"),
    ]
    recording.refresh_from_db()
    assert recording.status == DiscussionStatus.STARTED


def test_once_complete_it_concludes_and_shows_the_clocks_that_started(
    client: Client, team_manager: User, recording: Discussion
) -> None:
    complete(recording, team_manager)
    html = page(client, f"/discussions/{recording.pk}/conclude/", team_manager)
    assert _links(html) == []
    assert "Everything the procedure needs is recorded." in text(html)
    response = client.post(f"/discussions/{recording.pk}/conclude/")
    assert response["Location"] == f"/discussions/{recording.pk}/conclude/"
    recording.refresh_from_db()
    assert recording.status == DiscussionStatus.HELD
    words = text(page(client, response["Location"]))
    assert "Discussion concluded: its statutory clocks have started" in words
    assert (
        "Decisions and action points circulated Thursday 5 March 2026, 11:59pm Overdue "
        "Sandwell procedure §11.0"
    ) in words
    assert (
        "Initial child protection conference held Wednesday 25 March 2026, 11:59pm Overdue "
        "Sandwell procedure §2.0"
    ) in words


def test_only_the_chair_may_conclude(
    client: Client, social_worker: User, recording: Discussion
) -> None:
    client.force_login(social_worker)
    assert client.get(f"/discussions/{recording.pk}/conclude/").status_code == 404
    assert client.post(f"/discussions/{recording.pk}/conclude/").status_code == 404
