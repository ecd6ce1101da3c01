"""Raising a strategy discussion request in the browser, without JavaScript."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from strategise.cases.models import Child
from strategise.organisations.models import LocalAuthority, User
from strategise.requests.models import StrategyRequest
from tests.factories import ChildFactory
from tests.web.pages import (
    broken_error_links,
    choices,
    error_summary,
    page,
    repeated_ids,
    text,
)

pytestmark = pytest.mark.django_db


def _identified(hours_ago: int = 2) -> dict[str, str]:
    moment = timezone.localtime() - timedelta(hours=hours_ago)
    return {
        "identified_date_day": str(moment.day),
        "identified_date_month": str(moment.month),
        "identified_date_year": str(moment.year),
        "identified_time": f"{moment:%H:%M}",
    }


def _request(children: list[Child], **changes: Any) -> dict[str, Any]:
    return {
        **_identified(),
        "offered": [str(child.pk) for child in children],
        "children": [str(child.pk) for child in children],
        "concerns": ["physical_abuse"],
        "referrer": "Ms Khan, Oak Primary School",
        "perpetrator_1_first_name": "Dean",
        "perpetrator_1_last_name": "Turner",
        "perpetrator_1_role": "Stepfather",
        "perpetrator_1_trust": "no",
        "narrative": "Ruby told her teacher her stepfather hit her.",
        **changes,
    }


@pytest.fixture
def sibling(child: Child) -> Child:
    return ChildFactory.create(
        local_authority=child.local_authority,
        household=child.household,
        first_name="Mason",
        last_name="Price",
    )


def test_from_a_childs_page_the_child_is_chosen_and_their_household_offered(
    client: Client, social_worker: User, child: Child, sibling: Child
) -> None:
    html = page(client, f"/requests/new/?child={child.pk}", social_worker)
    assert choices(html, "children") == {str(child.pk): True, str(sibling.pk): False}
    assert f'name="offered" value="{sibling.pk}"' in html
    assert "Find another child" in html
    assert "Physical abuse" in html  # the contract's concerns, in British labels
    assert "Evidence may be lost without a same-day discussion" in html  # and its flags
    assert repeated_ids(html) == []


def test_raising_with_nothing_names_each_problem(
    client: Client, social_worker: User, child: Child
) -> None:
    client.force_login(social_worker)
    html = client.post("/requests/new/", {"offered": [str(child.pk)]}).content.decode()
    assert error_summary(html) == [
        ("Enter the date concerns were identified", "identified_date-day"),
        ("Enter the time concerns were identified", "identified_time"),
        ("Select the children the concerns are about", "children"),
        ("Select at least one concern", "concerns"),
        ("Describe the concerns and what has happened", "narrative"),
    ]
    assert broken_error_links(html) == []
    assert StrategyRequest.objects.count() == 0


def test_a_time_on_a_twelve_hour_clock_is_explained(
    client: Client, social_worker: User, child: Child
) -> None:
    client.force_login(social_worker)
    html = client.post("/requests/new/", _request([child], identified_time="3pm")).content.decode()
    assert error_summary(html) == [
        (
            "Enter the time concerns were identified using the 24-hour clock, like 09:30 or 17:45",
            "identified_time",
        )
    ]


def test_concerns_identified_in_the_future_are_refused_by_the_service(
    client: Client, social_worker: User, child: Child
) -> None:
    client.force_login(social_worker)
    html = client.post("/requests/new/", _request([child], **_identified(-3))).content.decode()
    assert error_summary(html) == [
        ("The time concerns were identified must be in the past", "identified_date-day")
    ]
    assert broken_error_links(html) == []


def test_someone_named_needs_the_position_of_trust_question_answered(
    client: Client, social_worker: User, child: Child
) -> None:
    client.force_login(social_worker)
    html = client.post("/requests/new/", _request([child], perpetrator_1_trust="")).content.decode()
    assert error_summary(html) == [
        ("Select yes if Dean Turner works or volunteers with children", "perpetrator_1_trust")
    ]
    assert broken_error_links(html) == []


def test_find_another_child_adds_them_and_keeps_everything_typed(
    client: Client, social_worker: User, child: Child, authority: LocalAuthority
) -> None:
    friend = ChildFactory.create(local_authority=authority, first_name="Jay", last_name="Morris")
    client.force_login(social_worker)
    html = client.post(
        "/requests/new/", _request([child], find="morris", find_child="yes", flags=["serious_harm"])
    ).content.decode()
    assert error_summary(html) == []
    assert StrategyRequest.objects.count() == 0
    assert choices(html, "children") == {str(child.pk): True, str(friend.pk): False}
    assert f'name="offered" value="{friend.pk}"' in html
    assert "1 child found and added to the list: Jay Morris." in text(html)
    assert choices(html, "concerns")["physical_abuse"]
    assert choices(html, "flags")["serious_harm"]
    assert 'value="Dean"' in html and 'value="Turner"' in html
    assert "Ruby told her teacher her stepfather hit her." in html
    assert 'id="find" name="find" type="text"' in html
    assert 'value="morris"' not in html  # the search was run, so its box is empty again
    assert f'value="{_request([child])["identified_time"]}"' in html


def test_a_name_typed_in_find_is_searched_for_whichever_button_is_pressed(
    client: Client, social_worker: User, child: Child, authority: LocalAuthority
) -> None:
    friend = ChildFactory.create(local_authority=authority, last_name="Morris")
    client.force_login(social_worker)
    html = client.post("/requests/new/", _request([child], find="morris")).content.decode()
    assert StrategyRequest.objects.count() == 0
    assert str(friend.pk) in choices(html, "children")


def test_find_another_child_with_nothing_typed_says_what_to_enter(
    client: Client, social_worker: User, child: Child
) -> None:
    client.force_login(social_worker)
    html = client.post(
        "/requests/new/", _request([child], find="", find_child="yes")
    ).content.decode()
    assert error_summary(html) == [
        ("Enter a name, other name or reference to find a child", "find")
    ]


def test_find_another_child_never_offers_another_authoritys_child(
    client: Client, social_worker: User, child: Child, other_authority_social_worker: User
) -> None:
    assert other_authority_social_worker.agency is not None
    ChildFactory.create(
        local_authority=other_authority_social_worker.agency.local_authority, last_name="Morris"
    )
    client.force_login(social_worker)
    html = client.post(
        "/requests/new/", _request([child], find="morris", find_child="yes")
    ).content.decode()
    assert "No children you can see match ‘morris’." in text(html)


def test_a_child_posted_but_never_offered_is_refused(
    client: Client, social_worker: User, child: Child, authority: LocalAuthority
) -> None:
    stranger = ChildFactory.create(local_authority=authority)
    client.force_login(social_worker)
    html = client.post(
        "/requests/new/", {**_request([child]), "children": [str(stranger.pk)]}
    ).content.decode()
    assert error_summary(html) == [("Select only children listed on the form", "children")]


def test_a_request_is_raised_triaged_and_shown(
    client: Client, social_worker: User, child: Child
) -> None:
    client.force_login(social_worker)
    response = client.post("/requests/new/", _request([child]))
    raised = StrategyRequest.objects.get()
    assert response["Location"] == f"/requests/{raised.pk}/"
    assert raised.raised_by == social_worker
    assert raised.discussion_type == "standard"
    assert raised.referrer == "Ms Khan, Oak Primary School"
    [perpetrator] = raised.alleged_perpetrators.all()
    assert (perpetrator.name, perpetrator.role, perpetrator.position_of_trust) == (
        "Dean Turner",
        "Stepfather",
        False,
    )
    assert "Hold by" in text(page(client, response["Location"]))


def test_children_of_two_households_make_a_complex_request(
    client: Client, social_worker: User, child: Child, authority: LocalAuthority
) -> None:
    friend = ChildFactory.create(local_authority=authority)
    client.force_login(social_worker)
    client.post("/requests/new/", _request([child, friend]))
    raised = StrategyRequest.objects.get()
    assert raised.discussion_type == "complex"
    assert set(raised.children.all()) == {child, friend}


def test_a_position_of_trust_is_stored(client: Client, social_worker: User, child: Child) -> None:
    client.force_login(social_worker)
    client.post(
        "/requests/new/",
        _request(
            [child], perpetrator_1_trust="yes", perpetrator_2_first_name="", perpetrator_2_trust=""
        ),
    )
    assert StrategyRequest.objects.get().alleged_perpetrators.get().position_of_trust
