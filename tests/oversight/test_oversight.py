"""The oversight dashboard: for managers, scoped to their authority, bounded, filterable."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from strategise.actions.models import Action
from strategise.clocks.services import clocks_mark_breached
from strategise.disagreements.services import disagreement_raise
from strategise.discussions.models import Discussion
from strategise.organisations.models import LocalAuthority, Role, Team, User
from strategise.oversight.selectors import Filters, oversight_choices, oversight_dashboard
from strategise.policy import LONDON
from strategise.problems import Problem
from tests.clocks.support import held_discussion
from tests.discussions.support import make_child, make_request
from tests.factories import TeamFactory, UserFactory
from tests.plans import reads_of, whole_table_reads

# Friday 6 March 2026, 10am: Thursday's decisions clock is overdue.
FRIDAY = datetime(2026, 3, 6, 10, 0, tzinfo=LONDON)


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


@pytest.fixture
def head_of_service(authority: LocalAuthority) -> User:
    return UserFactory.create(
        agency=authority.agencies.get(kind="childrens_social_care"), role=Role.HEAD_OF_SERVICE
    )


@pytest.fixture
def team(authority: LocalAuthority, social_worker: User, team_manager: User) -> Team:
    team = TeamFactory.create(agency=authority.agencies.get(kind="childrens_social_care"))
    User.objects.filter(pk__in=[social_worker.pk, team_manager.pk]).update(team=team)
    social_worker.refresh_from_db()
    team_manager.refresh_from_db()
    return team


@pytest.fixture
def held(social_worker: User, team_manager: User, police_officer: User) -> Discussion:
    """A discussion held on Wednesday, its decisions not yet circulated, with a police
    action overdue and a disagreement open."""
    discussion = held_discussion(social_worker, team_manager, users={"police": police_officer})
    Action.objects.create(
        discussion=discussion,
        description="Police to interview the alleged perpetrator",
        owner=police_officer,
        agency_code="police",
        due_at=_at("2026-03-05T17:00"),
    )
    disagreement_raise(
        user=police_officer,
        request=discussion.request,
        discussion=discussion,
        subject="outcome",
        description="A single-agency police investigation would do.",
        now=_at("2026-03-05T10:00"),
    )
    return discussion


def test_only_social_care_managers_oversee(
    social_worker: User, police_officer: User, analyst: User
) -> None:
    for user in (social_worker, police_officer, analyst):
        with pytest.raises(Problem, match="team managers and above"):
            oversight_dashboard(user=user, now=FRIDAY)


def test_the_dashboard_shows_what_is_due_and_overdue(
    held: Discussion, head_of_service: User, social_worker: User
) -> None:
    waiting = make_request(social_worker, [make_child(social_worker, "Kai")])
    oversight = oversight_dashboard(user=head_of_service, now=FRIDAY)
    assert [row.pk for row in oversight.requests.rows] == [waiting.pk]
    assert oversight.requests.rows[0].overdue(FRIDAY) is False  # due by Monday 9 March
    assert [row.label for row in oversight.awaiting_distribution.rows] == [
        "Decisions and action points circulated"
    ]
    assert [row.label for row in oversight.overdue_clocks.rows] == [
        "Decisions and action points circulated"
    ]
    overdue = oversight.overdue_clocks.rows[0]
    assert (overdue.discussion_id, overdue.source) == (held.pk, "002_3bebd37290b13db4.txt §11.0")
    assert [row.description for row in oversight.overdue_actions.rows] == [
        "Police to interview the alleged perpetrator"
    ]
    assert oversight.overdue_actions.rows[0].agency == "Police"
    assert [(row.subject, row.stage) for row in oversight.disagreements.rows] == [
        ("The outcome of a strategy discussion", "Senior managers")
    ]


def test_a_breached_clock_stays_on_the_overdue_list(
    held: Discussion, head_of_service: User
) -> None:
    clocks_mark_breached(now=FRIDAY)
    rows = oversight_dashboard(user=head_of_service, now=FRIDAY).overdue_clocks.rows
    assert [(row.label, row.state) for row in rows] == [
        ("Decisions and action points circulated", "Overdue")
    ]


def test_requests_are_listed_by_their_deadline(social_worker: User, team_manager: User) -> None:
    later = make_request(social_worker, [make_child(social_worker, "Kai")])
    sooner = make_request(
        social_worker,
        [make_child(social_worker, "Amara")],
        identified_at=_at("2026-03-02T10:00"),
    )
    rows = oversight_dashboard(user=team_manager, now=FRIDAY).requests.rows
    assert [row.pk for row in rows] == [sooner.pk, later.pk]
    assert rows[0].overdue(FRIDAY)  # Monday 2 March + 3 working days = Thursday 5 March


def test_another_authoritys_work_is_not_shown(
    held: Discussion, other_authority_social_worker: User
) -> None:
    User.objects.filter(pk=other_authority_social_worker.pk).update(role=Role.HEAD_OF_SERVICE)
    other_authority_social_worker.refresh_from_db()
    oversight = oversight_dashboard(user=other_authority_social_worker, now=FRIDAY)
    for listing in (
        oversight.requests,
        oversight.awaiting_distribution,
        oversight.overdue_clocks,
        oversight.overdue_actions,
        oversight.disagreements,
    ):
        assert (listing.rows, listing.total) == ([], 0)


def test_lists_are_bounded_and_say_how_many_more(social_worker: User, team_manager: User) -> None:
    for name in ("Amara", "Kai", "Leo"):
        make_request(social_worker, [make_child(social_worker, name)])
    requests = oversight_dashboard(user=team_manager, now=FRIDAY, limit=2).requests
    assert (len(requests.rows), requests.total, requests.more) == (2, 3, 1)


def test_filtering_by_team(held: Discussion, team: Team, head_of_service: User) -> None:
    other_team = TeamFactory.create(agency=team.agency)
    mine = oversight_dashboard(user=head_of_service, now=FRIDAY, filters=Filters(team=team.pk))
    assert mine.overdue_clocks.total == 1  # the chair is in the team
    assert mine.overdue_actions.total == 0  # the police officer is not
    theirs = oversight_dashboard(
        user=head_of_service, now=FRIDAY, filters=Filters(team=other_team.pk)
    )
    assert (theirs.overdue_clocks.total, theirs.disagreements.total) == (0, 0)


def test_filtering_by_agency(held: Discussion, head_of_service: User, social_worker: User) -> None:
    make_request(social_worker, [make_child(social_worker, "Kai")])
    police = oversight_dashboard(user=head_of_service, now=FRIDAY, filters=Filters(agency="police"))
    assert police.requests.total == 0  # requests are social care's
    assert police.overdue_clocks.total == 0
    assert police.overdue_actions.total == 1
    assert police.disagreements.total == 1
    social_care = oversight_dashboard(
        user=head_of_service, now=FRIDAY, filters=Filters(agency="childrens_social_care")
    )
    assert (social_care.requests.total, social_care.overdue_clocks.total) == (1, 1)
    assert (social_care.overdue_actions.total, social_care.disagreements.total) == (0, 0)


def test_filtering_by_procedure(held: Discussion, head_of_service: User) -> None:
    sandwell = oversight_dashboard(
        user=head_of_service, now=FRIDAY, filters=Filters(profile="sandwell")
    )
    bristol = oversight_dashboard(
        user=head_of_service, now=FRIDAY, filters=Filters(profile="bristol")
    )
    for field in ("overdue_clocks", "overdue_actions", "disagreements"):
        assert (getattr(sandwell, field).total, getattr(bristol, field).total) == (1, 0)


def test_filtering_by_due_date(held: Discussion, head_of_service: User) -> None:
    thursday = Filters(due_from=date(2026, 3, 5), due_to=date(2026, 3, 5))
    oversight = oversight_dashboard(user=head_of_service, now=FRIDAY, filters=thursday)
    assert oversight.overdue_clocks.total == 1  # due by 11:59pm on Thursday
    assert oversight.overdue_actions.total == 1  # due by 5pm on Thursday
    wednesday = Filters(due_to=date(2026, 3, 4))
    assert (
        oversight_dashboard(
            user=head_of_service, now=FRIDAY, filters=wednesday
        ).overdue_clocks.total
        == 0
    )


def test_the_dashboard_is_a_fixed_number_of_queries(
    held: Discussion, head_of_service: User, social_worker: User
) -> None:
    for name in ("Kai", "Leo", "Ava"):
        make_request(social_worker, [make_child(social_worker, name)])
    with CaptureQueriesContext(connection) as few:
        oversight_dashboard(user=head_of_service, now=FRIDAY)
    for name in ("Mia", "Zak", "Eve"):
        make_request(social_worker, [make_child(social_worker, name)])
    with CaptureQueriesContext(connection) as more:
        oversight_dashboard(user=head_of_service, now=FRIDAY, limit=3)
    assert len(more) <= len(few) + 1  # one count, as the list is now longer than shown
    assert len(few) <= 12


def test_the_choices_are_the_authoritys_teams_and_agencies(
    team: Team, head_of_service: User
) -> None:
    choices = oversight_choices(user=head_of_service)
    assert choices.teams == [(team.pk, team.name)]
    assert ("police", "Police") in choices.agencies
    assert "sandwell" in choices.profiles


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans are PostgreSQL's")
def test_every_list_can_be_an_index_scan(held: Discussion, head_of_service: User) -> None:
    """No list needs to read another authority's rows: every read of a table that grows
    with all authorities' data is narrowed to this one's by an index (``tests/plans.py``)."""
    with CaptureQueriesContext(connection) as captured:
        oversight_dashboard(user=head_of_service, now=FRIDAY)
    reads = reads_of(captured)
    assert len(reads) >= 5
    for sql in reads:
        assert whole_table_reads(sql, forced=True) == [], sql


def test_the_overdue_actions_are_counted_by_the_actions_own_authority(
    held: Discussion, head_of_service: User
) -> None:
    """Actions copy their discussion's authority, so the overdue ones are found among one
    authority's open actions (its partial index), not among every authority's."""
    with CaptureQueriesContext(connection) as captured:
        oversight = oversight_dashboard(user=head_of_service, now=FRIDAY)
    assert oversight.overdue_actions.total == 1
    actions = [sql for sql in reads_of(captured) if 'FROM "actions_action"' in sql]
    assert actions
    for sql in actions:
        assert '"actions_action"."local_authority_id" = ' in sql
        assert '"discussions_discussion"."local_authority_id"' not in sql


# --- the page ---------------------------------------------------------------------------


def test_the_page_is_not_found_for_anyone_but_managers(client: Client, social_worker: User) -> None:
    # Like every page outside what a user may see: "not found", never "forbidden".
    client.force_login(social_worker)
    assert client.get("/oversight/").status_code == 404


def test_the_page_shows_each_list(client: Client, held: Discussion, head_of_service: User) -> None:
    client.force_login(head_of_service)
    page = client.get("/oversight/").content.decode()
    for heading in (
        "Requests waiting for a discussion",
        "Decisions, minutes and records waiting to go out",
        "Overdue clocks",
        "Overdue actions",
        "Open professional disagreements",
    ):
        assert heading in page
    assert f'href="/discussions/{held.pk}/"' in page
    assert "Police to interview the alleged perpetrator" in page


def test_the_page_filters_from_the_query_string(
    client: Client, held: Discussion, head_of_service: User
) -> None:
    client.force_login(head_of_service)
    page = client.get("/oversight/", {"agency": "education"}).content.decode()
    assert "No actions are overdue that match the filters." in page
    assert '<option value="education" selected>' in page


def test_the_page_says_what_is_wrong_with_a_date(
    client: Client, held: Discussion, head_of_service: User
) -> None:
    client.force_login(head_of_service)
    page = client.get(
        "/oversight/",
        {"due_from_day": "31", "due_from_month": "2", "due_from_year": "2026", "due_to_day": "4"},
    ).content.decode()
    assert "There is a problem" in page
    assert "The &#39;due from&#39; date must be a real date, like 27 3 2026" in page
    assert "The &#39;due to&#39; date must include a month and year" in page
    assert 'href="#due_from-day"' in page


def test_the_page_refuses_a_range_that_ends_before_it_starts(
    client: Client, held: Discussion, head_of_service: User
) -> None:
    client.force_login(head_of_service)
    dates = {"due_from_day": "6", "due_from_month": "3", "due_from_year": "2026"}
    dates |= {"due_to_day": "5", "due_to_month": "3", "due_to_year": "2026"}
    page = client.get("/oversight/", dates).content.decode()
    assert "must be the same as or after" in page
    unknown = client.get("/oversight/", {"team": "999999"}).content.decode()
    assert "Choose a team from the list" in unknown


def test_the_page_names_the_children_not_the_record_numbers(
    client: Client, held: Discussion, head_of_service: User, social_worker: User
) -> None:
    waiting = make_request(social_worker, [make_child(social_worker, "Kai")])
    client.force_login(head_of_service)
    page = client.get("/oversight/").content.decode()
    words = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert f'href="/requests/{waiting.pk}/">Kai Okafor</a>' in page
    child = held.request.children.get()
    assert f'href="/discussions/{held.pk}/">{child.full_name}</a>' in page
    assert f"For {child.full_name}" in words  # the overdue police action
    assert f"Request {waiting.pk}" not in words and f"Discussion {held.pk}" not in words
