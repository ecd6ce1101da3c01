"""A discussion's invitations, and an invitee's own reply: accept or apologies (with the
reason), a deputy from their own agency, and their agency's written report.

Each reply is the signed-in invitee's, through the services the discussion page uses
(``invitation_respond``, ``invitation_name_deputy``, ``written_report_send`` and
``written_report_replace``): someone who may see the discussion but is not invited to it
has no invitation to reply to, so it is "not found" for them, as the page's form is.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Path, Router, Status

from strategise.api.auth import READ, WRITE, api_user
from strategise.api.paging import MAX_KEY, one_page
from strategise.api.problems import ProblemDetails, fields_renamed
from strategise.api.recording_schemas import (
    DeputyIn,
    InvitationDetailOut,
    InvitationPage,
    ReplyIn,
    WrittenReportIn,
    WrittenReportOut,
    invitation_out,
    written_report_out,
)
from strategise.api.versions import IfMatch, conflict, if_match, with_etag
from strategise.discussions.models import Invitation, WrittenReport
from strategise.discussions.participation import (
    invitation_name_deputy,
    written_report_replace,
    written_report_send,
)
from strategise.discussions.recording import EditConflict
from strategise.discussions.selectors import DiscussionDetail, discussion_get
from strategise.discussions.services import invitation_respond
from strategise.organisations.models import User
from strategise.problems import Problem

router = Router(tags=["invitations"])


def _invitation_link(invitation: Invitation) -> str:
    """The private reply link of an invitation, for the email a deputy is sent (the
    page's address, as ``STRATEGISE_BASE_URL`` says the site is reached)."""
    return settings.STRATEGISE_BASE_URL + reverse("web:invitation", args=[invitation.token])


def _mine(request: HttpRequest, pk: int) -> tuple[User, DiscussionDetail, Invitation]:
    """The user, the discussion and their invitation to it (404 if they have none)."""
    user = api_user(request)
    detail = discussion_get(user=user, pk=pk)
    if detail.my_invitation is None:
        raise Http404
    return user, detail, detail.my_invitation


@router.get(
    "/discussions/{pk}/invitations",
    response=InvitationPage,
    auth=READ,
    summary="List a discussion's invitations",
)
def invitations(request: HttpRequest, pk: int = Path(..., ge=1, le=MAX_KEY)) -> dict[str, object]:
    """Who is invited, each reply (and the reason for apologies), deputies and attendance,
    as the discussion page lists them; a written report only for those who may read it."""
    user = api_user(request)
    detail = discussion_get(user=user, pk=pk)
    return one_page(detail.invitations, lambda i: invitation_out(user, i, detail.my_invitation))


@router.put(
    "/discussions/{pk}/reply",
    response={200: InvitationDetailOut},
    auth=WRITE,
    summary="Reply to your invitation",
)
def reply(
    request: HttpRequest, body: ReplyIn, pk: int = Path(..., ge=1, le=MAX_KEY)
) -> InvitationDetailOut:
    """Accept your invitation, or send apologies with the reason (until the discussion
    starts). Sending the same reply again changes nothing."""
    user, _, invitation = _mine(request, pk)
    try:
        invitation_respond(
            invitation=invitation,
            response=body.response,
            user=user,
            apologies_reason=body.apologies_reason,
        )
    except Problem as problem:
        raise fields_renamed(problem, {"reason": "apologies_reason"}) from None
    return invitation_out(user, invitation, invitation)


@router.post(
    "/discussions/{pk}/deputy",
    response={201: InvitationDetailOut},
    auth=WRITE,
    summary="Name a deputy",
)
def deputy(
    request: HttpRequest,
    response: HttpResponse,
    body: DeputyIn,
    pk: int = Path(..., ge=1, le=MAX_KEY),
) -> object:
    """Name someone from your own agency to go in your place: they are invited (and
    emailed their own private link), and your reply becomes "sent a deputy". Naming the
    same address again gives the deputy named before, not a second one."""
    user, _, invitation = _mine(request, pk)
    named = invitation_name_deputy(
        invitation=invitation,
        name=body.name,
        email=body.email,
        user=user,
        respond_url=_invitation_link,
        now=timezone.now(),
    )
    response["Location"] = f"/api/v1/discussions/{pk}/invitations"
    return Status(201, invitation_out(user, named, invitation))


@router.put(
    "/discussions/{pk}/written-report",
    response={
        200: WrittenReportOut,
        201: WrittenReportOut,
        412: ProblemDetails,
        428: ProblemDetails,
    },
    auth=WRITE,
    summary="Send or replace your written report",
)
def written_report(
    request: HttpRequest,
    response: HttpResponse,
    body: WrittenReportIn,
    pk: int = Path(..., ge=1, le=MAX_KEY),
    if_match_header: IfMatch = None,
) -> object:
    """Send your agency's written report (201), or replace the one you sent (200) until
    the discussion concludes: replacing needs ``If-Match`` with the report's ETag, and if
    it changed since you read it nothing is saved (412, with both versions). Sending the
    text already sent again changes nothing."""
    user, _, invitation = _mine(request, pk)
    earlier: WrittenReport | None = getattr(invitation, "written_report", None)
    now = timezone.now()
    if earlier is None:
        sent = written_report_send(
            invitation=invitation, text=body.text, upload=None, user=user, now=now
        )
        with_etag(response, sent.version)
        response["Location"] = f"/api/v1/discussions/{pk}/invitations"
        return Status(201, written_report_out(sent))
    if if_match_header is None and earlier.text == body.text.strip():
        with_etag(response, earlier.version)
        return written_report_out(earlier)
    version = if_match(if_match_header)
    if version != earlier.version:
        current = written_report_out(earlier)
        raise conflict(
            current=current.model_dump(mode="json"),
            version=earlier.version,
            yours=body.model_dump(mode="json"),
            changed=["text"] if current.text != body.text.strip() else [],
        )
    try:
        replaced = written_report_replace(
            report=earlier,
            text=body.text,
            upload=None,
            user=user,
            now=now,
            expected_version=version,
        )
    except EditConflict as edit:
        # Replaced by another request between reading it and saving: the same 412.
        _, _, again = _mine(request, pk)
        latest = written_report_out(again.written_report)
        raise conflict(
            current=latest.model_dump(mode="json"),
            version=edit.version,
            yours=body.model_dump(mode="json"),
            changed=list(edit.changes),
        ) from None
    with_etag(response, replaced.version)
    return written_report_out(replaced)
