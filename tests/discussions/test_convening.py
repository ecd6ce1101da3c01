"""Convening, invitations, quorum, attendance and starting a strategy discussion."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.http import Http404
from icalendar import Calendar

from strategise.actions.models import Action
from strategise.audit.models import AuditEvent
from strategise.discussions.models import Discussion, DiscussionStatus, Invitation
from strategise.discussions.selectors import discussion_get
from strategise.discussions.services import (
    InvitationSpec,
    discussion_convene,
    discussion_start,
    invitation_respond,
)
from strategise.links import Target, TargetKind
from strategise.organisations.models import LocalAuthority, Role, User
from strategise.oversight.work import my_work
from strategise.policy import LONDON
from strategise.problems import Problem
from strategise.requests.models import RequestStatus, StrategyRequest
from tests.discussions.support import (
    IDENTIFIED,
    NOW,
    invitations_for,
    make_child,
    make_request,
)
from tests.factories import AgencyFactory, LocalAuthorityFactory, UserFactory


def _request(user: User, children: int = 1, **changes: Any) -> StrategyRequest:
    return make_request(user, [make_child(user, f"Child{n}") for n in range(children)], **changes)


_specs = invitations_for


def _convene(user: User, request: StrategyRequest, chair: User, **changes: Any) -> Discussion:
    arguments: dict[str, Any] = {
        "user": user,
        "request": request,
        "format": "virtual",
        "scheduled_for": datetime(2026, 3, 5, 14, 0, tzinfo=LONDON),
        "chair": chair,
        "invitations": _specs(request, {}),
        "respond_url": lambda invitation: f"https://strategise.test/reply/{invitation.token}/",
        "now": NOW,
    }
    arguments.update(changes)
    return discussion_convene(**arguments)


@pytest.fixture
def service_manager(authority: LocalAuthority) -> User:
    return UserFactory.create(
        agency=authority.agencies.get(kind="childrens_social_care"), role=Role.SERVICE_MANAGER
    )


def test_convening_creates_invitations_and_marks_the_request_convened(
    social_worker: User, team_manager: User, police_officer: User
) -> None:
    request = _request(social_worker)
    discussion = _convene(
        social_worker,
        request,
        team_manager,
        invitations=_specs(request, {"police": police_officer}),
    )
    invitations = {i.agency_code: i for i in discussion.invitations.all()}
    assert set(invitations) == {"childrens_social_care", "police", "education", "health"}
    assert invitations["police"].user == police_officer
    assert invitations["police"].email == police_officer.email
    assert invitations["health"].email == "health@example.org"
    assert all(i.required for i in invitations.values())
    request.refresh_from_db()
    assert request.status == RequestStatus.CONVENED


def test_invitations_are_emailed_with_a_calendar_event_after_commit(
    social_worker: User,
    team_manager: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    request = _request(social_worker)
    with django_capture_on_commit_callbacks(execute=True):
        discussion = _convene(social_worker, request, team_manager)
    assert len(mail.outbox) == 4
    health = next(m for m in mail.outbox if m.to == ["health@example.org"])
    token = discussion.invitations.get(agency_code="health").token
    assert f"https://strategise.test/reply/{token}/" in health.body
    assert "Child0" not in health.body  # no child's name leaves the system by email
    name, content, mimetype = health.attachments[0]
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert (name, mimetype) == (
        "strategy-discussion.ics",
        "text/calendar; method=REQUEST; charset=UTF-8",
    )
    assert event.decoded("dtstart") == datetime(2026, 3, 5, 14, 0, tzinfo=LONDON)


def test_every_required_agency_must_be_invited(social_worker: User, team_manager: User) -> None:
    request = _request(social_worker)
    without_police = [s for s in _specs(request, {}) if s.agency_code != "police"]
    with pytest.raises(Problem) as caught:
        _convene(social_worker, request, team_manager, invitations=without_police)
    assert caught.value.errors == [
        (
            "invitations",
            "Invite police: the procedure requires them (Sandwell procedure §3.0)",
        )
    ]


def test_an_invitee_who_is_not_a_user_needs_an_email_address(
    social_worker: User, team_manager: User
) -> None:
    request = _request(social_worker)
    specs = [InvitationSpec(agency_code=s.agency_code, required=True) for s in _specs(request, {})]
    with pytest.raises(Problem) as caught:
        _convene(social_worker, request, team_manager, invitations=specs)
    assert caught.value.errors[0] == (
        "invitations",
        "Enter an email address for the children's social care invitee",
    )


def test_sandwell_4_0_complex_meeting_chair_below_service_manager_needs_an_exception(
    social_worker: User, team_manager: User, service_manager: User
) -> None:
    request = _request(social_worker, children=2)  # two households: complex (§4.1)
    with pytest.raises(Problem) as caught:
        _convene(social_worker, request, team_manager)
    field, message = caught.value.errors[0]
    assert field == "chair_exception"
    assert "service manager or above" in message
    assert _convene(social_worker, request, service_manager).chair == service_manager


def test_a_chair_exception_with_its_reason_is_kept(social_worker: User, team_manager: User) -> None:
    request = _request(social_worker, children=2)
    discussion = _convene(
        social_worker,
        request,
        team_manager,
        chair_exception="Chair from the Safeguarding Service",
    )
    assert discussion.chair_exception == "Chair from the Safeguarding Service"


def test_a_series_of_calls_needs_a_reason_where_a_meeting_is_required(
    social_worker: User, service_manager: User
) -> None:
    request = _request(social_worker, children=2)
    assert request.triage["meeting_required"]
    with pytest.raises(Problem) as caught:
        _convene(social_worker, request, service_manager, format="calls")
    field, message = caught.value.errors[0]
    assert field == "format_reason"
    assert "the procedure expects a meeting (Sandwell procedure §4.1" in message


def test_a_late_discussion_needs_its_rationale(social_worker: User, team_manager: User) -> None:
    request = _request(social_worker)
    assert request.hold_by is not None
    late = request.hold_by + timedelta(hours=10)
    with pytest.raises(Problem) as caught:
        _convene(social_worker, request, team_manager, scheduled_for=late)
    assert caught.value.errors == [
        (
            "delay_rationale",
            "The discussion is after its deadline: explain why the delay is justified",
        )
    ]
    discussion = _convene(
        social_worker, request, team_manager, scheduled_for=late, delay_rationale="Paediatrician"
    )
    assert discussion.delay_rationale == "Paediatrician"


def test_bristol_3_2_late_discussion_cites_the_clause(db: None) -> None:
    bristol = LocalAuthorityFactory.create(profile="bristol")
    social_care = AgencyFactory.create(local_authority=bristol, kind="childrens_social_care")
    worker = UserFactory.create(agency=social_care, role=Role.SOCIAL_WORKER)
    manager = UserFactory.create(agency=social_care, role=Role.TEAM_MANAGER)
    request = _request(worker)
    assert request.hold_by is not None
    with pytest.raises(Problem) as caught:
        _convene(worker, request, manager, scheduled_for=request.hold_by + timedelta(days=1))
    assert caught.value.errors[0][1].endswith("(Bristol guidance §3.2)")


def test_a_request_is_convened_once(social_worker: User, team_manager: User) -> None:
    request = _request(social_worker)
    _convene(social_worker, request, team_manager)
    request.refresh_from_db()
    with pytest.raises(Problem, match="already has a discussion convened"):
        _convene(social_worker, request, team_manager)


def test_convening_from_a_stale_page_is_refused(social_worker: User, team_manager: User) -> None:
    request = _request(social_worker)
    StrategyRequest.objects.filter(pk=request.pk).update(version=5)
    with pytest.raises(Problem, match="Someone else changed this request"):
        _convene(social_worker, request, team_manager)
    assert not Discussion.objects.exists()


def test_other_agencies_cannot_convene(
    social_worker: User, police_officer: User, team_manager: User
) -> None:
    request = _request(social_worker)
    with pytest.raises(Problem, match="Only this authority's children's social care"):
        _convene(police_officer, request, team_manager)


def _started(discussion: Discussion, attendance: dict[str, str]) -> dict[int, str]:
    return {i.pk: attendance.get(i.agency_code, "attended") for i in discussion.invitations.all()}


def test_a_required_agency_absent_needs_the_reason(social_worker: User, team_manager: User) -> None:
    request = _request(social_worker)
    discussion = _convene(social_worker, request, team_manager)
    attendance = _started(discussion, {"police": "apologies"})
    police = discussion.invitations.get(agency_code="police")
    with pytest.raises(Problem) as caught:
        discussion_start(
            user=team_manager,
            discussion=discussion,
            attendance=attendance,
            absence_reasons={},
            now=NOW,
        )
    assert caught.value.errors == [
        (
            f"absence-{police.pk}",
            f"{police} is a required agency: record why the discussion is going ahead without them",
        )
    ]
    discussion_start(
        user=team_manager,
        discussion=discussion,
        attendance=attendance,
        absence_reasons={police.pk: "Delay would leave the child at risk; police to send checks"},
        now=NOW,
    )
    police.refresh_from_db()
    assert police.absence_reason.startswith("Delay would leave")
    assert Discussion.objects.get(pk=discussion.pk).status == DiscussionStatus.STARTED
    assert not Action.objects.exists()  # Sandwell has no non-attendance escalation rule


def test_every_invitee_attendance_must_be_recorded(social_worker: User, team_manager: User) -> None:
    discussion = _convene(social_worker, _request(social_worker), team_manager)
    with pytest.raises(Problem) as caught:
        discussion_start(
            user=team_manager, discussion=discussion, attendance={}, absence_reasons={}, now=NOW
        )
    assert len(caught.value.errors) == 4
    assert caught.value.errors[0][1].startswith("Record whether")


def test_birmingham_5_1_non_attendance_becomes_an_action_for_the_chair(db: None) -> None:
    birmingham = LocalAuthorityFactory.create(profile="birmingham")
    social_care = AgencyFactory.create(local_authority=birmingham, kind="childrens_social_care")
    worker = UserFactory.create(agency=social_care, role=Role.SOCIAL_WORKER)
    chair = UserFactory.create(agency=social_care, role=Role.PRINCIPAL_OFFICER)
    request = _request(worker, concerns=["child_criminal_exploitation"])
    discussion = _convene(worker, request, chair, scheduled_for=NOW + timedelta(hours=2))
    reasons = {i.pk: "Could not attend at short notice" for i in discussion.invitations.all()}
    discussion_start(
        user=chair,
        discussion=discussion,
        attendance=_started(discussion, {"police": "no_response"}),
        absence_reasons=reasons,
        now=NOW,
    )
    action = Action.objects.get()  # a written report suffices only if the chair agrees:
    assert action.owner == chair  # tests/discussions/test_report_suffices.py
    assert action.source == "000_394093cbef3e5ee1.txt §5.1"
    assert action.description.startswith("Escalate the non-attendance of")
    assert "(Police)" in action.description
    created = AuditEvent.objects.get(action="create-action")
    assert (created.user, created.object_id) == (chair, str(action.pk))
    assert created.detail["source"] == "000_394093cbef3e5ee1.txt §5.1"


class _Mailer(BaseEmailBackend):
    """A mailer that keeps what it is given, apart from the default mailer's outbox."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[Any] = []

    def send_messages(self, messages: Any) -> int:
        self.sent.extend(messages)
        return len(self.sent)


def test_the_mailer_given_sends_the_invitations_and_the_escalation_email(
    db: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    birmingham = LocalAuthorityFactory.create(profile="birmingham")
    social_care = AgencyFactory.create(local_authority=birmingham, kind="childrens_social_care")
    worker = UserFactory.create(agency=social_care, role=Role.SOCIAL_WORKER)
    chair = UserFactory.create(agency=social_care, role=Role.PRINCIPAL_OFFICER)
    request = _request(worker, concerns=["child_criminal_exploitation"])
    mailer = _Mailer()
    with django_capture_on_commit_callbacks(execute=True):
        discussion = _convene(
            worker, request, chair, scheduled_for=NOW + timedelta(hours=2), mailer=mailer
        )
    invited = len(mailer.sent)
    assert invited == discussion.invitations.exclude(email="").count() > 0
    with django_capture_on_commit_callbacks(execute=True):
        discussion_start(
            user=chair,
            discussion=discussion,
            attendance=_started(discussion, {"police": "no_response"}),
            absence_reasons={i.pk: "Could not attend" for i in discussion.invitations.all()},
            now=NOW,
            mailer=mailer,
        )
    assert [message.to for message in mailer.sent[invited:]] == [[chair.email]]
    # The escalation email says there is an action and where, never the action's words.
    escalation = mailer.sent[invited].body
    assert f"Strategy discussion {discussion.pk}: you have an action to do by" in escalation
    assert "Escalate the non-attendance" not in escalation
    assert mail.outbox == []


def test_starting_runs_in_a_transaction_of_its_own(social_worker: User, team_manager: User) -> None:
    """Starting is an outermost service (durable): it may not run inside another's
    transaction, while what it calls (the escalation action, the clock) runs inside its."""
    discussion = _convene(social_worker, _request(social_worker), team_manager)
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        discussion_start(
            user=team_manager,
            discussion=discussion,
            attendance=_started(discussion, {}),
            absence_reasons={},
            now=NOW,
        )
    discussion.refresh_from_db()
    assert discussion.status == DiscussionStatus.SCHEDULED


def test_quorum_before_and_after_the_start(
    social_worker: User, team_manager: User, police_officer: User
) -> None:
    request = _request(social_worker)
    discussion = _convene(
        social_worker,
        request,
        team_manager,
        invitations=_specs(request, {"police": police_officer}),
    )
    detail = discussion_get(user=team_manager, pk=discussion.pk)
    assert not detail.quorum.quorate
    assert len(detail.quorum.missing) == 4
    for invitation in discussion.invitations.all():
        invitation_respond(invitation=invitation, response="accepted", user=None)
    assert discussion_get(user=team_manager, pk=discussion.pk).quorum.quorate


def test_an_invitee_replies_and_then_sees_the_discussion(
    social_worker: User, team_manager: User, police_officer: User, health_practitioner: User
) -> None:
    request = _request(social_worker)
    discussion = _convene(
        social_worker,
        request,
        team_manager,
        invitations=_specs(request, {"police": police_officer}),
    )
    invitation = Invitation.objects.get(user=police_officer)
    invitation_respond(
        invitation=invitation, response="declined", user=police_officer, apologies_reason="On leave"
    )
    detail = discussion_get(user=police_officer, pk=discussion.pk)
    assert detail.my_invitation is not None and detail.my_invitation.response == "declined"
    with pytest.raises(Http404):
        discussion_get(user=health_practitioner, pk=discussion.pk)  # not invited as a user
    with pytest.raises(Problem, match="Choose whether you will attend"):
        invitation_respond(invitation=invitation, response="maybe", user=police_officer)


def test_my_work_lists_overdue_first(social_worker: User, team_manager: User) -> None:
    overdue = _request(social_worker, identified_at=IDENTIFIED - timedelta(days=20))
    later = _request(social_worker)
    convened = _request(social_worker)
    _convene(social_worker, convened, team_manager)
    items = my_work(user=social_worker, now=NOW)
    assert [(item.kind, item.target) for item in items] == [
        ("convene", Target(TargetKind.REQUEST, overdue.pk)),
        ("convene", Target(TargetKind.REQUEST, later.pk)),
    ]
    assert items[0].overdue(NOW) and not items[1].overdue(NOW)
    chair_items = my_work(user=team_manager, now=NOW)
    assert ("discussion", "You chair it") in {(i.kind, i.part) for i in chair_items}


def test_an_agency_mailbox_stands_in_for_a_named_invitee(
    social_worker: User, team_manager: User, authority: LocalAuthority
) -> None:
    request = _request(social_worker)
    health = authority.agencies.get(kind="health")
    health.email = "safeguarding@health.example.org"
    health.save()
    specs = [
        InvitationSpec(agency_code=s.agency_code, required=True, agency=health, email="")
        if s.agency_code == "health"
        else s
        for s in _specs(request, {})
    ]
    discussion = _convene(social_worker, request, team_manager, invitations=specs)
    assert (
        discussion.invitations.get(agency_code="health").email == "safeguarding@health.example.org"
    )


def test_replies_close_when_the_discussion_starts(social_worker: User, team_manager: User) -> None:
    discussion = _convene(social_worker, _request(social_worker), team_manager)
    attendance = {i.pk: "attended" for i in discussion.invitations.all()}
    discussion_start(
        user=team_manager, discussion=discussion, attendance=attendance, absence_reasons={}, now=NOW
    )
    invitation = discussion.invitations.first()
    assert invitation is not None
    invitation.refresh_from_db()
    with pytest.raises(Problem, match="already started"):
        invitation_respond(invitation=invitation, response="accepted", user=None)


def test_opening_a_private_reply_link_is_audited(social_worker: User, team_manager: User) -> None:
    from strategise.audit.models import AuditEvent
    from strategise.discussions.selectors import invitation_by_token

    discussion = _convene(social_worker, _request(social_worker), team_manager)
    invitation = discussion.invitations.first()
    assert invitation is not None
    assert invitation_by_token(invitation.token) == invitation
    event = AuditEvent.objects.get(action="view-by-link")
    assert (event.user_id, event.object_id) == (None, str(invitation.pk))
