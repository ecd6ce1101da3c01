"""Correcting a concluded discussion's record.

Once the chair concludes a discussion its record is locked (``recording.require_unlocked``).
The chair, or a team manager or above in the authority's social care, opens a correction
with its reason; while it is open the record is edited as before. Closing it passes the
checks of concluding again (a decision with its rationale for every child, and the
confirmation of "no further action" where the procedure asks for one), starts or stops
the clocks the corrected decisions call for, and drafts the next version of the minutes.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from strategise.access import may_correct
from strategise.audit.idempotency import form_claim, form_keep, form_replayed
from strategise.audit.services import audit_record
from strategise.clocks.services import clocks_correct
from strategise.discussions.concluding import conclusion_problems
from strategise.discussions.models import (
    SECTION_47_OUTCOMES,
    Correction,
    Discussion,
    DiscussionStatus,
)
from strategise.discussions.recording import discussion_children, lock_discussion, open_correction
from strategise.minutes.services import minutes_redraft_corrected
from strategise.organisations.models import User
from strategise.problems import Problem

NOT_ALLOWED = (
    "Only the chair or a team manager or above in this authority's social care can correct "
    "the record"
)


def correction_open(
    *, user: User, discussion: Discussion, reason: str, now: datetime, token: str = ""
) -> Correction:
    """Open a concluded discussion's record again, with the reason for correcting it."""
    first = form_replayed(user=user, token=token, model=Correction)
    if first is not None:
        return first
    if not may_correct(user, discussion):
        raise Problem(NOT_ALLOWED)
    if discussion.status != DiscussionStatus.HELD:
        raise Problem("Only a concluded discussion is corrected: until then, edit the record")
    if not reason.strip():
        raise Problem("Give the reason for the correction", "reason")
    with transaction.atomic(durable=True):
        first = form_claim(user=user, token=token, model=Correction)
        if first is not None:
            return first
        locked = lock_discussion(
            discussion, status=DiscussionStatus.HELD, doing="opening a correction"
        )
        if open_correction(locked) is not None:
            raise Problem("A correction of this record is already open: close it first")
        correction = Correction.objects.create(
            discussion=locked, reason=reason.strip(), opened_by=user, opened_at=now
        )
        locked.version += 1
        locked.save(update_fields=["version"])
        discussion.version = locked.version
        form_keep(user=user, token=token, obj=correction)
        audit_record(
            user=user,
            action="correction-open",
            obj=correction,
            authority=locked.local_authority_id,
            children=discussion_children(locked),
            detail={"reason": correction.reason},
        )
    return correction


def correction_close(*, user: User, discussion: Discussion, now: datetime) -> Correction:
    """Close the open correction: the record must pass the checks of concluding again; the
    clocks follow the corrected decisions, and the minutes are drafted again."""
    if not may_correct(user, discussion):
        raise Problem(NOT_ALLOWED)
    with transaction.atomic(durable=True):
        locked = lock_discussion(
            discussion, status=DiscussionStatus.HELD, doing="closing the correction"
        )
        correction = open_correction(locked)
        if correction is None:
            raise Problem("No correction of this record is open")
        errors = conclusion_problems(discussion=locked)
        if errors:
            raise Problem.many(errors)
        section_47 = locked.decisions.filter(outcome__in=SECTION_47_OUTCOMES).exists()
        started, stopped = clocks_correct(
            discussion=locked,
            section_47=section_47,
            reason=correction.reason,
            user=user,
            now=now,
        )
        minutes = minutes_redraft_corrected(
            user=user, discussion=locked, now=now, correction_reason=correction.reason
        )
        correction.closed_by = user
        correction.closed_at = now
        correction.save(update_fields=["closed_by", "closed_at"])
        locked.version += 1
        locked.save(update_fields=["version"])
        discussion.version = locked.version
        audit_record(
            user=user,
            action="correction-close",
            obj=correction,
            authority=locked.local_authority_id,
            children=discussion_children(locked),
            detail={
                "section_47": section_47,
                "clocks_started": [clock.code for clock in started],
                "clocks_stopped": [clock.code for clock in stopped],
                "minutes": minutes.number if minutes else None,
            },
        )
    return correction
