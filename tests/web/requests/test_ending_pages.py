"""Closing a request without a discussion, or withdrawing it, from its page."""

from __future__ import annotations

import pytest
from django.test import Client

from strategise.organisations.models import User
from strategise.requests.models import RequestStatus, StrategyRequest
from tests.web.pages import broken_error_links, error_summary, page, text

pytestmark = pytest.mark.django_db


def test_a_manager_closes_a_request_from_its_page_and_its_clock_stops(
    client: Client, team_manager: User, strategy_request: StrategyRequest
) -> None:
    path = f"/requests/{strategy_request.pk}/"
    words = text(page(client, path, team_manager))
    assert "Close without a discussion" in words
    html = client.post(f"{path}close/", {"reason": " "}).content.decode()
    assert error_summary(html) == [("Give the reason no strategy discussion is needed", "reason")]
    assert broken_error_links(html) == []
    response = client.post(f"{path}close/", {"reason": "Early help is already supporting"})
    assert response["Location"] == path
    words = text(page(client, path))
    assert "Request closed without a strategy discussion" in words
    assert "Reason: Early help is already supporting" in words
    assert "Close without a discussion" not in words
    strategy_request.refresh_from_db()
    assert strategy_request.status == RequestStatus.CLOSED


def test_whoever_raised_it_may_withdraw_it_but_not_close_it(
    client: Client, social_worker: User, strategy_request: StrategyRequest
) -> None:
    words = text(page(client, f"/requests/{strategy_request.pk}/", social_worker))
    assert "Withdraw the request" in words
    assert "Close without a discussion" not in words
    response = client.post(
        f"/requests/{strategy_request.pk}/withdraw/", {"reason": "Raised for the wrong child"}
    )
    assert response.status_code == 302
    strategy_request.refresh_from_db()
    assert strategy_request.status == RequestStatus.WITHDRAWN


def test_a_convened_request_says_to_cancel_its_discussion_first(
    client: Client, team_manager: User, discussion: object, strategy_request: StrategyRequest
) -> None:
    words = text(page(client, f"/requests/{strategy_request.pk}/close/", team_manager))
    assert "so it cannot be closed or withdrawn here. Cancel its discussion first." in words
