"""Convening and starting a strategy discussion.

Each service validates first (raising ``Problem`` with the field and the clause), then
changes state and writes its audit event in one transaction. Emails go only after the
transaction commits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.mail import mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

from strategise.access import may_convene, may_run_discussion, social_care_of
from strategise.actions.services import escalation_action_create
from strategise.audit.services import audit_record
from strategise.clocks.services import clock_meet_discussion_held
from strategise.discussions.invitations import invitation_email
from strategise.discussions.models import (
    Attendance,
    Discussion,
    DiscussionStatus,
    Format,
    Invitation,
    Response,
)
from strategise.discussions.participation import deputy_covers
from strategise.discussions.recording import lock_discussion
from strategise.integrations.models import Event
from strategise.integrations.services import webhook_emit
from strategise.organisations.models import Agency, User
from strategise.policy import Profile, get_profile, vocabulary
from strategise.policy.citations import cite
from strategise.policy.wording import format_when
from strategise.problems import Problem, Problems
from strategise.requests.models import RequestChild, RequestStatus, StrategyRequest

# A clock a little fast on the user's computer must not make "now" look like the future.
FUTURE_TOLERANCE = timedelta(minutes=5)


@dataclass(frozen=True)
class InvitationSpec:
    """Who to invite: a user, or a named person (or agency) with an email address."""

    agency_code: str
    required: bool
    reason: str = ""
    source: str = ""
    user: User | None = None
    agency: Agency | None = None
    name: str = ""
    email: str = ""


def reconvene_by(previous: Discussion) -> datetime | None:
    """When a reconvened discussion is due: the date agreed at the last one, or the end of
    the procedure's interval between discussions (its ``next_discussion_by`` clock, where
    it sets one), whichever is sooner."""
    dates = list(previous.clocks.filter(code="next_discussion_by").values_list("due_at", flat=True))
    agreed = getattr(getattr(previous, "record", None), "further_discussion_by", None)
    if agreed is not None:
        dates.append(agreed)
    return min(dates, default=None)


def household_attendee(profile: Profile, attendee: dict[str, Any]) -> bool:
    """Whether a required attendee is required only because of the household's
    circumstances (Sandwell §4.2), so it may be recorded as not involved."""
    rules = [attendee.get("rule", ""), *(also.get("rule", "") for also in attendee.get("also", []))]
    try:
        return all(profile.from_household(rule) for rule in rules)
    except KeyError:
        return False


def chair_allowed(request: StrategyRequest, user: User) -> bool:
    """Whether the user's grade is one the triage allows to chair."""
    return user.role in request.triage["chair"]["allowed_grades"]


def _check_convening(
    *,
    request: StrategyRequest,
    format: str,
    format_reason: str,
    scheduled_for: datetime | None,
    chair: User | None,
    chair_exception: str,
    delay_rationale: str,
    invitations: list[InvitationSpec] | None,
    deadline: datetime | None,
    now: datetime,
    already_held: bool,
    problems: Problems,
    not_involved: list[dict[str, str]] | None = None,
) -> None:
    """Every problem with convening: ``scheduled_for``, ``chair`` or ``invitations`` is
    ``None`` when the form could not read it (its own error says so), and what depends on
    it is skipped."""
    triage = request.triage
    errors = problems.errors
    if scheduled_for is None:
        pass
    elif already_held and scheduled_for > now + FUTURE_TOLERANCE:
        errors.append(
            (
                "scheduled_date",
                "A discussion already held must have been held today or in the past",
            )
        )
    elif not already_held and scheduled_for < now - FUTURE_TOLERANCE:
        errors.append(
            (
                "scheduled_date",
                "The discussion must be held in the future: to record one already held, "
                "choose ‘Record a discussion already held’",
            )
        )
    if scheduled_for is not None and scheduled_for < request.identified_at:
        errors.append(
            (
                "scheduled_date",
                "The discussion cannot be held before the concerns were identified "
                f"({format_when(request.identified_at)})",
            )
        )
    if request.status not in (RequestStatus.AWAITING_CONVENING, RequestStatus.HELD):
        errors.append((None, "This request already has a discussion convened"))
    if format not in Format.values:
        errors.append(("format", "Choose how the discussion will be held"))
    if format == Format.CALLS and triage["meeting_required"] and not format_reason.strip():
        sources = "; ".join(cite(reason["source"]) for reason in triage["meeting_reasons"])
        errors.append(
            (
                "format_reason",
                "Explain why a series of calls will do: the procedure expects a meeting "
                f"({sources})",
            )
        )
    if chair is None:
        pass
    elif not social_care_of(chair, request):
        errors.append(
            ("chair", "The chair must be a manager in this authority's children's social care")
        )
    elif not chair_allowed(request, chair) and not chair_exception.strip():
        minimum = vocabulary.CHAIR_GRADES.get(triage["chair"]["minimum_grade"] or "", "")
        errors.append(
            (
                "chair_exception",
                f"{chair} is below the grade who may chair ({minimum.lower()} or above, "
                f"{cite(triage['chair']['source'])}): choose another chair or explain the "
                "exception",
            )
        )
    if (
        deadline is not None
        and scheduled_for is not None
        and scheduled_for > deadline
        and not delay_rationale.strip()
    ):
        note = get_profile(request.profile).notes.get("late_discussion")
        cited = f" ({cite(note['source'])})" if note else ""
        errors.append(
            (
                "delay_rationale",
                "The discussion is after its deadline: explain why the delay is justified" + cited,
            )
        )
    if invitations is None:
        return
    invited = {spec.agency_code for spec in invitations}
    excused = {item["code"]: item for item in not_involved or []}
    profile = get_profile(request.profile)
    for attendee in triage["attendees"]["required"]:
        code = attendee["code"]
        if code in excused and code not in invited:
            if not household_attendee(profile, attendee):
                errors.append(
                    (
                        "invitations",
                        f"{vocabulary.ATTENDEES[code]} cannot be recorded as not involved: "
                        f"the procedure requires them ({cite(attendee['source'])})",
                    )
                )
            elif not excused[code].get("reason", "").strip():
                errors.append(
                    (
                        "invitations",
                        f"Enter why {vocabulary.ATTENDEES[code].lower()} is not involved",
                    )
                )
            continue
        if attendee["code"] not in invited:
            label = vocabulary.ATTENDEES[attendee["code"]]
            errors.append(
                (
                    "invitations",
                    f"Invite {label.lower()}: the procedure requires them "
                    f"({cite(attendee['source'])})",
                )
            )
    for spec in invitations:
        agency_email = spec.agency.email if spec.agency else ""
        if spec.user is None and not spec.email.strip() and not agency_email:
            label = vocabulary.ATTENDEES.get(spec.agency_code, spec.agency_code)
            errors.append(
                ("invitations", f"Enter an email address for the {label.lower()} invitee")
            )


def convening_problems(
    *,
    request: StrategyRequest,
    format: str,
    format_reason: str,
    scheduled_for: datetime | None,
    chair: User | None,
    chair_exception: str,
    delay_rationale: str,
    invitations: list[InvitationSpec] | None,
    previous: Discussion | None,
    reconvene_reason: str,
    already_held: bool,
    now: datetime,
    not_involved: list[dict[str, str]] | None = None,
) -> Problems:
    """Everything wrong with convening (or reconvening) a discussion, found in one pass, so a
    page can show it beside its own errors; ``discussion_convene`` raises them together."""
    problems = Problems()
    if previous is not None:
        if previous.request_id != request.pk or previous.status != DiscussionStatus.HELD:
            problems.add("Only a discussion that has been held can be reconvened")
        reconvening = get_profile(request.profile).reconvening
        if reconvening.rationale_required and not reconvene_reason.strip():
            problems.add(
                "Give the reason for reconvening: the procedure asks for a clear rationale "
                f"({cite(reconvening.source)})",
                "reconvene_reason",
            )
    _check_convening(
        request=request,
        format=format,
        format_reason=format_reason,
        scheduled_for=scheduled_for,
        chair=chair,
        chair_exception=chair_exception,
        delay_rationale=delay_rationale,
        invitations=invitations,
        deadline=request.hold_by if previous is None else reconvene_by(previous),
        now=now,
        already_held=already_held,
        problems=problems,
        not_involved=not_involved,
    )
    return problems


def discussion_convene(
    *,
    user: User,
    request: StrategyRequest,
    format: str,
    scheduled_for: datetime,
    chair: User,
    invitations: list[InvitationSpec],
    respond_url: Callable[[Invitation], str],
    format_reason: str = "",
    location: str = "",
    chair_exception: str = "",
    minute_taker: User | None = None,
    delay_rationale: str = "",
    previous: Discussion | None = None,
    reconvene_reason: str = "",
    already_held: bool = False,
    now: datetime,
    mailer: BaseEmailBackend | None = None,
    not_involved: list[dict[str, str]] | None = None,
) -> Discussion:
    """Convene a discussion for a request: format, time, chair and invitations, sent by email
    (through ``mailer``, or the default mailer) once it is saved.

    With ``previous``, it reconvenes that (held) discussion for the same children; where
    the procedure asks for it (``Profile.reconvening``), with the reason for reconvening.
    With ``already_held``, it records a discussion held in the past: no one is emailed,
    and starting it holds it when it was scheduled. ``not_involved`` lists the agencies
    the household's circumstances require that are not involved, each with the reason
    (``{"code", "reason", "source"}``). Every problem is reported at once.
    """
    if not may_convene(user, request):
        raise Problem("Only this authority's children's social care can convene the discussion")
    if previous is None and request.status == RequestStatus.HELD:
        raise Problem("This request's discussion has been held: reconvene it instead")
    convening_problems(
        request=request,
        format=format,
        format_reason=format_reason,
        scheduled_for=scheduled_for,
        chair=chair,
        chair_exception=chair_exception,
        delay_rationale=delay_rationale,
        invitations=invitations,
        previous=previous,
        reconvene_reason=reconvene_reason,
        already_held=already_held,
        now=now,
        not_involved=not_involved,
    ).raise_any()
    with transaction.atomic(durable=True):
        locked = StrategyRequest.objects.select_for_update().get(pk=request.pk)
        if locked.version != request.version:
            raise Problem("Someone else changed this request while you were convening: reload it")
        discussion = Discussion.objects.create(
            request=request,
            local_authority_id=request.local_authority_id,
            format=format,
            format_reason=format_reason,
            scheduled_for=scheduled_for,
            location=location,
            chair=chair,
            chair_exception=chair_exception if not chair_allowed(request, chair) else "",
            minute_taker=minute_taker,
            delay_rationale=delay_rationale,
            previous=previous,
            reconvene_reason=reconvene_reason.strip(),
            recorded_afterwards=already_held,
            convened_by=user,
            not_involved=[
                {
                    "code": item["code"],
                    "reason": item["reason"].strip(),
                    "source": item.get("source", ""),
                }
                for item in not_involved or []
            ],
        )
        created = Invitation.objects.bulk_create(
            Invitation(
                discussion=discussion,
                user=spec.user,
                agency=spec.agency or (spec.user.agency if spec.user else None),
                agency_code=spec.agency_code,
                name=spec.name or (str(spec.user) if spec.user else ""),
                email=spec.email
                or (spec.user.email if spec.user else "")
                or (spec.agency.email if spec.agency else ""),
                required=spec.required,
                reason=spec.reason,
                source=spec.source,
                sent_at=None if already_held else now,
            )
            for spec in invitations
        )
        StrategyRequest.objects.filter(pk=request.pk).update(
            status=RequestStatus.CONVENED, version=request.version + 1
        )
        child_ids = list(request.children.values_list("pk", flat=True))
        audit_record(
            user=user,
            action="convene",
            obj=discussion,
            children=child_ids,
            detail={
                "invitations": len(created),
                "scheduled_for": scheduled_for.isoformat(),
                "already_held": already_held,
            },
        )
        webhook_emit(event=Event.DISCUSSION_CONVENED, subject=discussion, now=now)
        messages = [
            invitation_email(invitation, respond_url(invitation))
            for invitation in created
            if invitation.email and not already_held
        ]
        if messages:
            transaction.on_commit(
                lambda: (mailers.default if mailer is None else mailer).send_messages(messages)
            )
    return discussion


def invitation_respond(
    *, invitation: Invitation, response: str, user: User | None, apologies_reason: str = ""
) -> Invitation:
    """Accept, or send apologies with the reason (by its holder, or by anyone with its
    private link)."""
    if response not in (Response.ACCEPTED, Response.DECLINED):
        raise Problem("Choose whether you will attend", "response")
    if invitation.discussion.status != DiscussionStatus.SCHEDULED:
        raise Problem("This discussion has already started, taken place or been cancelled")
    reason = apologies_reason.strip() if response == Response.DECLINED else ""
    if response == Response.DECLINED and not reason:
        raise Problem("Enter why you cannot attend, so the chair can plan without you", "reason")
    with transaction.atomic(durable=True):
        invitation.response = response
        invitation.apologies_reason = reason
        invitation.save(update_fields=["response", "apologies_reason"])
        audit_record(
            user=user,
            action="respond",
            obj=invitation,
            authority=invitation.discussion.local_authority_id,
            children=RequestChild.objects.filter(
                request_id=invitation.discussion.request_id
            ).values_list("child_id", flat=True),
            detail={"response": response},
        )
    return invitation


def _report_suffices_problems(
    invitation: Invitation, status: str, suffices: dict[str, str] | None, profile: Profile
) -> list[tuple[str | None, str]]:
    """Why the chair cannot agree that this invitation's written report suffices, if they
    cannot: the procedure must allow it, the agency must be absent, its report received."""
    field = f"suffices-{invitation.pk}"
    if suffices is None:
        return [
            (
                field,
                f"The {profile.short_title} does not provide for a written report to suffice "
                "in an agency’s absence",
            )
        ]
    if status == Attendance.ATTENDED:
        return [(field, f"{invitation} attended: a written report suffices only in an absence")]
    if not hasattr(invitation, "written_report"):
        return [
            (
                field,
                f"No written report has been received from {invitation}: it can suffice in "
                "their absence only once it has arrived",
            )
        ]
    return []


def discussion_start(
    *,
    user: User,
    discussion: Discussion,
    attendance: dict[int, str],
    absence_reasons: dict[int, str],
    now: datetime,
    report_suffices: frozenset[int] | set[int] = frozenset(),
    mailer: BaseEmailBackend | None = None,
) -> Discussion:
    """Record who is there and start; a required agency's absence needs its reason.

    Where the procedure escalates a required agency's absence, the chair gets an action
    to do it, and is told (by email through ``mailer``, or the background task's mailer).
    Where the procedure lets the chair agree that an absent agency's written report
    suffices (Birmingham §5.1), the invitations in ``report_suffices`` are not escalated:
    each must be absent and have sent its report; the agreement is kept with its clause.
    """
    if not may_run_discussion(user, discussion):
        raise Problem("Only the chair or this authority's social care can start the discussion")
    if discussion.status != DiscussionStatus.SCHEDULED:
        raise Problem("This discussion has already started")
    profile = get_profile(discussion.request.profile)
    suffices = profile.notes.get("written_report_suffices")
    invitations = list(discussion.invitations.select_related("written_report"))
    errors: list[tuple[str | None, str]] = []
    recorded = [
        Invitation(pk=i.pk, deputy_for_id=i.deputy_for_id, attendance=attendance.get(i.pk, ""))
        for i in invitations
    ]
    for invitation in invitations:
        status = attendance.get(invitation.pk, "")
        agreed = invitation.pk in report_suffices
        if agreed:
            errors += _report_suffices_problems(invitation, status, suffices, profile)
        if status not in Attendance.values:
            errors.append((f"attendance-{invitation.pk}", f"Record whether {invitation} attended"))
        elif (
            invitation.required
            and status != Attendance.ATTENDED
            and not deputy_covers(invitation, recorded)
            and not agreed
            and not absence_reasons.get(invitation.pk, "").strip()
        ):
            errors.append(
                (
                    f"absence-{invitation.pk}",
                    f"{invitation} is a required agency: record why the discussion is going "
                    "ahead without them",
                )
            )
    if errors:
        raise Problem.many(errors)
    escalation = profile.notes.get("non_attendance_escalation")
    # A discussion recorded afterwards was held when it was scheduled: its clocks run from then.
    held = discussion.scheduled_for if discussion.recorded_afterwards else now
    with transaction.atomic(durable=True):
        # Locked and checked again inside the transaction: two starts at once start it once.
        lock_discussion(discussion, status=DiscussionStatus.SCHEDULED, doing="starting it")
        for invitation in invitations:
            invitation.attendance = attendance[invitation.pk]
            invitation.absence_reason = absence_reasons.get(invitation.pk, "").strip()
            # Validated above: agreed only where the procedure provides for it.
            invitation.report_suffices_source = (
                suffices["source"] if suffices and invitation.pk in report_suffices else ""
            )
        Invitation.objects.bulk_update(
            invitations, ["attendance", "absence_reason", "report_suffices_source"]
        )
        for invitation in invitations:
            agreed = bool(invitation.report_suffices_source)
            absent = invitation.attendance != Attendance.ATTENDED and not deputy_covers(
                invitation, recorded
            )
            if escalation and invitation.required and absent and not agreed:
                escalation_action_create(
                    user=user,
                    discussion=discussion,
                    invitation=invitation,
                    source=escalation["source"],
                    now=now,
                    mailer=mailer,
                )
        discussion.status = DiscussionStatus.STARTED
        discussion.started_at = held
        discussion.version += 1
        discussion.save(update_fields=["status", "started_at", "version"])
        audit_record(
            user=user,
            action="start",
            obj=discussion,
            children=list(discussion.request.children.values_list("pk", flat=True)),
            detail={
                "attendance": {str(k): v for k, v in attendance.items()},
                "report_suffices": sorted(report_suffices),
            },
        )
        if discussion.previous_id is None:
            clock_meet_discussion_held(request=discussion.request, at=held, user=user)
    return discussion
