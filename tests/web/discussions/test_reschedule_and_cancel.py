"""Moving or cancelling a convened discussion from its page, and recording one already
held from the convening form."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from strategise.discussions.models import Discussion, DiscussionStatus
from strategise.organisations.models import User
from strategise.requests.models import RequestStatus
from tests.web.pages import broken_error_links, error_summary, page, text

pytestmark = pytest.mark.django_db


def _when(moment: Any) -> dict[str, str]:
    local = timezone.localtime(moment)
    return {
        "scheduled_date_day": str(local.day),
        "scheduled_date_month": str(local.month),
        "scheduled_date_year": str(local.year),
        "scheduled_time": f"{local:%H:%M}",
    }


def test_the_discussion_page_offers_to_move_or_cancel_it_to_those_who_convene(
    client: Client, social_worker: User, police_officer: User, discussion: Discussion
) -> None:
    path = f"/discussions/{discussion.pk}/"
    assert "Reschedule" in text(page(client, path, social_worker))
    assert "Reschedule" not in text(page(client, path, police_officer))


def test_rescheduling_from_its_page_tells_the_invitees(
    client: Client,
    social_worker: User,
    discussion: Discussion,
    django_capture_on_commit_callbacks: Any,
) -> None:
    path = f"/discussions/{discussion.pk}/reschedule/"
    client.force_login(social_worker)
    html = client.post(path, {"reason": ""}).content.decode()
    assert [target for _, target in error_summary(html)] == [
        "scheduled_date-day",
        "scheduled_time",
    ]
    assert broken_error_links(html) == []
    later = discussion.scheduled_for + timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path, {**_when(later), "reason": "The chair is in court"})
    assert response["Location"] == f"/discussions/{discussion.pk}/"
    discussion.refresh_from_db()
    assert (discussion.calendar_sequence, discussion.reschedule_reason) == (
        1,
        "The chair is in court",
    )
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Moved"]
    assert "Why it was moved The chair is in court" in text(page(client, response["Location"]))


def test_cancelling_from_its_page_sends_the_request_back_to_be_convened(
    client: Client, social_worker: User, discussion: Discussion
) -> None:
    path = f"/discussions/{discussion.pk}/cancel/"
    client.force_login(social_worker)
    html = client.post(path, {"reason": ""}).content.decode()
    assert error_summary(html) == [("Give the reason the discussion is being cancelled", "reason")]
    response = client.post(path, {"reason": "Held as part of another child's discussion"})
    assert response["Location"] == f"/requests/{discussion.request_id}/"
    discussion.refresh_from_db()
    assert discussion.status == DiscussionStatus.CANCELLED
    assert discussion.request.status == RequestStatus.AWAITING_CONVENING
    words = text(page(client, f"/discussions/{discussion.pk}/cancel/"))
    assert "This discussion is cancelled, so it cannot be cancelled." in words
