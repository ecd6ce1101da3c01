"""The network pages: the drawing and its tables, the GET filter, adding to the network
(every error at once, once however often posted), and the alerts' pages."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from strategise.audit.models import AuditEvent
from strategise.cases.models import Child
from strategise.discussions.models import Discussion
from strategise.network.models import AlertStatus, Entity, Link, NetworkSetting, PatternAlert
from strategise.organisations.models import LocalAuthority, Role, User
from strategise.requests.models import StrategyRequest
from tests.factories import AdultFactory, StrategyRequestFactory, UserFactory
from tests.web.pages import error_summary, navigation, page, text

pytestmark = pytest.mark.django_db

CAR = {
    "kind": "vehicle",
    "registration": "ab12 cde",
    "description": "Blue Ford Focus",
    "link_kind": "driven_in",
    "since_day": "3",
    "since_month": "2",
    "since_year": "2026",
    "agency": "Police",
    "confidence": "reported",
}


def _post(client: Client, request: StrategyRequest, child: Child, **data: str) -> str:
    response = client.post(
        f"/requests/{request.pk}/network/add/", {"child": str(child.pk), **data}, follow=True
    )
    assert response.status_code == 200
    return response.content.decode()


def test_the_network_page_draws_the_network_and_lists_it_in_tables(
    client: Client, social_worker: User, strategy_request: StrategyRequest, child: Child
) -> None:
    client.force_login(social_worker)
    html = _post(client, strategy_request, child, token="one", **CAR)
    assert "Added to the network" in html
    assert 'role="img" aria-labelledby="network-title network-desc"' in html
    assert '<title id="network-title">' in html and '<desc id="network-desc">' in html
    assert "1 child, 1 person, place, vehicle or online account, and 1 link" in html
    words = text(html)
    assert "AB12 CDE Blue Ford Focus" in words
    assert "Driven in or picked up by" in words and "3 February 2026" in words
    assert f"{child.full_name} C900001" in words
    # Drawn the same way every time (a fixed seed).
    again = page(client, f"/requests/{strategy_request.pk}/network/")
    drawn = re.findall(r'<circle cx="[^"]+" cy="[^"]+"', html)
    assert drawn == re.findall(r'<circle cx="[^"]+" cy="[^"]+"', again)
    child_page = page(client, f"/children/{child.pk}/network/")
    assert "AB12 CDE" in text(child_page)


def test_a_repeated_post_adds_once(
    client: Client, social_worker: User, strategy_request: StrategyRequest, child: Child
) -> None:
    client.force_login(social_worker)
    _post(client, strategy_request, child, token="same", **CAR)
    _post(client, strategy_request, child, token="same", **CAR)
    assert Link.objects.count() == 1


def test_every_error_is_shown_at_once_and_nothing_typed_is_lost(
    client: Client, social_worker: User, strategy_request: StrategyRequest, child: Child
) -> None:
    client.force_login(social_worker)
    html = _post(
        client,
        strategy_request,
        child,
        kind="place",
        name="",
        address="12 High St",
        since_day="40",
        since_month="2",
        since_year="2026",
    )
    assert [target for _, target in error_summary(html)] == [
        "place_kind",
        "safety",
        "link_kind",
        "since-day",
        "agency",
        "confidence",
    ]
    assert 'value="12 High St"' in html
    assert not Link.objects.exists()


def test_the_filter_shows_part_of_the_network_and_says_what_is_wrong(
    client: Client, social_worker: User, strategy_request: StrategyRequest, child: Child
) -> None:
    client.force_login(social_worker)
    _post(client, strategy_request, child, **CAR)
    path = f"/requests/{strategy_request.pk}/network/"
    assert "AB12 CDE" not in text(page(client, path, kinds="place"))
    assert "AB12 CDE" in text(page(client, path, kinds="vehicle"))
    before = page(client, path, end_day="1", end_month="1", end_year="2026")
    assert "Nothing is recorded in this network for the dates and kinds chosen" in text(before)
    wrong = page(
        client,
        path,
        start_day="2",
        start_month="1",
        start_year="2026",
        end_day="1",
        end_month="1",
        end_year="2026",
    )
    assert error_summary(wrong) == [
        ("The date to show to must be on or after the date to show from", "end-day")
    ]


def test_the_alert_for_three_children_leads_to_a_complex_request(
    client: Client, authority: LocalAuthority, social_worker: User, team_manager: User
) -> None:
    lead = UserFactory.create(
        agency=authority.agencies.get(kind="childrens_social_care"), role=Role.SOCIAL_WORKER
    )
    NetworkSetting.objects.create(local_authority=authority, exploitation_lead=lead)
    requests = [
        StrategyRequestFactory.create(local_authority=authority, raised_by=social_worker)
        for _ in range(3)
    ]
    client.force_login(social_worker)
    for request in requests:
        _post(client, request, request.children.get(), **CAR)
    alert = PatternAlert.objects.get()
    client.force_login(lead)
    work = page(client, "/my-work/")
    assert "Patterns" in navigation(work).split()
    assert f'href="/patterns/{alert.pk}/"' in work
    assert "Pattern across cases: AB12 CDE Blue Ford Focus is linked to 3 children" in text(work)
    for request in requests:
        assert request.children.get().full_name in text(work)
    listing = text(page(client, "/patterns/"))
    assert "AB12 CDE Blue Ford Focus is linked to 3 children" in listing
    detail = text(page(client, f"/patterns/{alert.pk}/"))
    for request in requests:
        assert request.children.get().full_name in detail
        # Each request named by its child, never by its number alone.
        assert f"Request for {request.children.get().full_name} , raised" in detail
    assert "Request 1" not in detail
    groups = text(page(client, f"/children/{requests[0].children.get().pk}/"))
    assert f"Pattern across cases {alert.pk}" in groups
    form = page(client, f"/patterns/{alert.pk}/request/")
    assert "Pattern across cases: AB12 CDE Blue Ford Focus" in form
    response = client.post(
        f"/patterns/{alert.pk}/request/",
        {
            "children": [str(r.children.get().pk) for r in requests],
            "concerns": ["organised_abuse", "child_criminal_exploitation"],
            "narrative": "Three children driven in the same car.",
            "token": "raise",
        },
    )
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.status == AlertStatus.RAISED
    raised = alert.complex_request
    assert raised is not None and raised.discussion_type == "complex"
    assert response["Location"] == f"/requests/{raised.pk}/"
    # Decided: it leaves the lead's work (the complex request is convened from here on).
    assert f'href="/patterns/{alert.pk}/"' not in page(client, "/my-work/")


def test_a_false_match_is_dismissed_with_its_reason(
    client: Client, authority: LocalAuthority, social_worker: User, team_manager: User
) -> None:
    requests = [
        StrategyRequestFactory.create(local_authority=authority, raised_by=social_worker)
        for _ in range(3)
    ]
    client.force_login(social_worker)
    for request in requests:
        _post(client, request, request.children.get(), **CAR)
    alert = PatternAlert.objects.get()
    client.force_login(team_manager)
    empty = client.post(f"/patterns/{alert.pk}/dismiss/", {"version": str(alert.version)})
    assert error_summary(empty.content.decode()) == [
        ("Enter why this is not the same person, place or account", "reason")
    ]
    assert f"<title>Error: Dismiss alert {alert.pk} – Strategise</title>" in empty.content.decode()
    client.post(
        f"/patterns/{alert.pk}/dismiss/",
        {"version": str(alert.version), "reason": "Two cars with cloned plates"},
    )
    alert.refresh_from_db()
    assert alert.status == AlertStatus.DISMISSED
    assert "Two cars with cloned plates" in text(page(client, f"/patterns/{alert.pk}/"))


def test_the_stepfathers_car_is_his_on_the_page(
    client: Client, social_worker: User, strategy_request: StrategyRequest, child: Child
) -> None:
    stepfather = AdultFactory.create(local_authority=child.local_authority, first_name="Dean")
    client.force_login(social_worker)
    _post(client, strategy_request, child, used_by=str(stepfather.pk), **CAR)
    car = Entity.objects.get(kind="vehicle")
    assert car.used_by is not None and car.used_by.adult == stepfather
    html = page(client, f"/requests/{strategy_request.pk}/network/")
    assert 'stroke-dasharray="6 4"' in html
    assert f"AB12 CDE Blue Ford Focus is used by {stepfather.full_name}" in html


def test_the_discussions_network_page_adds_to_the_network_and_returns_to_it(
    client: Client,
    authority: LocalAuthority,
    social_worker: User,
    police_officer: User,
    discussion: Discussion,
    child: Child,
) -> None:
    lead = UserFactory.create(
        agency=authority.agencies.get(kind="childrens_social_care"), role=Role.SOCIAL_WORKER
    )
    NetworkSetting.objects.create(local_authority=authority, exploitation_lead=lead)
    others = [
        StrategyRequestFactory.create(local_authority=authority, raised_by=social_worker)
        for _ in range(2)
    ]
    client.force_login(social_worker)
    for request in others:
        _post(client, request, request.children.get(), **CAR)
    assert not PatternAlert.objects.exists()
    network = f"/discussions/{discussion.pk}/network/"
    add = f"{network}add/"
    # The discussion's record leads to its network.
    assert f'href="{network}"' in page(client, f"/discussions/{discussion.pk}/record/")
    assert f'href="{add}"' in page(client, network)
    form = page(client, add)
    assert f"Strategy discussion {discussion.pk}" in text(form)
    assert f'href="{network}"' in form  # Cancel goes back to the discussion's network
    response = client.post(add, {"child": str(child.pk), "token": "d", **CAR}, follow=True)
    assert response.redirect_chain[-1][0] == network
    assert "Added to the network" in text(response.content.decode())
    link = Link.objects.get(child=child)
    assert link.request_id == discussion.request_id
    # Audited as a link added from the request's page is, and the pattern is found.
    assert AuditEvent.objects.filter(action="view", object_id=str(discussion.pk)).exists()
    assert AuditEvent.objects.filter(object_type="network.Link", object_id=str(link.pk)).exists()
    assert PatternAlert.objects.get().children.count() == 3
    # An invited agency sees the discussion's network but does not add to it.
    client.force_login(police_officer)
    assert f'href="{add}"' not in page(client, network)
    assert client.post(add, {"child": str(child.pk), "token": "p", **CAR}).status_code == 404
    assert Link.objects.count() == 3


def test_the_discussions_form_shows_every_error_and_keeps_what_was_typed(
    client: Client, social_worker: User, discussion: Discussion, child: Child
) -> None:
    client.force_login(social_worker)
    response = client.post(
        f"/discussions/{discussion.pk}/network/add/",
        {"child": str(child.pk), "kind": "place", "address": "12 High St"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "place_kind" in [target for _, target in error_summary(html)]
    assert 'value="12 High St"' in html
    assert not Link.objects.exists()
