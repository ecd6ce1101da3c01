"""Minutes and their distribution: draft, reword, preview, approve, correct, download, send.

Views parse the form, call one service or selector, and render. Every download is an
audited read (``strategise.minutes.selectors.minutes_get``).
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from strategise.access import may_confirm_outside_address, may_edit_distribution, may_record
from strategise.discussions.models import DiscussionStatus
from strategise.discussions.selectors import discussion_get
from strategise.links import Target, TargetKind
from strategise.minutes.documents import FORMATS, MinutesDocument, minutes_file, minutes_pdf
from strategise.minutes.language import discussion_minutes_flags
from strategise.minutes.models import Method, MinutesStatus, Recipient
from strategise.minutes.selectors import (
    distribution_get,
    minutes_get,
    recipient_get,
)
from strategise.minutes.services import (
    minutes_approve,
    minutes_draft,
    minutes_reword,
    minutes_send,
    recipient_update,
    recipients_build,
)
from strategise.minutes.wording import passages, wording_changes
from strategise.policy import get_profile
from strategise.problems import Problem
from strategise.web.account.verification import posted, require_recent_second_factor
from strategise.web.links import url_for
from strategise.web.minutes.forms import CorrectionForm, RecipientForm, WordingForm
from strategise.web.recording.conclude import change_href
from strategise.web.recording.pages import recording_nav
from strategise.web.users import current_user


def _pdf(document: dict[str, object]) -> bytes:
    return minutes_pdf(cast(MinutesDocument, document))


@require_http_methods(["GET", "POST"])
@require_recent_second_factor(when=posted("approve"))
def minutes_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Every version of the minutes with its status; draft, preview, approve, correct."""
    user = current_user(request)
    detail = discussion_get(user=user, pk=pk, minutes=True)
    discussion = detail.discussion
    if not may_record(user, discussion):
        raise Http404
    versions = detail.minutes or []
    draft = next((m for m in versions if m.status == MinutesStatus.DRAFT), None)
    approved = next((m for m in versions if m.status == MinutesStatus.APPROVED), None)
    form = CorrectionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        now = timezone.now()
        try:
            if "approve" in request.POST:
                if draft is None:
                    raise Problem("There is no draft to approve: draft the minutes first")
                revision = form.cleaned_data["revision"] or 0
                minutes_approve(user=user, minutes=draft, revision=revision, now=now)
                messages.success(request, f"Minutes version {draft.number} approved")
            else:
                drafted = minutes_draft(
                    user=user,
                    discussion=discussion,
                    now=now,
                    correction_reason=form.cleaned_data["correction_reason"],
                )
                messages.success(request, f"Minutes drafted: version {drafted.number}")
        except Problem as problem:
            form.add_problem(problem)
        else:
            form.language_saved(request, discussion.request.profile)
            return redirect("web:minutes", pk=pk)
    return render(
        request,
        "web/minutes/minutes.html",
        {
            "detail": detail,
            "discussion": discussion,
            "nav": recording_nav(user, detail, "web:minutes"),
            "versions": versions,
            "draft": draft,
            "approved": approved,
            "newest": versions[0] if versions else None,
            "changes": wording_changes(draft.generated, draft.wording) if draft else [],
            "summary_note": get_profile(discussion.request.profile).notes.get("minutes_summary"),
            "held": discussion.status == DiscussionStatus.HELD,
            "is_chair": user.pk == discussion.chair_id,
            "flags": [
                {
                    "flag": flag,
                    "change": change_href(pk, flag),
                    "may_keep": user.pk == discussion.chair_id,
                }
                for flag in (discussion_minutes_flags(discussion=discussion) if draft else [])
            ],
            "form": form,
            "errors": form.first_errors(),
            "error_summary": form.error_summary(),
            "language": form.language(discussion.request.profile),
        },
    )


@require_http_methods(["GET", "POST"])
def minutes_wording(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """The wording of a draft's passages: a summary of what was shared, not a transcript."""
    user = current_user(request)
    minutes = minutes_get(user=user, discussion_pk=pk, number=number, purpose="reword")
    discussion = minutes.discussion
    if minutes.status != MinutesStatus.DRAFT or not may_record(user, discussion):
        raise Http404
    editable = passages(minutes.generated)
    form = WordingForm(
        request.POST if request.method == "POST" else None,
        passages=editable,
        initial={
            "revision": minutes.revision,
            **{f"passage-{p.id}": minutes.wording.get(p.id, p.text) for p in editable},
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            minutes_reword(
                user=user,
                minutes=minutes,
                wording=form.wording(),
                revision=form.cleaned_data["revision"],
            )
        except Problem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, f"Wording of version {number} saved")
            form.language_saved(request, discussion.request.profile)
            return redirect("web:minutes", pk=pk)
    return render(
        request,
        "web/minutes/wording.html",
        {
            "discussion": discussion,
            "minutes": minutes,
            "form": form,
            "generated": {p.id: p.text for p in editable},
            "language": form.language(discussion.request.profile),
            "summary_note": get_profile(discussion.request.profile).notes.get("minutes_summary"),
            "errors": form.first_errors(),
            "error_summary": form.error_summary(),
        },
    )


@require_GET
def minutes_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """One version of the minutes, as a web page."""
    user = current_user(request)
    minutes = minutes_get(user=user, discussion_pk=pk, number=number, purpose="preview")
    return render(
        request,
        "web/minutes/minutes_version.html",
        {"minutes": minutes, "discussion": minutes.discussion, "document": minutes.document},
    )


@require_GET
def minutes_download(request: HttpRequest, pk: int, number: int, kind: str) -> HttpResponse:
    """One version of the minutes as a PDF or a Word document (an audited read)."""
    if kind not in FORMATS:
        raise Http404
    user = current_user(request)
    minutes = minutes_get(user=user, discussion_pk=pk, number=number, purpose=kind)
    file = minutes_file(minutes, "pdf" if kind == "pdf" else "docx")
    response = HttpResponse(file.content, content_type=file.media_type)
    response["Content-Disposition"] = f'attachment; filename="{file.name}"'
    return response


def _sent_against(recipient: Recipient, clocks: list[Any]) -> list[dict[str, Any]]:
    """Each sending to the recipient, and whether it was in time for each clock."""
    return [
        {
            "sending": sending,
            "deadlines": [
                {"clock": clock, "on_time": sending.sent_at <= clock.due_at} for clock in clocks
            ],
        }
        for sending in recipient.sendings.all()
    ]


@require_http_methods(["GET", "POST"])
@require_recent_second_factor(when=posted("send"))
def distribution_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Who the minutes go to, what each was sent, against the distribution deadlines."""
    user = current_user(request)
    detail = discussion_get(user=user, pk=pk)
    discussion = detail.discussion
    distribution = distribution_get(user=user, discussion=discussion)
    error_summary: list[dict[str, str]] = []
    if request.method == "POST":
        try:
            if "send" in request.POST:
                if distribution.approved is None:
                    raise Problem(
                        "Only approved minutes can be sent: ask the chair to approve them"
                    )
                sent = minutes_send(
                    user=user,
                    minutes=distribution.approved,
                    now=timezone.now(),
                    pdf=_pdf,
                    read_link=request.build_absolute_uri(
                        url_for(Target(TargetKind.DISCUSSION, discussion.pk))
                    ),
                )
                messages.success(
                    request,
                    f"Minutes version {distribution.approved.number} sent to "
                    f"{len(sent)} {'recipient' if len(sent) == 1 else 'recipients'}",
                )
            else:
                recipients_build(user=user, discussion=discussion)
                messages.success(request, "Distribution list updated from the invitations")
        except Problem as problem:
            error_summary = [
                {"text": message, "href": "#recipients"} for _, message in problem.errors
            ]
        else:
            return redirect("web:distribution", pk=pk)
    return render(
        request,
        "web/minutes/distribution.html",
        {
            "detail": detail,
            "discussion": discussion,
            "nav": recording_nav(user, detail, "web:distribution"),
            "distribution": distribution,
            "unsent": distribution.approved is not None
            and any(
                r.included
                and not any(s.minutes_id == distribution.approved.pk for s in r.sendings.all())
                for r in distribution.recipients
            ),
            "rows": [
                {"recipient": r, "sent": _sent_against(r, distribution.clocks)}
                for r in distribution.recipients
            ],
            "error_summary": error_summary,
            "now": timezone.now(),
            "may_edit": may_edit_distribution(user, discussion),
            "authority": discussion.local_authority,
        },
    )


@require_http_methods(["GET", "POST"])
def recipient_page(request: HttpRequest, pk: int, recipient_pk: int) -> HttpResponse:
    """Change one line of the distribution list: name, email, how, and whether included."""
    user = current_user(request)
    detail = discussion_get(user=user, pk=pk)
    recipient = recipient_get(user=user, discussion=detail.discussion, pk=recipient_pk)
    form = RecipientForm(
        request.POST if request.method == "POST" else None,
        initial={
            "name": recipient.name,
            "email": recipient.email,
            "method": recipient.method,
            "included": recipient.included,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = recipient_update(
                user=user,
                recipient=recipient,
                name=data["name"],
                email=data["email"],
                method=data["method"],
                included=data["included"],
                reason=data["reason"],
                now=timezone.now(),
            )
        except Problem as problem:
            form.add_problem(problem)
        else:
            if saved.awaiting_confirmation(detail.discussion.local_authority):
                messages.success(
                    request,
                    f"Distribution list updated: {recipient.role}. A team manager (or above) "
                    f"must confirm {saved.email} before the minutes can go to it",
                )
            else:
                messages.success(request, f"Distribution list updated: {recipient.role}")
            return redirect("web:distribution", pk=pk)
    return render(
        request,
        "web/minutes/recipient.html",
        {
            "discussion": detail.discussion,
            "recipient": recipient,
            "form": form,
            "errors": form.first_errors(),
            "error_summary": form.error_summary(),
            "methods": Method,
            "authority": detail.discussion.local_authority,
            "awaiting": recipient.awaiting_confirmation(detail.discussion.local_authority),
            "may_confirm": may_confirm_outside_address(user, detail.discussion),
            "changes": list(recipient.changes.select_related("changed_by").order_by("-version")),
        },
    )
