"""Reading minutes and their distribution, scoped to the user and audited.

Those who record a discussion (the chair, the minute-taker, the authority's social care)
see every version, drafts included; anyone else who may open the discussion (an invited
agency) sees only versions the chair has approved.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from strategise.access import may_edit_distribution, may_record, visible_discussions
from strategise.audit.services import audit_record
from strategise.clocks.models import Clock
from strategise.discussions.models import Discussion
from strategise.minutes.models import Minutes, MinutesStatus, Recipient, Sending
from strategise.organisations.models import User

# The clocks that distribution meets (minutes_send): the decisions and action points
# circulated, and the minutes distributed.
DISTRIBUTION_CLOCKS = ("decisions_circulated", "minutes_distributed")


def _children(discussion: Discussion) -> list[int]:
    return list(discussion.request.children.values_list("pk", flat=True))


def visible_minutes(user: User, discussion: Discussion) -> QuerySet[Minutes]:
    """The versions of a discussion's minutes the user may see (drafts only for those who
    record it), newest first, each with when it was first sent (``first_sent_at``: None if
    not yet); not audited (the caller's read is)."""
    minutes = Minutes.objects.filter(discussion=discussion)
    if not may_record(user, discussion):
        minutes = minutes.exclude(status=MinutesStatus.DRAFT)
    first_sent = Sending.objects.filter(minutes=OuterRef("pk")).order_by("sent_at")
    return (
        minutes.select_related("drafted_by", "approved_by")
        .annotate(first_sent_at=Subquery(first_sent.values("sent_at")[:1]))
        .order_by("-number")
    )


def minutes_versions(*, user: User, discussion: Discussion) -> list[Minutes]:
    """The versions of a discussion's minutes the user may see, newest first."""
    with transaction.atomic():
        versions = list(visible_minutes(user, discussion))
        if versions:
            audit_record(
                user=user,
                action="list-minutes",
                obj=discussion,
                children=_children(discussion),
                detail={"versions": [m.number for m in versions]},
            )
    return versions


def minutes_get(*, user: User, discussion_pk: int, number: int, purpose: str) -> Minutes:
    """One version of a discussion's minutes (404 unless the user may see it), with the
    read audited: ``purpose`` says how (``preview``, ``reword``, ``pdf`` or ``docx``)."""
    with transaction.atomic():
        discussion = get_object_or_404(
            visible_discussions(user).select_related("request"), pk=discussion_pk
        )
        minutes = get_object_or_404(visible_minutes(user, discussion), number=number)
        audit_record(
            user=user,
            action="download-minutes" if purpose in ("pdf", "docx") else "read-minutes",
            obj=minutes,
            children=_children(discussion),
            detail={"number": number, "as": purpose},
        )
    return minutes


@dataclass(frozen=True)
class Distribution:
    """Who the minutes go to and what each was sent, against the distribution clocks."""

    recipients: list[Recipient]
    clocks: list[Clock]
    approved: Minutes | None


def distribution_get(*, user: User, discussion: Discussion) -> Distribution:
    """The distribution list with each recipient's sendings (recorders only: 404 otherwise)."""
    if not may_record(user, discussion):
        raise Http404
    with transaction.atomic():
        recipients = list(
            discussion.recipients.prefetch_related(
                "sendings__minutes", "sendings__sent_by"
            ).select_related("confirmed_by")
        )
        distribution = Distribution(
            recipients=recipients,
            clocks=list(discussion.clocks.filter(code__in=DISTRIBUTION_CLOCKS)),
            approved=Minutes.objects.filter(
                discussion=discussion, status=MinutesStatus.APPROVED
            ).first(),
        )
        audit_record(
            user=user,
            action="view-distribution",
            obj=discussion,
            children=_children(discussion),
            detail={"recipients": len(recipients)},
        )
    return distribution


def recipient_get(*, user: User, discussion: Discussion, pk: int) -> Recipient:
    """One line of a discussion's distribution list, to change it (only those who may edit
    the list: 404 otherwise)."""
    if not may_edit_distribution(user, discussion):
        raise Http404
    with transaction.atomic():
        recipient = get_object_or_404(discussion.recipients.all(), pk=pk)
        audit_record(user=user, action="view", obj=recipient, children=_children(discussion))
    return recipient
