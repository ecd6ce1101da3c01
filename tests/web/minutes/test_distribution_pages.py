"""The distribution pages: only the chair, the minute-taker or a team manager changes the
list; an address outside the secure domains waits for a manager's confirmation with the
reason; each line keeps its versions, and each sending the address it went to."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from strategise.discussions.models import Discussion
from strategise.minutes.models import Recipient, Sending
from strategise.minutes.services import recipients_build
from strategise.organisations.models import LocalAuthority, Role, User
from tests.factories import UserFactory
from tests.web.pages import error_summary, page, text
from tests.web.recording.support import approved_minutes, held

pytestmark = pytest.mark.django_db


@pytest.fixture
def minute_taker(authority: LocalAuthority) -> User:
    return UserFactory.create(
        agency=authority.agencies.get(kind="childrens_social_care"), role=Role.BUSINESS_SUPPORT
    )


@pytest.fixture
def concluded(
    social_worker: User, team_manager: User, police_officer: User, minute_taker: User
) -> Discussion:
    discussion = held(social_worker, team_manager, police_officer)
    Discussion.objects.filter(pk=discussion.pk).update(minute_taker=minute_taker)
    discussion.refresh_from_db()
    approved_minutes(discussion, team_manager)
    recipients_build(user=team_manager, discussion=discussion)
    return discussion


def _health(discussion: Discussion) -> Recipient:
    return discussion.recipients.get(invitation__agency_code="health")


def test_a_practitioner_sees_the_list_but_cannot_change_it(
    client: Client, social_worker: User, concluded: Discussion
) -> None:
    path = f"/discussions/{concluded.pk}/distribution/"
    html = page(client, path, social_worker)
    line = _health(concluded)
    assert f"/distribution/{line.pk}/" not in html
    assert "Send version 1" not in text(html)
    assert (
        "The chair, the minute-taker or a team manager changes this list and sends the minutes."
        in text(html)
    )
    html = client.post(path, {"send": "1"}).content.decode()
    assert error_summary(html) == [
        (
            "Only the chair, the minute-taker or a team manager (or above) can send minutes",
            "recipients",
        )
    ]
    assert client.get(f"{path}{line.pk}/").status_code == 404
    assert client.post(f"{path}{line.pk}/", {"email": "x@gmail.com"}).status_code == 404
    assert not Sending.objects.exists()


def test_an_outside_address_waits_for_a_team_managers_confirmation(
    client: Client,
    minute_taker: User,
    team_manager: User,
    concluded: Discussion,
    django_capture_on_commit_callbacks: Any,
) -> None:
    path = f"/discussions/{concluded.pk}/distribution/"
    line = _health(concluded)
    edit = f"{path}{line.pk}/"
    client.force_login(minute_taker)
    response = client.post(
        edit,
        {"name": "Dr Patel", "email": "dr.patel@gmail.com", "method": "email", "included": "on"},
    )
    assert response["Location"] == path
    words = text(page(client, path))
    assert (
        "Distribution list updated: Invited: Health. A team manager (or above) must confirm "
        "dr.patel@gmail.com before the minutes can go to it"
    ) in words
    assert "Outside the secure domains: awaiting a team manager's confirmation" in words
    html = client.post(path, {"send": "1"}).content.decode()
    assert error_summary(html) == [
        (
            "A team manager must confirm dr.patel@gmail.com for Invited: Health before the "
            "minutes go to it: it is not at one of the authority's secure domains",
            "recipients",
        )
    ]

    client.force_login(team_manager)
    words = text(page(client, edit))
    assert "dr.patel@gmail.com is not at one of Sandwell Metropolitan Borough Council's" in words
    assert "Saving it with the reason confirms it." in words
    data = {"name": "Dr Patel", "email": "dr.patel@gmail.com", "method": "email", "included": "on"}
    html = client.post(edit, data).content.decode()
    assert error_summary(html) == [
        (
            "dr.patel@gmail.com is not at one of Sandwell Metropolitan Borough Council's secure "
            "domains (example.org, gov.uk, nhs.net, pnn.police.uk, cjsm.net): give the reason "
            "the minutes may go to it",
            "reason",
        )
    ]
    response = client.post(edit, {**data, "reason": "The GP practice has no nhs.net address"})
    assert response["Location"] == path
    words = text(page(client, path))
    assert f"Outside the secure domains: confirmed by {team_manager}" in words

    words = text(page(client, edit))
    assert "Changes to this line" in words
    assert (
        "3 dr.patel@gmail.com, email Confirmed outside the secure domains: The GP practice has "
        "no nhs.net address"
    ) in words
    assert "2 dr.patel@gmail.com, email" in words
    assert "1 health@example.org, email" in words

    with django_capture_on_commit_callbacks(execute=True):
        client.post(path, {"send": "1"})
    words = text(page(client, path))
    assert "email with a link to sign in and read them to dr.patel@gmail.com" in words
    (outside,) = [m for m in mail.outbox if m.to == ["dr.patel@gmail.com"]]
    assert outside.attachments == []
    assert f"http://testserver/discussions/{concluded.pk}/" in outside.body
