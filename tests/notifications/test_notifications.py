"""Notifications: told once, by email after the change commits, read on the notifications page."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from strategise.actions.models import Action
from strategise.discussions.services import discussion_convene, discussion_start
from strategise.links import Target, TargetKind
from strategise.notifications.models import Kind, Notification
from strategise.notifications.selectors import notification_list, unread_count
from strategise.notifications.services import (
    notification_mark_read,
    notifications_mark_all_read,
    notify,
)
from strategise.notifications.tasks import notification_email_send
from strategise.organisations.models import Role, User
from strategise.policy import LONDON
from tests.discussions.support import NOW, invitations_for, make_child, make_request
from tests.factories import AgencyFactory, LocalAuthorityFactory, UserFactory
from tests.notifications.support import link

MONDAY = datetime(2026, 3, 9, 9, 0, tzinfo=LONDON)


def _notify(user: User, key: str = "test:1", **changes: Any) -> Notification | None:
    arguments: dict[str, Any] = {
        "user": user,
        "kind": Kind.REMINDER,
        "text": "Strategy discussion held for request 7 is due by Monday 9 March 2026, 11:59pm.",
        "target": Target(TargetKind.REQUEST, 7),
        "dedupe_key": key,
        "now": MONDAY,
        **changes,
    }
    return notify(**arguments)


def test_a_notification_is_made_once_per_key(social_worker: User) -> None:
    first = _notify(social_worker)
    assert first is not None
    assert (first.user, first.kind, first.created_at) == (social_worker, Kind.REMINDER, MONDAY)
    assert _notify(social_worker, text="Something else") is None
    assert Notification.objects.get().text.startswith("Strategy discussion held")


def test_someone_who_cannot_sign_in_is_not_notified(social_worker: User) -> None:
    User.objects.filter(pk=social_worker.pk).update(is_active=False)
    social_worker.refresh_from_db()
    assert _notify(social_worker) is None
    assert not Notification.objects.exists()


def test_the_email_goes_after_the_transaction_commits(
    social_worker: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = _notify(social_worker)
    assert len(callbacks) == 1
    assert [message.to for message in mail.outbox] == [[social_worker.email]]
    body = mail.outbox[0].body
    assert body.startswith(f"Dear {social_worker.get_full_name()},")
    assert "Case details are in Strategise, not in email." in body
    assert notification is not None
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_an_email_task_run_twice_sends_once(social_worker: User) -> None:
    notification = _notify(social_worker)
    assert notification is not None
    assert notification_email_send.call(notification.pk) is True
    assert notification_email_send.call(notification.pk) is False
    assert len(mail.outbox) == 1


def test_no_email_without_an_address_or_when_asked_for_none(
    social_worker: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _notify(social_worker, key="quiet", email=False)
        User.objects.filter(pk=social_worker.pk).update(email="")
        social_worker.refresh_from_db()
        _notify(social_worker, key="no-address")
    assert callbacks == []
    assert mail.outbox == []
    assert notification_email_send.call(Notification.objects.get(dedupe_key="quiet").pk) is False


def test_birmingham_5_1_the_chair_is_told_to_escalate_non_attendance(db: None) -> None:
    birmingham = LocalAuthorityFactory.create(profile="birmingham")
    for kind in ("childrens_social_care", "police", "health", "education"):
        AgencyFactory.create(local_authority=birmingham, kind=kind)
    social_care = birmingham.agencies.get(kind="childrens_social_care")
    worker = UserFactory.create(agency=social_care)
    chair = UserFactory.create(agency=social_care, role=Role.HEAD_OF_SERVICE)
    request = make_request(worker, [make_child(worker, "Amira")])
    discussion = discussion_convene(
        user=worker,
        request=request,
        format="virtual",
        scheduled_for=NOW + timedelta(hours=1),
        chair=chair,
        invitations=invitations_for(request, {}),
        respond_url=lambda invitation: "https://strategise.test/reply/",
        now=NOW,
    )
    police = discussion.invitations.get(agency_code="police")
    attendance = {i.pk: "attended" for i in discussion.invitations.all()}
    discussion_start(
        user=chair,
        discussion=discussion,
        attendance={**attendance, police.pk: "no_response"},
        absence_reasons={police.pk: "No reply to the invitation or to calls"},
        now=NOW + timedelta(hours=1),
    )
    action = Action.objects.get(discussion=discussion)
    told = Notification.objects.get(kind=Kind.ESCALATION)
    assert told.user == chair
    assert told.dedupe_key == f"action:{action.pk}:owner:{chair.pk}"
    # The action is the escalation; the notification (emailed) points at it, not quoting it.
    assert action.description.startswith("Escalate the non-attendance of Duty police")
    assert action.description not in told.text
    assert "you have an action to do by" in told.text
    assert "(Birmingham guidance §5.1)" in told.text
    assert link(told) == f"/discussions/{discussion.pk}/"


def test_reading_one_or_all(social_worker: User, police_officer: User) -> None:
    first = _notify(social_worker, key="a")
    _notify(social_worker, key="b")
    _notify(police_officer, key="c")
    assert first is not None
    assert unread_count(user=social_worker) == 2
    notification_mark_read(user=social_worker, pk=first.pk, now=MONDAY)
    assert unread_count(user=social_worker) == 1
    assert notifications_mark_all_read(user=social_worker, now=MONDAY) == 1
    assert unread_count(user=social_worker) == 0
    assert unread_count(user=police_officer) == 1
    listing = notification_list(user=social_worker)
    assert (len(listing.notifications), listing.unread, listing.total) == (2, 0, 2)


# --- the page -----------------------------------------------------------------------


@pytest.fixture
def signed_in(client: Client, social_worker: User) -> Client:
    client.force_login(social_worker)
    return client


def test_the_page_lists_my_notifications_newest_first(
    signed_in: Client, social_worker: User, police_officer: User
) -> None:
    _notify(social_worker, key="old", text="The older one.")
    _notify(social_worker, key="new", text="The newer one.", now=MONDAY + timedelta(hours=1))
    _notify(police_officer, key="theirs", text="Not yours.")
    page = signed_in.get("/notifications/").content.decode()
    assert page.index("The newer one.") < page.index("The older one.")
    assert "Not yours." not in page
    assert "You have 2 unread notifications." in page


def test_marking_read_and_opening(signed_in: Client, social_worker: User) -> None:
    notification = _notify(social_worker)
    assert notification is not None
    response = signed_in.post(f"/notifications/{notification.pk}/read/", {"open": "1"})
    assert response.status_code == 302
    assert response["Location"] == "/requests/7/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert signed_in.post(f"/notifications/{notification.pk}/read/")["Location"] == (
        "/notifications/"
    )


def test_marking_all_read(signed_in: Client, social_worker: User) -> None:
    _notify(social_worker, key="a")
    _notify(social_worker, key="b")
    assert signed_in.post("/notifications/read/").status_code == 302
    assert unread_count(user=social_worker) == 0
    assert "You have read them all." in signed_in.get("/notifications/").content.decode()


def test_someone_elses_notification_is_not_found(signed_in: Client, police_officer: User) -> None:
    theirs = _notify(police_officer)
    assert theirs is not None
    assert signed_in.post(f"/notifications/{theirs.pk}/read/").status_code == 404


def test_an_empty_page_says_what_will_appear(signed_in: Client) -> None:
    page = signed_in.get("/notifications/").content.decode()
    assert "You have no notifications." in page


def test_signing_in_is_needed(client: Client) -> None:
    assert client.get("/notifications/").status_code == 302
