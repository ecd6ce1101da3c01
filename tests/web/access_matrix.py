"""Who may open what: the access matrix, route by route, for each kind of user.

``tests/web/test_access.py`` proves every row against the site, with a user of each kind;
``scripts/smoke_production.py`` holds the demo's accounts to the same rows in production
mode. ``relation`` says which column of a row a given user's answer is in: what the user
is to the record the path opens, decided by ``strategise.access``.

A record outside a user's scope is "not found" (404), never "forbidden" (403).
"""

from __future__ import annotations

import string
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from strategise.access import (
    NO_CASE_ACCESS,
    invitation_is_theirs,
    may_oversee,
    may_update_action,
    sees_whole_authority,
    visible_adults,
    visible_children,
    visible_disagreements,
    visible_discussions,
    visible_households,
    visible_pattern_alerts,
    visible_requests,
)
from strategise.actions.models import Action
from strategise.cases.models import Adult, Child, Household
from strategise.disagreements.models import Disagreement
from strategise.discussions.models import Discussion, DiscussionStatus, Invitation
from strategise.network.models import PatternAlert
from strategise.notifications.models import Notification
from strategise.organisations.models import Role, User
from strategise.requests.models import StrategyRequest

# Who the tests sign in as, named by what they are to the case (tests/web/test_access.py's
# fixtures): the authority's social worker; the team manager who chairs its discussion; a
# service manager there who chairs nothing ("manager"); a social worker in another
# authority; the police officer invited to the discussion (who also raised its
# disagreement and owns its action), and one invited to nothing; an analyst; an
# administrator.
ROLES = [
    "social_care",
    "chair",
    "manager",
    "other_authority_social_care",
    "police_invited",
    "police_not_invited",
    "analyst",
    "administrator",
]

OK, MOVED, GONE, NOT_ALLOWED = 200, 302, 404, 405

# Page -> the status each role gets. Social care in another authority may add children
# (to their own authority), so that form opens for them too.
MATRIX: dict[str, dict[str, int]] = {
    "/my-work/": dict.fromkeys(ROLES, OK),
    # A caseload is for those who work with cases (perhaps empty); analysts and
    # administrators see no case records, so have none.
    "/my-work/children/": {**dict.fromkeys(ROLES, OK), "analyst": GONE, "administrator": GONE},
    "/my-work/team/": {**dict.fromkeys(ROLES, OK), "analyst": GONE, "administrator": GONE},
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
    # Only the child's own authority's social care change it; invited police see the child.
    "/children/{child}/census/": {
        **dict.fromkeys(ROLES, GONE),
        "social_care": OK,
        "chair": OK,
    },
    # The people around the child: social care of the child's authority record and link
    # them; an invited agency sees the adults linked to a child it may see, and the
    # household (only those in it that it may see).
    "/adults/": dict.fromkeys(ROLES, OK),
    "/adults/new/": {
        "social_care": OK,
        "chair": OK,
        "other_authority_social_care": OK,
        "police_invited": GONE,
        "police_not_invited": GONE,
        "analyst": GONE,
        "administrator": GONE,
    },
    "/adults/new/?child={child}": {**dict.fromkeys(ROLES, GONE), "social_care": OK, "chair": OK},
    "/adults/{adult}/": {
        **dict.fromkeys(ROLES, GONE),
        "social_care": OK,
        "chair": OK,
        "police_invited": OK,
    },
    "/adults/{adult}/change/": {**dict.fromkeys(ROLES, GONE), "social_care": OK, "chair": OK},
    "/children/{child}/adults/": {**dict.fromkeys(ROLES, GONE), "social_care": OK, "chair": OK},
    "/children/{child}/siblings/": {**dict.fromkeys(ROLES, GONE), "social_care": OK, "chair": OK},
    # Removing a link: the same people who make them.
    "/children/{child}/adults/{adult}/remove/": {
        **dict.fromkeys(ROLES, GONE),
        "social_care": OK,
        "chair": OK,
    },
    "/children/{child}/siblings/{sibling}/remove/": {
        **dict.fromkeys(ROLES, GONE),
        "social_care": OK,
        "chair": OK,
    },
    "/children/{child}/identifiers/": {
        **dict.fromkeys(ROLES, GONE),
        "social_care": OK,
        "chair": OK,
    },
    "/households/{household}/": {
        **dict.fromkeys(ROLES, GONE),
        "social_care": OK,
        "chair": OK,
        "police_invited": OK,
    },
    "/requests/new/?child={child}": {**dict.fromkeys(ROLES, GONE), "social_care": OK, "chair": OK},
    # The network around a child: whoever sees the case sees its network (an invited agency,
    # only what is recorded on the requests it is invited to); social care records it.
    "/children/{child}/network/": {
        **dict.fromkeys(ROLES, GONE),
        "social_care": OK,
        "chair": OK,
        "police_invited": OK,
    },
    "/requests/{request}/network/": {
        **dict.fromkeys(ROLES, GONE),
        "social_care": OK,
        "chair": OK,
        "police_invited": OK,
    },
    "/requests/{request}/network/add/": {
        **dict.fromkeys(ROLES, GONE),
        "social_care": OK,
        "chair": OK,
    },
    "/discussions/{discussion}/network/": {
        **dict.fromkeys(ROLES, GONE),
        "social_care": OK,
        "chair": OK,
        "police_invited": OK,
    },
    # Added from the discussion's network page as from its request's: social care only.
    "/discussions/{discussion}/network/add/": {
        **dict.fromkeys(ROLES, GONE),
        "social_care": OK,
        "chair": OK,
    },
    # Patterns across cases join children of different cases: the authority's exploitation
    # lead and its social care managers only.
    "/patterns/": {**dict.fromkeys(ROLES, GONE), "chair": OK},
    "/patterns/{alert}/": {**dict.fromkeys(ROLES, GONE), "chair": OK},
    "/patterns/{alert}/dismiss/": {**dict.fromkeys(ROLES, GONE), "chair": OK},
    "/patterns/{alert}/request/": {**dict.fromkeys(ROLES, GONE), "chair": OK},
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
    # Bristol §6: a manager takes a view on whether a discussion is needed (the chair is a
    # team manager); the social worker raised the request and may withdraw it.
    "/requests/{request}/close/": {**dict.fromkeys(ROLES, GONE), "chair": OK},
    "/requests/{request}/withdraw/": {
        **dict.fromkeys(ROLES, GONE),
        "social_care": OK,
        "chair": OK,
    },
    # Those who convene a discussion move or cancel it.
    "/discussions/{discussion}/reschedule/": {
        **dict.fromkeys(ROLES, GONE),
        "social_care": OK,
        "chair": OK,
    },
    "/discussions/{discussion}/cancel/": {
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
    # The private reply link needs no account (a visitor holding it may open it: see
    # PUBLIC), but it is its invitee's: anyone signed in as someone else is not found.
    "/invitations/{token}/": {**dict.fromkeys(ROLES, GONE), "police_invited": OK},
    # Naming a deputy and sending a written report: the invitee, signed in or by the link.
    "/invitations/{token}/deputy/": {**dict.fromkeys(ROLES, GONE), "police_invited": OK},
    "/invitations/{token}/report/": {**dict.fromkeys(ROLES, GONE), "police_invited": OK},
    "/discussions/{discussion}/deputy/": {**dict.fromkeys(ROLES, GONE), "police_invited": OK},
    "/discussions/{discussion}/report/": {**dict.fromkeys(ROLES, GONE), "police_invited": OK},
}

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
    # Keeping flagged words: the chair, for a flag in the record. A key that names no flag
    # of the record is not found, for the chair too (tests/web/recording/test_language.py
    # opens a real one).
    "/discussions/{held}/conclude/language/0000000000000000/": dict.fromkeys(ROLES, GONE),
    # The chair, or a team manager and above, corrects a concluded record.
    "/discussions/{held}/correction/": {**dict.fromkeys(ROLES, GONE), "chair": OK},
    # A dated update to the police's contribution: its invitee, and those who record.
    "/discussions/{held}/contributions/{invitation}/update/": RECORDERS_AND_INVITED,
    "/discussions/{held}/minutes/": RECORDERS,
    # A written report's file: those who record, and the invitee who sent it.
    "/discussions/{held}/written-reports/{report}/": RECORDERS_AND_INVITED,
    # Approved minutes: anyone who may open the discussion.
    "/discussions/{held}/minutes/1/": RECORDERS_AND_INVITED,
    "/discussions/{held}/minutes/1/pdf/": RECORDERS_AND_INVITED,
    "/discussions/{held}/minutes/1/docx/": RECORDERS_AND_INVITED,
    # A draft's wording: only those who record (an invited agency never sees a draft).
    "/discussions/{held}/minutes/2/wording/": RECORDERS,
    "/discussions/{held}/distribution/": RECORDERS,
    # A line of the list is changed by the chair, the minute-taker or a team manager.
    "/discussions/{held}/distribution/{recipient}/": {**RECORDERS, "social_care": GONE},
    "/discussions/{held}/reconvene/": RECORDERS,
}

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

# Open to anyone: a visitor gets each page itself, not the sign-in page.
PUBLIC = [
    "/",
    "/triage/",
    "/sign-in/",
    "/invitations/{token}/",
    "/invitations/{token}/deputy/",
    "/invitations/{token}/report/",
    "/sign-in/forgotten-password/",
    "/sign-in/forgotten-password/sent/",
    # A link that does not work says so; a working one is each person's own (by email).
    "/sign-in/new-password/MQ/not-a-token/",
]
# Buttons: opened as a link, not allowed (see POST_MATRIX).
POST_ONLY = {"/sign-out/", "/account/sign-out-everywhere/", "/account/api-tokens/1/revoke/"}

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
    # A whole authority's people are imported by its heads of service and directors of
    # social care (access.may_import_people; tests/web/children/test_import_page.py), none
    # of whom the case has; the template of the columns holds no case data.
    "/children/import/": dict.fromkeys(ROLES, GONE),
    "/children/import/template.csv": dict.fromkeys(ROLES, OK),
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
    # Everyone has their own account and password.
    "/account/": dict.fromkeys(ROLES, OK),
    "/account/password/": dict.fromkeys(ROLES, OK),
    "/account/sign-out-everywhere/": dict.fromkeys(ROLES, NOT_ALLOWED),
    # Everyone may make API tokens of their own (they reach only what the person may);
    # revoking one is a button (tests/api/test_tokens.py presses it).
    "/account/api-tokens/": dict.fromkeys(ROLES, OK),
    "/account/api-tokens/1/revoke/": dict.fromkeys(ROLES, NOT_ALLOWED),
    # The language check is a request the record page's script posts (see POST_MATRIX).
    "/language/check/": dict.fromkeys(ROLES, NOT_ALLOWED),
    # A forgotten password can be reset by anyone, signed in or not.
    "/sign-in/forgotten-password/": dict.fromkeys(ROLES, OK),
    "/sign-in/forgotten-password/sent/": dict.fromkeys(ROLES, OK),
    "/sign-in/new-password/MQ/not-a-token/": dict.fromkeys(ROLES, OK),
}

# Routes that only take a POST (a button): what each role's press does.
POST_MATRIX: dict[str, tuple[dict[str, str], dict[str, int]]] = {
    "/sign-out/": ({}, dict.fromkeys(ROLES, MOVED)),
    "/account/sign-out-everywhere/": ({}, dict.fromkeys(ROLES, MOVED)),
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
    # Anyone signed in may have a text checked: it reads no case data.
    "/language/check/": (
        {"text": "She keeps putting herself at risk", "profile": "sandwell"},
        dict.fromkeys(ROLES, OK),
    ),
    # Asking for the code that confirms who holds a private link: its invitee only (a
    # visitor holding the link may too: tests/web/discussions/test_partners.py).
    "/invitations/{token}/identity/": (
        {"send": "1"},
        {**dict.fromkeys(ROLES, GONE), "police_invited": MOVED},
    ),
}

# Account administration: the authority's administrator only.
ADMINISTRATOR = {**dict.fromkeys(ROLES, GONE), "administrator": OK}
# A button opened as a link goes back to the account's page; for anyone else, not found.
ADMINISTRATOR_BUTTON = {**dict.fromkeys(ROLES, GONE), "administrator": MOVED}

ACCOUNTS_MATRIX: dict[str, dict[str, int]] = {
    "/accounts/": ADMINISTRATOR,
    "/accounts/new/": ADMINISTRATOR,
    "/accounts/{account}/": ADMINISTRATOR,
    "/accounts/{account}/change/": ADMINISTRATOR,
    "/accounts/{account}/deactivate/": ADMINISTRATOR_BUTTON,
    "/accounts/{account}/reactivate/": ADMINISTRATOR_BUTTON,
    "/accounts/{account}/reset-second-factor/": ADMINISTRATOR_BUTTON,
    "/accounts/{account}/unlock/": ADMINISTRATOR_BUTTON,
    "/accounts/teams/": ADMINISTRATOR,
    "/accounts/teams/{team}/": ADMINISTRATOR,
    # The exploitation lead and sharing patterns: administrators, and heads of service
    # and directors of social care (tests/web/network), none of whom the case has.
    "/patterns/settings/": ADMINISTRATOR,
    "/accounts/webhooks/": ADMINISTRATOR,
    "/accounts/webhooks/new/": ADMINISTRATOR,
}

ALL_MATRICES: list[Mapping[str, object]] = [
    MATRIX,
    RECORDING_MATRIX,
    DISPUTE_MATRIX,
    SERVICE_MATRIX,
    POST_MATRIX,
    ACCOUNTS_MATRIX,
]

# The manager's column is the chair's, but for what only the chair of the discussion does.
CHAIR_ONLY = {"/discussions/{held}/conclude/"}


def _with_manager(row: dict[str, int], template: str) -> dict[str, int]:
    return {**row, "manager": GONE if template in CHAIR_ONLY else row["chair"]}


for _matrix in (MATRIX, RECORDING_MATRIX, DISPUTE_MATRIX, SERVICE_MATRIX, ACCOUNTS_MATRIX):
    for _template, _row in _matrix.items():
        _matrix[_template] = _with_manager(_row, _template)
for _template, (_data, _row) in POST_MATRIX.items():
    POST_MATRIX[_template] = (_data, _with_manager(_row, _template))


# --- the routes ------------------------------------------------------------------------


def routes(
    patterns: list[URLPattern | URLResolver] | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str]]:
    """Every route of the URLconf, through its includes: (its pattern, its full name).
    Django's admin site, with its own staff-only checks, is left out, and so is the API,
    which takes a bearer token, not the session: tests/api/test_access.py holds each of its
    operations to a matrix of its own, walked from its OpenAPI document."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in ("admin", "api"):
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from routes(entry.url_patterns, prefix + str(entry.pattern), inner)
        else:
            yield prefix + str(entry.pattern), f"{namespace}{entry.name}"


def route_of(template: str) -> str:
    """The name of the route a matrix row's path opens (any values do for its keys)."""
    keys = {name: "1" for _, name, _, _ in string.Formatter().parse(template) if name}
    return resolve(template.format(**keys).split("?")[0]).view_name


def get_rows() -> dict[str, dict[str, int]]:
    """Each route's row for a GET of it (the row without a query string, where a route has
    rows with and without one)."""
    rows: dict[str, dict[str, int]] = {}
    for matrix in (MATRIX, RECORDING_MATRIX, DISPUTE_MATRIX, SERVICE_MATRIX, ACCOUNTS_MATRIX):
        for template, row in sorted(matrix.items(), key=lambda item: "?" in item[0]):
            rows.setdefault(route_of(template), row)
    return rows


def post_only_routes() -> set[str]:
    """The routes that are buttons: a GET of them is refused (405) whoever asks."""
    buttons = {route_of(template) for template in POST_MATRIX}
    refused = {route for route, row in get_rows().items() if set(row.values()) == {NOT_ALLOWED}}
    return buttons | refused


# --- what a user is to the record a path opens ------------------------------------------


def _found[M: Model](model: type[M], pk: str | int) -> M | None:
    return model._default_manager.filter(pk=pk).first()


def _record(path: str) -> tuple[str, Model | None, dict[str, Any]]:
    """What the path opens: its kind (the URL's first part), the record, the URL's values."""
    parts = urlsplit(path)
    match = resolve(parts.path)
    kind = match.route.split("/", 1)[0]
    query = parse_qs(parts.query)
    pk = match.kwargs.get("pk")
    models: dict[str, type[Model]] = {
        "children": Child,
        "adults": Adult,
        "households": Household,
        "requests": StrategyRequest,
        "discussions": Discussion,
        "actions": Action,
        "disagreements": Disagreement,
        "notifications": Notification,
        "patterns": PatternAlert,
    }
    if pk is None:
        # A new request, household member or adult for a child: the child is what it opens.
        about = query.get("child") or query.get("household_of")
        if about and kind in {"children", "requests", "adults"}:
            return "children", _found(Child, about[0]), match.kwargs
        return kind, None, match.kwargs
    if kind not in models:
        return kind, None, match.kwargs
    return kind, _found(models[kind], pk), match.kwargs


def _discussion_of(record: Model) -> Discussion | None:
    if isinstance(record, Discussion):
        return record
    if isinstance(record, Action | Disagreement):
        return record.discussion
    return None


def relation(user: User, path: str) -> str | None:
    """Which role of the matrix ``user`` plays towards what ``path`` opens (the column of
    its row that says what they get), by the rules of ``strategise.access``; None where no
    column fits (say, a social worker who raised the disagreement the path opens)."""
    if user.role in NO_CASE_ACCESS:
        return "analyst" if user.role == Role.PERFORMANCE_ANALYST else "administrator"
    kind, record, values = _record(path)
    if kind == "invitations":
        # A private reply link is its invitee's alone (the tests' invited police officer's).
        theirs = Invitation.objects.filter(token=values.get("token"), user=user).exists()
        return "police_invited" if theirs else "police_not_invited"
    if isinstance(record, Notification):
        # Someone's own notification (the tests' is the invited police officer's).
        if record.user_id == user.pk:
            return None if sees_whole_authority(user) else "police_invited"
        record = None
    if isinstance(record, Discussion) and resolve(urlsplit(path).path).url_name in (
        "discussion-deputy",
        "discussion-report",
    ):
        # An invitee's own pages: whoever holds an invitation to it (a social worker invited
        # for children's social care too), as the tests' invited police officer does.
        theirs = any(invitation_is_theirs(user, i) for i in record.invitations.all())
        return "police_invited" if theirs else "police_not_invited"
    if (
        isinstance(record, Discussion)
        and resolve(urlsplit(path).path).url_name == "correction"
        and record.status != DiscussionStatus.HELD
    ):
        # Only a concluded record is corrected (the matrix's is): before that, not found.
        return "police_not_invited"
    if sees_whole_authority(user):
        if (
            isinstance(record, StrategyRequest)
            and resolve(urlsplit(path).path).url_name == "request-withdraw"
            and _authority_of(record) == user.local_authority_id
            and user.pk != record.raised_by_id
            and not may_oversee(user)
        ):
            # Withdrawn only by whoever raised it (the tests' social worker) or a manager.
            return None
        return _social_care_relation(user, record)
    return _other_agency_relation(user, kind, record, values)


def _authority_of(record: Model) -> int | None:
    if isinstance(record, Action):
        return record.discussion.local_authority_id
    authority: int | None = getattr(record, "local_authority_id", None)
    return authority


def _raised_or_holds(user: User, record: Disagreement) -> bool:
    return user.pk == record.raised_by_id or record.holders.filter(pk=user.pk).exists()


def _social_care_relation(user: User, record: Model | None) -> str | None:
    # Team managers and above in social care (who oversee their authority).
    manager = may_oversee(user)
    if record is None:
        return "chair" if manager else "social_care"
    if _authority_of(record) != user.local_authority_id:
        return "other_authority_social_care"
    if isinstance(record, Disagreement) and _raised_or_holds(user, record):
        # Whoever raised or holds it moves it on, as the tests' chair (a manager) may.
        return "chair" if manager else None
    discussion = _discussion_of(record)
    if discussion is not None and user.pk == discussion.chair_id:
        return "chair" if manager else None
    if manager:
        return "manager" if discussion is not None else "chair"
    return "social_care"


def _other_agency_relation(
    user: User, kind: str, record: Model | None, values: dict[str, Any]
) -> str | None:
    invited, uninvited = "police_invited", "police_not_invited"
    if record is None:
        return uninvited
    if isinstance(record, Disagreement):
        if _raised_or_holds(user, record):
            return invited
        # Seen (it is about a request they may see) but not theirs to move on: no column.
        return None if visible_disagreements(user).filter(pk=record.pk).exists() else uninvited
    if isinstance(record, Action):
        # Its page is for whoever updates it: the tests' invited police officer owns theirs.
        return invited if may_update_action(user, record) else uninvited
    visible = {
        "children": visible_children,
        "adults": visible_adults,
        "households": visible_households,
        "requests": visible_requests,
        "discussions": visible_discussions,
        "patterns": visible_pattern_alerts,
    }[kind](user)
    if not visible.filter(pk=record.pk).exists():
        return uninvited
    if "invitation_pk" in values and isinstance(record, Discussion):
        # A contribution: their own agency's, not another's.
        theirs = record.invitations.filter(pk=values["invitation_pk"], user=user).exists()
        return invited if theirs else uninvited
    return invited
