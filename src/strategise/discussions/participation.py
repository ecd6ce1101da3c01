"""What an invitee does before the discussion: name a deputy, send a written report, and
confirm who holds a private link.

An invitee acts signed in (``user``) or through their private link (``user`` is None);
the page has already decided the invitation is theirs (``strategise.access``). Each
service validates first, then changes state and writes its audit event in one
transaction; emails go only once it commits, and carry no case detail.

Creates are idempotent by their natural key rather than by a form token (a link holder
has no account to keep a token against): one written report per invitation, one deputy
per invitation and address, so a repeated post answers with what the first created.
"""

from __future__ import annotations

import hashlib
import io
import secrets
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.mail import EmailMessage, mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac

from strategise.audit.services import audit_record
from strategise.discussions.invitations import invitation_email
from strategise.discussions.models import (
    Contribution,
    Discussion,
    DiscussionStatus,
    Invitation,
    Response,
    WrittenReport,
    WrittenReportVersion,
)
from strategise.discussions.recording import EditConflict
from strategise.notifications.services import invitee_news_notify
from strategise.organisations.models import User
from strategise.policy import vocabulary
from strategise.policy.wording import format_when
from strategise.problems import Problem

# The largest file a written report may attach.
MAX_REPORT_BYTES = 10 * 1024 * 1024
# A code to confirm who holds a private link: how long it lasts, and how many wrong tries
# it takes before it stops working (a new one must be sent).
CODE_LIFETIME = timedelta(minutes=15)
CODE_ATTEMPTS = 5
CODE_DIGITS = 6
# A new code is sent at most this often, so a link cannot be used to flood a mailbox.
CODE_RESEND_AFTER = timedelta(minutes=1)

OPEN = (DiscussionStatus.SCHEDULED, DiscussionStatus.STARTED)
KINDS = {"pdf": "PDF", "docx": "Word document"}


def _children(invitation: Invitation) -> list[int]:
    return list(invitation.discussion.request.children.values_list("pk", flat=True))


def _agency(invitation: Invitation) -> str:
    return vocabulary.ATTENDEES.get(invitation.agency_code, invitation.agency_code)


def _tell_chair(
    invitation: Invitation,
    done: str,
    key: str,
    now: datetime,
    mailer: BaseEmailBackend | None,
) -> None:
    """Tell the chair what the invitee has done (once per ``key``)."""
    news = f"{invitation} ({_agency(invitation)}) {done}"
    invitee_news_notify(invitation=invitation, news=news, key=key, now=now, mailer=mailer)


def _require_open(invitation: Invitation) -> None:
    if invitation.discussion.status not in OPEN:
        raise Problem("This discussion has already taken place or been cancelled")


# --- a deputy ---------------------------------------------------------------------------


def _domain(email: str) -> str:
    return email.rpartition("@")[2].strip().lower()


def deputy_domains(invitation: Invitation) -> list[str]:
    """The email domains of the invitee's own agency: of the invited address, the agency's
    inbox and the agency's accounts (a deputy's address must be at one of them)."""
    addresses = [invitation.email]
    if invitation.agency is not None:
        addresses.append(invitation.agency.email)
        addresses += list(
            User.objects.filter(agency=invitation.agency, is_active=True).values_list(
                "email", flat=True
            )
        )
    domains: list[str] = []
    for address in addresses:
        domain = _domain(address or "")
        if domain and domain not in domains:
            domains.append(domain)
    return domains


def invitation_name_deputy(
    *,
    invitation: Invitation,
    name: str,
    email: str,
    user: User | None,
    respond_url: Callable[[Invitation], str],
    now: datetime,
    mailer: BaseEmailBackend | None = None,
) -> Invitation:
    """The invitee names a deputy from their own agency, who is invited in their place
    (and emailed the invitation with a private link of their own). The invitation's reply
    becomes "Sent a deputy"; every problem is reported at once."""
    name, email = name.strip(), email.strip()
    earlier = invitation.deputies.filter(email__iexact=email).first() if email else None
    if earlier is not None:
        return earlier
    _require_open(invitation)
    if invitation.deputy_for_id is not None:
        raise Problem("You are already a deputy: ask the invitee who named you to name another")
    errors: list[tuple[str | None, str]] = []
    if not name:
        errors.append(("name", "Enter your deputy’s full name"))
    if not email:
        errors.append(("email", "Enter your deputy’s email address"))
    account = (
        User.objects.filter(email__iexact=email, is_active=True).select_related("agency").first()
        if email
        else None
    )
    domains = deputy_domains(invitation)
    if email and invitation.email and email.lower() == invitation.email.lower():
        errors.append(("email", "Enter your deputy’s email address, not your own"))
    elif account is not None and invitation.agency_id and account.agency_id != invitation.agency_id:
        errors.append(
            (
                "email",
                f"{account} is not in {invitation.agency}: name a deputy from your own agency",
            )
        )
    elif account is None and email and domains and _domain(email) not in domains:
        errors.append(
            (
                "email",
                "Name a deputy from your own agency: their email address must be at "
                + " or ".join(domains),
            )
        )
    if errors:
        raise Problem.many(errors)
    with transaction.atomic(durable=True):
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        earlier = locked.deputies.filter(email__iexact=email).first()
        if earlier is not None:
            return earlier
        deputy = Invitation.objects.create(
            discussion=invitation.discussion,
            user=account,
            agency=invitation.agency,
            agency_code=invitation.agency_code,
            name=str(account) if account else name,
            email=email,
            required=invitation.required,
            reason=invitation.reason,
            source=invitation.source,
            deputy_for=invitation,
            sent_at=now,
        )
        locked.response = Response.DEPUTY
        locked.save(update_fields=["response"])
        invitation.response = Response.DEPUTY
        audit_record(
            user=user,
            action="name-deputy",
            obj=deputy,
            authority=invitation.discussion.local_authority_id,
            children=_children(invitation),
            detail={"deputy_for": invitation.pk, "has_account": account is not None},
        )
        _tell_chair(
            invitation,
            f"has named a deputy, {deputy}, who is invited in their place",
            f"deputy:{deputy.pk}",
            now,
            mailer,
        )
        message = invitation_email(deputy, respond_url(deputy))
        message.body = f"{invitation} has named you as their deputy.\n\n" + message.body
        transaction.on_commit(
            lambda: (mailers.default if mailer is None else mailer).send_messages([message])
        )
    return deputy


def deputy_covers(invitation: Invitation, invitations: list[Invitation]) -> bool:
    """Whether a deputy the invitee named attended (or, before it starts, accepted) for
    them, so the agency is there."""
    return any(
        other.deputy_for_id == invitation.pk
        and (
            other.attendance == "attended"
            or (not other.attendance and other.response == Response.ACCEPTED)
        )
        for other in invitations
    )


# --- a written report -------------------------------------------------------------------


@dataclass(frozen=True)
class ReportFile:
    """A file as uploaded: its name as given and its bytes."""

    name: str
    content: bytes


def report_file_kind(upload: ReportFile) -> str:
    """``pdf`` or ``docx``, decided by what the file holds (its name must agree), or a
    Problem that says what is wrong with it."""
    name = upload.name.lower()
    content = upload.content
    if not content:
        raise Problem("The selected file is empty", "file")
    if len(content) > MAX_REPORT_BYTES:
        raise Problem("The selected file must be smaller than 10 MB", "file")
    if content[:1024].lstrip().startswith(b"%PDF-"):
        kind = "pdf"
    elif content.startswith(b"PK\x03\x04") and _is_docx(content):
        kind = "docx"
    else:
        raise Problem(
            "The selected file must be a PDF or a Word document (.docx): this one is "
            "neither, whatever its name says",
            "file",
        )
    if not name.endswith(f".{kind}"):
        raise Problem(
            f"The selected file is a {KINDS[kind]} but its name does not end .{kind}: "
            "rename it and try again",
            "file",
        )
    return kind


def _is_docx(content: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return False
    return "[Content_Types].xml" in names and "word/document.xml" in names


def written_report_send(
    *,
    invitation: Invitation,
    text: str,
    upload: ReportFile | None,
    user: User | None,
    now: datetime,
    mailer: BaseEmailBackend | None = None,
) -> WrittenReport:
    """The invitee sends their agency's written report: text, and a PDF or Word file if
    attached. It becomes the agency's contribution where none is recorded yet, and the
    chair is told; every problem is reported at once."""
    earlier = WrittenReport.objects.filter(invitation=invitation).first()
    if earlier is not None:
        return earlier
    _require_open(invitation)
    kind = _checked(text, upload)
    with transaction.atomic(durable=True):
        Invitation.objects.select_for_update().get(pk=invitation.pk)
        earlier = WrittenReport.objects.filter(invitation=invitation).first()
        if earlier is not None:
            return earlier
        content = upload.content if upload else b""
        report = WrittenReport.objects.create(
            invitation=invitation,
            text=text.strip(),
            file_name=upload.name[-255:] if upload else "",
            file_kind=kind,
            file_size=len(content),
            file_sha256=hashlib.sha256(content).hexdigest() if upload else "",
            content=content,
            sent_by=user,
            sent_at=now,
        )
        contribution, created = Contribution.objects.get_or_create(
            invitation=invitation,
            defaults={"text": report_contribution(report), "updated_by": user, "updated_at": now},
        )
        audit_record(
            user=user,
            action="send-written-report",
            obj=report,
            authority=invitation.discussion.local_authority_id,
            children=_children(invitation),
            detail={
                "file": kind or None,
                "bytes": len(content),
                "sha256": report.file_sha256 or None,
                "contribution": created,
            },
        )
        _tell_chair(
            invitation, "has sent a written report", f"written-report:{report.pk}:1", now, mailer
        )
    return report


def report_contribution(report: WrittenReport) -> str:
    """The agency's contribution a written report becomes: when it was sent, its text, and
    the name of the file attached."""
    attached = f"\n\nAttached: {report.file_name}" if report.file_name else ""
    return f"Written report sent {format_when(report.sent_at)}:\n\n{report.text}{attached}"


def _checked(text: str, upload: ReportFile | None) -> str:
    """The kind of the file attached (blank for none); every problem of the report at once."""
    errors: list[tuple[str | None, str]] = []
    if not text.strip():
        errors.append(("text", "Enter your agency’s report (what it knows about the child)"))
    kind = ""
    if upload is not None:
        try:
            kind = report_file_kind(upload)
        except Problem as problem:
            errors += problem.errors
    if errors:
        raise Problem.many(errors)
    return kind


CONCLUDED = (
    "The discussion has concluded, so your written report can no longer be replaced: the "
    "version you sent is in its record. To add to it, ask the chair to add a dated update to "
    "your agency’s contribution"
)


def written_report_replace(
    *,
    report: WrittenReport,
    text: str,
    upload: ReportFile | None,
    user: User | None,
    now: datetime,
    mailer: BaseEmailBackend | None = None,
    expected_version: int | None = None,
) -> WrittenReport:
    """The invitee replaces their written report before the discussion concludes: new
    text, and a new file if one is attached (else the file already attached stays). The
    version it replaces is kept (``WrittenReportVersion``); the chair sees the latest, that
    it replaced an earlier one, and is told. The agency's contribution follows the report
    unless someone has changed it since the report wrote it. Sending the same again changes
    nothing. With ``expected_version`` (the version the replacement was based on), a report
    replaced since is not overwritten: ``EditConflict``, checked under the row's lock."""
    invitation = report.invitation
    kind = _checked(text, upload)
    with transaction.atomic(durable=True):
        # The discussion's row, locked: concluding locks it too, so a report is never
        # replaced in a discussion that has just concluded.
        discussion = Discussion.objects.select_for_update().get(pk=invitation.discussion_id)
        if discussion.status == DiscussionStatus.HELD:
            raise Problem(CONCLUDED, "text")
        if discussion.status not in OPEN:
            raise Problem("This discussion was cancelled: there is no report to replace", "text")
        locked = WrittenReport.objects.select_for_update().get(pk=report.pk)
        if expected_version is not None and locked.version != expected_version:
            raise EditConflict({"text": (locked.text, text.strip())}, locked.version)
        content = upload.content if upload else bytes(locked.content)
        sha256 = hashlib.sha256(content).hexdigest() if (upload or locked.file_kind) else ""
        same_name = upload is None or locked.file_name == upload.name[-255:]
        if locked.text == text.strip() and locked.file_sha256 == sha256 and same_name:
            return locked
        WrittenReportVersion.objects.create(
            report=locked,
            version=locked.version,
            text=locked.text,
            file_name=locked.file_name,
            file_kind=locked.file_kind,
            file_size=locked.file_size,
            file_sha256=locked.file_sha256,
            content=bytes(locked.content),
            sent_by=locked.sent_by,
            sent_at=locked.sent_at,
            replaced_at=now,
        )
        written = report_contribution(locked)
        replaced = {"version": locked.version, "sha256": locked.file_sha256 or None}
        locked.text = text.strip()
        if upload is not None:
            locked.file_name = upload.name[-255:]
            locked.file_kind = kind
            locked.file_size = len(content)
            locked.file_sha256 = sha256
            locked.content = content
        locked.sent_by = user
        locked.sent_at = now
        locked.version += 1
        locked.save()
        contribution = Contribution.objects.select_for_update().filter(invitation=invitation)
        follows = contribution.filter(text=written).first()
        if follows is not None:
            follows.text = report_contribution(locked)
            follows.version += 1
            follows.updated_by = user
            follows.updated_at = now
            follows.save(update_fields=["text", "version", "updated_by", "updated_at"])
        audit_record(
            user=user,
            action="replace-written-report",
            obj=locked,
            authority=discussion.local_authority_id,
            children=_children(invitation),
            detail={
                "version": locked.version,
                "replaced": replaced,
                "file": locked.file_kind or None,
                "new_file": upload is not None,
                "bytes": locked.file_size,
                "sha256": locked.file_sha256 or None,
                "contribution": follows is not None,
            },
        )
        key = f"written-report:{locked.pk}:{locked.version}"
        _tell_chair(invitation, "has replaced their written report", key, now, mailer)
    return locked


# --- confirming who holds a private link -----------------------------------------------


def _digest(invitation: Invitation, code: str) -> str:
    return salted_hmac(
        "strategise.discussions.identity_code",
        f"{invitation.pk}:{invitation.token}:{code}",
        algorithm="sha256",
    ).hexdigest()


def identity_code_send(
    *, invitation: Invitation, now: datetime, mailer: BaseEmailBackend | None = None
) -> None:
    """Email a one-off code to the invited address; entering it confirms that whoever
    holds the link reads that mailbox. The email says only what the code is for."""
    if not invitation.email:
        raise Problem("This invitation has no email address to send a code to: ask the chair")
    sent = invitation.identity_code_sent_at
    if sent is not None and now - sent < CODE_RESEND_AFTER and invitation.identity_code:
        raise Problem("A code was sent less than a minute ago: check your email, or wait a minute")
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    with transaction.atomic(durable=True):
        invitation.identity_code = _digest(invitation, code)
        invitation.identity_code_sent_at = now
        invitation.identity_attempts = 0
        invitation.save(
            update_fields=["identity_code", "identity_code_sent_at", "identity_attempts"]
        )
        audit_record(
            user=None,
            action="identity-code-sent",
            obj=invitation,
            authority=invitation.discussion.local_authority_id,
            children=_children(invitation),
        )
        message = EmailMessage(
            subject="Your code for a strategy discussion invitation",
            body="\n".join(
                [
                    f"Dear {invitation.name or 'colleague'},",
                    "",
                    f"Your code is {code}. Enter it on the invitation page to see who the "
                    "discussion is about.",
                    f"It works for {CODE_LIFETIME.seconds // 60} minutes.",
                    "",
                    "If you did not ask for a code, you need do nothing.",
                ]
            ),
            to=[invitation.email],
        )
        transaction.on_commit(
            lambda: (mailers.default if mailer is None else mailer).send_messages([message])
        )


def identity_code_check(*, invitation: Invitation, code: str, now: datetime) -> None:
    """Check a code entered on the private link (a Problem if it is wrong, used up or
    expired); a limited number of tries per code, each audited."""
    code = "".join(code.split())
    with transaction.atomic(durable=True):
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        problem = None
        if not locked.identity_code or locked.identity_code_sent_at is None:
            problem = "Ask for a code first: it is sent to the address you were invited at"
        elif locked.identity_attempts >= CODE_ATTEMPTS:
            problem = "This code has been tried too many times: ask for a new one"
        elif now - locked.identity_code_sent_at > CODE_LIFETIME:
            problem = "This code has expired: ask for a new one"
        elif not (code.isdigit() and len(code) == CODE_DIGITS):
            problem = f"Enter the {CODE_DIGITS}-digit code from the email"
        elif not constant_time_compare(locked.identity_code, _digest(locked, code)):
            problem = "The code is not right: check the email and try again"
        if problem is None:
            locked.identity_code = ""
            locked.identity_attempts = 0
        else:
            locked.identity_attempts = min(locked.identity_attempts + 1, 32767)
        locked.save(update_fields=["identity_code", "identity_attempts"])
        audit_record(
            user=None,
            action="identity-confirmed" if problem is None else "identity-code-refused",
            obj=locked,
            authority=locked.discussion.local_authority_id,
            children=_children(invitation),
        )
    if problem is not None:
        raise Problem(problem, "code")


def attendance_from_replies(invitation: Invitation) -> str:
    """Where the attendance form starts for an invitation: from the reply already given."""
    if hasattr(invitation, "written_report"):
        return "written_report"
    return {
        Response.ACCEPTED: "attended",
        Response.DECLINED: "apologies",
        Response.DEPUTY: "apologies",
    }.get(Response(invitation.response), "")
