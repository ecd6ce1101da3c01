"""My work and the caseload views: each line names its children (only for those who may
see them) and says what the user must do; the lists cost the same few queries however
long they are."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from strategise.cases.models import Child
from strategise.discussions.decisions import decision_save
from strategise.discussions.models import Discussion, Response
from strategise.organisations.models import LocalAuthority, Role, User
from strategise.oversight.work import NOT_SHOWN
from strategise.policy import LONDON
from strategise.requests.models import StrategyRequest
from tests.factories import (
    ActionFactory,
    ChildFactory,
    DiscussionFactory,
    InvitationFactory,
    StrategyRequestFactory,
    TeamFactory,
    UserFactory,
)
from tests.web.pages import page, text
from tests.web.recording.support import LATER, started

pytestmark = pytest.mark.django_db


def _child(authority: LocalAuthority, first: str, last: str = "Price") -> Child:
    return ChildFactory.create(local_authority=authority, first_name=first, last_name=last)


def test_with_nothing_to_do_it_says_so(client: Client, social_worker: User) -> None:
    words = text(page(client, "/my-work/", social_worker))
    assert "Nothing needs you at the moment." in words
    assert "Find a child" in words


def test_requests_to_convene_name_their_children_overdue_first(
    client: Client,
    social_worker: User,
    authority: LocalAuthority,
    strategy_request: StrategyRequest,
) -> None:
    tom, amy = _child(authority, "Tom", "Jones"), _child(authority, "Amy", "Jones")
    late = StrategyRequestFactory.create(
        local_authority=authority,
        raised_by=social_worker,
        children=[tom, amy],
        identified_at=datetime(2026, 3, 4, 10, 0, tzinfo=LONDON),
    )
    html = page(client, "/my-work/", social_worker)
    first = html.index(f'href="/requests/{late.pk}/"')
    second = html.index(f'href="/requests/{strategy_request.pk}/"')
    assert first < second
    assert html.count('<strong class="govuk-tag govuk-tag--red">Overdue</strong>') == 1
    assert html.index("Overdue") < second
    words = text(html)
    names = " and ".join(
        c.full_name for c in sorted([tom, amy], key=lambda c: (c.date_of_birth, c.pk))
    )
    assert f"Convene a strategy discussion For {names} Convene a" in words
    assert "Convene a strategy discussion For Lily Price" in words
    assert "for request" not in words and f"request {late.pk}" not in words


def test_the_chair_sees_the_discussion_they_chair_named_by_its_child(
    client: Client, team_manager: User, discussion: Discussion
) -> None:
    words = text(page(client, "/my-work/", team_manager))
    assert "Strategy discussion For Lily Price You chair it" in words
    assert f"Strategy discussion {discussion.pk}" not in words


def test_an_invited_police_officer_is_asked_to_reply_and_sees_nothing_to_convene(
    client: Client, police_officer: User, discussion: Discussion
) -> None:
    html = page(client, "/my-work/", police_officer)
    assert f'href="/discussions/{discussion.pk}/"' in html
    words = text(html)
    assert "For Lily Price You are invited: reply to say whether you will attend" in words
    assert "/requests/" not in html
    assert "Find a child" not in words
    discussion.invitations.filter(user=police_officer).update(response=Response.ACCEPTED)
    assert "You are invited and have accepted" in text(page(client, "/my-work/", police_officer))


def test_the_minute_taker_is_told_they_take_the_minutes(
    client: Client, social_worker: User, discussion: Discussion
) -> None:
    discussion.minute_taker = social_worker
    discussion.save(update_fields=["minute_taker"])
    assert "For Lily Price You take the minutes" in text(page(client, "/my-work/", social_worker))


def test_an_action_names_the_children_it_is_for(
    client: Client, team_manager: User, discussion: Discussion, authority: LocalAuthority
) -> None:
    lily = discussion.request.children.get()
    sister = _child(authority, "Rose")
    discussion.request.children.add(sister, through_defaults={"household": "A"})
    action = ActionFactory.create(
        discussion=discussion,
        owner=team_manager,
        description="Visit the child at home",
        due_at=timezone.now() + timedelta(days=2),
    )
    action.children.set([lily])
    words = text(page(client, "/my-work/", team_manager))
    assert "Visit the child at home For Lily Price You own this action" in words


def test_an_action_owner_who_may_not_see_the_children_reads_a_neutral_line(
    client: Client, discussion: Discussion, other_police_officer: User
) -> None:
    ActionFactory.create(
        discussion=discussion,
        owner=other_police_officer,
        description="Check the police national computer",
        due_at=timezone.now() + timedelta(days=2),
    )
    words = text(page(client, "/my-work/", other_police_officer))
    assert f"Check the police national computer {NOT_SHOWN} You own this action" in words
    assert "Lily" not in words and "Price" not in words


def test_a_team_manager_is_asked_to_confirm_no_further_action(
    client: Client, social_worker: User, team_manager: User, police_officer: User
) -> None:
    discussion = started(social_worker, team_manager, police_officer)
    child = discussion.request.children.get()
    decision_save(
        user=team_manager,
        discussion=discussion,
        child=child,
        values={"outcome": "nfa", "rationale": "Accidental injury, explained"},
        expected_version=0,
        now=LATER,
    )
    words = text(page(client, "/my-work/", team_manager))
    assert (
        f"Confirm no further action For {child.full_name} Confirm the decision of no further "
        "action, with your reasons"
    ) in words
    # A social worker may not confirm it, so is not asked to.
    assert "Confirm no further action" not in text(page(client, "/my-work/", social_worker))


def test_my_work_costs_the_same_few_queries_however_long_it_is(
    client: Client,
    social_worker: User,
    team_manager: User,
    authority: LocalAuthority,
    django_assert_max_num_queries: Any,
) -> None:
    def add_one_of_each() -> None:
        StrategyRequestFactory.create(
            local_authority=authority, raised_by=social_worker, children=[_child(authority, "A")]
        )
        request = StrategyRequestFactory.create(
            local_authority=authority, raised_by=team_manager, children=[_child(authority, "B")]
        )
        discussion = DiscussionFactory.create(request=request, chair=team_manager)
        InvitationFactory.create(discussion=discussion, user=social_worker)
        action = ActionFactory.create(discussion=discussion, owner=social_worker)
        action.children.set(request.children.all())

    add_one_of_each()
    client.force_login(social_worker)
    client.get("/my-work/")
    with CaptureQueriesContext(connection) as few:
        client.get("/my-work/")
    for _ in range(7):
        add_one_of_each()
    with CaptureQueriesContext(connection) as many:
        html = client.get("/my-work/").content.decode()
    assert len(many) <= len(few)
    # The social worker's requests wait; the manager's are convened (the discussions).
    assert html.count("Convene a strategy discussion</a>") == 8
    assert html.count("You are invited: reply") == 8
    assert html.count("You own this action") == 8
    # 16 includes the navigation's count of unread notifications, one query on every page.
    with django_assert_max_num_queries(16):
        client.get("/my-work/")


# --- the caseload: my children, my team's work ----------------------------------------


def test_my_children_lists_the_children_of_my_open_work_by_name(
    client: Client, social_worker: User, authority: LocalAuthority, discussion: Discussion
) -> None:
    mine = _child(authority, "Zara", "Ahmed")
    StrategyRequestFactory.create(
        local_authority=authority, raised_by=social_worker, children=[mine]
    )
    # Someone else's request about another child: not in my caseload.
    StrategyRequestFactory.create(local_authority=authority, children=[_child(authority, "Omar")])
    html = page(client, "/my-work/children/", social_worker)
    words = text(html)
    assert f'href="/children/{mine.pk}/"' in html
    assert "Zara Ahmed" in words and "Omar" not in words
    # Lily's request was raised by the social worker and is convened.
    assert "Lily Price" in words and "you raised it; its discussion is arranged" in words
    assert words.index("Zara Ahmed") < words.index("Lily Price")  # Ahmed before Price


def test_my_children_lists_the_children_allocated_to_me_and_requests_i_am_allocated(
    client: Client, social_worker: User, authority: LocalAuthority
) -> None:
    social_care = authority.agencies.get(kind="childrens_social_care")
    colleague = UserFactory.create(agency=social_care, role=Role.SOCIAL_WORKER)
    # Allocated to me, with no open work: still my child.
    mine = ChildFactory.create(
        local_authority=authority,
        first_name="Zara",
        last_name="Ahmed",
        allocated_worker=social_worker,
    )
    # A colleague raised the request and named me its allocated social worker.
    held = _child(authority, "Noah", "Evans")
    StrategyRequestFactory.create(
        local_authority=authority,
        raised_by=colleague,
        allocated_worker=social_worker,
        status="convened",
        children=[held],
    )
    # Allocated to the colleague: not mine.
    ChildFactory.create(
        local_authority=authority, first_name="Omar", last_name="Khan", allocated_worker=colleague
    )
    html = page(client, "/my-work/children/", social_worker)
    words = text(html)
    assert f'href="/children/{mine.pk}/"' in html and f'href="/children/{held.pk}/"' in html
    assert "Allocated to you" in words and "No open work that is yours" in words
    assert "you are the allocated social worker; its discussion is arranged" in words
    assert "Omar" not in words


def test_my_children_shows_an_invited_police_officer_only_their_discussions_children(
    client: Client, police_officer: User, discussion: Discussion, authority: LocalAuthority
) -> None:
    StrategyRequestFactory.create(local_authority=authority, children=[_child(authority, "Omar")])
    words = text(page(client, "/my-work/children/", police_officer))
    assert "Lily Price" in words and "Omar" not in words


def test_my_team_sees_its_open_requests_and_discussions_named(
    client: Client,
    social_worker: User,
    team_manager: User,
    authority: LocalAuthority,
    discussion: Discussion,
) -> None:
    social_care = authority.agencies.get(kind="childrens_social_care")
    team = TeamFactory.create(agency=social_care, name="Assessment team West")
    colleague = UserFactory.create(agency=social_care, team=team, role=Role.SOCIAL_WORKER)
    for user in (social_worker, team_manager):
        user.team = team
        user.save(update_fields=["team"])
    waiting = StrategyRequestFactory.create(
        local_authority=authority, raised_by=colleague, children=[_child(authority, "Zara")]
    )
    StrategyRequestFactory.create(local_authority=authority, children=[_child(authority, "Omar")])
    html = page(client, "/my-work/team/", social_worker)
    words = text(html)
    assert "Assessment team West" in words
    assert f'href="/requests/{waiting.pk}/"' in html and "Zara Price" in words
    assert f'href="/discussions/{discussion.pk}/"' in html
    assert "Omar" not in words


def test_someone_in_no_team_is_told_so(client: Client, police_officer: User) -> None:
    assert "You are not in a team." in text(page(client, "/my-work/team/", police_officer))


@pytest.mark.parametrize("path", ["/my-work/children/", "/my-work/team/"])
def test_the_caseload_costs_the_same_however_long_it_is(
    client: Client, social_worker: User, team_manager: User, authority: LocalAuthority, path: str
) -> None:
    team = TeamFactory.create(agency=authority.agencies.get(kind="childrens_social_care"))
    social_worker.team = team
    social_worker.save(update_fields=["team"])

    def add_one() -> None:
        request = StrategyRequestFactory.create(
            local_authority=authority, raised_by=social_worker, children=[_child(authority, "A")]
        )
        DiscussionFactory.create(request=request, chair=team_manager, minute_taker=social_worker)

    add_one()
    client.force_login(social_worker)
    client.get(path)
    with CaptureQueriesContext(connection) as few:
        client.get(path)
    for _ in range(7):
        add_one()
    with CaptureQueriesContext(connection) as many:
        html = client.get(path).content.decode()
    assert len(many) <= len(few)
    assert html.count('href="/children/') + html.count('href="/discussions/') >= 8
