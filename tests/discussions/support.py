"""A strategy discussion built through the real services, ready to record."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import count
from typing import Any

from strategise.cases.models import Child
from strategise.cases.services import child_create
from strategise.discussions.models import Discussion, Invitation
from strategise.discussions.services import InvitationSpec, discussion_convene, discussion_start
from strategise.organisations.models import Role, User
from strategise.policy import LONDON
from strategise.requests.models import StrategyRequest
from strategise.requests.services import request_create
from tests.factories import AgencyFactory, LocalAuthorityFactory, UserFactory

IDENTIFIED = datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)  # a Wednesday
NOW = datetime(2026, 3, 4, 11, 0, tzinfo=LONDON)


# Local case references, as the authority's case management system would give them.
_REFERENCES = count(1001)


def make_child(user: User, name: str, **values: Any) -> Child:
    values = {
        "first_name": name,
        "last_name": "Okafor",
        "date_of_birth": date(2019, 6, 1),
        "local_reference": f"SCT{next(_REFERENCES)}",
        **values,
    }
    return child_create(user=user, values=values, today=NOW.date())


def make_request(user: User, children: list[Child], **changes: Any) -> StrategyRequest:
    arguments: dict[str, Any] = {
        "user": user,
        "identified_at": IDENTIFIED,
        "children": children,
        "concerns": ["physical_abuse"],
        "flags": [],
        "referrer": "",
        "narrative": "Bruising seen at school.",
        "perpetrators": [],
        "now": NOW,
    }
    arguments.update(changes)
    return request_create(**arguments)


def invitations_for(request: StrategyRequest, users: dict[str, User]) -> list[InvitationSpec]:
    """An invitation for each required attendee: to a user where given, else by email."""
    return [
        InvitationSpec(
            agency_code=item["code"],
            required=True,
            reason=item["reason"],
            source=item["source"],
            user=users.get(item["code"]),
            email="" if item["code"] in users else f"{item['code']}@example.org",
            name="" if item["code"] in users else f"Duty {item['code'].replace('_', ' ')}",
        )
        for item in request.triage["attendees"]["required"]
    ]


def started_discussion(
    *,
    worker: User,
    chair: User,
    children: list[Child],
    users: dict[str, User] | None = None,
    minute_taker: User | None = None,
    **request_changes: Any,
) -> Discussion:
    """Raised, convened for an hour's time and started with everyone there."""
    request = make_request(worker, children, **request_changes)
    discussion = discussion_convene(
        user=worker,
        request=request,
        format="virtual",
        scheduled_for=NOW + timedelta(hours=1),
        chair=chair,
        minute_taker=minute_taker,
        invitations=invitations_for(request, users or {}),
        respond_url=lambda invitation: f"https://strategise.test/reply/{invitation.token}/",
        now=NOW,
    )
    attendance = {invitation.pk: "attended" for invitation in discussion.invitations.all()}
    return discussion_start(
        user=chair,
        discussion=discussion,
        attendance=attendance,
        absence_reasons={},
        now=NOW + timedelta(hours=1),
    )


def convened_in(profile: str, *, base: str = "https://strategise.test") -> tuple[Discussion, User]:
    """A discussion of child criminal exploitation convened, for two hours' time, in a new
    authority following ``profile`` (with its usual agencies), and its chair. Invitation
    links start with ``base``."""
    authority = LocalAuthorityFactory.create(name=f"{profile.title()} council", profile=profile)
    for kind in ("childrens_social_care", "police", "health", "education"):
        AgencyFactory.create(local_authority=authority, kind=kind)
    social_care = authority.agencies.get(kind="childrens_social_care")
    worker = UserFactory.create(agency=social_care, role=Role.SOCIAL_WORKER)
    chair = UserFactory.create(agency=social_care, role=Role.PRINCIPAL_OFFICER)
    request = make_request(
        worker, [make_child(worker, "Kemi")], concerns=["child_criminal_exploitation"]
    )
    discussion = discussion_convene(
        user=worker,
        request=request,
        format="virtual",
        scheduled_for=NOW + timedelta(hours=2),
        chair=chair,
        invitations=invitations_for(request, {}),
        respond_url=lambda invitation: f"{base}/invitations/{invitation.token}/",
        now=NOW,
    )
    return discussion, chair


def invitation(discussion: Discussion, code: str) -> Invitation:
    return discussion.invitations.get(agency_code=code)
