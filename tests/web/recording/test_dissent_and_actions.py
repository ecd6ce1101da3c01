"""Dissent (an agency, what it disagrees with, and why) and actions (who: agency and
person; what; by when), and an action's owner keeping it up to date."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.test import Client

from strategise.actions.models import Action, ActionStatus
from strategise.actions.services import action_create, action_update
from strategise.discussions.models import Discussion, Dissent
from strategise.organisations.models import User
from strategise.policy import LONDON
from tests.web.pages import broken_error_links, error_summary, page, text
from tests.web.recording.support import LATER, draft_post, served_form, started

pytestmark = pytest.mark.django_db


@pytest.fixture
def recording(social_worker: User, team_manager: User, police_officer: User) -> Discussion:
    return started(social_worker, team_manager, police_officer)


def test_dissent_needs_what_and_why(
    client: Client, team_manager: User, recording: Discussion
) -> None:
    client.force_login(team_manager)
    police = recording.invitations.get(agency_code="police")
    html = client.post(
        f"/discussions/{recording.pk}/dissent/", {"invitation": police.pk}
    ).content.decode()
    assert error_summary(html) == [
        ("Say which decision the agency disagrees with", "about"),
        ("Give the agency's reasons for disagreeing", "reasons"),
    ]
    assert broken_error_links(html) == []


def test_the_minute_taker_records_an_agencys_dissent(
    client: Client, team_manager: User, police_officer: User, recording: Discussion
) -> None:
    client.force_login(team_manager)
    police = recording.invitations.get(agency_code="police")
    response = client.post(
        f"/discussions/{recording.pk}/dissent/",
        {
            "invitation": police.pk,
            "about": "Single-agency enquiry for Amara",
            "reasons": "The threshold for a joint investigation is met",
        },
    )
    assert response["Location"] == f"/discussions/{recording.pk}/dissent/"
    assert Dissent.objects.get().recorded_by == team_manager
    words = text(page(client, response["Location"]))
    assert f"Dissent of Police ({police_officer}) recorded" in words
    assert (
        f"Police ({police_officer}) Disagrees with: Single-agency enquiry for Amara The "
        f"threshold for a joint investigation is met Recorded by {team_manager}"
    ) in words


def test_an_invited_agency_records_only_its_own_dissent(
    client: Client, police_officer: User, recording: Discussion
) -> None:
    client.force_login(police_officer)
    html = page(client, f"/discussions/{recording.pk}/dissent/")
    police = recording.invitations.get(agency_code="police")
    others = list(recording.invitations.exclude(pk=police.pk))
    assert f'value="{police.pk}"' in html
    assert all(f'value="{other.pk}"' not in html for other in others)
    html = client.post(
        f"/discussions/{recording.pk}/dissent/",
        {"invitation": others[0].pk, "about": "x", "reasons": "y"},
    ).content.decode()
    assert error_summary(html) == [("Select an agency invited to this discussion", "invitation")]


def test_an_action_needs_what_who_and_when(
    client: Client, team_manager: User, recording: Discussion
) -> None:
    client.force_login(team_manager)
    html = client.post(f"/discussions/{recording.pk}/actions/", {}).content.decode()
    assert error_summary(html) == [
        ("Enter what will be done", "description"),
        ("Select the agency that will do it", "agency_code"),
        ("Choose who will do it, or enter their name", "owner"),
        ("Enter the date it will be done by", "due_date-day"),
    ]
    assert broken_error_links(html) == []


def test_an_action_is_agreed_for_a_named_person_of_an_agency(
    client: Client, team_manager: User, recording: Discussion
) -> None:
    client.force_login(team_manager)
    # Added on the day it is due, after its time: accepted, and shown overdue.
    with time_machine.travel(datetime(2026, 3, 6, 13, tzinfo=LONDON), tick=False):
        response = client.post(
            f"/discussions/{recording.pk}/actions/",
            {
                "description": "Share the school's attendance records",
                "agency_code": "education",
                "owner_name": "Amir Khan",
                "due_date_day": "6",
                "due_date_month": "3",
                "due_date_year": "2026",
                "due_time": "12:00",
            },
        )
    assert response["Location"] == f"/discussions/{recording.pk}/actions/"
    action = Action.objects.get()
    assert (action.owner_name, action.agency_code) == ("Amir Khan", "education")
    words = text(page(client, response["Location"]))
    assert (
        "Share the school's attendance records The whole family Amir Khan, education setting "
        "(school, nursery "
        "or college) Friday 6 March 2026, midday Overdue Open"
    ) in words


def test_the_owner_updates_their_action_from_the_discussion_page(
    client: Client, team_manager: User, police_officer: User, recording: Discussion
) -> None:
    action = action_create(
        user=team_manager,
        discussion=recording,
        description="Police checks on the adults",
        agency_code="police",
        due_at=LATER + timedelta(days=1),
        owner=police_officer,
    )
    html = page(client, f"/discussions/{recording.pk}/", police_officer)
    assert f'href="/actions/{action.pk}/"' in html
    posted = client.post(f"/actions/{action.pk}/", {"status": "done", "version": "1"})
    assert error_summary(posted.content.decode()) == [
        ("Say what was done, or why it was done", "completion_note")
    ]
    response = client.post(
        f"/actions/{action.pk}/", {"status": "done", "completion_note": "No trace", "version": "1"}
    )
    assert response["Location"] == f"/discussions/{recording.pk}/"
    action.refresh_from_db()
    assert (action.status, action.completion_note) == (ActionStatus.DONE, "No trace")
    assert "Action updated" in text(page(client, response["Location"]))


def test_someone_elses_action_cannot_be_updated(
    client: Client, team_manager: User, police_officer: User, recording: Discussion
) -> None:
    action = action_create(
        user=team_manager,
        discussion=recording,
        description="Visit at home",
        agency_code="childrens_social_care",
        due_at=LATER + timedelta(days=1),
        owner=team_manager,
    )
    html = page(client, f"/discussions/{recording.pk}/", police_officer)
    assert f'href="/actions/{action.pk}/"' not in html
    assert client.get(f"/actions/{action.pk}/").status_code == 404
    assert client.post(f"/actions/{action.pk}/", {"status": "done"}).status_code == 404


def test_two_people_updating_one_action_the_second_sees_both_versions(
    client: Client, team_manager: User, police_officer: User, recording: Discussion
) -> None:
    action = action_create(
        user=team_manager,
        discussion=recording,
        description="Police checks on the adults",
        agency_code="police",
        due_at=LATER + timedelta(days=1),
        owner=police_officer,
    )
    client.force_login(police_officer)
    mine = draft_post(client, f"/actions/{action.pk}/", status="done", completion_note="No trace")
    action_update(
        user=team_manager, action=action, status="cancelled", completion_note="Not needed"
    )
    html = client.post(f"/actions/{action.pk}/", mine).content.decode()
    assert "Someone else saved this while you were editing it" in html
    words = text(html)
    assert "Saved by someone else Cancelled Yours, not saved yet Done" in words
    assert "Saved by someone else Not needed Yours, not saved yet No trace" in words
    action.refresh_from_db()
    assert (action.status, action.version) == ("cancelled", 2)
    # Having seen theirs, saving again saves.
    again = {**served_form(html), "status": "done", "completion_note": "No trace"}
    assert client.post(f"/actions/{action.pk}/", again).status_code == 302
    action.refresh_from_db()
    assert (action.status, action.completion_note, action.version) == ("done", "No trace", 3)
