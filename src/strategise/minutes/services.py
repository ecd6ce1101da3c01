"""Drafting, approving, correcting and distributing minutes.

The minute-taker (or chair) drafts; only the chair approves. An approved version is
frozen; a correction is a new version with its reason. Sending records, for each
recipient, when and how each version went, and meets the distribution clocks.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.core.mail import EmailMessage
from django.db import transaction

from strategise.access import may_record
from strategise.audit.services import audit_record
from strategise.clocks.services import clock_meet
from strategise.discussions.models import Discussion, DiscussionStatus
from strategise.minutes.content import minutes_document, read_record
from strategise.minutes.models import Method, Minutes, MinutesStatus, Recipient, Sending
from strategise.minutes.wording import WORDING_LIMIT, kept_wording, passages, with_wording
from strategise.organisations.models import User
from strategise.policy import vocabulary
from strategise.problems import Problem

#: What a draft says it is, in every format, until the chair approves it.
DRAFT_STATUS = "DRAFT: not yet approved by the chair"


def _children(discussion: Discussion) -> list[int]:
    return list(discussion.request.children.values_list("pk", flat=True))


def minutes_draft(
    *, user: User, discussion: Discussion, now: datetime, correction_reason: str = ""
) -> Minutes:
    """Draft the minutes from the record. Redrafting an unapproved draft regenerates it,
    keeping the minute-taker's wording of any passage still there, as a new revision."""
    if not may_record(user, discussion):
        raise Problem(
            "Only the chair, the minute-taker or children's social care can draft minutes"
        )
    if discussion.status != DiscussionStatus.HELD:
        raise Problem("Conclude the discussion before drafting its minutes")
    with transaction.atomic(durable=True):
        existing = list(Minutes.objects.select_for_update().filter(discussion=discussion))
        draft = next((m for m in existing if m.status == MinutesStatus.DRAFT), None)
        approved = [m for m in existing if m.status == MinutesStatus.APPROVED]
        if approved and draft is None and not correction_reason.strip():
            raise Problem(
                "These minutes are approved: give the reason for the correction",
                "correction_reason",
            )
        number = draft.number if draft else (max((m.number for m in existing), default=0) + 1)
        generated = minutes_document(read_record(discussion), status=DRAFT_STATUS, draft=True)
        if draft is None:
            draft = Minutes(discussion=discussion, number=number, revision=0)
        draft.generated = generated
        draft.wording = kept_wording(generated, draft.wording or {})
        draft.document = with_wording(generated, draft.wording)
        draft.revision += 1
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
            detail={
                "number": number,
                "revision": draft.revision,
                "correction": bool(draft.correction_reason),
                "reworded": sorted(draft.wording),
            },
        )
    return draft


def _locked_draft(minutes: Minutes, revision: int, doing: str) -> Minutes:
    """The draft, locked, if it is still the revision the user read; else a Problem."""
    locked = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if locked.status != MinutesStatus.DRAFT:
        raise Problem(f"Version {locked.number} is no longer a draft: it cannot be {doing}")
    if locked.revision != revision:
        raise Problem(
            f"The draft of version {locked.number} has changed since you opened this page "
            f"(it was redrafted or reworded): it has not been {doing}. Read it again, with "
            "what was changed, then try again"
        )
    return locked


def minutes_reword(
    *, user: User, minutes: Minutes, wording: dict[str, str], revision: int
) -> Minutes:
    """The minute-taker rewords passages of a draft (a summary, not a transcript). A
    passage given its generated text again prints as generated."""
    if not may_record(user, minutes.discussion):
        raise Problem(
            "Only the chair, the minute-taker or children's social care can word the minutes"
        )
    editable = {passage.id: passage for passage in passages(minutes.generated)}
    unknown = sorted(set(wording) - set(editable))
    if unknown:
        raise Problem(f"The minutes have no passage {unknown[0]!r}: reload the page")
    errors: list[tuple[str | None, str]] = []
    for key, text in wording.items():
        heading = editable[key].heading
        if not text.strip():
            errors.append((f"passage-{key}", f"Enter the wording of “{heading}”"))
        elif len(text) > WORDING_LIMIT:
            errors.append(
                (
                    f"passage-{key}",
                    f"Keep “{heading}” to {WORDING_LIMIT:,} characters or fewer",
                )
            )
    if errors:
        raise Problem.many(errors)
    with transaction.atomic(durable=True):
        locked = _locked_draft(minutes, revision, "reworded")
        changed = {**locked.wording, **{key: text.strip() for key, text in wording.items()}}
        locked.wording = kept_wording(locked.generated, changed)
        locked.document = with_wording(locked.generated, locked.wording)
        locked.revision += 1
        locked.save(update_fields=["wording", "document", "revision"])
        audit_record(
            user=user,
            action="reword-minutes",
            obj=locked,
            children=_children(locked.discussion),
            detail={
                "number": locked.number,
                "revision": locked.revision,
                "reworded": sorted(locked.wording),
            },
        )
    return locked


def minutes_approve(*, user: User, minutes: Minutes, revision: int, now: datetime) -> Minutes:
    """The chair approves the draft's ``revision``, the one they read, exactly as it
    reads: it is frozen, and any earlier approved version superseded."""
    discussion = minutes.discussion
    if user.pk != discussion.chair_id:
        raise Problem("Only the chair can approve the minutes")
    if minutes.status != MinutesStatus.DRAFT:
        raise Problem("Only a draft can be approved: these minutes are already approved")
    with transaction.atomic(durable=True):
        locked = _locked_draft(minutes, revision, "approved")
        Minutes.objects.filter(discussion=discussion, status=MinutesStatus.APPROVED).update(
            status=MinutesStatus.SUPERSEDED
        )
        document = with_wording(locked.generated, locked.wording)
        document["status"] = f"Approved version {locked.number}"
        document["draft"] = False
        document["meta"].append(["Approved", f"{user}, {now:%-d %B %Y}"])
        if locked.correction_reason:
            document["meta"].append(["Correction", locked.correction_reason])
        locked.document = document
        locked.status = MinutesStatus.APPROVED
        locked.approved_by = user
        locked.approved_at = now
        locked.save(update_fields=["document", "status", "approved_by", "approved_at"])
        audit_record(
            user=user,
            action="approve-minutes",
            obj=locked,
            children=_children(discussion),
            detail={"number": locked.number, "revision": locked.revision},
        )
    return locked


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
