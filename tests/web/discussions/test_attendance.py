"""Recording attendance and starting: a required agency's absence needs its reason."""

from __future__ import annotations

import pytest
from django.test import Client

from strategise.actions.models import Action
from strategise.discussions.models import (
    Discussion,
    DiscussionStatus,
    Invitation,
    WrittenReport,
)
from strategise.discussions.participation import written_report_send
from strategise.organisations.models import LocalAuthority, Role, User
from tests.discussions.support import NOW
from tests.factories import (
    AgencyFactory,
    DiscussionFactory,
    InvitationFactory,
    LocalAuthorityFactory,
    StrategyRequestFactory,
    UserFactory,
)
from tests.second_factor import VerifiedClient
from tests.web.pages import broken_error_links, choices, error_summary, page, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def carer(discussion: Discussion) -> Invitation:
    """An invitee who is not required, by email."""
    return InvitationFactory.create(
        discussion=discussion, by_email=True, name="Jo Carer", required=False
    )


def test_the_form_asks_about_each_invitee_and_why_for_the_required(
    client: Client,
    team_manager: User,
    discussion: Discussion,
    police_invitation: Invitation,
    carer: Invitation,
) -> None:
    html = page(client, f"/discussions/{discussion.pk}/start/", team_manager)
    words = text(html)
    assert f"{police_invitation.name} – Police" in words
    assert "Jo Carer – Foster carer or residential worker" in words
    for invitation in (police_invitation, carer):
        assert f'name="attendance-{invitation.pk}"' in html
    assert f'id="absence-{police_invitation.pk}"' in html
    assert f'id="absence-{carer.pk}"' not in html  # only the required are asked why
    for label in ["Attended", "Sent apologies", "Sent a written report", "Did not respond"]:
        assert label in words


def test_starting_without_recording_everyone_names_each(
    client: Client,
    team_manager: User,
    discussion: Discussion,
    police_invitation: Invitation,
    carer: Invitation,
) -> None:
    client.force_login(team_manager)
    html = client.post(f"/discussions/{discussion.pk}/start/", {}).content.decode()
    assert error_summary(html) == [
        (f"Record whether {police_invitation} attended", f"attendance-{police_invitation.pk}"),
        ("Record whether Jo Carer attended", f"attendance-{carer.pk}"),
    ]
    assert broken_error_links(html) == []


def test_a_required_agency_absent_needs_the_reason_and_then_it_starts(
    client: Client, team_manager: User, discussion: Discussion, police_invitation: Invitation
) -> None:
    client.force_login(team_manager)
    absent = {f"attendance-{police_invitation.pk}": "apologies"}
    html = client.post(f"/discussions/{discussion.pk}/start/", absent).content.decode()
    assert error_summary(html) == [
        (
            f"{police_invitation} is a required agency: record why the discussion is going "
            "ahead without them",
            f"absence-{police_invitation.pk}",
        )
    ]
    assert choices(html, f"attendance-{police_invitation.pk}")["apologies"]  # kept
    response = client.post(
        f"/discussions/{discussion.pk}/start/",
        {**absent, f"absence-{police_invitation.pk}": "The child is safe tonight."},
    )
    assert response["Location"] == f"/discussions/{discussion.pk}/"
    discussion.refresh_from_db()
    police_invitation.refresh_from_db()
    assert discussion.status == DiscussionStatus.STARTED
    assert police_invitation.absence_reason == "The child is safe tonight."
    words = text(page(client, response["Location"]))
    assert "Attendance recorded: the discussion has started" in words
    assert "Went ahead without them because: The child is safe tonight." in words
    assert "Not quorate: missing police" in words


def test_a_started_discussion_cannot_be_started_again(
    client: Client, team_manager: User, discussion: Discussion
) -> None:
    Discussion.objects.filter(pk=discussion.pk).update(status=DiscussionStatus.STARTED)
    html = text(page(client, f"/discussions/{discussion.pk}/start/", team_manager))
    assert "This discussion has already started." in html


def test_birmingham_5_1_non_attendance_becomes_an_action_for_the_chair(db: None) -> None:
    birmingham = LocalAuthorityFactory.create(profile="birmingham")
    social_care = AgencyFactory.create(local_authority=birmingham)
    chair = UserFactory.create(agency=social_care, role=Role.PRINCIPAL_OFFICER)
    discussion = DiscussionFactory.create(
        request=StrategyRequestFactory.create(local_authority=birmingham), chair=chair
    )
    police = InvitationFactory.create(discussion=discussion)
    client = VerifiedClient()
    client.force_login(chair)
    client.post(
        f"/discussions/{discussion.pk}/start/",
        {f"attendance-{police.pk}": "no_response", f"absence-{police.pk}": "Urgent: cannot wait."},
    )
    action = Action.objects.get()
    assert action.owner == chair
    html = text(page(client, f"/discussions/{discussion.pk}/"))
    assert f"{action.description} {chair}" in html
    assert "Birmingham guidance §5.1" in html


def _birmingham_with_a_report() -> tuple[Discussion, Invitation, User]:
    birmingham = LocalAuthorityFactory.create(profile="birmingham")
    social_care = AgencyFactory.create(local_authority=birmingham)
    chair = UserFactory.create(agency=social_care, role=Role.PRINCIPAL_OFFICER)
    discussion = DiscussionFactory.create(
        request=StrategyRequestFactory.create(local_authority=birmingham),
        chair=chair,
    )
    police = InvitationFactory.create(discussion=discussion, required=True)
    written_report_send(invitation=police, text="Two call-outs", upload=None, user=None, now=NOW)
    return discussion, police, chair


def test_birmingham_5_1_the_chair_agrees_a_written_report_suffices(db: None) -> None:
    discussion, police, chair = _birmingham_with_a_report()
    client = VerifiedClient()
    client.force_login(chair)
    words = text(page(client, f"/discussions/{discussion.pk}/start/"))
    assert "The written report will suffice in their absence: do not escalate it" in words
    assert "Birmingham guidance §5.1" in words
    client.post(
        f"/discussions/{discussion.pk}/start/",
        {f"attendance-{police.pk}": "written_report", f"suffices-{police.pk}": "on"},
    )
    assert not Action.objects.exists()
    html = text(page(client, f"/discussions/{discussion.pk}/"))
    said = html.split("The chair agreed that their written report would suffice in their absence")
    assert said[1].startswith(", so it is not escalated ( Birmingham guidance §5.1 )")


def test_the_agreement_is_not_offered_without_a_report_or_outside_birmingham(
    client: Client, team_manager: User, discussion: Discussion, police_invitation: Invitation
) -> None:
    written_report_send(
        invitation=police_invitation, text="Two call-outs", upload=None, user=None, now=NOW
    )
    html = page(client, f"/discussions/{discussion.pk}/start/", team_manager)  # Sandwell
    assert "suffices-" not in html
    birmingham, police, chair = _birmingham_with_a_report()
    WrittenReport.objects.filter(invitation=police).delete()
    html = page(VerifiedClient(), f"/discussions/{birmingham.pk}/start/", chair)
    assert "suffices-" not in html


def test_an_invited_police_officer_cannot_start_it(
    client: Client, police_officer: User, discussion: Discussion, authority: LocalAuthority
) -> None:
    client.force_login(police_officer)
    assert client.get(f"/discussions/{discussion.pk}/start/").status_code == 404
    assert client.post(f"/discussions/{discussion.pk}/start/", {}).status_code == 404


def test_attendance_starts_from_the_replies_and_names_the_chair_and_minute_taker(
    client: Client,
    team_manager: User,
    discussion: Discussion,
    police_invitation: Invitation,
    carer: Invitation,
) -> None:
    Invitation.objects.filter(pk=police_invitation.pk).update(response="accepted")
    Invitation.objects.filter(pk=carer.pk).update(
        response="declined", apologies_reason="A hospital appointment"
    )
    html = page(client, f"/discussions/{discussion.pk}/start/", team_manager)
    assert choices(html, f"attendance-{police_invitation.pk}")["attended"] is True
    assert choices(html, f"attendance-{carer.pk}")["apologies"] is True
    words = text(html)
    assert f"Chair: {team_manager}" in words
    assert "Replied: sent apologies (A hospital appointment)" in words


def test_a_deputy_who_attends_stands_in_for_the_required_invitee(
    client: Client, team_manager: User, discussion: Discussion, police_invitation: Invitation
) -> None:
    """The invitee named a deputy from their agency: no reason is asked for their absence."""
    deputy = InvitationFactory.create(
        discussion=discussion,
        user=None,
        agency=police_invitation.agency,
        agency_code="police",
        name="Ali Khan",
        email="ali@example.org",
        required=True,
        deputy_for=police_invitation,
    )
    Invitation.objects.filter(pk=police_invitation.pk).update(response="deputy")
    client.force_login(team_manager)
    response = client.post(
        f"/discussions/{discussion.pk}/start/",
        {
            f"attendance-{police_invitation.pk}": "apologies",
            f"attendance-{deputy.pk}": "attended",
        },
    )
    assert response.status_code == 302
    discussion.refresh_from_db()
    assert discussion.status == DiscussionStatus.STARTED
