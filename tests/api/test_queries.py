"""Each list endpoint costs the same number of queries however much there is to list: a
page of 50 read when there are 3 records, and again when there are 120 (no N+1)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from strategise.clocks.models import Clock
from strategise.discussions.models import Discussion
from strategise.organisations.models import LocalAuthority, User
from tests.api.conftest import Bearer
from tests.factories import (
    ActionFactory,
    DiscussionFactory,
    InvitationFactory,
    StrategyRequestFactory,
)

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/children?limit=50",
    "/api/v1/requests?limit=50",
    "/api/v1/discussions?limit=50",
    "/api/v1/actions?limit=50",
    "/api/v1/clocks?limit=50",
    "/api/v1/disagreements",
]
# A discussion's own lists, read of its first discussion.
OF_A_DISCUSSION = ["/api/v1/discussions/{}/invitations", "/api/v1/discussions/{}/minutes"]


def _grow(authority: LocalAuthority, worker: User, count: int) -> list[Discussion]:
    """``count`` requests of the authority, each with its child, a discussion with two
    invitations, an action and a clock."""
    made = []
    for _ in range(count):
        request = StrategyRequestFactory.create(local_authority=authority, raised_by=worker)
        discussion = DiscussionFactory.create(request=request)
        InvitationFactory.create_batch(2, discussion=discussion)
        ActionFactory.create(discussion=discussion, local_authority=authority)
        now = timezone.now()
        Clock.objects.create(
            local_authority=authority,
            request=request,
            discussion=discussion,
            code="icpc_held",
            started_at=now,
            due_at=now + timedelta(days=15),
            source="Test",
            rule="test",
            reason="Test",
        )
        made.append(discussion)
    return made


def _queries(client: Client, path: str, headers: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as captured:
        answer = client.get(path, headers=headers)
    assert answer.status_code == 200, answer.content
    return len(captured)


def test_every_list_costs_the_same_with_3_records_or_120(
    client: Client, authority: LocalAuthority, social_worker: User, bearer: Bearer
) -> None:
    headers = bearer(social_worker)
    first = _grow(authority, social_worker, 3)[0]
    paths = LISTS + [template.format(first.pk) for template in OF_A_DISCUSSION]
    # Once first, so that what a first request does once (a cache filled) is not counted.
    for path in paths:
        _queries(client, path, headers)
    few = {path: _queries(client, path, headers) for path in paths}
    _grow(authority, social_worker, 117)
    InvitationFactory.create_batch(40, discussion=first)
    many = {path: _queries(client, path, headers) for path in paths}
    assert many == few
