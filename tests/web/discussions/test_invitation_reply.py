"""The private reply link in an invitation email: public, and about nobody by name."""

from __future__ import annotations

import pytest
from django.test import Client

from strategise.discussions.models import Discussion, DiscussionStatus, Invitation, Response
from tests.factories import InvitationFactory
from tests.web.pages import error_summary, page, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def carer(discussion: Discussion) -> Invitation:
    return InvitationFactory.create(discussion=discussion, by_email=True, name="Jo Carer")


def test_the_link_opens_without_signing_in_and_says_when_and_how(
    client: Client, carer: Invitation, discussion: Discussion
) -> None:
    words = text(page(client, f"/invitations/{carer.token}/"))
    assert "Your invitation to a strategy discussion" in words
    assert "Jo Carer, you are invited" in words
    assert f"Chair {discussion.chair}" in words
    assert "How Virtual meeting" in words
    assert "Your reply Not replied" in words


def test_the_page_names_no_child(client: Client, carer: Invitation, discussion: Discussion) -> None:
    html = page(client, f"/invitations/{carer.token}/")
    for child in discussion.request.children.all():
        assert child.first_name not in html
        assert child.last_name not in html
    assert "/children/" not in html
    assert "/requests/" not in html


def test_accepting_through_the_link(client: Client, carer: Invitation) -> None:
    response = client.post(f"/invitations/{carer.token}/", {"response": "accepted"})
    assert response["Location"] == f"/invitations/{carer.token}/"
    carer.refresh_from_db()
    assert carer.response == Response.ACCEPTED
    words = text(page(client, response["Location"]))
    assert "You have accepted the invitation" in words
    assert "Your reply Accepted" in words


def test_sending_apologies_through_the_link(client: Client, carer: Invitation) -> None:
    client.post(f"/invitations/{carer.token}/", {"response": "declined"})
    carer.refresh_from_db()
    assert carer.response == Response.DECLINED
    assert "Your reply Sent apologies" in text(page(client, f"/invitations/{carer.token}/"))


def test_a_reply_that_is_neither_is_explained(client: Client, carer: Invitation) -> None:
    html = client.post(f"/invitations/{carer.token}/", {"response": ""}).content.decode()
    assert error_summary(html) == [("Choose whether you will attend", "reply")]


def test_replies_close_once_it_has_started(
    client: Client, carer: Invitation, discussion: Discussion
) -> None:
    Discussion.objects.filter(pk=discussion.pk).update(status=DiscussionStatus.STARTED)
    words = text(page(client, f"/invitations/{carer.token}/"))
    assert "This discussion has started: replies are closed." in words
    assert "Send apologies" not in words


def test_an_unknown_link_is_not_found(client: Client) -> None:
    assert client.get("/invitations/not-a-real-token/").status_code == 404
