"""Reading discussions and each user's work, scoped to the user and audited."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404

from strategise.access import (
    invitation_is_theirs,
    may_read_written_report,
    may_reply_by_link,
    visible_discussions,
)
from strategise.actions.models import Action
from strategise.audit.listing import Listed, audited_page
from strategise.audit.services import audit_record
from strategise.cases.models import Child
from strategise.clocks.models import Clock
from strategise.discussions.models import (
    Attendance,
    ChildDecision,
    Correction,
    Discussion,
    DiscussionRecord,
    DiscussionStatus,
    Dissent,
    Invitation,
    LanguageAcceptance,
    Response,
    WrittenReport,
)
from strategise.discussions.participation import deputy_covers
from strategise.minutes.models import Minutes
from strategise.minutes.selectors import visible_minutes
from strategise.organisations.models import User
from strategise.policy import LONDON
from strategise.requests.models import StrategyRequest
from strategise.requests.selectors import children_of_requests

# The clocks a reconvened discussion is measured against (Sandwell §2.0): the interval
# since the last discussion, and the limit on the whole process from the first.
INTERVAL_CLOCK = "next_discussion_by"
LIMIT_CLOCK = "process_concluded"


@dataclass(frozen=True)
class Quorum:
    """Whether the required agencies are (or, before it starts, will be) there."""

    quorate: bool
    missing: list[Invitation]


def discussion_quorum(discussion: Discussion, invitations: list[Invitation]) -> Quorum:
    """Quorate when every required invitee attended or, before it starts, has accepted."""
    started = discussion.status != DiscussionStatus.SCHEDULED

    def present(invitation: Invitation) -> bool:
        if invitation.attendance:
            return invitation.attendance == Attendance.ATTENDED
        return not started and invitation.response == Response.ACCEPTED

    missing = [
        i
        for i in invitations
        if i.required and not present(i) and not deputy_covers(i, invitations)
    ]
    return Quorum(quorate=not missing, missing=missing)


@dataclass(frozen=True)
class ChainLink:
    """One discussion of a request's chain (the first, then each reconvening), measured
    against the procedure's interval and overall limit where its clocks set them."""

    discussion: Discussion
    when: datetime
    interval_days: int | None
    interval_clock: Clock | None
    over_interval: bool
    limit_clock: Clock | None
    over_limit: bool


def _day(moment: datetime) -> datetime:
    return moment.astimezone(LONDON)


def discussion_chain(discussions: list[Discussion], clocks: list[Clock]) -> list[ChainLink]:
    """Each discussion with the days since the one it reconvenes, flagged when it is later
    than that one's interval clock or the first discussion's overall limit."""
    by_discussion = {(c.discussion_id, c.code): c for c in clocks}
    first = discussions[0] if discussions else None
    limit = by_discussion.get((first.pk, LIMIT_CLOCK)) if first else None
    when = {d.pk: d.held_at or d.started_at or d.scheduled_for for d in discussions}
    links = []
    for discussion in discussions:
        moment = when[discussion.pk]
        previous = when.get(discussion.previous_id) if discussion.previous_id else None
        interval = by_discussion.get((discussion.previous_id, INTERVAL_CLOCK))
        links.append(
            ChainLink(
                discussion=discussion,
                when=moment,
                interval_days=(
                    (_day(moment).date() - _day(previous).date()).days
                    if previous is not None
                    else None
                ),
                interval_clock=interval,
                over_interval=interval is not None and moment > interval.due_at,
                limit_clock=limit if discussion.previous_id else None,
                over_limit=(
                    discussion.previous_id is not None
                    and limit is not None
                    and moment > limit.due_at
                ),
            )
        )
    return links


@dataclass(frozen=True)
class DiscussionDetail:
    discussion: Discussion
    request: StrategyRequest
    children: list[Child]
    invitations: list[Invitation]
    actions: list[Action]
    quorum: Quorum
    my_invitation: Invitation | None
    record: DiscussionRecord | None
    decisions: dict[int, ChildDecision]
    dissents: list[Dissent]
    chain: list[ChainLink]
    clocks: list[Clock]
    # The correction of its record open now, if there is one (``discussions.corrections``).
    correction: Correction | None = None
    # The versions of its minutes the user may see, newest first (drafts only for those
    # who record it), when asked for: read in the same audited read as the discussion.
    minutes: list[Minutes] | None = None
    # Flagged words of its record the chair kept, with the reasons (``discussions.language``).
    language_acceptances: list[LanguageAcceptance] = field(default_factory=list)

    @property
    def locked(self) -> bool:
        """Whether its record is read-only: concluded, and no correction is open."""
        return self.discussion.status == DiscussionStatus.HELD and self.correction is None


def discussion_get(*, user: User, pk: int, minutes: bool = False) -> DiscussionDetail:
    """One discussion the user may see (404 otherwise), with what has been recorded of it
    and the chain of discussions it belongs to (and, with ``minutes``, the versions of its
    minutes the user may see); the read is audited, as one event."""
    with transaction.atomic():
        discussion = get_object_or_404(
            visible_discussions(user).select_related(
                "request", "chair", "minute_taker", "local_authority"
            ),
            pk=pk,
        )
        invitations = list(
            discussion.invitations.select_related(
                "user", "agency", "contribution", "written_report", "deputy_for"
            ).defer("written_report__content")
        )
        children = list(discussion.request.children.order_by("pk"))
        chain = list(
            visible_discussions(user)
            .filter(request_id=discussion.request_id)
            .order_by("scheduled_for", "pk")
        )
        clocks = list(
            Clock.objects.filter(discussion__in=[d.pk for d in chain]).order_by("due_at", "pk")
        )
        detail = DiscussionDetail(
            discussion=discussion,
            request=discussion.request,
            children=children,
            invitations=invitations,
            actions=list(discussion.actions.select_related("owner").prefetch_related("children")),
            quorum=discussion_quorum(discussion, invitations),
            my_invitation=next((i for i in invitations if invitation_is_theirs(user, i)), None),
            record=DiscussionRecord.objects.filter(discussion=discussion).first(),
            decisions={
                d.child_id: d
                for d in discussion.decisions.select_related("child", "nfa_confirmed_by")
            },
            dissents=list(discussion.dissents.select_related("invitation", "recorded_by")),
            chain=discussion_chain(chain, clocks),
            clocks=[c for c in clocks if c.discussion_id == discussion.pk],
            correction=Correction.objects.filter(
                discussion=discussion, closed_at__isnull=True
            ).first(),
            language_acceptances=list(
                discussion.language_acceptances.select_related("accepted_by")
            ),
        )
        versions = list(visible_minutes(user, discussion)) if minutes else None
        detail = replace(detail, minutes=versions)
        audit_record(
            user=user,
            action="view",
            obj=discussion,
            children=[c.pk for c in children],
            detail={"minutes": [m.number for m in versions]} if versions else None,
        )
    return detail


def invitation_by_token(token: str, *, user: User | AnonymousUser | None = None) -> Invitation:
    """The invitation behind a private reply link, read audited: 404 if there is none, or if
    ``user`` is signed in as someone other than its invitee."""
    with transaction.atomic():
        invitation = get_object_or_404(
            Invitation.objects.select_related("discussion", "discussion__chair"), token=token
        )
        if user is not None and not may_reply_by_link(user, invitation):
            raise Http404
        audit_record(
            user=user if isinstance(user, User) else None,
            action="view-by-link",
            obj=invitation,
            authority=invitation.discussion.local_authority_id,
            children=list(invitation.discussion.request.children.values_list("pk", flat=True)),
        )
    return invitation


def written_report_get(*, user: User, discussion_pk: int, pk: int) -> WrittenReport:
    """A written report sent for a discussion (404 unless ``access.may_read_written_report``),
    its file included; the read is audited."""
    with transaction.atomic():
        discussion = get_object_or_404(visible_discussions(user), pk=discussion_pk)
        report = get_object_or_404(
            WrittenReport.objects.select_related("invitation__discussion"),
            pk=pk,
            invitation__discussion=discussion,
        )
        if not may_read_written_report(user, report):
            raise Http404
        audit_record(
            user=user,
            action="download-written-report",
            obj=report,
            children=list(discussion.request.children.values_list("pk", flat=True)),
            detail={"file": report.file_kind, "bytes": report.file_size},
        )
    return report


def invitation_children(invitation: Invitation, *, user: User | None) -> list[Child]:
    """The children an invitation is about, for an invitee who has confirmed who they are
    (Sandwell §3.0: full names and dates of birth go with the invitation); audited."""
    with transaction.atomic():
        children = list(invitation.discussion.request.children.order_by("pk"))
        audit_record(
            user=user,
            action="read-children-by-link",
            obj=invitation,
            authority=invitation.discussion.local_authority_id,
            children=[child.pk for child in children],
        )
    return children


def discussion_list(
    *, user: User, before: int | None = None, limit: int = 25, status: str = ""
) -> Listed[Discussion]:
    """A page of the discussions the user may see, newest first (of ``status``, if given)."""
    discussions = visible_discussions(user).select_related("chair")
    if status:
        discussions = discussions.filter(status=status)

    return audited_page(
        user=user,
        records=discussions,
        before=before,
        limit=limit,
        children_of=lambda listed: children_of_requests(d.request_id for d in listed),
        detail={"status": status} if status else None,
    )
