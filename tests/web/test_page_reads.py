"""Each page is one audited read, and renders its navigation once.

The discussion and minutes pages read the discussion and its minutes together: one audit
event naming the versions listed, in one transaction. The GOV.UK template's header macro
calls its caller twice; the layout renders the header itself, so the navigation (and its
count of unread notifications) is built once a page.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from strategise.audit.models import AuditEvent
from strategise.organisations.models import User
from tests.web.recording.support import approved_minutes, held

pytestmark = pytest.mark.django_db


def _unread_counts(captured: CaptureQueriesContext) -> int:
    """How many queries counted the unread notifications."""
    return sum(
        1
        for query in captured.captured_queries
        if "notifications_notification" in query["sql"]
        and "COUNT(" in query["sql"].upper()
        and '"read_at" IS NULL' in query["sql"]
    )


def _visit(client: Client, path: str) -> tuple[list[AuditEvent], CaptureQueriesContext]:
    before = AuditEvent.objects.count()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    print(f"{path}: {len(captured.captured_queries)} queries")  # noqa: T201 - the measurement
    return list(AuditEvent.objects.order_by("pk")[before:]), captured


def test_the_discussion_page_is_one_audited_read_naming_the_minutes_listed(
    client: Client, social_worker: User, team_manager: User, police_officer: User
) -> None:
    discussion = held(social_worker, team_manager, police_officer)
    approved_minutes(discussion, team_manager)
    client.force_login(police_officer)
    events, _ = _visit(client, f"/discussions/{discussion.pk}/")
    assert [(e.action, e.object_id, e.detail) for e in events] == [
        ("view", str(discussion.pk), {"minutes": [1]})
    ]


def test_the_minutes_page_is_one_audited_read(
    client: Client, social_worker: User, team_manager: User, police_officer: User
) -> None:
    discussion = held(social_worker, team_manager, police_officer)
    approved_minutes(discussion, team_manager)
    client.force_login(team_manager)
    events, _ = _visit(client, f"/discussions/{discussion.pk}/minutes/")
    assert [(e.action, e.detail) for e in events] == [("view", {"minutes": [1]})]


def test_the_navigation_counts_unread_notifications_once_a_page(
    client: Client, social_worker: User
) -> None:
    client.force_login(social_worker)
    for path in ("/my-work/", "/children/", "/account/"):
        _, captured = _visit(client, path)
        assert _unread_counts(captured) == 1, path
