"""My work: each user's landing page, overdue first."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from strategise.discussions.models import Discussion
from strategise.organisations.models import LocalAuthority, User
from strategise.policy import LONDON
from strategise.requests.models import StrategyRequest
from tests.factories import ActionFactory, StrategyRequestFactory
from tests.web.pages import page, text

pytestmark = pytest.mark.django_db


def test_with_nothing_to_do_it_says_so(client: Client, social_worker: User) -> None:
    words = text(page(client, "/my-work/", social_worker))
    assert "Nothing needs you at the moment." in words
    assert "Find a child" in words


def test_requests_to_convene_are_listed_overdue_first(
    client: Client,
    social_worker: User,
    authority: LocalAuthority,
    strategy_request: StrategyRequest,
) -> None:
    late = StrategyRequestFactory.create(
        local_authority=authority,
        raised_by=social_worker,
        identified_at=datetime(2026, 3, 4, 10, 0, tzinfo=LONDON),
    )
    html = page(client, "/my-work/", social_worker)
    first = html.index(f'href="/requests/{late.pk}/"')
    second = html.index(f'href="/requests/{strategy_request.pk}/"')
    assert first < second
    assert html.count('<strong class="govuk-tag govuk-tag--red">Overdue</strong>') == 1
    assert html.index("Overdue") < second
    assert "Convene a strategy discussion for request" in text(html)


def test_the_chair_sees_the_discussion_they_chair(
    client: Client, team_manager: User, discussion: Discussion
) -> None:
    words = text(page(client, "/my-work/", team_manager))
    assert f"Strategy discussion {discussion.pk} You chair" in words


def test_an_invited_police_officer_sees_the_discussion_and_nothing_to_convene(
    client: Client, police_officer: User, discussion: Discussion
) -> None:
    html = page(client, "/my-work/", police_officer)
    assert f'href="/discussions/{discussion.pk}/"' in html
    assert "You are invited" in text(html)
    assert "/requests/" not in html
    assert "Find a child" not in text(html)


def test_an_action_owned_is_listed_with_its_deadline(
    client: Client, team_manager: User, discussion: Discussion
) -> None:
    ActionFactory.create(
        discussion=discussion,
        owner=team_manager,
        description="Visit the child at home",
        due_at=timezone.now() + timedelta(days=2),
    )
    words = text(page(client, "/my-work/", team_manager))
    assert "Visit the child at home Action" in words


def test_my_work_costs_the_same_few_queries_however_long_it_is(
    client: Client,
    social_worker: User,
    authority: LocalAuthority,
    django_assert_max_num_queries: Any,
) -> None:
    for _ in range(8):
        StrategyRequestFactory.create(local_authority=authority, raised_by=social_worker)
    client.force_login(social_worker)
    # 16 includes the navigation's count of unread notifications, one query on every page.
    with django_assert_max_num_queries(16):
        html = client.get("/my-work/").content.decode()
    assert html.count("Convene a strategy discussion for request") == 8
