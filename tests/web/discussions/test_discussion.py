"""A discussion's page: quorum before it starts, invitations and replies, actions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from strategise.discussions.models import Discussion, Invitation, Response
from strategise.organisations.models import User
from tests.factories import ActionFactory, InvitationFactory
from tests.web.pages import error_summary, page, text

pytestmark = pytest.mark.django_db


def test_the_page_says_when_how_and_who_chairs(
    client: Client, social_worker: User, team_manager: User, discussion: Discussion
) -> None:
    html = page(client, f"/discussions/{discussion.pk}/", social_worker)
    words = text(html)
    assert f"Strategy discussion {discussion.pk}" in words
    assert f"Chair {team_manager}" in words
    assert "How Virtual meeting" in words
    assert "Minute-taker Nobody yet" in words
    for child in discussion.request.children.all():
        assert f'href="/children/{child.pk}/"' in html
    assert f'href="/requests/{discussion.request_id}/"' in html


def test_before_it_starts_a_required_agency_not_yet_accepted_is_missing(
    client: Client, social_worker: User, discussion: Discussion
) -> None:
    html = text(page(client, f"/discussions/{discussion.pk}/", social_worker))
    assert "Not quorate: missing police (required, " in html


def test_when_every_required_agency_has_accepted_it_is_quorate(
    client: Client, social_worker: User, discussion: Discussion
) -> None:
    discussion.invitations.update(response=Response.ACCEPTED)
    html = text(page(client, f"/discussions/{discussion.pk}/", social_worker))
    assert "Quorum Quorate Every agency the procedure requires has accepted." in html


def test_the_invitations_table_shows_why_each_is_required(
    client: Client, social_worker: User, discussion: Discussion, police_invitation: Invitation
) -> None:
    Invitation.objects.filter(pk=police_invitation.pk).update(
        reason="Police must attend.", source="002_3bebd37290b13db4.txt §3.0"
    )
    InvitationFactory.create(discussion=discussion, by_email=True, name="Jo Carer", required=False)
    html = text(page(client, f"/discussions/{discussion.pk}/", social_worker))
    assert (
        f"{police_invitation.name} Police ({police_invitation.agency}) Required Police must "
        "attend. Source: Sandwell procedure §3.0 Not replied Not recorded yet"
    ) in html
    assert "Jo Carer Foster carer or residential worker No Not replied Not recorded yet" in html


def test_an_invitee_accepts_on_the_page(
    client: Client, police_officer: User, discussion: Discussion, police_invitation: Invitation
) -> None:
    html = page(client, f"/discussions/{discussion.pk}/", police_officer)
    assert "Your invitation" in html
    assert 'action="/discussions/' in html
    response = client.post(f"/discussions/{discussion.pk}/reply/", {"response": "accepted"})
    assert response["Location"] == f"/discussions/{discussion.pk}/"
    police_invitation.refresh_from_db()
    assert police_invitation.response == Response.ACCEPTED
    words = text(page(client, response["Location"]))
    assert "You have accepted the invitation" in words
    assert "Quorate" in words


def test_an_invitee_sends_apologies(
    client: Client, police_officer: User, discussion: Discussion, police_invitation: Invitation
) -> None:
    client.force_login(police_officer)
    html = client.post(
        f"/discussions/{discussion.pk}/reply/", {"response": "declined"}
    ).content.decode()
    assert error_summary(html) == [
        ("Enter why you cannot attend, so the chair can plan without you", "apologies_reason")
    ]
    client.post(
        f"/discussions/{discussion.pk}/reply/",
        {"response": "declined", "apologies_reason": "In court all day"},
    )
    police_invitation.refresh_from_db()
    assert police_invitation.response == Response.DECLINED
    assert police_invitation.apologies_reason == "In court all day"
    words = text(page(client, f"/discussions/{discussion.pk}/"))
    assert "Your reply: sent apologies" in words
    assert "Why you cannot attend: In court all day" in words


def test_a_reply_that_is_neither_is_explained(
    client: Client, police_officer: User, discussion: Discussion
) -> None:
    client.force_login(police_officer)
    html = client.post(
        f"/discussions/{discussion.pk}/reply/", {"response": "maybe"}
    ).content.decode()
    assert error_summary(html) == [("Choose whether you will attend", "reply")]


def test_someone_not_invited_has_no_invitation_to_reply_to(
    client: Client, social_worker: User, discussion: Discussion
) -> None:
    html = page(client, f"/discussions/{discussion.pk}/", social_worker)
    assert "Your invitation" not in html
    response = client.post(f"/discussions/{discussion.pk}/reply/", {"response": "accepted"})
    assert response.status_code == 404


def test_the_chair_and_social_care_are_offered_to_start_it(
    client: Client, team_manager: User, police_officer: User, discussion: Discussion
) -> None:
    start = f'href="/discussions/{discussion.pk}/start/"'
    assert start in page(client, f"/discussions/{discussion.pk}/", team_manager)
    assert start not in page(client, f"/discussions/{discussion.pk}/", police_officer)


def test_actions_show_who_by_when_and_their_source(
    client: Client, team_manager: User, discussion: Discussion
) -> None:
    ActionFactory.create(
        discussion=discussion,
        description="Escalate the non-attendance of the police",
        due_at=timezone.now() - timedelta(hours=1),
        source="000_394093cbef3e5ee1.txt §5.1",
    )
    html = page(client, f"/discussions/{discussion.pk}/", team_manager)
    words = text(html)
    assert f"Escalate the non-attendance of the police {team_manager}" in words
    assert "Birmingham guidance §5.1" in words
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in html


def test_without_actions_the_page_says_so(
    client: Client, team_manager: User, discussion: Discussion
) -> None:
    assert "No actions yet." in text(page(client, f"/discussions/{discussion.pk}/", team_manager))
