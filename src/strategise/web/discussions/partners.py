"""Partners as participants: an invitee replies (apologies with the reason), names a deputy
from their own agency, and sends a written report, signed in or through the private link
in their invitation email; the link shows who the discussion is about only once its holder
has confirmed who they are with a code sent to the invited address.

Who may do what is decided by ``strategise.access`` (through the selectors); the services
are in ``strategise.discussions.participation``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from strategise.access import invitation_is_theirs
from strategise.discussions.models import DiscussionStatus, Invitation, Response
from strategise.discussions.participation import (
    CONCLUDED,
    ReportFile,
    deputy_domains,
    identity_code_check,
    identity_code_send,
    invitation_name_deputy,
    written_report_replace,
    written_report_send,
)
from strategise.discussions.selectors import (
    discussion_get,
    invitation_by_token,
    invitation_children,
    written_report_get,
)
from strategise.discussions.services import invitation_respond
from strategise.organisations.models import User
from strategise.policy import vocabulary
from strategise.problems import Problem
from strategise.web.discussions.partner_forms import (
    CodeForm,
    DeputyForm,
    ReplyForm,
    WrittenReportForm,
)
from strategise.web.limits import link_rate_limited
from strategise.web.users import current_user

# Once a discussion has taken place (or will not), its invitation links stop working.
ENDED = (DiscussionStatus.HELD, DiscussionStatus.CANCELLED)
# A deputy or a written report can still be sent once the discussion has started.
OPEN = (DiscussionStatus.SCHEDULED, DiscussionStatus.STARTED)
# The session's list of invitations whose link holder has confirmed who they are.
CONFIRMED = "confirmed_invitations"

REPLIES = {
    Response.ACCEPTED: "You have accepted the invitation",
    Response.DECLINED: "You have sent your apologies",
}

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _signed_in(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def respond_url(request: HttpRequest) -> Callable[[Invitation], str]:
    """The private reply link of each invitation, as a full address for its email."""

    def url(invitation: Invitation) -> str:
        return request.build_absolute_uri(reverse("web:invitation", args=[invitation.token]))

    return url


def reply_with(request: HttpRequest, invitation: Invitation, user: User | None) -> ReplyForm:
    """Send the posted reply; the form carries any problem (an unbound form if it worked)."""
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            invitation_respond(
                invitation=invitation,
                response=form.cleaned_data["response"],
                user=user,
                apologies_reason=form.cleaned_data["apologies_reason"],
            )
        except Problem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, REPLIES[Response(form.cleaned_data["response"])])
            return ReplyForm()
    return form


# --- through the private link -----------------------------------------------------------


def _by_link(request: HttpRequest, token: str) -> Invitation | HttpResponse:
    """The link's invitation, or the page that refuses it (too many tries, or ended)."""
    limited = link_rate_limited(request, token)
    if limited is not None:
        return limited
    invitation = invitation_by_token(token, user=request.user)
    if invitation.discussion.status in ENDED:
        return render(request, "web/discussions/invitation_ended.html", status=410)
    return invitation


def _confirmed(request: HttpRequest, invitation: Invitation) -> bool:
    """Whether whoever holds the link is known to be its invitee: signed in as them, or
    having entered the code sent to the invited address in this session."""
    return invitation_is_theirs(request.user, invitation) or invitation.pk in request.session.get(
        CONFIRMED, []
    )


def _invitation_context(
    request: HttpRequest, invitation: Invitation, **extra: Any
) -> dict[str, Any]:
    confirmed = _confirmed(request, invitation)
    discussion = invitation.discussion
    forms: list[Any] = [f for f in (extra.get("reply"), extra.get("code_form")) if f is not None]
    return {
        "invitation": invitation,
        "discussion": discussion,
        "open": discussion.status == DiscussionStatus.SCHEDULED,
        "may_act": discussion.status in OPEN,
        "may_name_deputy": discussion.status in OPEN and invitation.deputy_for_id is None,
        "report": getattr(invitation, "written_report", None),
        "deputies": list(invitation.deputies.all()),
        "confirmed": confirmed,
        "children": invitation_children(invitation, user=_signed_in(request)) if confirmed else [],
        "code_sent": invitation.identity_code_sent_at is not None
        and bool(invitation.identity_code),
        "reply": extra.get("reply") or ReplyForm(),
        "code_form": extra.get("code_form") or CodeForm(),
        "errors": {k: v for f in forms for k, v in f.first_errors().items()},
        "error_summary": [item for f in forms for item in f.error_summary()],
        "vocabulary": vocabulary,
    }


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_page(request: HttpRequest, token: str) -> HttpResponse:
    """The private link in an invitation email: when and how, a reply, a deputy and a
    written report; who it is about once its holder has confirmed who they are.

    It answers only its invitee (someone signed in as anyone else gets "not found"), a
    limited number of times (``strategise.web.limits``), and once the discussion has ended
    it says so and shows nothing else.
    """
    found = _by_link(request, token)
    if isinstance(found, HttpResponse):
        return found
    invitation = found
    if request.method == "POST":
        reply = reply_with(request, invitation, _signed_in(request))
        if not reply.is_bound:
            return redirect("web:invitation", token=token)
        return render(
            request,
            "web/discussions/invitation.html",
            _invitation_context(request, invitation, reply=reply),
        )
    return render(
        request, "web/discussions/invitation.html", _invitation_context(request, invitation)
    )


@login_not_required
@require_POST
def invitation_identity(request: HttpRequest, token: str) -> HttpResponse:
    """Send the code to the invited address (``send``), or check the code entered."""
    found = _by_link(request, token)
    if isinstance(found, HttpResponse):
        return found
    invitation = found
    form = CodeForm(request.POST)
    form.is_valid()
    try:
        if "send" in request.POST:
            identity_code_send(invitation=invitation, now=timezone.now())
            messages.success(request, "We have sent a code to the address you were invited at")
        else:
            identity_code_check(
                invitation=invitation, code=form.cleaned_data.get("code", ""), now=timezone.now()
            )
            request.session[CONFIRMED] = [*request.session.get(CONFIRMED, []), invitation.pk]
            messages.success(request, "Thank you: you have confirmed who you are")
    except Problem as problem:
        form.add_problem(problem)
        invitation.refresh_from_db()
        return render(
            request,
            "web/discussions/invitation.html",
            _invitation_context(request, invitation, code_form=form),
        )
    return redirect("web:invitation", token=token)


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_deputy(request: HttpRequest, token: str) -> HttpResponse:
    """Name a deputy from the invitee's own agency, through the private link."""
    found = _by_link(request, token)
    if isinstance(found, HttpResponse):
        return found
    back = reverse("web:invitation", args=[token])
    return _deputy_page(request, found, _signed_in(request), back)


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_report(request: HttpRequest, token: str) -> HttpResponse:
    """Send the agency's written report, through the private link."""
    found = _by_link(request, token)
    if isinstance(found, HttpResponse):
        return found
    back = reverse("web:invitation", args=[token])
    return _report_page(request, found, _signed_in(request), back)


# --- signed in --------------------------------------------------------------------------


def _my_invitation(request: HttpRequest, pk: int) -> tuple[User, Invitation]:
    user = current_user(request)
    detail = discussion_get(user=user, pk=pk)
    if detail.my_invitation is None:
        raise Http404
    return user, detail.my_invitation


@require_http_methods(["GET", "POST"])
def discussion_deputy(request: HttpRequest, pk: int) -> HttpResponse:
    """Name a deputy from the signed-in invitee's own agency."""
    user, invitation = _my_invitation(request, pk)
    return _deputy_page(request, invitation, user, reverse("web:discussion", args=[pk]))


@require_http_methods(["GET", "POST"])
def discussion_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the signed-in invitee's agency's written report."""
    user, invitation = _my_invitation(request, pk)
    return _report_page(request, invitation, user, reverse("web:discussion", args=[pk]))


@require_GET
def written_report_file(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    """The file attached to a written report, for those who may read it (an audited read)."""
    user = current_user(request)
    report = written_report_get(user=user, discussion_pk=pk, pk=report_pk)
    if not report.file_kind:
        raise Http404
    response = HttpResponse(bytes(report.content), content_type=MEDIA_TYPES[report.file_kind])
    name = f"strategy-discussion-{pk}-written-report-{report.pk}.{report.file_kind}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the pages both ways share ----------------------------------------------------------


def _notice(
    request: HttpRequest, invitation: Invitation, back: str, title: str, message: str
) -> HttpResponse:
    return render(
        request,
        "web/notice.html",
        {
            "title": title,
            "caption": f"Strategy discussion {invitation.discussion_id}",
            "message": message,
            "back": back,
        },
    )


def _closed(request: HttpRequest, invitation: Invitation, back: str, title: str) -> HttpResponse:
    return _notice(
        request,
        invitation,
        back,
        title,
        "This can no longer be done: the discussion has taken place or been cancelled, or you "
        "were named as a deputy (ask the invitee who named you).",
    )


def _deputy_page(
    request: HttpRequest, invitation: Invitation, user: User | None, back: str
) -> HttpResponse:
    if invitation.discussion.status not in OPEN or invitation.deputy_for_id is not None:
        return _closed(request, invitation, back, "Name a deputy")
    form = DeputyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            deputy = invitation_name_deputy(
                invitation=invitation,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                user=user,
                respond_url=respond_url(request),
                now=timezone.now(),
            )
        except Problem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, f"{deputy} is invited in your place and has been emailed")
            return redirect(back)
    return render(
        request,
        "web/discussions/deputy.html",
        {
            "invitation": invitation,
            "discussion": invitation.discussion,
            "form": form,
            "domains": deputy_domains(invitation),
            "deputies": list(invitation.deputies.all()),
            "back": back,
            "errors": form.first_errors(),
            "error_summary": form.error_summary(),
            "agency": vocabulary.ATTENDEES.get(invitation.agency_code, invitation.agency_code),
        },
    )


def _report_page(
    request: HttpRequest, invitation: Invitation, user: User | None, back: str
) -> HttpResponse:
    # A deputy may send a written report too (if they cannot attend either). Once sent, the
    # invitee may replace it until the discussion concludes (the earlier version is kept).
    earlier = getattr(invitation, "written_report", None)
    if invitation.discussion.status not in OPEN:
        if earlier is not None and invitation.discussion.status == DiscussionStatus.HELD:
            return _notice(
                request, invitation, back, "Replace your written report", CONCLUDED + "."
            )
        return _closed(request, invitation, back, "Send a written report")
    data = request.POST if request.method == "POST" else None
    form = WrittenReportForm(
        data,
        request.FILES if data is not None else None,
        initial={"text": earlier.text} if earlier is not None else None,
    )
    if data is not None and form.is_valid():
        upload = form.cleaned_data.get("file")
        sent = (
            ReportFile(name=upload.name or "", content=upload.read())
            if upload is not None
            else None
        )
        try:
            if earlier is None:
                written_report_send(
                    invitation=invitation,
                    text=form.cleaned_data["text"],
                    upload=sent,
                    user=user,
                    now=timezone.now(),
                )
            else:
                written_report_replace(
                    report=earlier,
                    text=form.cleaned_data["text"],
                    upload=sent,
                    user=user,
                    now=timezone.now(),
                )
        except Problem as problem:
            form.add_problem(problem)
        else:
            messages.success(
                request,
                "Your written report has been sent to the chair"
                if earlier is None
                else "Your written report has been replaced: the chair has been told",
            )
            return redirect(back)
    return render(
        request,
        "web/discussions/written_report.html",
        {
            "invitation": invitation,
            "discussion": invitation.discussion,
            "form": form,
            "earlier": earlier,
            "back": back,
            "errors": form.first_errors(),
            "error_summary": form.error_summary(),
            "agency": vocabulary.ATTENDEES.get(invitation.agency_code, invitation.agency_code),
        },
    )
