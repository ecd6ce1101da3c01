"""Who may open what: every route of the site, against each kind of user.

A record outside a user's scope is "not found" (404), never "forbidden" (403), so its
existence is not revealed; a visitor who has not signed in is sent to sign in; analysts
and administrators see no case records. ``test_every_route_has_a_row`` walks the URLconf
so that a new page cannot be added without its row in the matrix
(``tests/web/access_matrix.py``, which the production smoke test holds the demo to).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from strategise.actions.services import action_create
from strategise.cases.models import Adult, Child, ChildAdultLink, SiblingLink
from strategise.clocks.models import Clock, ClockState
from strategise.disagreements.models import Disagreement
from strategise.disagreements.services import disagreement_raise
from strategise.discussions.concluding import discussion_conclude
from strategise.discussions.models import Discussion, WrittenReport
from strategise.links import Target, TargetKind
from strategise.minutes.services import minutes_draft, recipients_build
from strategise.network.models import PatternAlert
from strategise.notifications.models import Kind, Notification
from strategise.notifications.services import notify
from strategise.organisations.models import Role, User
from tests.factories import (
    AdultFactory,
    ChildFactory,
    InvitationFactory,
    StrategyRequestFactory,
    TeamFactory,
    UserFactory,
)
from tests.web.access_matrix import (
    ACCOUNTS_MATRIX,
    ALL_MATRICES,
    DISPUTE_MATRIX,
    GONE,
    MATRIX,
    OK,
    POST_MATRIX,
    POST_ONLY,
    PUBLIC,
    RECORDING_MATRIX,
    ROLES,
    SERVICE_MATRIX,
    relation,
    route_of,
    routes,
)
from tests.web.recording.support import LATER, approved_minutes, complete, held, started

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Case:
    """A child, their request and its discussion (``police_invited`` invited), and a
    notification of ``police_invited``'s."""

    child: Child
    discussion: Discussion
    notification: Notification
    users: dict[str, User]
    adult: Adult | None = None
    sibling: Child | None = None
    alert: PatternAlert | None = None

    def path(self, template: str) -> str:
        return template.format(
            alert=self.alert.pk if self.alert else 0,
            child=self.child.pk,
            adult=self.adult.pk if self.adult else 0,
            sibling=self.sibling.pk if self.sibling else 0,
            household=self.child.household_id,
            request=self.discussion.request_id,
            discussion=self.discussion.pk,
            token=self.discussion.invitations.get().token,
            notification=self.notification.pk,
        )


@pytest.fixture
def case(
    child: Child,
    discussion: Discussion,
    social_worker: User,
    team_manager: User,
    other_authority_social_worker: User,
    police_officer: User,
    other_police_officer: User,
    analyst: User,
    administrator: User,
) -> Case:
    notification = notify(
        user=police_officer,
        kind=Kind.REMINDER,
        text=f"Strategy discussion {discussion.pk} is tomorrow.",
        target=Target(TargetKind.DISCUSSION, discussion.pk),
        dedupe_key="test:access",
        now=timezone.now(),
    )
    assert notification is not None
    # The child's stepfather, living with them.
    adult = AdultFactory.create(local_authority=child.local_authority, household=child.household)
    ChildAdultLink.objects.create(child=child, adult=adult, relationship="step_parent")
    # Her brother, living elsewhere.
    sibling = ChildFactory.create(local_authority=child.local_authority, first_name="Noah")
    SiblingLink.objects.create(child_id=child.pk, sibling_id=sibling.pk)
    # A pattern across cases the child is in (for its exploitation lead and managers).
    alert = PatternAlert.objects.create(
        local_authority=child.local_authority,
        kind="shared",
        match_key="vehicle:AB12CDE",
        label="AB12 CDE is linked to 3 children",
        sureness="certain",
        evidence={"children": [child.pk], "requests": [discussion.request_id], "links": []},
        raised_at=timezone.now(),
        updated_at=timezone.now(),
    )
    alert.children.add(child)
    return Case(
        child=child,
        adult=adult,
        sibling=sibling,
        alert=alert,
        discussion=discussion,
        notification=notification,
        users={
            "social_care": social_worker,
            "chair": team_manager,
            # A service manager in the same authority, who chairs nothing.
            "manager": UserFactory.create(
                agency=child.local_authority.agencies.get(kind="childrens_social_care"),
                role=Role.SERVICE_MANAGER,
            ),
            "other_authority_social_care": other_authority_social_worker,
            "police_invited": police_officer,
            "police_not_invited": other_police_officer,
            "analyst": analyst,
            "administrator": administrator,
        },
    )


CASES = [(path, role, status) for path, row in MATRIX.items() for role, status in row.items()]


@pytest.mark.parametrize(
    ("template", "role", "status"), CASES, ids=[f"{r} {p}" for p, r, _ in CASES]
)
def test_who_may_open_each_page(
    client: Client, case: Case, template: str, role: str, status: int
) -> None:
    client.force_login(case.users[role])
    assert client.get(case.path(template)).status_code == status


SIGNED_IN_ONLY = [path for path in MATRIX if not path.startswith("/invitations/")]


@pytest.mark.parametrize("template", SIGNED_IN_ONLY)
def test_a_visitor_is_sent_to_sign_in(client: Client, case: Case, template: str) -> None:
    path = case.path(template)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=")


@pytest.mark.parametrize(
    ("template", "data"),
    [
        ("/children/new/", {"first_name": "Ruby"}),
        ("/children/{child}/census/", {"local_reference": "C1", "version": "1"}),
        ("/adults/new/", {"first_name": "Dean", "token": "t1"}),
        ("/adults/{adult}/change/", {"first_name": "Dean", "version": "1"}),
        (
            "/children/{child}/adults/",
            {"find": "a", "adult": ["{adult}"], "relationship": "parent"},
        ),
        ("/children/{child}/siblings/", {"find": "a", "sibling": ["{child}"]}),
        ("/children/{child}/identifiers/", {"nhs_number": "9434765919", "version": "1"}),
        (
            "/children/{child}/adults/{adult}/remove/",
            {"link": "1", "reason": "Recorded in error"},
        ),
        ("/children/{child}/siblings/{sibling}/remove/", {"reason": "Recorded in error"}),
        ("/requests/new/", {"offered": ["{child}"]}),
        ("/requests/{request}/convene/", {}),
        ("/discussions/{discussion}/start/", {}),
        ("/requests/{request}/close/", {"reason": "Not needed"}),
        ("/requests/{request}/withdraw/", {"reason": "Raised in error"}),
        ("/discussions/{discussion}/reschedule/", {"reason": "The chair is ill"}),
        ("/discussions/{discussion}/cancel/", {"reason": "Not needed"}),
    ],
)
@pytest.mark.parametrize("role", ["police_invited", "analyst", "administrator"])
def test_forms_that_are_not_found_cannot_be_posted_either(
    client: Client, case: Case, template: str, data: dict[str, object], role: str
) -> None:
    client.force_login(case.users[role])
    posted = {
        key: [case.path(v) for v in value] if isinstance(value, list) else value
        for key, value in data.items()
    }
    assert client.post(case.path(template), posted).status_code == 404


# --- what each may list --------------------------------------------------------------

SEES_CHILD_IN_SEARCH = {
    "social_care": True,
    "chair": True,
    "other_authority_social_care": False,
    "police_invited": True,
    "police_not_invited": False,
    "analyst": False,
    "administrator": False,
}


@pytest.mark.parametrize(("role", "sees"), SEES_CHILD_IN_SEARCH.items())
def test_a_search_lists_only_children_the_user_may_see(
    client: Client, case: Case, role: str, sees: bool
) -> None:
    client.force_login(case.users[role])
    html = client.get("/children/", {"text": case.child.last_name}).content.decode()
    assert (f'href="/children/{case.child.pk}/"' in html) is sees


SEES_IN_MY_WORK = {
    "social_care": False,  # convened: nothing left for them to convene
    "chair": True,
    "other_authority_social_care": False,
    "police_invited": True,
    "police_not_invited": False,
    "analyst": False,
    "administrator": False,
}


@pytest.mark.parametrize(("role", "sees"), SEES_IN_MY_WORK.items())
def test_my_work_lists_only_the_users_own_work(
    client: Client, case: Case, role: str, sees: bool
) -> None:
    client.force_login(case.users[role])
    html = client.get("/my-work/").content.decode()
    assert (f'href="/discussions/{case.discussion.pk}/"' in html) is sees


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("social_care", True),
        ("other_authority_social_care", False),
        ("police_invited", False),
        ("analyst", False),
    ],
)
def test_a_request_to_convene_is_listed_only_in_its_own_authority(
    client: Client, case: Case, role: str, sees: bool
) -> None:
    waiting = StrategyRequestFactory.create(local_authority=case.child.local_authority)
    client.force_login(case.users[role])
    html = client.get("/my-work/").content.decode()
    assert (f'href="/requests/{waiting.pk}/"' in html) is sees


# --- recording a discussion, its minutes and their distribution --------------------------


@dataclass(frozen=True)
class Recorded:
    """A discussion held with ``police_invited`` invited and owning an action, its approved
    minutes, and its distribution list."""

    discussion: Discussion
    child: Child
    invitation: int
    action: int
    recipient: int
    report: int
    users: dict[str, User]

    def path(self, template: str) -> str:
        return template.format(
            held=self.discussion.pk,
            child=self.child.pk,
            invitation=self.invitation,
            action=self.action,
            recipient=self.recipient,
            report=self.report,
        )


@pytest.fixture
def recorded(case: Case) -> Recorded:
    users = case.users
    discussion = complete(
        started(users["social_care"], users["chair"], users["police_invited"]), users["chair"]
    )
    police = discussion.invitations.get(user=users["police_invited"])
    action = action_create(
        user=users["chair"],
        discussion=discussion,
        description="Police checks",
        agency_code="police",
        due_at=LATER + timedelta(days=1),
        owner=users["police_invited"],
    )
    discussion_conclude(user=users["chair"], discussion=discussion, now=LATER)
    approved_minutes(discussion, users["chair"])
    recipient = recipients_build(user=users["chair"], discussion=discussion)[0]
    # A correction drafted: version 2's wording is open to those who record.
    minutes_draft(
        user=users["chair"], discussion=discussion, now=LATER, correction_reason="A typing error"
    )
    return Recorded(
        discussion=discussion,
        child=discussion.request.children.get(),
        invitation=police.pk,
        action=action.pk,
        recipient=recipient.pk,
        report=WrittenReport.objects.create(
            invitation=police,
            text="What the police know",
            file_name="police.pdf",
            file_kind="pdf",
            file_size=9,
            content=b"%PDF-1.7\n",
            sent_at=LATER,
        ).pk,
        users=users,
    )


@pytest.mark.parametrize("template", RECORDING_MATRIX)
def test_who_may_open_each_recording_page(
    client: Client, recorded: Recorded, template: str
) -> None:
    statuses = {}
    for role in ROLES:
        client.force_login(recorded.users[role])
        statuses[role] = client.get(recorded.path(template)).status_code
    assert statuses == RECORDING_MATRIX[template]


@pytest.mark.parametrize("template", RECORDING_MATRIX)
def test_a_visitor_is_sent_to_sign_in_from_each_recording_page(
    client: Client, recorded: Recorded, template: str
) -> None:
    response = client.get(recorded.path(template))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=")


POSTED = [
    "/discussions/{held}/record/",
    "/discussions/{held}/decisions/",
    "/discussions/{held}/decisions/{child}/",
    "/discussions/{held}/decisions/{child}/confirm/",
    "/discussions/{held}/actions/",
    "/discussions/{held}/conclude/",
    "/discussions/{held}/correction/",
    "/discussions/{held}/minutes/",
    "/discussions/{held}/minutes/2/wording/",
    "/discussions/{held}/distribution/",
    "/discussions/{held}/distribution/{recipient}/",
    "/discussions/{held}/reconvene/",
]


@pytest.mark.parametrize("template", POSTED)
def test_recording_forms_that_are_not_found_cannot_be_posted_either(
    client: Client, recorded: Recorded, template: str
) -> None:
    statuses = {}
    for role in ("police_invited", "other_authority_social_care", "analyst", "administrator"):
        client.force_login(recorded.users[role])
        statuses[role] = client.post(recorded.path(template), {"version": "0"}).status_code
    assert set(statuses.values()) == {GONE}, statuses


# --- a discussion's clocks, and professional disagreements ----------------------------


@dataclass(frozen=True)
class Disputed:
    """A discussion held with ``police_invited`` invited; the police officer has raised a
    disagreement about its outcome."""

    discussion: Discussion
    clock: int
    disagreement: int
    users: dict[str, User]

    def path(self, template: str) -> str:
        return template.format(
            held=self.discussion.pk, clock=self.clock, disagreement=self.disagreement
        )


@pytest.fixture
def disputed(case: Case) -> Disputed:
    users = case.users
    discussion = held(users["social_care"], users["chair"], users["police_invited"])
    disagreement = disagreement_raise(
        user=users["police_invited"],
        request=discussion.request,
        discussion=discussion,
        subject="outcome",
        description="A single-agency enquiry would do.",
        now=LATER,
    )
    return Disputed(
        discussion=discussion,
        clock=Clock.objects.get(discussion=discussion, code="icpc_held").pk,
        disagreement=disagreement.pk,
        users=users,
    )


@pytest.mark.parametrize("template", DISPUTE_MATRIX)
def test_who_may_open_each_clock_and_disagreement_page(
    client: Client, disputed: Disputed, template: str
) -> None:
    statuses = {}
    for role in ROLES:
        client.force_login(disputed.users[role])
        statuses[role] = client.get(disputed.path(template)).status_code
    assert statuses == DISPUTE_MATRIX[template]


@pytest.mark.parametrize("template", DISPUTE_MATRIX)
def test_a_visitor_is_sent_to_sign_in_from_each_clock_and_disagreement_page(
    client: Client, disputed: Disputed, template: str
) -> None:
    response = client.get(disputed.path(template))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=")


DISPUTE_POSTED = {
    "/discussions/{held}/clocks/{clock}/met/": {
        "at_date_day": "5",
        "at_date_month": "3",
        "at_date_year": "2026",
        "at_time": "10:00",
    },
    "/discussions/{held}/clocks/{clock}/stop/": {"reason": "Moved away"},
    "/discussions/{held}/disagreements/new/": {"subject": "holding", "description": "No"},
    "/disagreements/{disagreement}/escalate/": {
        "expected_stage": "0",
        "note": "Stuck",
        "outside_name": "Someone",
        "outside_email": "someone@example.org",
    },
    "/disagreements/{disagreement}/resolve/": {"resolution": "agreed", "outcome": "Done"},
}


@pytest.mark.parametrize("template", DISPUTE_POSTED)
def test_clock_and_disagreement_forms_that_are_not_found_cannot_be_posted_either(
    client: Client, disputed: Disputed, template: str
) -> None:
    row = DISPUTE_MATRIX[template]
    statuses = {}
    for role in ROLES:
        if row[role] == GONE:
            client.force_login(disputed.users[role])
            statuses[role] = client.post(
                disputed.path(template), DISPUTE_POSTED[template]
            ).status_code
    assert statuses and set(statuses.values()) == {GONE}, statuses
    clock = Clock.objects.get(pk=disputed.clock)
    assert clock.state == ClockState.OPEN
    assert Disagreement.objects.get().moves.count() == 1


# --- the public pages, signing in and out, reports, oversight and notifications ---------


@pytest.mark.parametrize("template", SERVICE_MATRIX)
def test_who_may_open_each_service_page(client: Client, case: Case, template: str) -> None:
    statuses = {}
    for role in ROLES:
        client.force_login(case.users[role])
        statuses[role] = client.get(case.path(template)).status_code
    assert statuses == SERVICE_MATRIX[template]


@pytest.mark.parametrize("template", PUBLIC)
def test_a_visitor_may_open_each_public_page(client: Client, case: Case, template: str) -> None:
    assert client.get(case.path(template)).status_code == OK


@pytest.mark.parametrize(
    "template",
    [path for path in SERVICE_MATRIX if path not in PUBLIC and path not in POST_ONLY],
)
def test_a_visitor_is_sent_to_sign_in_from_each_service_page(
    client: Client, case: Case, template: str
) -> None:
    response = client.get(case.path(template))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=")


@pytest.mark.parametrize("template", POST_MATRIX)
def test_who_may_press_each_button(client: Client, case: Case, template: str) -> None:
    data, row = POST_MATRIX[template]
    statuses = {}
    for role in ROLES:
        client.force_login(case.users[role])
        statuses[role] = client.post(case.path(template), data).status_code
    assert statuses == row


@pytest.mark.parametrize(
    "template",
    [p for p in POST_MATRIX if p != "/sign-out/" and not p.startswith("/invitations/")],
)
def test_a_visitor_is_sent_to_sign_in_from_each_button(
    client: Client, case: Case, template: str
) -> None:
    data, _ = POST_MATRIX[template]
    response = client.post(case.path(template), data)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=")


def test_only_the_invited_reply_changes_the_invitation(client: Client, case: Case) -> None:
    for role in ROLES:
        if role != "police_invited":
            client.force_login(case.users[role])
            client.post(case.path("/discussions/{discussion}/reply/"), {"response": "declined"})
    assert case.discussion.invitations.get().response != "declined"


# --- account administration -------------------------------------------------------------


@dataclass(frozen=True)
class Administered:
    """An account (a social worker's) and a team of the administrator's authority."""

    account: int
    team: int
    users: dict[str, User]

    def path(self, template: str) -> str:
        return template.format(account=self.account, team=self.team)


@pytest.fixture
def administered(case: Case) -> Administered:
    social_worker = case.users["social_care"]
    assert social_worker.agency is not None
    team = TeamFactory.create(agency=social_worker.agency)
    return Administered(account=social_worker.pk, team=team.pk, users=case.users)


@pytest.mark.parametrize("template", ACCOUNTS_MATRIX)
def test_who_may_open_each_account_administration_page(
    client: Client, administered: Administered, template: str
) -> None:
    statuses = {}
    for role in ROLES:
        client.force_login(administered.users[role])
        statuses[role] = client.get(administered.path(template)).status_code
    assert statuses == ACCOUNTS_MATRIX[template]


@pytest.mark.parametrize("template", ACCOUNTS_MATRIX)
def test_a_visitor_is_sent_to_sign_in_from_each_account_administration_page(
    client: Client, administered: Administered, template: str
) -> None:
    response = client.get(administered.path(template))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=")


@pytest.mark.parametrize(
    "template",
    [
        "/accounts/new/",
        "/accounts/{account}/change/",
        "/accounts/{account}/deactivate/",
        "/accounts/{account}/reset-second-factor/",
        "/accounts/{account}/unlock/",
        "/accounts/teams/{team}/",
        "/patterns/settings/",
        "/accounts/webhooks/",
        "/accounts/webhooks/new/",
    ],
)
def test_account_administration_forms_cannot_be_posted_by_anyone_else(
    client: Client, administered: Administered, template: str
) -> None:
    statuses = {}
    for role in ROLES:
        if role != "administrator":
            client.force_login(administered.users[role])
            statuses[role] = client.post(
                administered.path(template), {"save": "", "role": "administrator"}
            ).status_code
    assert set(statuses.values()) == {GONE}, statuses
    account = User.objects.get(pk=administered.account)
    assert (account.is_active, account.role) == (True, "social_worker")


# --- every route has a row -------------------------------------------------------------


def test_every_route_has_a_row() -> None:
    covered = {route_of(path) for matrix in ALL_MATRICES for path in matrix}
    missing = [f"/{pattern} ({name})" for pattern, name in routes() if name not in covered]
    assert missing == [], "Routes with no row in the access matrix: " + ", ".join(missing)


def test_the_route_walk_finds_every_route() -> None:
    found = {name: pattern for pattern, name in routes()}
    assert found["web:clock-stop"] == "discussions/<int:pk>/clocks/<int:clock_pk>/stop/"
    assert found["reports:annex-a"] == "reports/returns/annex-a.csv"
    assert not any(name.startswith("admin:") for name in found)
    # Today's 53 page routes (the draft's wording and the child's census details among
    # them), the second factor's 8, your account's and passwords' 6 and the account
    # administration's 10: a walk that missed an include would find fewer.
    assert len(found) >= 77


# --- what each user is to the record a page opens ---------------------------------------
#
# The production smoke test signs in as the demo's accounts, not these users: ``relation``
# tells it which column of a row each answer belongs in. For each of these users it must
# pick a column that says what the user's own column says.


def _mispredicted(
    rows: Mapping[str, Mapping[str, int]], path: Callable[[str], str], users: dict[str, User]
) -> dict[str, str | None]:
    wrong: dict[str, str | None] = {}
    for template, row in rows.items():
        for role, user in users.items():
            column = relation(user, path(template))
            if column is None or row[column] != row[role]:
                wrong[f"{role} {template}"] = column
    return wrong


def test_relation_predicts_each_answer_to_the_case_pages(case: Case) -> None:
    rows = {**MATRIX, **SERVICE_MATRIX, **{path: row for path, (_, row) in POST_MATRIX.items()}}
    assert _mispredicted(rows, case.path, case.users) == {}


def test_relation_predicts_each_answer_to_the_recording_pages(recorded: Recorded) -> None:
    assert _mispredicted(RECORDING_MATRIX, recorded.path, recorded.users) == {}


def test_relation_predicts_each_answer_to_the_clock_and_disagreement_pages(
    disputed: Disputed,
) -> None:
    assert _mispredicted(DISPUTE_MATRIX, disputed.path, disputed.users) == {}


def test_relation_finds_no_column_for_who_is_not_like_any_of_the_tests_users(
    disputed: Disputed, police_officer: User, health_practitioner: User
) -> None:
    # The health practitioner, invited too, sees the disagreement but did not raise it:
    # the matrix's invited police officer raised it, so no column says what they get.
    discussion = disputed.discussion
    InvitationFactory.create(discussion=discussion, user=health_practitioner)
    path = disputed.path("/disagreements/{disagreement}/escalate/")
    assert relation(police_officer, path) == "police_invited"
    assert relation(health_practitioner, path) is None
    # A manager in the authority who does not chair the discussion is the "manager".
    assert (
        relation(disputed.users["manager"], disputed.path("/discussions/{held}/conclude/"))
        == "manager"
    )


def test_relation_of_someone_invited_to_an_action_they_do_not_own(
    client: Client, recorded: Recorded, health_practitioner: User
) -> None:
    # Invited to the discussion but not the action's owner (the matrix's invited police
    # officer owns it): its page is not theirs to open.
    InvitationFactory.create(discussion=recorded.discussion, user=health_practitioner)
    path = recorded.path("/actions/{action}/")
    assert relation(health_practitioner, path) == "police_not_invited"
    client.force_login(health_practitioner)
    assert (
        client.get(path).status_code == RECORDING_MATRIX["/actions/{action}/"]["police_not_invited"]
    )


def test_relation_of_a_social_worker_who_did_not_raise_the_request(
    client: Client, case: Case
) -> None:
    # Withdrawing is for whoever raised the request (the matrix's social worker) or a
    # manager: another social worker of the authority fits no column, and is refused.
    raiser = case.users["social_care"]
    colleague = UserFactory.create(agency=raiser.agency, role=Role.SOCIAL_WORKER)
    path = case.path("/requests/{request}/withdraw/")
    assert relation(raiser, path) == "social_care"
    assert relation(colleague, path) is None
    client.force_login(colleague)
    assert client.get(path).status_code == GONE


def test_relation_of_a_correction_before_the_discussion_is_concluded(
    client: Client, case: Case
) -> None:
    # Only a concluded record is corrected: before that the page is not found, even for
    # the chair, and relation says so.
    path = f"/discussions/{case.discussion.pk}/correction/"
    assert relation(case.users["chair"], path) == "police_not_invited"
    client.force_login(case.users["chair"])
    assert client.get(path).status_code == GONE
