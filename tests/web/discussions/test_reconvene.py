"""Reconvening a held discussion: the convening form with last time's invitations and the
reason; the chain of discussions against Sandwell's §2.0 interval and overall limit."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from strategise.discussions.models import Discussion
from strategise.organisations.models import User
from tests.web.pages import error_summary, page, text
from tests.web.recording.support import held, served_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def concluded(social_worker: User, team_manager: User, police_officer: User) -> Discussion:
    return held(social_worker, team_manager, police_officer)


def _reconvening(client: Client, path: str, **typed: Any) -> dict[str, Any]:
    tomorrow = timezone.localtime() + timedelta(days=1)
    return {
        **served_form(page(client, path)),
        "format": "virtual",
        "scheduled_date_day": str(tomorrow.day),
        "scheduled_date_month": str(tomorrow.month),
        "scheduled_date_year": str(tomorrow.year),
        "scheduled_time": "10:00",
        **typed,
    }


def test_the_form_offers_last_times_invitations_again(
    client: Client, social_worker: User, police_officer: User, concluded: Discussion
) -> None:
    path = f"/discussions/{concluded.pk}/reconvene/"
    html = page(client, path, social_worker)
    words = text(html)
    assert f"Strategy discussion {concluded.pk}, held Wednesday 4 March 2026, midday" in words
    assert "Reconvene the strategy discussion" in words
    assert "Why is the discussion being reconvened?" in words
    form = served_form(html)
    police_row = next(
        key
        for key, value in form.items()
        if key.endswith("-user") and value == [str(police_officer.pk)]
    )
    assert police_row.startswith("invitations-")
    # Someone who does not use Strategise is invited by name and email again.
    assert ["education@example.org"] in form.values()


def test_reconvening_after_the_interval_needs_the_delay_explained_but_no_reason_in_sandwell(
    client: Client, social_worker: User, team_manager: User, concluded: Discussion
) -> None:
    path = f"/discussions/{concluded.pk}/reconvene/"
    client.force_login(social_worker)
    data = _reconvening(client, path, chair=str(team_manager.pk))
    html = client.post(path, data).content.decode()
    # Sandwell asks for no reason for reconvening (Gloucestershire does), only for the delay.
    assert error_summary(html) == [
        (
            "The discussion is after its deadline: explain why the delay is justified",
            "delay_rationale",
        )
    ]
    data["delay_rationale"] = "The family moved away and have only just been found"
    data["reconvene_reason"] = "The medical found new injuries"
    response = client.post(path, data)
    again = Discussion.objects.get(previous=concluded)
    assert response["Location"] == f"/discussions/{again.pk}/"
    assert again.reconvene_reason == "The medical found new injuries"
    assert again.invitations.count() == concluded.invitations.count()


def test_the_chain_shows_each_interval_against_the_procedure(
    client: Client, social_worker: User, team_manager: User, concluded: Discussion
) -> None:
    path = f"/discussions/{concluded.pk}/reconvene/"
    client.force_login(social_worker)
    client.post(
        path,
        _reconvening(
            client,
            path,
            chair=str(team_manager.pk),
            reconvene_reason="The medical found new injuries",
            delay_rationale="The family moved away",
        ),
    )
    again = Discussion.objects.get(previous=concluded)
    words = text(page(client, f"/discussions/{again.pk}/"))
    days = (timezone.localdate() + timedelta(days=1) - timezone.localdate(concluded.held_at)).days
    assert f"Strategy discussion {concluded.pk} Held Wednesday 4 March 2026, midday First" in words
    assert f"Strategy discussion {again.pk} (this one) Scheduled" in words
    assert (
        f"{days} Over the interval Due by Wednesday 1 April 2026, 11:59pm: Where there is more "
        "than one discussion, the interval should not exceed 28 days. "
        "(Sandwell procedure §2.0)"
    ) in words
    assert "Over the overall limit Concluded by Thursday 4 June 2026, 11:59pm" in words
    assert "Reconvened because: The medical found new injuries" in words


def test_only_a_held_discussion_is_reconvened(
    client: Client, social_worker: User, discussion: Discussion
) -> None:
    words = text(page(client, f"/discussions/{discussion.pk}/reconvene/", social_worker))
    assert "Only a discussion that has been held can be reconvened." in words


def test_the_held_discussion_offers_reconvening_to_social_care_only(
    client: Client, social_worker: User, police_officer: User, concluded: Discussion
) -> None:
    link = f'href="/discussions/{concluded.pk}/reconvene/"'
    assert link in page(client, f"/discussions/{concluded.pk}/", social_worker)
    assert link not in page(client, f"/discussions/{concluded.pk}/", police_officer)
    assert client.get(f"/discussions/{concluded.pk}/reconvene/").status_code == 404
