"""A request's page: its deadline, and the frozen triage answer with every source."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from strategise.cases.models import Child
from strategise.discussions.models import Discussion
from strategise.organisations.models import LocalAuthority, User
from strategise.policy import LONDON
from strategise.policy.citations import cite
from strategise.requests.models import StrategyRequest
from strategise.requests.services import Perpetrator
from tests.factories import ChildFactory, StrategyRequestFactory
from tests.web.pages import page, text

pytestmark = pytest.mark.django_db

# A Wednesday morning in working hours.
IDENTIFIED = datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)


def _raised(authority: LocalAuthority, user: User, **kwargs: Any) -> StrategyRequest:
    return StrategyRequestFactory.create(local_authority=authority, raised_by=user, **kwargs)


def test_the_deadline_says_when_within_what_and_where_the_procedure_says_so(
    client: Client, social_worker: User, authority: LocalAuthority, child: Child
) -> None:
    raised = _raised(authority, social_worker, identified_at=IDENTIFIED, children=[child])
    html = text(page(client, f"/requests/{raised.pk}/", social_worker))
    assert (
        "Hold by Monday 9 March 2026, 11:59pm — within three working days (Sandwell procedure §9.0)"
    ) in html


def test_a_deadline_passed_while_waiting_to_be_convened_is_overdue(
    client: Client, social_worker: User, authority: LocalAuthority, child: Child
) -> None:
    raised = _raised(authority, social_worker, identified_at=IDENTIFIED, children=[child])
    html = page(client, f"/requests/{raised.pk}/", social_worker)
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in html


def test_a_deadline_still_to_come_is_not_overdue(
    client: Client, social_worker: User, strategy_request: StrategyRequest
) -> None:
    html = page(client, f"/requests/{strategy_request.pk}/", social_worker)
    assert "Overdue" not in html


def test_a_convened_request_is_not_overdue(
    client: Client, social_worker: User, authority: LocalAuthority, child: Child
) -> None:
    raised = _raised(authority, social_worker, identified_at=IDENTIFIED, children=[child])
    Discussion.objects.create(
        request=raised,
        local_authority=authority,
        format="virtual",
        scheduled_for=timezone.now(),
        chair=social_worker,
        convened_by=social_worker,
    )
    raised.status = "convened"
    raised.save(update_fields=["status"])
    assert "Overdue" not in page(client, f"/requests/{raised.pk}/", social_worker)


def test_a_complex_request_shows_why_with_its_sources(
    client: Client, social_worker: User, authority: LocalAuthority
) -> None:
    children = [ChildFactory.create(local_authority=authority) for _ in range(2)]
    raised = _raised(authority, social_worker, identified_at=IDENTIFIED, children=children)
    html = text(page(client, f"/requests/{raised.pk}/", social_worker))
    assert "Type of discussion Complex" in html
    assert (
        "Why it is a complex discussion More than one child involved who do not live in the "
        "same family. Source: Sandwell procedure §4.1"
    ) in html
    assert "Meeting required Yes" in html
    assert "Why a meeting is required Complex strategy meetings are arranged" in html
    assert "Chair at least Service manager" in html
    assert (
        "Grades who may chair: service manager, principal officer, head of service, director."
        in html
    )
    assert (
        "Exception: A chair from the Safeguarding Service (Safeguarding Unit), whatever their "
        "grade. Source: Sandwell procedure §4.0"
    ) in html


def test_every_attendee_and_step_has_its_reason_and_source(
    client: Client, social_worker: User, strategy_request: StrategyRequest
) -> None:
    triage = strategy_request.triage
    html = text(page(client, f"/requests/{strategy_request.pk}/", social_worker))
    assert "Who must attend" in html
    assert "Who to consider inviting" in html
    assert "What else must happen" in html
    items = triage["attendees"]["required"] + triage["attendees"]["recommended"] + triage["steps"]
    assert items
    for item in items:
        assert f"{item['reason']} Source: {cite(item['source'])}" in html


def test_the_request_shows_its_children_concerns_and_people(
    client: Client, social_worker: User, authority: LocalAuthority, child: Child
) -> None:
    raised = _raised(
        authority,
        social_worker,
        children=[child],
        concerns=["physical_abuse", "neglect"],
        flags=["serious_harm"],
        referrer="Oak Primary School",
        perpetrators=[Perpetrator(name="Dean Turner", role="Coach", position_of_trust=True)],
    )
    html = page(client, f"/requests/{raised.pk}/", social_worker)
    words = text(html)
    assert f'href="/children/{child.pk}/"' in html
    assert "Concerns Physical abuse; Neglect" in words
    assert "Circumstances Serious physical injury or serious neglect" in words
    assert "Who raised the concerns Oak Primary School" in words
    assert "Dean Turner, Coach (works or volunteers with children)" in words
    assert f"version {raised.profile_version}" in words


def test_social_care_may_convene_a_request_waiting_for_it(
    client: Client, social_worker: User, strategy_request: StrategyRequest
) -> None:
    html = page(client, f"/requests/{strategy_request.pk}/", social_worker)
    assert f'href="/requests/{strategy_request.pk}/convene/"' in html


def test_an_invited_police_officer_reads_the_request_but_may_not_convene(
    client: Client, police_officer: User, discussion: Discussion
) -> None:
    html = page(client, f"/requests/{discussion.request_id}/", police_officer)
    assert "/convene/" not in html
    assert f'href="/discussions/{discussion.pk}/"' in html


def test_a_convened_request_links_its_discussion_not_convening(
    client: Client, social_worker: User, discussion: Discussion
) -> None:
    html = page(client, f"/requests/{discussion.request_id}/", social_worker)
    assert "/convene/" not in html
    assert f'href="/discussions/{discussion.pk}/"' in html
    assert "Convened" in text(html)


def test_the_page_shows_the_answer_as_it_was_frozen(
    client: Client, social_worker: User, strategy_request: StrategyRequest
) -> None:
    frozen = dict(strategy_request.triage)
    frozen["steps"] = [
        {
            "code": "legal_advice",
            "reason": "A reason only this request was given.",
            "source": "X §1",
        }
    ]
    StrategyRequest.objects.filter(pk=strategy_request.pk).update(triage=frozen)
    html = text(page(client, f"/requests/{strategy_request.pk}/", social_worker))
    assert "Seek legal advice A reason only this request was given. Source: X §1" in html


def test_a_request_without_a_timescale_says_to_hold_it_as_soon_as_possible(
    client: Client, social_worker: User, strategy_request: StrategyRequest
) -> None:
    frozen = dict(strategy_request.triage, hold_by=None, timescales=[])
    StrategyRequest.objects.filter(pk=strategy_request.pk).update(triage=frozen, hold_by=None)
    html = text(page(client, f"/requests/{strategy_request.pk}/", social_worker))
    assert "The procedure sets no timescale for this case" in html
    assert "Overdue" not in html
