"""Who may open what: every route of the site, against each kind of user.

A record outside a user's scope is "not found" (404), never "forbidden" (403), so its
existence is not revealed; a visitor who has not signed in is sent to sign in; analysts
and administrators see no case records. ``test_every_route_has_a_row`` walks the URLconf
so that a new page cannot be added without its row here.
"""

from __future__ import annotations

import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone

from strategise.actions.services import action_create
from strategise.cases.models import Child
from strategise.clocks.models import Clock, ClockState
from strategise.disagreements.models import Disagreement
from strategise.disagreements.services import disagreement_raise
from strategise.discussions.concluding import discussion_conclude
from strategise.discussions.models import Discussion
from strategise.links import Target, TargetKind
from strategise.minutes.services import recipients_build
from strategise.notifications.models import Kind, Notification
from strategise.notifications.services import notify
from strategise.organisations.models import User
from tests.factories import StrategyRequestFactory
from tests.web.recording.support import LATER, approved_minutes, complete, held, started

pytestmark = pytest.mark.django_db

ROLES = [
    "social_care",
    "chair",
    "other_authority_social_care",
    "police_invited",
    "police_not_invited",
    "analyst",
    "administrator",
]


@dataclass(frozen=True)
class Case:
    """A child, their request and its discussion (``police_invited`` invited), and a
    notification of ``police_invited``'s."""

    child: Child
    discussion: Discussion
    notification: Notification
    users: dict[str, User]

    def path(self, template: str) -> str:
        return template.format(
            child=self.child.pk,
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
    return Case(
        child=child,
        discussion=discussion,
        notification=notification,
        users={
            "social_care": social_worker,
            "chair": team_manager,
            "other_authority_social_care": other_authority_social_worker,
            "police_invited": police_officer,
            "police_not_invited": other_police_officer,
            "analyst": analyst,
            "administrator": administrator,
        },
    )


OK, MOVED, GONE, NOT_ALLOWED = 200, 302, 404, 405

# Page -> the status each role gets. Social care in another authority may add children
# (to their own authority), so that form opens for them too.
MATRIX: dict[str, dict[str, int]] = {
    "/my-work/": dict.fromkeys(ROLES, OK),
    "/children/": dict.fromkeys(ROLES, OK),
    "/children/new/": {
        "social_care": OK,
        "chair": OK,
        "other_authority_social_care": OK,
        "police_invited": GONE,
        "police_not_invited": GONE,
        "analyst": GONE,
        "administrator": GONE,
    },
    "/children/new/?household_of={child}": {
        **dict.fromkeys(ROLES, GONE),
        "social_care": OK,
        "chair": OK,
    },
    "/children/{child}/": {
        **dict.fromkeys(ROLES, GONE),
        "social_care": OK,
        "chair": OK,
        "police_invited": OK,
    },
    "/requests/new/?child={child}": {**dict.fromkeys(ROLES, GONE), "social_care": OK, "chair": OK},
    "/requests/{request}/": {
        **dict.fromkeys(ROLES, GONE),
        "social_care": OK,
        "chair": OK,
        "police_invited": OK,
    },
    "/requests/{request}/convene/": {
        **dict.fromkeys(ROLES, GONE),
        "social_care": OK,
        "chair": OK,
    },
    "/discussions/{discussion}/": {
        **dict.fromkeys(ROLES, GONE),
        "social_care": OK,
        "chair": OK,
        "police_invited": OK,
    },
    "/discussions/{discussion}/start/": {
        **dict.fromkeys(ROLES, GONE),
        "social_care": OK,
        "chair": OK,
    },
    # The private reply link needs no account; holding the link is the permission.
    "/invitations/{token}/": dict.fromkeys(ROLES, OK),
}

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
        ("/requests/new/", {"offered": ["{child}"]}),
        ("/requests/{request}/convene/", {}),
        ("/discussions/{discussion}/start/", {}),
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
    users: dict[str, User]

    def path(self, template: str) -> str:
        return template.format(
            held=self.discussion.pk,
            child=self.child.pk,
            invitation=self.invitation,
            action=self.action,
            recipient=self.recipient,
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
    return Recorded(
        discussion=discussion,
        child=discussion.request.children.get(),
        invitation=police.pk,
        action=action.pk,
        recipient=recipient.pk,
        users=users,
    )


RECORDERS = {**dict.fromkeys(ROLES, GONE), "social_care": OK, "chair": OK}
RECORDERS_AND_INVITED = {**RECORDERS, "police_invited": OK}

RECORDING_MATRIX: dict[str, dict[str, int]] = {
    "/discussions/{held}/record/": RECORDERS,
    # The police's own contribution: those who record, and the police officer invited.
    "/discussions/{held}/contributions/{invitation}/": RECORDERS_AND_INVITED,
    "/discussions/{held}/decisions/": RECORDERS,
    "/discussions/{held}/decisions/{child}/": RECORDERS,
    # Sandwell §10.0: only a team manager (or above) confirms no further action.
    "/discussions/{held}/decisions/{child}/confirm/": {**dict.fromkeys(ROLES, GONE), "chair": OK},
    "/discussions/{held}/dissent/": RECORDERS_AND_INVITED,
    "/discussions/{held}/actions/": RECORDERS,
    # The action's owner (the invited police officer), and those who record.
    "/actions/{action}/": RECORDERS_AND_INVITED,
    "/discussions/{held}/conclude/": {**dict.fromkeys(ROLES, GONE), "chair": OK},
    # The chair, or a team manager and above, corrects a concluded record.
    "/discussions/{held}/correction/": {**dict.fromkeys(ROLES, GONE), "chair": OK},
    # A dated update to the police's contribution: its invitee, and those who record.
    "/discussions/{held}/contributions/{invitation}/update/": RECORDERS_AND_INVITED,
    "/discussions/{held}/minutes/": RECORDERS,
    # Approved minutes: anyone who may open the discussion.
    "/discussions/{held}/minutes/1/": RECORDERS_AND_INVITED,
    "/discussions/{held}/minutes/1/pdf/": RECORDERS_AND_INVITED,
    "/discussions/{held}/minutes/1/docx/": RECORDERS_AND_INVITED,
    "/discussions/{held}/distribution/": RECORDERS,
    "/discussions/{held}/distribution/{recipient}/": RECORDERS,
    "/discussions/{held}/reconvene/": RECORDERS,
}


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


# Those who may open the discussion.
PARTICIPANTS = {**RECORDERS, "police_invited": OK}
# Whoever raised it (the police officer) and a social care manager (the chair) move it on.
MOVERS = {**dict.fromkeys(ROLES, GONE), "chair": OK, "police_invited": OK}

DISPUTE_MATRIX: dict[str, dict[str, int]] = {
    "/discussions/{held}/clocks/": PARTICIPANTS,
    # Recorded met by whoever is responsible (the chair) or the authority's social care.
    "/discussions/{held}/clocks/{clock}/met/": RECORDERS,
    # Stopped only by a team manager or above.
    "/discussions/{held}/clocks/{clock}/stop/": {**dict.fromkeys(ROLES, GONE), "chair": OK},
    "/discussions/{held}/disagreements/new/": PARTICIPANTS,
    # Everyone has a list: of the open disagreements they may see (perhaps none).
    "/disagreements/": dict.fromkeys(ROLES, OK),
    "/disagreements/{disagreement}/": PARTICIPANTS,
    "/disagreements/{disagreement}/escalate/": MOVERS,
    "/disagreements/{disagreement}/resolve/": MOVERS,
}


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
        "holder_name": "Someone",
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

# Open to anyone: a visitor gets each page itself, not the sign-in page.
PUBLIC = ["/", "/triage/", "/sign-in/", "/invitations/{token}/"]
# Managers in children's social care (the chair is a team manager).
MANAGERS = {**dict.fromkeys(ROLES, GONE), "chair": OK}
# Figures (not case records) are for managers and their authority's analysts.
REPORT_READERS = {**MANAGERS, "analyst": OK}

SERVICE_MATRIX: dict[str, dict[str, int]] = {
    "/": dict.fromkeys(ROLES, OK),
    "/triage/": dict.fromkeys(ROLES, OK),
    # Someone signed in already is sent on to their work.
    "/sign-in/": dict.fromkeys(ROLES, MOVED),
    # Signing out is a button (a POST): see POST_MATRIX.
    "/sign-out/": dict.fromkeys(ROLES, NOT_ALLOWED),
    # Social care anywhere raise requests (in their own authority); other agencies do not.
    "/requests/new/": {
        **dict.fromkeys(ROLES, GONE),
        "social_care": OK,
        "chair": OK,
        "other_authority_social_care": OK,
    },
    "/reports/": REPORT_READERS,
    "/reports/figures/timeliness.csv": REPORT_READERS,
    # The returns list children one by one: managers only, never analysts.
    "/reports/returns/": MANAGERS,
    "/reports/returns/cin-census.xml": MANAGERS,
    "/reports/returns/annex-a.csv": MANAGERS,
    # Out of scope is "not found" here too, never "forbidden".
    "/oversight/": MANAGERS,
    # Everyone has their own notifications (perhaps none).
    "/notifications/": dict.fromkeys(ROLES, OK),
    # The second factor: asked again (a step-up) of anyone signed in; set-up only for an
    # account with no second factor yet, so those who have one are sent to enter it; the
    # recovery codes are shown once, straight after set-up, and otherwise not at all.
    "/sign-in/second-factor/": dict.fromkeys(ROLES, OK),
    "/sign-in/recovery-code/": dict.fromkeys(ROLES, OK),
    "/sign-in/set-up-second-factor/": dict.fromkeys(ROLES, MOVED),
    "/sign-in/recovery-codes/": dict.fromkeys(ROLES, MOVED),
    # The passkey ceremonies are requests the page's script posts (tests/web/test_passkeys.py).
    "/sign-in/passkey/new/options/": dict.fromkeys(ROLES, NOT_ALLOWED),
    "/sign-in/passkey/new/": dict.fromkeys(ROLES, NOT_ALLOWED),
    "/sign-in/passkey/options/": dict.fromkeys(ROLES, NOT_ALLOWED),
    "/sign-in/passkey/": dict.fromkeys(ROLES, NOT_ALLOWED),
}


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
    "template", [path for path in SERVICE_MATRIX if path not in PUBLIC and path != "/sign-out/"]
)
def test_a_visitor_is_sent_to_sign_in_from_each_service_page(
    client: Client, case: Case, template: str
) -> None:
    response = client.get(case.path(template))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=")


# Routes that only take a POST (a button): what each role's press does.
POST_MATRIX: dict[str, tuple[dict[str, str], dict[str, int]]] = {
    "/sign-out/": ({}, dict.fromkeys(ROLES, MOVED)),
    # Only the invited reply on the discussion page; the others have no invitation there.
    "/discussions/{discussion}/reply/": (
        {"response": "accepted"},
        {**dict.fromkeys(ROLES, GONE), "police_invited": MOVED},
    ),
    # A notification is its own user's: anyone else's is not found.
    "/notifications/{notification}/read/": (
        {},
        {**dict.fromkeys(ROLES, GONE), "police_invited": MOVED},
    ),
    "/notifications/read/": ({}, dict.fromkeys(ROLES, MOVED)),
}


@pytest.mark.parametrize("template", POST_MATRIX)
def test_who_may_press_each_button(client: Client, case: Case, template: str) -> None:
    data, row = POST_MATRIX[template]
    statuses = {}
    for role in ROLES:
        client.force_login(case.users[role])
        statuses[role] = client.post(case.path(template), data).status_code
    assert statuses == row


@pytest.mark.parametrize("template", [path for path in POST_MATRIX if path != "/sign-out/"])
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


# --- every route has a row -------------------------------------------------------------

ALL_MATRICES: list[Mapping[str, object]] = [
    MATRIX,
    RECORDING_MATRIX,
    DISPUTE_MATRIX,
    SERVICE_MATRIX,
    POST_MATRIX,
]


def _routes(
    patterns: list[URLPattern | URLResolver], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str]]:
    """Every route of the URLconf, through its includes: (its pattern, its full name)."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # Django's own admin site, with its own staff-only checks
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern), inner)
        else:
            yield prefix + str(entry.pattern), f"{namespace}{entry.name}"


def _route_of(template: str) -> str:
    """The name of the route a matrix row's path opens (any values do for its keys)."""
    keys = {name: "1" for _, name, _, _ in string.Formatter().parse(template) if name}
    return resolve(template.format(**keys).split("?")[0]).view_name


def test_every_route_has_a_row() -> None:
    covered = {_route_of(path) for matrix in ALL_MATRICES for path in matrix}
    missing = [
        f"/{pattern} ({name})"
        for pattern, name in _routes(get_resolver().url_patterns)
        if name not in covered
    ]
    assert missing == [], "Routes with no row in the access matrix: " + ", ".join(missing)


def test_the_route_walk_finds_every_route() -> None:
    routes = {name: pattern for pattern, name in _routes(get_resolver().url_patterns)}
    assert routes["web:clock-stop"] == "discussions/<int:pk>/clocks/<int:clock_pk>/stop/"
    assert routes["reports:annex-a"] == "reports/returns/annex-a.csv"
    assert not any(name.startswith("admin:") for name in routes)
    # Today's 47 page routes and the second factor's 8: a walk that missed an include
    # would find fewer.
    assert len(routes) >= 55
