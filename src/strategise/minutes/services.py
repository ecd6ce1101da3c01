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
from django.utils import timezone

from strategise.access import may_confirm_outside_address, may_edit_distribution, may_record
from strategise.audit.services import audit_record
from strategise.clocks.services import clock_meet
from strategise.discussions.language import RecordFlag, language_accept_within
from strategise.discussions.models import (
    Correction,
    Discussion,
    DiscussionStatus,
    LanguageAcceptance,
)
from strategise.integrations.models import Event
from strategise.integrations.services import webhook_emit
from strategise.minutes.content import (
    Record,
    flags_of_record,
    language_annex,
    minutes_document,
    read_record,
    record_updates,
    with_annex,
)
from strategise.minutes.language import minutes_flags, unaccepted
from strategise.minutes.models import (
    EMAILED,
    Delivery,
    Method,
    Minutes,
    MinutesStatus,
    Recipient,
    RecipientChange,
    Sending,
)
from strategise.minutes.wording import WORDING_LIMIT, kept_wording, passages, with_wording
from strategise.organisations.models import MinutesDelivery, User
from strategise.policy import vocabulary
from strategise.problems import Problem

#: What a draft says it is, in every format, until the chair approves it.
DRAFT_STATUS = "DRAFT: not yet approved by the chair"

EDITORS = (
    "Only the chair, the minute-taker or a team manager (or above) can change the distribution list"
)


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
    """Draft (or redraft, as a new revision) the minutes from the record, keeping the
    minute-taker's wording of any passage still there (inside a transaction)."""
    existing = list(Minutes.objects.select_for_update().filter(discussion=discussion))
    draft = next((m for m in existing if m.status == MinutesStatus.DRAFT), None)
    approved = [m for m in existing if m.status == MinutesStatus.APPROVED]
    if approved and draft is None and not correction_reason.strip():
        raise Problem(
            "These minutes are approved: give the reason for the correction",
            "correction_reason",
        )
    number = draft.number if draft else (max((m.number for m in existing), default=0) + 1)
    made_from = read_record(discussion)
    generated = minutes_document(made_from, status=DRAFT_STATUS, draft=True)
    if draft is None:
        draft = Minutes(discussion=discussion, number=number, revision=0)
    draft.generated = generated
    draft.wording = kept_wording(generated, draft.wording or {})
    if correction_reason.strip():
        draft.correction_reason = correction_reason.strip()
    draft.document = _printed(made_from, draft)
    draft.revision += 1
    draft.drafted_by = user
    draft.drafted_at = now
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


def _own_flags(made_from: Record, minutes: Minutes) -> list[RecordFlag]:
    """The flags of the free text the minutes print beyond the record (their wording, the
    contributions' updates, the reasons for corrections), with the chair's acceptances."""
    return minutes_flags(
        discussion=made_from.discussion,
        draft=minutes,
        updates=record_updates(made_from),
        corrections=made_from.corrections,
        accepted=made_from.language_acceptances,
    )


def _printed(made_from: Record, minutes: Minutes) -> dict[str, Any]:
    """What a draft prints: the document generated from the record with the minute-taker's
    wording in place, and its annex listing every flag the chair kept, of the record and
    of the minutes' own words."""
    flags = [*flags_of_record(made_from), *_own_flags(made_from, minutes)]
    document = with_wording(minutes.generated, minutes.wording)
    return with_annex(document, language_annex(flags))


def minutes_language_accept(
    *, user: User, discussion: Discussion, flag: RecordFlag, reason: str, now: datetime
) -> LanguageAcceptance:
    """The chair keeps flagged words of the record or of the minutes, with the reason
    (``language_accept``, audited); a draft being worded lists them in its annex at once."""
    with transaction.atomic(durable=True):
        acceptance = language_accept_within(
            user=user, discussion=discussion, flag=flag, reason=reason, now=now
        )
        draft = (
            Minutes.objects.select_for_update()
            .filter(discussion=discussion, status=MinutesStatus.DRAFT)
            .first()
        )
        if draft is not None:
            draft.document = _printed(read_record(discussion), draft)
            draft.save(update_fields=["document"])
    return acceptance


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
        locked.document = _printed(read_record(locked.discussion), locked)
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
        _correction_closed(discussion, "approving")
        made_from = read_record(discussion)
        not_kept = unaccepted(_own_flags(made_from, locked))
        if not_kept:
            raise Problem.many(
                [
                    (
                        "language",
                        f"Keep the words “{flag.flag.text}” in {flag.where.label} with a "
                        "reason, or change them, before approving: the minutes carry no "
                        "flagged words the chair did not keep",
                    )
                    for flag in not_kept
                ]
            )
        Minutes.objects.filter(discussion=discussion, status=MinutesStatus.APPROVED).update(
            status=MinutesStatus.SUPERSEDED
        )
        document = _printed(made_from, locked)
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
        webhook_emit(event=Event.MINUTES_APPROVED, subject=locked, now=now)
    return locked


def _change(
    recipient: Recipient, *, user: User, now: datetime, confirmed: bool, reason: str
) -> RecipientChange:
    """The version of a line of the distribution list as it now stands."""
    return RecipientChange(
        recipient=recipient,
        version=recipient.version,
        changed_at=now,
        changed_by=user,
        name=recipient.name,
        email=recipient.email,
        method=recipient.method,
        included=recipient.included,
        confirmed=confirmed,
        reason=reason,
    )


def recipients_build(
    *, user: User, discussion: Discussion, now: datetime | None = None
) -> list[Recipient]:
    """The distribution list: every invitee (attended or not) and the procedure's others."""
    if not may_edit_distribution(user, discussion):
        raise Problem(EDITORS)
    now = now or timezone.now()
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
        RecipientChange.objects.bulk_create(
            _change(recipient, user=user, now=now, confirmed=False, reason="")
            for recipient in created
        )
        audit_record(
            user=user,
            action="build-distribution",
            object_type="minutes.Recipient",
            children=_children(discussion),
            detail={
                "added": len(created),
                "recipients": [[r.pk, r.email, r.method] for r in created],
            },
        )
    return list(discussion.recipients.all())


def recipient_update(
    *,
    user: User,
    recipient: Recipient,
    name: str,
    email: str,
    method: str,
    included: bool,
    reason: str = "",
    now: datetime | None = None,
) -> Recipient:
    """Edit one line of the distribution list, as a new version of it.

    An address outside the authority's secure domains needs a team manager's (or above)
    confirmation with the reason: given by one, it is confirmed as it is saved; saved by
    anyone else, it waits for one, and the minutes cannot go to it until then.
    """
    discussion = recipient.discussion
    if not may_edit_distribution(user, discussion):
        raise Problem(EDITORS)
    if method not in Method.values:
        raise Problem("Choose how the minutes are sent", "method")
    email, reason = email.strip(), reason.strip()
    if included and method in EMAILED and not email:
        raise Problem(f"Enter an email address for {recipient.role}", "email")
    now = now or timezone.now()
    authority = discussion.local_authority
    with transaction.atomic(durable=True):
        locked = Recipient.objects.select_for_update().get(pk=recipient.pk)
        before = {"email": locked.email, "method": locked.method, "included": locked.included}
        if locked.email.lower() != email.lower():
            locked.confirmed_email, locked.confirmed_by = "", None
            locked.confirmed_at, locked.confirmed_reason = None, ""
        locked.name, locked.email = name.strip(), email
        locked.method, locked.included = method, included
        confirming = locked.awaiting_confirmation(authority) and may_confirm_outside_address(
            user, discussion
        )
        if confirming:
            if not reason:
                raise Problem(
                    f"{email} is not at one of {authority}'s secure domains "
                    f"({', '.join(authority.secure_domain_list)}): give the reason the minutes "
                    "may go to it",
                    "reason",
                )
            locked.confirmed_email, locked.confirmed_by = email, user
            locked.confirmed_at, locked.confirmed_reason = now, reason
        locked.version += 1
        locked.save()
        _change(locked, user=user, now=now, confirmed=confirming, reason=reason).save()
        audit_record(
            user=user,
            action="confirm-outside-address" if confirming else "edit-distribution",
            obj=locked,
            children=_children(discussion),
            detail={
                "version": locked.version,
                "before": before,
                "after": {"email": email, "method": method, "included": included},
                **({"reason": reason} if reason else {}),
            },
        )
    return locked


def _minutes_email(
    *, recipient: Recipient, minutes: Minutes, delivery: str, read_link: str, attachment: bytes
) -> EmailMessage:
    """The email that carries (or points to) the minutes: never a word of the case."""
    discussion = minutes.discussion
    if delivery == Delivery.ATTACHED:
        body = (
            "The approved minutes of the strategy discussion are attached. They are "
            "OFFICIAL-SENSITIVE: keep them secure and share only as they say."
        )
    else:
        body = (
            f"Version {minutes.number} of the approved minutes of the strategy discussion is "
            f"ready. Sign in to Strategise to read it: {read_link}\n\nThe minutes are not "
            "attached to this email because they are OFFICIAL-SENSITIVE. If you cannot sign "
            "in, ask the chair to send them to a secure address."
        )
    message = EmailMessage(
        subject=f"Minutes of strategy discussion {discussion.pk} (version {minutes.number})",
        body=body,
        to=[recipient.email],
    )
    if delivery == Delivery.ATTACHED:
        message.attach(
            f"strategy-discussion-{discussion.pk}-minutes-v{minutes.number}.pdf",
            attachment,
            "application/pdf",
        )
    return message


def minutes_send(
    *,
    user: User,
    minutes: Minutes,
    now: datetime,
    pdf: Callable[[dict[str, object]], bytes],
    read_link: str,
) -> list[Sending]:
    """Send approved minutes to every included recipient not yet sent this version.

    Each sending records the address it went to and how: the PDF attached, or (for an
    address outside the secure domains, or where the authority says everyone signs in) a
    link to ``read_link``, the discussion's page, where the recipient signs in to read it.
    """
    discussion = minutes.discussion
    authority = discussion.local_authority
    if not may_edit_distribution(user, discussion):
        raise Problem(
            "Only the chair, the minute-taker or a team manager (or above) can send minutes"
        )
    if minutes.status != MinutesStatus.APPROVED:
        raise Problem("Only approved minutes can be sent: ask the chair to approve them")
    recipients = list(
        discussion.recipients.filter(included=True).exclude(sendings__minutes=minutes)
    )
    if not recipients:
        raise Problem("Everyone on the distribution list has been sent this version")
    problems: list[tuple[str | None, str]] = [
        ("recipients", f"Enter an email address for {r.role} before sending")
        for r in recipients
        if r.emailed and not r.email
    ]
    problems += [
        (
            "recipients",
            f"A team manager must confirm {r.email} for {r.role} before the minutes go to it: "
            "it is not at one of the authority's secure domains",
        )
        for r in recipients
        if r.awaiting_confirmation(authority)
    ]
    if problems:
        raise Problem.many(problems)
    attachment = pdf(minutes.document)

    def delivery(recipient: Recipient) -> str:
        if not recipient.emailed:
            return ""
        attach = authority.minutes_delivery == MinutesDelivery.ATTACH_TO_SECURE
        secure = authority.is_secure_address(recipient.email)
        return Delivery.ATTACHED if attach and secure else Delivery.SIGN_IN

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
            Sending(
                minutes=minutes,
                recipient=r,
                method=r.method,
                address=r.email if r.emailed else "",
                delivery=delivery(r),
                sent_at=now,
                sent_by=user,
            )
            for r in recipients
        )
        for sending in sent:
            if sending.delivery:
                message = _minutes_email(
                    recipient=sending.recipient,
                    minutes=minutes,
                    delivery=sending.delivery,
                    read_link=read_link,
                    attachment=attachment,
                )
                transaction.on_commit(message.send)
        audit_record(
            user=user,
            action="send-minutes",
            obj=minutes,
            children=_children(discussion),
            detail={
                "recipients": [r.pk for r in recipients],
                "sent": [[s.recipient_id, s.method, s.address, s.delivery] for s in sent],
            },
        )
        everyone = not (
            discussion.recipients.filter(included=True).exclude(sendings__minutes=minutes).exists()
        )
        clock_meet(discussion=discussion, code="decisions_circulated", at=now, user=user)
        if everyone:
            clock_meet(discussion=discussion, code="minutes_distributed", at=now, user=user)
    return sent
