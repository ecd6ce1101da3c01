"""Recording a strategy discussion: what was shared (the record and each agency's
contribution), and the rules every part of the recording follows.

Edits never silently overwrite: each save names the version it was based on, and if
someone else saved in between, ``EditConflict`` says what they changed. Decisions and
dissent are in ``discussions.decisions``; concluding in ``discussions.concluding``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import models, transaction

from strategise.access import may_record
from strategise.audit.idempotency import form_claim, form_keep, form_replayed
from strategise.audit.services import audit_record
from strategise.discussions.models import (
    Contribution,
    ContributionUpdate,
    Correction,
    Discussion,
    DiscussionRecord,
    DiscussionStatus,
    Invitation,
)
from strategise.organisations.models import User
from strategise.policy.wording import format_when
from strategise.problems import Problem

RECORD_FIELDS = (
    "agenda_notes",
    "reason",
    "background",
    "family_details_checked",
    "other_children",
    "risk_answers",
    "family_informed",
    "family_informed_by",
    "family_informed_when",
    "family_not_informed_reason",
    "legal_advice",
    "legal_advice_detail",
    "interpreter",
    "further_discussion_needed",
    "further_discussion_by",
)


class EditConflict(Problem):
    """Someone else saved the same record since this edit began."""

    def __init__(self, changes: dict[str, tuple[Any, Any]], version: int):
        names = ", ".join(name.replace("_", " ") for name in changes)
        super().__init__(
            "Someone else saved this while you were editing it. Your changes have not been "
            f"saved. They changed: {names}. Check their version below, then save again."
        )
        self.changes = changes
        # The version now saved: an edit based on it, having seen their changes, may save.
        self.version = version


def discussion_children(discussion: Discussion) -> list[int]:
    """The ids of the children the discussion is about (for its audit events)."""
    return list(discussion.request.children.values_list("pk", flat=True))


def open_correction(discussion: Discussion) -> Correction | None:
    """The correction of the discussion's record that is open now, if there is one."""
    return Correction.objects.filter(discussion=discussion, closed_at__isnull=True).first()


def concluded_problem(discussion: Discussion) -> Problem:
    """Why a concluded discussion's record cannot be changed, and what to do."""
    when = discussion.concluded_at or discussion.held_at
    on = f" on {format_when(when)}" if when else ""
    return Problem(f"This discussion was concluded{on}: open a correction to change it")


def require_unlocked(discussion: Discussion) -> None:
    """Refuse to change the record of a discussion the chair has concluded, unless a
    correction of it is open. Inside a transaction it locks the discussion's row, so a
    conclusion cannot slip in between the check and the change."""
    if transaction.get_connection().in_atomic_block:
        discussion = Discussion.objects.select_for_update().get(pk=discussion.pk)
    if discussion.status == DiscussionStatus.HELD and open_correction(discussion) is None:
        raise concluded_problem(discussion)


def lock_discussion(discussion: Discussion, *, status: str, doing: str) -> Discussion:
    """Inside a transition's transaction: the discussion's row, locked, if it is still in
    ``status`` at the version it was read at; otherwise someone else got there first."""
    locked = (
        Discussion.objects.select_for_update()
        .select_related("request", "chair")
        .get(pk=discussion.pk)
    )
    if locked.status != status or locked.version != discussion.version:
        if locked.status == DiscussionStatus.HELD and status == DiscussionStatus.STARTED:
            raise concluded_problem(locked)
        raise Problem(f"Someone else changed this discussion while you were {doing}: reload it")
    return locked


def require_recording(user: User, discussion: Discussion) -> None:
    """Refuse unless the user may record the discussion, it is under way (or held, with a
    correction open)."""
    if not may_record(user, discussion):
        raise Problem("Only the chair, the minute-taker or children's social care can record this")
    if discussion.status == DiscussionStatus.SCHEDULED:
        raise Problem("Start the discussion (record who is there) before recording it")
    if discussion.status == DiscussionStatus.CANCELLED:
        raise Problem("This discussion was cancelled")
    require_unlocked(discussion)


def save_versioned(
    *,
    instance: models.Model,
    fields: tuple[str, ...],
    values: dict[str, Any],
    expected_version: int,
    user: User,
    now: datetime,
    base: dict[str, Any] | None = None,
) -> None:
    """Save ``values`` only if nobody saved since ``expected_version``; say what they changed.

    If someone did, ``base`` (the values as they were when this edit began) tells whose
    change each field is: what only they changed is kept, what only this edit changed is
    saved, and only a field both changed differently is a conflict. Without ``base``,
    every field being saved that now holds something else is a conflict.
    """
    manager = type(instance)._default_manager
    current = manager.select_for_update().filter(pk=instance.pk).first() if instance.pk else None
    saved = [name for name in fields if name in values]
    if current is not None:
        current_version = getattr(current, "version")  # noqa: B009
        if current_version != expected_version:
            if base is not None:
                saved = [name for name in saved if values[name] != base.get(name)]
            changes = {
                name: (values[name], getattr(current, name))
                for name in saved
                if values[name] != getattr(current, name)
                and (base is None or getattr(current, name) != base.get(name))
            }
            if changes:
                raise EditConflict(changes, current_version)
            expected_version = current_version
    for name in saved:
        setattr(instance, name, values[name])
    setattr(instance, "version", expected_version + 1)  # noqa: B010
    setattr(instance, "updated_by", user)  # noqa: B010
    setattr(instance, "updated_at", now)  # noqa: B010
    if current is None:
        instance.save()
    else:
        # Only what this edit saves: other fields may have been changed since it was read.
        instance.save(update_fields=[*saved, "version", "updated_by", "updated_at"])


def record_save(
    *,
    user: User,
    discussion: Discussion,
    values: dict[str, Any],
    expected_version: int,
    now: datetime,
    base: dict[str, Any] | None = None,
) -> DiscussionRecord:
    """Save the record of what was shared and decided (any part of it, as a draft).

    ``base`` is the record as it was when the edit began, if known: with it, a save after
    someone else's changes to other parts keeps both.
    """
    require_recording(user, discussion)
    further = values.get("further_discussion_by")
    held = discussion.started_at or discussion.scheduled_for
    if further is not None and further < held:
        raise Problem(
            f"The further discussion must be held after this one ({format_when(held)})",
            "further_discussion_by",
        )
    with transaction.atomic(durable=True):
        require_unlocked(discussion)
        record, _ = DiscussionRecord.objects.get_or_create(
            discussion=discussion, defaults={"version": 0}
        )
        save_versioned(
            instance=record,
            fields=RECORD_FIELDS,
            values=values,
            expected_version=expected_version,
            user=user,
            now=now,
            base=base,
        )
        audit_record(
            user=user,
            action="record",
            obj=record,
            children=discussion_children(discussion),
            detail={"fields": sorted(name for name in values if name in RECORD_FIELDS)},
        )
    return record


def contribution_save(
    *,
    user: User,
    invitation: Invitation,
    text: str,
    not_for_family: bool,
    consent_needed: bool,
    expected_version: int,
    now: datetime,
    base: dict[str, Any] | None = None,
) -> Contribution:
    """Record an agency's contribution against its invitation, with its sharing markers."""
    discussion = invitation.discussion
    if invitation.user_id != user.pk:
        require_recording(user, discussion)
    elif discussion.status == DiscussionStatus.CANCELLED:
        raise Problem("This discussion was cancelled")
    else:
        require_unlocked(discussion)
    if not text.strip():
        raise Problem("Enter what the agency shared", "text")
    with transaction.atomic(durable=True):
        require_unlocked(discussion)
        contribution = Contribution.objects.filter(invitation=invitation).first() or Contribution(
            invitation=invitation, version=0
        )
        save_versioned(
            instance=contribution,
            fields=("text", "not_for_family", "consent_needed"),
            values={
                "text": text.strip(),
                "not_for_family": not_for_family,
                "consent_needed": consent_needed,
            },
            expected_version=expected_version,
            user=user,
            now=now,
            base=base,
        )
        audit_record(
            user=user,
            action="contribute",
            obj=contribution,
            children=discussion_children(discussion),
            detail={"not_for_family": not_for_family, "consent_needed": consent_needed},
        )
    return contribution


def contribution_update_add(
    *, user: User, invitation: Invitation, text: str, now: datetime, token: str = ""
) -> ContributionUpdate:
    """An agency adds a dated update to its contribution once the discussion is held: the
    contribution itself stays as it was shared. Its own invitee adds it, or those who
    record the discussion."""
    first = form_replayed(user=user, token=token, model=ContributionUpdate)
    if first is not None:
        return first
    discussion = invitation.discussion
    if invitation.user_id != user.pk and not may_record(user, discussion):
        raise Problem("Only the agency's own representative or those who record can add an update")
    if discussion.status != DiscussionStatus.HELD:
        raise Problem("Updates are added after the discussion: until then, edit the contribution")
    contribution = Contribution.objects.filter(invitation=invitation).first()
    if contribution is None:
        raise Problem("This agency's contribution was not recorded, so there is nothing to update")
    if not text.strip():
        raise Problem("Enter the update", "text")
    with transaction.atomic(durable=True):
        first = form_claim(user=user, token=token, model=ContributionUpdate)
        if first is not None:
            return first
        update = ContributionUpdate.objects.create(
            contribution=contribution, text=text.strip(), added_by=user, added_at=now
        )
        form_keep(user=user, token=token, obj=update)
        audit_record(
            user=user,
            action="contribution-update",
            obj=update,
            authority=discussion.local_authority_id,
            children=discussion_children(discussion),
        )
    return update
