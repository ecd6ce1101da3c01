"""``manage.py demo``: an authority per procedure, a sign-in for every role, and today's
cases in every state, loaded through the services, and only once. (The year of work before
today: ``test_demo_year.py``.)"""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Model
from django.test import Client, RequestFactory
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.fixtures import Settings

from strategise.access import visible_discussions, visible_requests
from strategise.actions.models import Action
from strategise.audit.models import AuditEvent
from strategise.audit.verification import audit_verify
from strategise.cases.models import Child, Household
from strategise.demo.people import AUTHORITIES, DEMO_PASSWORD, LEADS, ROLES
from strategise.demo.second_factor import DEMO_TOTP_KEY
from strategise.discussions.models import Discussion, DiscussionStatus, Invitation
from strategise.integrations.models import WebhookDelivery, WebhookEndpoint
from strategise.minutes.models import Minutes
from strategise.notifications.models import Notification
from strategise.organisations.models import Agency, LocalAuthority, Role, Team, User
from strategise.organisations.selectors import line_managers
from strategise.policy import triage
from strategise.requests.models import RequestStatus, StrategyRequest
from tests.demo.conftest import Loaded

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[2] / "docs" / "demo.md"
MODELS: list[type[Model]] = [
    LocalAuthority,
    Agency,
    Team,
    User,
    Household,
    Child,
    StrategyRequest,
    Discussion,
    Invitation,
    Action,
    AuditEvent,
]


def _demo() -> str:
    out = StringIO()
    call_command("demo", "--allow-without-debug", stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in MODELS}


@pytest.fixture
def demo(loaded: Loaded, db: None) -> str:
    """The demo, loaded once for the package (``conftest.py``); the command's output."""
    return loaded.output


def test_loads_an_authority_for_each_procedure(demo: str) -> None:
    assert set(LocalAuthority.objects.values_list("name", "profile")) == {
        ("Demo Borough (national baseline)", "national"),
        ("Demo Birmingham", "birmingham"),
        ("Demo Bristol", "bristol"),
        ("Demo Sandwell", "sandwell"),
        ("Demo Gloucestershire", "gloucestershire"),
        ("Demo PCC", "pcc"),
    }
    people = len(AUTHORITIES) * (len(ROLES) + len(LEADS))
    assert f"Loaded demo data: 6 local authorities, {people} people" in demo


def test_every_authority_has_someone_in_every_role(demo: str) -> None:
    for authority in LocalAuthority.objects.all():
        people = User.objects.filter(agency__local_authority=authority)
        # One of each role, and the partner agencies' people up the escalation route.
        expected = sorted([*Role.values, *(lead.role for lead in LEADS)])
        assert sorted(people.values_list("role", flat=True)) == expected, authority.name


def test_every_agency_a_disagreement_escalates_to_names_its_senior_manager_and_lead(
    demo: str,
) -> None:
    for agency in Agency.objects.filter(kind__in=["childrens_social_care", "police", "health"]):
        assert agency.senior_manager is not None, agency
        assert agency.strategy_lead is not None, agency
        for person in (agency.senior_manager, agency.strategy_lead):
            assert person.agency == agency
    police = User.objects.get(username="police.sandwell")
    assert line_managers(police) == [User.objects.get(username="police-ds.sandwell")]
    # The chair (the team manager) has a line manager too: the deputy service manager.
    chair = User.objects.get(username="tm.sandwell")
    assert line_managers(chair) == [User.objects.get(username="dsm.sandwell")]


def test_each_team_is_managed_by_its_team_manager_who_hears_of_overdue_work(
    demo: str,
) -> None:
    for team in Team.objects.filter(agency__kind="childrens_social_care"):
        assert team.manager is not None, team
        assert team.manager.role == Role.TEAM_MANAGER
        assert team.manager.team == team
        assert team.manager.agency == team.agency
    social_worker = User.objects.get(username="sw.sandwell")
    assert line_managers(social_worker) == [User.objects.get(username="tm.sandwell")]


def test_demo_users_sign_in_with_the_published_password(demo: str) -> None:
    # The lockout (django-axes) needs the request a sign-in comes with.
    request = RequestFactory().post("/sign-in/")
    assert authenticate(
        request, username="tm.sandwell", password=DEMO_PASSWORD
    ) == User.objects.get(username="tm.sandwell")
    assert authenticate(request, username="tm.sandwell", password="wrong password") is None


def test_demo_users_have_the_published_authenticator_app_already_set_up(
    demo: str, client: Client
) -> None:
    devices = TOTPDevice.objects.filter(user__username__endswith=".sandwell")
    assert devices.count() == len(ROLES) + len(LEADS)
    assert {(d.confirmed, d.key) for d in devices} == {(True, DEMO_TOTP_KEY)}
    # The code the command prints signs any of them in.
    out = StringIO()
    call_command("demo_code", "--quiet", stdout=out)
    client.post("/sign-in/", {"username": "police.pcc", "password": DEMO_PASSWORD})
    response = client.post("/sign-in/second-factor/", {"code": out.getvalue().strip()})
    assert response["Location"] == "/my-work/"


def test_people_sit_in_the_agency_their_role_belongs_to(demo: str) -> None:
    police = User.objects.get(username="police.bristol")
    assert (police.role, police.agency and police.agency.kind) == (Role.POLICE, "police")
    social_worker = User.objects.get(username="sw.bristol")
    assert social_worker.agency and social_worker.agency.kind == "childrens_social_care"
    assert social_worker.team is not None


def test_only_administrators_may_use_the_admin_site_and_nobody_is_superuser(demo: str) -> None:
    staff = User.objects.filter(is_staff=True)
    assert set(staff.values_list("role", flat=True)) == {Role.ADMINISTRATOR}
    assert staff.count() == 6
    assert not User.objects.filter(is_superuser=True).exists()


def test_each_authority_has_todays_requests_in_every_state(demo: str) -> None:
    for authority in LocalAuthority.objects.all():
        requests = StrategyRequest.objects.filter(local_authority=authority)
        awaiting = requests.filter(status=RequestStatus.AWAITING_CONVENING)
        assert awaiting.count() == 2, authority.name
        statuses = Discussion.objects.filter(
            local_authority=authority,
            status__in=[DiscussionStatus.SCHEDULED, DiscussionStatus.STARTED],
        ).values_list("status", flat=True)
        assert sorted(statuses) == [DiscussionStatus.SCHEDULED, DiscussionStatus.STARTED]


def test_a_request_is_overdue_wherever_the_procedure_sets_a_deadline(demo: str) -> None:
    overdue = StrategyRequest.objects.filter(
        status=RequestStatus.AWAITING_CONVENING, hold_by__lt=timezone.now()
    )
    # The national baseline and PCC set no timescale, so nothing there can be overdue.
    assert sorted(overdue.values_list("local_authority__profile", flat=True)) == [
        "birmingham",
        "bristol",
        "gloucestershire",
        "sandwell",
    ]


def test_the_children_include_siblings_an_unborn_baby_and_a_looked_after_teenager(
    demo: str,
) -> None:
    children = Child.objects.filter(local_authority__slug="demo-sandwell")
    lily, mason = children.get(first_name="Lily"), children.get(first_name="Mason")
    assert lily.household_id == mason.household_id is not None
    unborn = children.get(unborn=True)
    assert unborn.date_of_birth is None and unborn.expected_date is not None
    assert children.get(looked_after=True).first_name == "Demi"


def test_every_stored_triage_is_the_policy_engines_answer_to_its_facts(demo: str) -> None:
    for request in StrategyRequest.objects.all():
        assert request.triage == triage(request.facts).to_dict(), request.pk


def test_a_convened_discussion_invites_every_required_agency_and_someone_by_email(
    demo: str,
) -> None:
    for discussion in Discussion.objects.filter(status=DiscussionStatus.SCHEDULED):
        invited = set(discussion.invitations.values_list("agency_code", flat=True))
        required = {a["code"] for a in discussion.request.triage["attendees"]["required"]}
        assert required <= invited, discussion.local_authority.name
        by_email = discussion.invitations.get(user=None, agency_code="carer")
        assert by_email.email.endswith("@example.org")


def test_a_started_discussion_records_everyones_attendance(demo: str) -> None:
    for discussion in Discussion.objects.filter(status=DiscussionStatus.STARTED):
        assert discussion.started_at is not None
        assert not discussion.invitations.filter(attendance="").exists()
    # Birmingham §5.1: the chair escalates a required agency's absence, today's too.
    escalations = Action.objects.filter(
        discussion__status=DiscussionStatus.STARTED, source__endswith="§5.1"
    )
    assert [a.discussion.local_authority.profile for a in escalations] == ["birmingham"]


def test_people_see_what_the_demo_guide_says(demo: str) -> None:
    def user(username: str) -> User:
        return User.objects.get(username=username)

    sandwell = StrategyRequest.objects.filter(local_authority__slug="demo-sandwell")
    assert visible_requests(user("sw.sandwell")).count() == sandwell.count() == 24
    # Police see only what they were invited to: today's two, and the year's discussions.
    police = user("police.sandwell")
    invited = Discussion.objects.filter(invitations__user=police).distinct()
    assert visible_discussions(police).count() == invited.count() > 2
    assert visible_requests(police).count() < sandwell.count()
    assert visible_requests(user("housing.sandwell")).count() == 0
    assert visible_requests(user("housing.bristol")).count() > 0
    assert visible_requests(user("analyst.sandwell")).count() == 0
    assert visible_requests(user("admin.sandwell")).count() == 0


def test_loading_leaves_the_audit_chain_intact(demo: str) -> None:
    report = audit_verify()
    assert report.intact
    assert report.checked == AuditEvent.objects.count() > 0
    children = AuditEvent.objects.filter(action="create", object_type="cases.Child")
    assert children.count() == Child.objects.count() > 30


def test_a_second_run_changes_nothing(demo: str) -> None:
    before = _counts()
    assert "already loaded: nothing changed" in _demo()
    assert _counts() == before


def test_without_debug_it_refuses_and_changes_nothing(demo: str) -> None:
    before = _counts()
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        call_command("demo", stdout=StringIO())
    assert _counts() == before


def test_without_debug_it_refuses_to_load_into_an_empty_database(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "strategise.demo.loader.demo_load",
        lambda **kwargs: pytest.fail("the demo loaded without debug"),
    )
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        call_command("demo", stdout=StringIO())


def test_with_debug_it_needs_no_flag(demo: str, settings: Settings) -> None:
    settings.DEBUG = True
    out = StringIO()
    call_command("demo", stdout=out)
    assert "already loaded" in out.getvalue()


def test_no_email_is_sent_to_the_made_up_invitees_and_people(loaded: Loaded, db: None) -> None:
    assert Invitation.objects.exclude(email="").exists()
    # Notifications were made, and their emails went (through the demo's mailer) nowhere.
    assert Notification.objects.exists()
    assert loaded.emails == []


def test_no_webhook_is_sent_anywhere(loaded: Loaded, db: None) -> None:
    # Requests raised, discussions concluded, minutes approved and clocks breached, but no
    # authority has an endpoint: no delivery was written, no event audited.
    assert StrategyRequest.objects.exists() and Minutes.objects.exists()
    assert not WebhookEndpoint.objects.exists()
    assert not WebhookDelivery.objects.exists()
    assert not AuditEvent.objects.filter(action="webhook-emit").exists()


def test_the_demo_guide_lists_every_sign_in_and_the_password() -> None:
    guide = DOCS.read_text(encoding="utf-8")
    assert DEMO_PASSWORD in guide
    for prefix in [role.prefix for role in ROLES] + [lead.prefix for lead in LEADS]:
        assert f"`{prefix}.<authority>`" in guide, prefix
    for authority in AUTHORITIES:
        assert f"| {authority.name} | `{authority.profile}` |" in guide, authority.name
