"""Drafting, approving, correcting and distributing minutes.

The minute-taker (or chair) drafts; only the chair approves. An approved version is
frozen; a correction is a new version with its reason. Sending records, for each
recipient, when and how each version went, and meets the distribution clocks.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.core.mail import EmailMessage
from django.db import transaction

from strategise.access import may_record
from strategise.audit.services import audit_record
from strategise.clocks.services import clock_meet
from strategise.discussions.models import (
    Correction,
    Discussion,
    DiscussionRecord,
    DiscussionStatus,
)
from strategise.minutes.content import minutes_document
from strategise.minutes.models import Method, Minutes, MinutesStatus, Recipient, Sending
from strategise.organisations.models import User
from strategise.policy import vocabulary
from strategise.problems import Problem


def _children(discussion: Discussion) -> list[int]:
    return list(discussion.request.children.values_list("pk", flat=True))


def _document(discussion: Discussion, status: str, *, draft: bool) -> dict[str, Any]:
    return minutes_document(
        discussion=discussion,
        record=DiscussionRecord.objects.filter(discussion=discussion).first(),
        invitations=list(
            discussion.invitations.select_related("contribution", "user").order_by(
                "-required", "pk"
            )
        ),
        children=list(discussion.request.children.order_by("pk")),
        decisions=list(discussion.decisions.select_related("child", "nfa_confirmed_by")),
        dissents=list(discussion.dissents.select_related("invitation")),
        actions=list(discussion.actions.select_related("owner")),
        status=status,
        draft=draft,
    )


def minutes_draft(
    *, user: User, discussion: Discussion, now: datetime, correction_reason: str = ""
) -> Minutes:
    """Draft the minutes from the record (redrafting replaces an unapproved draft)."""
    if not may_record(user, discussion):
        raise Problem(
            "Only the chair, the minute-taker or children's social care can draft minutes"
        )
    if discussion.status != DiscussionStatus.HELD:
        raise Problem("Conclude the discussion before drafting its minutes")
    with transaction.atomic(durable=True):
        _correction_closed(discussion, "drafting")
        return _draft(
            user=user, discussion=discussion, now=now, correction_reason=correction_reason
        )


def minutes_redraft_corrected(
    *, user: User, discussion: Discussion, now: datetime, correction_reason: str
) -> Minutes | None:
    """Inside the transaction that closes a correction of the record: the next version of
    the minutes, drafted from the corrected record with the correction's reason (none if
    no minutes were drafted before). An approved version stays as it was, until the new
    one is approved and supersedes it."""
    with transaction.atomic():
        if not Minutes.objects.filter(discussion=discussion).exists():
            return None
        return _draft(
            user=user, discussion=discussion, now=now, correction_reason=correction_reason
        )


def _correction_closed(discussion: Discussion, doing: str) -> None:
    if Correction.objects.filter(discussion=discussion, closed_at__isnull=True).exists():
        raise Problem(
            f"The record is being corrected: close the correction before {doing} the minutes"
        )


def _draft(*, user: User, discussion: Discussion, now: datetime, correction_reason: str) -> Minutes:
    existing = list(Minutes.objects.select_for_update().filter(discussion=discussion))
    draft = next((m for m in existing if m.status == MinutesStatus.DRAFT), None)
    approved = [m for m in existing if m.status == MinutesStatus.APPROVED]
    if approved and draft is None and not correction_reason.strip():
        raise Problem(
            "These minutes are approved: give the reason for the correction",
            "correction_reason",
        )
    number = draft.number if draft else (max((m.number for m in existing), default=0) + 1)
    document = _document(discussion, "DRAFT: not yet approved by the chair", draft=True)
    if draft is None:
        draft = Minutes(discussion=discussion, number=number)
    draft.document = document
    draft.drafted_by = user
    draft.drafted_at = now
    if correction_reason.strip():
        draft.correction_reason = correction_reason.strip()
    draft.save()
    audit_record(
        user=user,
        action="draft-minutes",
        obj=draft,
        children=_children(discussion),
        detail={"number": number, "correction": bool(draft.correction_reason)},
    )
    return draft


def minutes_approve(*, user: User, minutes: Minutes, now: datetime) -> Minutes:
    """The chair approves a draft; it is frozen, and any earlier approved version superseded."""
    discussion = minutes.discussion
    if user.pk != discussion.chair_id:
        raise Problem("Only the chair can approve the minutes")
    if minutes.status != MinutesStatus.DRAFT:
        raise Problem("Only a draft can be approved: these minutes are already approved")
    with transaction.atomic(durable=True):
        locked = Minutes.objects.select_for_update().get(pk=minutes.pk)
        if locked.status != MinutesStatus.DRAFT or locked.drafted_at != minutes.drafted_at:
            raise Problem(
                "Someone else changed these minutes while you were approving them: reload the page"
            )
        _correction_closed(discussion, "approving")
        Minutes.objects.filter(discussion=discussion, status=MinutesStatus.APPROVED).update(
            status=MinutesStatus.SUPERSEDED
        )
        minutes.document = _document(discussion, f"Approved version {minutes.number}", draft=False)
        minutes.document["meta"].append(["Approved", f"{user}, {now:%-d %B %Y}"])
        if minutes.correction_reason:
            minutes.document["meta"].append(["Correction", minutes.correction_reason])
        minutes.status = MinutesStatus.APPROVED
        minutes.approved_by = user
        minutes.approved_at = now
        minutes.save(update_fields=["document", "status", "approved_by", "approved_at"])
        audit_record(
            user=user,
            action="approve-minutes",
            obj=minutes,
            children=_children(discussion),
            detail={"number": minutes.number},
        )
    return minutes


def recipients_build(*, user: User, discussion: Discussion) -> list[Recipient]:
    """The distribution list: every invitee (attended or not) and the procedure's others."""
    if not may_record(user, discussion):
        raise Problem("Only the chair, the minute-taker or children's social care can do this")
    with transaction.atomic(durable=True):
        existing = {r.invitation_id for r in discussion.recipients.all() if r.invitation_id}
        roles = {r.role for r in discussion.recipients.all()}
        created = [
            Recipient(
                discussion=discussion,
                invitation=invitation,
                role="Invited: "
                + vocabulary.ATTENDEES.get(invitation.agency_code, invitation.agency_code),
                name=invitation.name,
                email=invitation.email,
                method=Method.EMAIL if invitation.email else Method.SYSTEM,
                source=invitation.source,
            )
            for invitation in discussion.invitations.order_by("pk")
            if invitation.pk not in existing
        ]
        created += [
            Recipient(
                discussion=discussion,
                role=item["recipient"],
                method=Method.SECURE_EMAIL,
                source=item["source"],
            )
            for item in discussion.request.triage.get("distribution", [])
            if item["recipient"] not in roles
        ]
        Recipient.objects.bulk_create(created)
        audit_record(
            user=user,
            action="build-distribution",
            object_type="minutes.Recipient",
            children=_children(discussion),
            detail={"added": len(created)},
        )
    return list(discussion.recipients.all())


def recipient_update(
    *, user: User, recipient: Recipient, name: str, email: str, method: str, included: bool
) -> Recipient:
    """Edit one line of the distribution list."""
    if not may_record(user, recipient.discussion):
        raise Problem("Only the chair, the minute-taker or children's social care can do this")
    if method not in Method.values:
        raise Problem("Choose how the minutes are sent", "method")
    if included and method in (Method.EMAIL, Method.SECURE_EMAIL) and not email.strip():
        raise Problem(f"Enter an email address for {recipient.role}", "email")
    with transaction.atomic(durable=True):
        recipient.name, recipient.email = name.strip(), email.strip()
        recipient.method, recipient.included = method, included
        recipient.save(update_fields=["name", "email", "method", "included"])
        audit_record(
            user=user,
            action="edit-distribution",
            obj=recipient,
            children=_children(recipient.discussion),
        )
    return recipient


def minutes_send(
    *,
    user: User,
    minutes: Minutes,
    now: datetime,
    pdf: Callable[[dict[str, object]], bytes],
) -> list[Sending]:
    """Send approved minutes to every included recipient not yet sent this version."""
    discussion = minutes.discussion
    if not may_record(user, discussion):
        raise Problem("Only the chair, the minute-taker or children's social care can send minutes")
    if minutes.status != MinutesStatus.APPROVED:
        raise Problem("Only approved minutes can be sent: ask the chair to approve them")
    recipients = [
        r
        for r in discussion.recipients.filter(included=True)
        if not r.sendings.filter(minutes=minutes).exists()
    ]
    if not recipients:
        raise Problem("Everyone on the distribution list has been sent this version")
    missing = [
        r for r in recipients if r.method in (Method.EMAIL, Method.SECURE_EMAIL) and not r.email
    ]
    if missing:
        raise Problem.many(
            [("recipients", f"Enter an email address for {r.role} before sending") for r in missing]
        )
    attachment = pdf(minutes.document)
    with transaction.atomic(durable=True):
        # Locked, and who is still to be sent it read again: two sends at once send once.
        Minutes.objects.select_for_update().get(pk=minutes.pk)
        unsent = set(
            discussion.recipients.filter(included=True)
            .exclude(sendings__minutes=minutes)
            .values_list("pk", flat=True)
        )
        recipients = [r for r in recipients if r.pk in unsent]
        if not recipients:
            raise Problem("Everyone on the distribution list has been sent this version")
        sent = Sending.objects.bulk_create(
            Sending(minutes=minutes, recipient=r, method=r.method, sent_at=now, sent_by=user)
            for r in recipients
        )
        for recipient in recipients:
            if recipient.method in (Method.EMAIL, Method.SECURE_EMAIL):
                message = EmailMessage(
                    subject=(
                        f"Minutes of strategy discussion {discussion.pk} (version {minutes.number})"
                    ),
                    body=(
                        "The approved minutes of the strategy discussion are attached. They are "
                        "OFFICIAL-SENSITIVE: keep them secure and share only as they say."
                    ),
                    to=[recipient.email],
                )
                message.attach(
                    f"strategy-discussion-{discussion.pk}-minutes-v{minutes.number}.pdf",
                    attachment,
                    "application/pdf",
                )
                transaction.on_commit(message.send)
        audit_record(
            user=user,
            action="send-minutes",
            obj=minutes,
            children=_children(discussion),
            detail={"recipients": [r.pk for r in recipients]},
        )
        everyone = not (
            discussion.recipients.filter(included=True).exclude(sendings__minutes=minutes).exists()
        )
        clock_meet(discussion=discussion, code="decisions_circulated", at=now, user=user)
        if everyone:
            clock_meet(discussion=discussion, code="minutes_distributed", at=now, user=user)
    return sent
