"""Convening a strategy discussion: format, time, chair, minute-taker and invitations."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from strategise.cases.models import Child
from strategise.discussions.models import Discussion
from strategise.organisations.models import LocalAuthority, Role, User
from strategise.policy.citations import cite
from strategise.requests.models import RequestStatus, StrategyRequest
from tests.factories import ChildFactory, StrategyRequestFactory, UserFactory
from tests.web.pages import broken_error_links, choices, error_summary, page, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher(authority: LocalAuthority) -> User:
    return UserFactory.create(
        agency=authority.agencies.get(kind="education"),
        role=Role.EDUCATION,
        first_name="Amir",
        last_name="Khan",
    )


@pytest.fixture
def people(
    social_worker: User, police_officer: User, health_practitioner: User, teacher: User
) -> dict[str, User]:
    """Someone who uses Strategise for each agency Sandwell's procedure requires."""
    return {
        "childrens_social_care": social_worker,
        "police": police_officer,
        "health": health_practitioner,
        "education": teacher,
    }


def _rows(strategy_request: StrategyRequest) -> list[dict[str, Any]]:
    attendees = strategy_request.triage["attendees"]
    return attendees["required"] + attendees["recommended"]


def _when(moment: Any, prefix: str = "scheduled") -> dict[str, str]:
    local = timezone.localtime(moment)
    return {
        f"{prefix}_date_day": str(local.day),
        f"{prefix}_date_month": str(local.month),
        f"{prefix}_date_year": str(local.year),
        f"{prefix}_time": f"{local:%H:%M}",
    }


def _convening(
    strategy_request: StrategyRequest, chair: User, people: dict[str, User], **changes: Any
) -> dict[str, Any]:
    """A complete convening form: a virtual meeting in an hour, everyone required invited."""
    rows = _rows(strategy_request)
    data: dict[str, Any] = {
        "format": "virtual",
        **_when(timezone.now() + timedelta(hours=1)),
        "location": "Video call",
        "chair": str(chair.pk),
        "invitations-TOTAL_FORMS": str(len(rows) + 3),
        "invitations-INITIAL_FORMS": str(len(rows) + 3),
    }
    for index, attendee in enumerate(rows):
        if attendee["code"] in people:
            data[f"invitations-{index}-user"] = str(people[attendee["code"]].pk)
    data.update(changes)
    return data


def _index(strategy_request: StrategyRequest, code: str) -> int:
    return [row["code"] for row in _rows(strategy_request)].index(code)


def test_the_form_lists_the_triage_attendees_with_why_and_where_from(
    client: Client, social_worker: User, strategy_request: StrategyRequest
) -> None:
    html = page(client, f"/requests/{strategy_request.pk}/convene/", social_worker)
    words = text(html)
    for attendee in strategy_request.triage["attendees"]["required"]:
        assert f"Required {attendee['reason']} Source: {cite(attendee['source'])}" in words
    recommended = strategy_request.triage["attendees"]["recommended"]
    assert recommended
    for offset, attendee in enumerate(recommended):
        index = len(strategy_request.triage["attendees"]["required"]) + offset
        assert f"Recommended {attendee['reason']} Source: {cite(attendee['source'])}" in words
        # Recommended, not required: unticked, so it never blocks the form until filled.
        assert choices(html, f"invitations-{index}-include") == {"on": False}
    # Required rows cannot be unticked: they have no "Invite" box.
    assert choices(html, "invitations-0-include") == {}
    assert 'name="invitations-TOTAL_FORMS"' in html


def test_the_chair_list_marks_who_the_triage_allows(
    client: Client, social_worker: User, team_manager: User, strategy_request: StrategyRequest
) -> None:
    html = text(page(client, f"/requests/{strategy_request.pk}/convene/", social_worker))
    assert f"{team_manager}, Team manager – may chair" in html
    assert f"{social_worker}, Social worker – below the grade to chair" in html
    assert "The procedure asks for a team manager or above (Sandwell procedure §4.0)" in html


def test_each_agency_offers_only_its_own_people(
    client: Client,
    social_worker: User,
    police_officer: User,
    health_practitioner: User,
    strategy_request: StrategyRequest,
) -> None:
    html = page(client, f"/requests/{strategy_request.pk}/convene/", social_worker)
    police_row = _index(strategy_request, "police")
    select = html.split(f'name="invitations-{police_row}-user"')[1].split("</select>")[0]
    assert f'value="{police_officer.pk}"' in select
    assert f'value="{health_practitioner.pk}"' not in select


def test_convening_with_nothing_names_each_problem(
    client: Client, social_worker: User, police_officer: User, strategy_request: StrategyRequest
) -> None:
    client.force_login(social_worker)
    rows = len(_rows(strategy_request)) + 3
    html = client.post(
        f"/requests/{strategy_request.pk}/convene/",
        {"invitations-TOTAL_FORMS": str(rows), "invitations-INITIAL_FORMS": str(rows)},
    ).content.decode()
    summary = error_summary(html)
    assert summary[:4] == [
        ("Select how the discussion will be held", "format"),
        ("Enter the date of the discussion", "scheduled_date-day"),
        ("Enter the time of the discussion", "scheduled_time"),
        ("Select who will chair the discussion", "chair"),
    ]
    assert (
        "Choose who will attend for police, or enter their name and email address",
        f"invitations-{_index(strategy_request, 'police')}-user",
    ) in summary
    assert broken_error_links(html) == []
    assert not Discussion.objects.exists()


def test_a_recommended_invitee_left_ticked_needs_someone_or_unticking(
    client: Client,
    social_worker: User,
    team_manager: User,
    strategy_request: StrategyRequest,
    people: dict[str, User],
) -> None:
    recommended = strategy_request.triage["attendees"]["recommended"][0]
    index = _index(strategy_request, recommended["code"])
    client.force_login(social_worker)
    html = client.post(
        f"/requests/{strategy_request.pk}/convene/",
        _convening(
            strategy_request, team_manager, people, **{f"invitations-{index}-include": "on"}
        ),
    ).content.decode()
    [(message, target)] = error_summary(html)
    assert message.endswith("or enter their name and email address, or untick ‘Invite’")
    assert target in {f"invitations-{index}-user", f"invitations-{index}-name"}
    assert broken_error_links(html) == []


def test_a_badly_written_email_address_is_named(
    client: Client,
    social_worker: User,
    team_manager: User,
    strategy_request: StrategyRequest,
    people: dict[str, User],
) -> None:
    education = _index(strategy_request, "education")
    client.force_login(social_worker)
    html = client.post(
        f"/requests/{strategy_request.pk}/convene/",
        _convening(
            strategy_request,
            team_manager,
            people,
            **{
                f"invitations-{education}-user": "",
                f"invitations-{education}-name": "Amir Khan",
                f"invitations-{education}-email": "amir at school",
            },
        ),
    ).content.decode()
    assert error_summary(html) == [
        (
            "Enter an email address in the correct format, like name@example.org",
            f"invitations-{education}-email",
        )
    ]


def test_a_chair_below_the_grade_needs_the_exception_explained(
    client: Client,
    social_worker: User,
    strategy_request: StrategyRequest,
    people: dict[str, User],
) -> None:
    client.force_login(social_worker)
    html = client.post(
        f"/requests/{strategy_request.pk}/convene/",
        _convening(strategy_request, social_worker, people),
    ).content.decode()
    [(message, target)] = error_summary(html)
    assert target == "chair_exception"
    assert message.startswith(f"{social_worker} is below the grade who may chair")
    assert "Sandwell procedure §4.0" in message
    assert broken_error_links(html) == []
    response = client.post(
        f"/requests/{strategy_request.pk}/convene/",
        _convening(
            strategy_request,
            social_worker,
            people,
            chair_exception="The team manager is off sick; agreed with the service manager.",
        ),
    )
    assert response.status_code == 302
    assert Discussion.objects.get().chair_exception.startswith("The team manager is off sick")


def test_phone_calls_need_a_reason_where_the_procedure_requires_a_meeting(
    client: Client,
    social_worker: User,
    authority: LocalAuthority,
    people: dict[str, User],
) -> None:
    service_manager = UserFactory.create(
        agency=authority.agencies.get(kind="childrens_social_care"), role=Role.SERVICE_MANAGER
    )
    children = [ChildFactory.create(local_authority=authority) for _ in range(2)]
    complex_request = StrategyRequestFactory.create(
        local_authority=authority, raised_by=social_worker, children=children
    )
    assert complex_request.triage["meeting_required"]
    client.force_login(social_worker)
    html = client.post(
        f"/requests/{complex_request.pk}/convene/",
        _convening(complex_request, service_manager, people, format="calls"),
    ).content.decode()
    [(message, target)] = error_summary(html)
    assert target == "format_reason"
    assert message.startswith("Explain why a series of calls will do")
    assert "Sandwell procedure §4.1" in message


def test_a_discussion_after_its_deadline_needs_the_delay_justified(
    client: Client,
    social_worker: User,
    team_manager: User,
    strategy_request: StrategyRequest,
    people: dict[str, User],
) -> None:
    assert strategy_request.hold_by is not None
    late = _when(strategy_request.hold_by + timedelta(days=1))
    client.force_login(social_worker)
    html = client.post(
        f"/requests/{strategy_request.pk}/convene/",
        _convening(strategy_request, team_manager, people, **late),
    ).content.decode()
    assert [target for _, target in error_summary(html)] == ["delay_rationale"]


def test_a_required_agency_can_be_invited_by_name_and_email(
    client: Client,
    social_worker: User,
    team_manager: User,
    strategy_request: StrategyRequest,
    people: dict[str, User],
    authority: LocalAuthority,
) -> None:
    education = _index(strategy_request, "education")
    school = authority.agencies.get(kind="education")
    client.force_login(social_worker)
    client.post(
        f"/requests/{strategy_request.pk}/convene/",
        _convening(
            strategy_request,
            team_manager,
            people,
            **{
                f"invitations-{education}-user": "",
                f"invitations-{education}-name": "Sara Khan",
                f"invitations-{education}-email": "dsl@oak.example.org",
                f"invitations-{education}-agency": str(school.pk),
            },
        ),
    )
    invitation = Discussion.objects.get().invitations.get(agency_code="education")
    assert (invitation.user, invitation.name, invitation.email) == (
        None,
        "Sara Khan",
        "dsl@oak.example.org",
    )
    assert invitation.agency == school
    assert invitation.required


def test_another_invitee_needs_their_agency(
    client: Client,
    social_worker: User,
    team_manager: User,
    strategy_request: StrategyRequest,
    people: dict[str, User],
) -> None:
    extra = len(_rows(strategy_request))
    client.force_login(social_worker)
    data = _convening(
        strategy_request,
        team_manager,
        people,
        **{
            f"invitations-{extra}-name": "Kim Lee",
            f"invitations-{extra}-email": "kim.lee@housing.example.org",
        },
    )
    html = client.post(f"/requests/{strategy_request.pk}/convene/", data).content.decode()
    assert error_summary(html) == [
        ("Select the agency of the other invitee", f"invitations-{extra}-agency_code")
    ]
    data[f"invitations-{extra}-agency_code"] = "housing"
    assert client.post(f"/requests/{strategy_request.pk}/convene/", data).status_code == 302
    invitation = Discussion.objects.get().invitations.get(agency_code="housing")
    assert (invitation.name, invitation.required, invitation.reason) == ("Kim Lee", False, "")


def test_convening_invites_by_email_with_a_calendar_entry_and_a_private_link(
    client: Client,
    social_worker: User,
    team_manager: User,
    strategy_request: StrategyRequest,
    people: dict[str, User],
    child: Child,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(social_worker)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/requests/{strategy_request.pk}/convene/",
            _convening(strategy_request, team_manager, people, minute_taker=str(social_worker.pk)),
        )
    discussion = Discussion.objects.get()
    assert response["Location"] == f"/discussions/{discussion.pk}/"
    assert discussion.chair == team_manager
    assert discussion.minute_taker == social_worker
    assert discussion.location == "Video call"
    strategy_request.refresh_from_db()
    assert strategy_request.status == RequestStatus.CONVENED
    invitations = {i.agency_code: i for i in discussion.invitations.all()}
    assert set(invitations) == {"childrens_social_care", "police", "health", "education"}
    police = invitations["police"]
    assert police.required
    assert police.source == "002_3bebd37290b13db4.txt §3.0"
    assert len(mail.outbox) == 4
    email = next(m for m in mail.outbox if m.to == [people["police"].email])
    assert f"http://testserver/invitations/{police.token}/" in str(email.body)
    assert child.first_name not in str(email.body)
    assert email.attachments[0][0] == "strategy-discussion.ics"
    html = text(page(client, response["Location"]))
    assert "Strategy discussion convened and invitations sent" in html


def test_a_request_already_convened_cannot_be_convened_again(
    client: Client,
    social_worker: User,
    team_manager: User,
    discussion: Discussion,
    people: dict[str, User],
) -> None:
    client.force_login(social_worker)
    html = client.post(
        f"/requests/{discussion.request_id}/convene/",
        _convening(discussion.request, team_manager, people),
    ).content.decode()
    assert error_summary(html) == []
    assert "This request already has a discussion convened" in text(html)
    assert Discussion.objects.count() == 1


def test_more_rows_posted_than_the_page_showed_are_ignored(
    client: Client,
    social_worker: User,
    team_manager: User,
    strategy_request: StrategyRequest,
    people: dict[str, User],
) -> None:
    client.force_login(social_worker)
    data = _convening(strategy_request, team_manager, people)
    data["invitations-TOTAL_FORMS"] = "500"
    data["invitations-INITIAL_FORMS"] = "500"
    data["invitations-50-name"] = "Not on the page"
    data["invitations-50-email"] = "x@example.org"
    assert client.post(f"/requests/{strategy_request.pk}/convene/", data).status_code == 302
    assert not Discussion.objects.get().invitations.filter(name="Not on the page").exists()


def test_a_discussion_already_held_is_recorded_without_invitations(
    client: Client,
    social_worker: User,
    team_manager: User,
    people: dict[str, User],
    strategy_request: StrategyRequest,
) -> None:
    client.force_login(social_worker)
    path = f"/requests/{strategy_request.pk}/convene/"
    earlier = timezone.now() - timedelta(minutes=30)
    html = client.post(
        path, _convening(strategy_request, team_manager, people, **_when(earlier))
    ).content.decode()
    assert error_summary(html)[0] == (
        "The discussion must be held in the future: to record one already held, choose "
        "‘Record a discussion already held’",
        "scheduled_date-day",
    )
    response = client.post(
        path,
        _convening(strategy_request, team_manager, people, already_held="yes", **_when(earlier)),
    )
    discussion = Discussion.objects.get(request=strategy_request)
    assert response["Location"] == f"/discussions/{discussion.pk}/"
    assert discussion.recorded_afterwards
    assert mail.outbox == []
    words = text(page(client, response["Location"]))
    assert "Strategy discussion recorded: record who was there" in words
    assert "Recorded after it was held: no invitations were sent" in words


def test_what_the_procedure_asks_is_reported_with_the_forms_own_errors(
    client: Client,
    social_worker: User,
    people: dict[str, User],
    strategy_request: StrategyRequest,
) -> None:
    """A time left out (the form's error) and a chair below the grade with no exception
    (the procedure's) are reported in one round, not one after the other."""
    client.force_login(social_worker)
    data = _convening(strategy_request, social_worker, people, scheduled_time="")
    html = client.post(f"/requests/{strategy_request.pk}/convene/", data).content.decode()
    assert [target for _, target in error_summary(html)] == ["scheduled_time", "chair_exception"]
    assert broken_error_links(html) == []
    assert not Discussion.objects.exists()


@pytest.fixture
def household_request(
    authority: LocalAuthority, social_worker: User, child: Child
) -> StrategyRequest:
    """A request where an adult in the household is experiencing domestic abuse."""
    return StrategyRequestFactory.create(
        local_authority=authority,
        raised_by=social_worker,
        children=[child],
        flags=["parental_domestic_abuse"],
    )


def test_an_agency_the_household_needs_may_be_marked_not_involved_with_the_reason(
    client: Client,
    social_worker: User,
    team_manager: User,
    household_request: StrategyRequest,
    people: dict[str, User],
) -> None:
    """Sandwell §4.2: the domestic abuse service is required because of the household; the
    convenor may record it as not involved, with the reason, kept on the discussion."""
    index = _index(household_request, "domestic_abuse_service")
    client.force_login(social_worker)
    path = f"/requests/{household_request.pk}/convene/"
    html = client.post(
        path,
        _convening(
            household_request, team_manager, people, **{f"invitations-{index}-not_involved": "on"}
        ),
    ).content.decode()
    assert error_summary(html) == [
        (
            "Enter why domestic abuse service is not involved, or untick ‘Not involved’",
            f"invitations-{index}-not_involved_reason",
        )
    ]
    client.post(
        path,
        _convening(
            household_request,
            team_manager,
            people,
            **{
                f"invitations-{index}-not_involved": "on",
                f"invitations-{index}-not_involved_reason": "The mother has no service involved",
            },
        ),
    )
    discussion = Discussion.objects.get()
    assert [(i["code"], i["reason"]) for i in discussion.not_involved] == [
        ("domestic_abuse_service", "The mother has no service involved")
    ]
    assert not discussion.invitations.filter(agency_code="domestic_abuse_service").exists()


def test_police_cannot_be_marked_not_involved(
    client: Client,
    social_worker: User,
    team_manager: User,
    household_request: StrategyRequest,
    people: dict[str, User],
) -> None:
    police = _index(household_request, "police")
    client.force_login(social_worker)
    html = client.get(f"/requests/{household_request.pk}/convene/").content.decode()
    assert f'name="invitations-{police}-not_involved"' not in html
    domestic = _index(household_request, "domestic_abuse_service")
    assert f'name="invitations-{domestic}-not_involved"' in html


def test_another_invitee_is_chosen_from_people_who_can_take_part_in_the_chosen_agency(
    client: Client,
    social_worker: User,
    team_manager: User,
    strategy_request: StrategyRequest,
    people: dict[str, User],
    analyst: User,
    teacher: User,
) -> None:
    other = len(_rows(strategy_request))
    client.force_login(social_worker)
    path = f"/requests/{strategy_request.pk}/convene/"
    offered = _options(page(client, path), f"invitations-{other}-user")
    assert str(teacher.pk) in offered
    assert str(analyst.pk) not in offered
    html = client.post(
        path,
        _convening(
            strategy_request,
            team_manager,
            people,
            **{
                f"invitations-{other}-agency_code": "police",
                f"invitations-{other}-user": str(teacher.pk),
            },
        ),
    ).content.decode()
    assert (
        f"Amir Khan is in {teacher.agency}, not police: choose someone from the agency you "
        "selected",
        f"invitations-{other}-user",
    ) in error_summary(html)
    # Marked with their agency, so the page's script offers only the chosen agency's.
    assert offered[str(teacher.pk)] == "education"


def _options(html: str, name: str) -> dict[str, str]:
    """Each option of the select called ``name``: its value and its ``data-kind``."""
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None
    found = {}
    for tag in re.findall(r"<option\b[^>]*>", select.group(1)):
        value = re.search(r'value="([^"]*)"', tag)
        kind = re.search(r'data-kind="([^"]*)"', tag)
        found[value.group(1) if value else ""] = kind.group(1) if kind else ""
    return found
