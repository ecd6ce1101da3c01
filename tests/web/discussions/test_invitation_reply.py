"""The private reply link in an invitation email: public, about nobody by name, its
invitee's only, closed once the discussion has ended, and not to be tried over and over."""

from __future__ import annotations

import hashlib
import socket
import uuid

import pytest
from django.core.cache.backends.redis import RedisCache
from django.test import Client, override_settings

from strategise.audit.models import AuditEvent
from strategise.discussions.models import Discussion, DiscussionStatus, Invitation, Response
from strategise.organisations.models import User
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
    html = client.post(f"/invitations/{carer.token}/", {"response": "declined"}).content.decode()
    assert error_summary(html) == [
        ("Enter why you cannot attend, so the chair can plan without you", "apologies_reason")
    ]
    carer.refresh_from_db()
    assert carer.response == Response.AWAITING
    client.post(
        f"/invitations/{carer.token}/",
        {"response": "declined", "apologies_reason": "A hospital appointment"},
    )
    carer.refresh_from_db()
    assert carer.response == Response.DECLINED
    words = text(page(client, f"/invitations/{carer.token}/"))
    assert "Your reply Sent apologies: A hospital appointment" in words


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


@pytest.mark.parametrize("status", [DiscussionStatus.HELD, DiscussionStatus.CANCELLED])
def test_the_link_stops_working_once_the_discussion_has_ended(
    client: Client, carer: Invitation, discussion: Discussion, status: str
) -> None:
    Discussion.objects.filter(pk=discussion.pk).update(status=status)
    response = client.get(f"/invitations/{carer.token}/")
    assert response.status_code == 410
    words = text(response.content.decode())
    assert "This strategy discussion has ended" in words
    assert "The link in your invitation no longer works" in words
    for detail in (str(discussion.chair), "Virtual meeting", "Jo Carer", "Your reply"):
        assert detail not in words
    reply = client.post(f"/invitations/{carer.token}/", {"response": "declined"})
    assert reply.status_code == 410
    carer.refresh_from_db()
    assert carer.response == Response.AWAITING


def test_the_link_answers_only_its_invitee(
    client: Client,
    police_invitation: Invitation,
    police_officer: User,
    other_authority_social_worker: User,
    social_worker: User,
) -> None:
    path = f"/invitations/{police_invitation.token}/"
    for someone_else in (other_authority_social_worker, social_worker):
        client.force_login(someone_else)
        assert client.get(path).status_code == 404
        assert client.post(path, {"response": "declined"}).status_code == 404
    police_invitation.refresh_from_db()
    assert police_invitation.response == Response.AWAITING
    client.force_login(police_officer)
    assert client.post(path, {"response": "accepted"}).status_code == 302
    police_invitation.refresh_from_db()
    assert police_invitation.response == Response.ACCEPTED
    reply = AuditEvent.objects.get(action="respond")
    assert reply.user == police_officer


def test_a_link_by_email_answers_the_one_signed_in_with_that_address(
    client: Client, carer: Invitation, police_officer: User
) -> None:
    client.force_login(police_officer)
    assert client.get(f"/invitations/{carer.token}/").status_code == 404
    User.objects.filter(pk=police_officer.pk).update(email=carer.email.upper())
    assert client.get(f"/invitations/{carer.token}/").status_code == 200


@override_settings(STRATEGISE_LINK_RATE={"per_token": 3, "per_address": 5, "window_seconds": 600})
def test_a_link_tried_too_often_is_refused_for_a_while(client: Client, carer: Invitation) -> None:
    path = f"/invitations/{carer.token}/"
    assert [client.get(path).status_code for _ in range(4)] == [200, 200, 200, 429]
    refused = client.get(path)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "600"
    words = text(refused.content.decode())
    assert "Too many attempts" in words
    assert "Wait 10 minutes and try again." in words
    assert "Jo Carer" not in words
    # A reply through the link counts, and is refused too.
    assert client.post(path, {"response": "declined"}).status_code == 429
    carer.refresh_from_db()
    assert carer.response == Response.AWAITING


@override_settings(STRATEGISE_LINK_RATE={"per_token": 50, "per_address": 3, "window_seconds": 60})
def test_one_address_guessing_links_is_refused_for_a_while(
    client: Client, carer: Invitation
) -> None:
    statuses = [client.get(f"/invitations/guess-{n}/").status_code for n in range(3)]
    assert statuses == [404, 404, 404]
    # Even the right link, from the same address, now waits.
    assert client.get(f"/invitations/{carer.token}/").status_code == 429
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert other.get(f"/invitations/{carer.token}/").status_code == 200


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_on_redis_every_process_counts_the_same_tries(client: Client, carer: Invitation) -> None:
    """Production's cache (DJANGO_CACHE_URL): a try counted by one gunicorn process is seen
    by the next, so the limit holds however many processes answer."""
    location = "redis://127.0.0.1:6379/13"
    prefix = f"strategise-test-{uuid.uuid4().hex}"
    on_redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location}
    other_process = RedisCache(location, {"KEY_PREFIX": prefix})
    key = f"link-rate:token:{hashlib.sha256(carer.token.encode()).hexdigest()}"
    path = f"/invitations/{carer.token}/"
    rate = {"per_token": 3, "per_address": 50, "window_seconds": 600}
    try:
        with override_settings(CACHES={"default": on_redis | {"KEY_PREFIX": prefix}}):
            with override_settings(STRATEGISE_LINK_RATE=rate):
                assert [client.get(path).status_code for _ in range(2)] == [200, 200]
                assert other_process.get(key) == 2
                other_process.incr(key)  # another process answered the link once
                assert client.get(path).status_code == 429
    finally:
        other_process.delete_many([key, "link-rate:address:127.0.0.1"])
