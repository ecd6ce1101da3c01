"""Agreeing actions at a discussion, and their owners keeping them up to date.

The chair, the minute-taker or the authority's social care agree an action: what, who
(a user, or a named person and their agency) and by when. Its owner, or those who
record the discussion, update its status with a note of what was done. Where the
procedure says so, starting a discussion without a required agency gives its chair an
action to escalate that (``escalation_action_create``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from strategise.access import may_own_action, may_record, may_update_action
from strategise.actions.models import Action, ActionStatus
from strategise.audit.idempotency import form_claim, form_keep, form_replayed
from strategise.audit.services import audit_record
from strategise.cases.models import Child
from strategise.discussions.models import Discussion, DiscussionStatus, Invitation
from strategise.discussions.recording import require_unlocked, save_versioned
from strategise.notifications.services import escalation_action_notify
from strategise.organisations.models import User
from strategise.policy import to_london, vocabulary
from strategise.problems import Problem


def _children(discussion: Discussion) -> list[int]:
    return list(discussion.request.children.values_list("pk", flat=True))


def action_create(
    *,
    user: User,
    discussion: Discussion,
    description: str,
    agency_code: str,
    due_at: datetime | None,
    owner: User | None = None,
    owner_name: str = "",
    children: list[Child] | None = None,
    now: datetime | None = None,
    token: str = "",
) -> Action:
    """Agree an action: what, who (a user, or a named person with their agency), by when,
    and for which of the discussion's children (none named: the whole family); a repeated
    post of the same form (``token``) answers with the action it added."""
    first = form_replayed(user=user, token=token, model=Action)
    if first is not None:
        return first
    if not may_record(user, discussion):
        raise Problem("Only the chair, the minute-taker or children's social care can add actions")
    if discussion.status in (DiscussionStatus.SCHEDULED, DiscussionStatus.CANCELLED):
        raise Problem("Actions are agreed at the discussion: start it first")
    errors: list[tuple[str | None, str]] = []
    if not description.strip():
        errors.append(("description", "Enter what will be done"))
    if not agency_code and owner is not None and owner.agency is not None:
        agency_code = owner.agency.kind
    if agency_code not in vocabulary.ATTENDEES:
        errors.append(("agency_code", "Select the agency that will do it"))
    if owner is None and not owner_name.strip():
        errors.append(("owner", "Choose who will do it, or enter their name"))
    elif owner is not None and not may_own_action(owner, discussion):
        errors.append(
            ("owner", f"{owner} is not invited to this discussion: choose someone who is")
        )
    if due_at is None:
        errors.append(("due", "Enter the date it will be done by"))
    elif due_at < (discussion.started_at or discussion.scheduled_for):
        errors.append(("due", "The date it will be done by must be after the discussion"))
    elif (
        now is not None
        and not discussion.recorded_afterwards
        and to_london(due_at).date() < to_london(now).date()
    ):
        errors.append(("due", "The date it will be done by must be today or in the future"))
    ours = set(discussion.request.children.values_list("pk", flat=True))
    if any(child.pk not in ours for child in children or []):
        errors.append(("children", "Choose only children this discussion is about"))
    if errors or due_at is None:
        raise Problem.many(errors)
    require_unlocked(discussion)
    with transaction.atomic(durable=True):
        require_unlocked(discussion)
        first = form_claim(user=user, token=token, model=Action)
        if first is not None:
            return first
        action = Action.objects.create(
            discussion=discussion,
            local_authority_id=discussion.local_authority_id,
            description=description.strip(),
            owner=owner,
            owner_name=owner_name.strip() or (str(owner) if owner else ""),
            agency_code=agency_code,
            due_at=due_at,
        )
        action.children.set(children or [])
        form_keep(user=user, token=token, obj=action)
        audit_record(
            user=user,
            action="create-action",
            obj=action,
            children=_children(discussion),
            detail={
                "owner": owner.pk if owner else None,
                "due_at": due_at.isoformat(),
                "for": sorted(child.pk for child in children or []),
            },
        )
    return action


def escalation_action_create(
    *,
    user: User,
    discussion: Discussion,
    invitation: Invitation,
    source: str,
    now: datetime,
    mailer: BaseEmailBackend | None = None,
) -> Action:
    """Give the chair an action, due now, to escalate a required agency's absence, citing
    the procedure's rule (``source``), and tell them. Runs inside the transaction that
    starts the discussion (``discussion_start``)."""
    agency = vocabulary.ATTENDEES.get(invitation.agency_code, invitation.agency_code)
    with transaction.atomic():
        action = Action.objects.create(
            discussion=discussion,
            local_authority_id=discussion.local_authority_id,
            description=f"Escalate the non-attendance of {invitation} ({agency})",
            owner=discussion.chair,
            owner_name=str(discussion.chair),
            agency_code="childrens_social_care",
            due_at=now,
            source=source,
        )
        audit_record(
            user=user,
            action="create-action",
            obj=action,
            children=_children(discussion),
            detail={"owner": discussion.chair_id, "due_at": now.isoformat(), "source": source},
        )
        escalation_action_notify(action=action, now=now, mailer=mailer)
    return action


def action_update(
    *,
    user: User,
    action: Action,
    status: str,
    completion_note: str,
    now: datetime | None = None,
    expected_version: int | None = None,
    base: dict[str, Any] | None = None,
) -> Action:
    """Its owner (or a recorder) marks an action open, done or cancelled, saying what was done.

    Marking it done records when (``now``); editing the note of a done action keeps that
    time, and reopening or cancelling it clears it. The update names the version it was
    based on (``expected_version``, the action's own if not given): if someone else updated
    it since, ``EditConflict`` says what they changed, as the record's drafts do. Progress
    is recorded after the discussion is concluded too: it is not part of the record.
    """
    if not may_update_action(user, action):
        raise Problem("Only the action's owner, the chair or the minute-taker can update it")
    if status not in ActionStatus.values:
        raise Problem("Select whether the action is open, done or cancelled", "status")
    if status != ActionStatus.OPEN and not completion_note.strip():
        raise Problem(_note_needed(status), "completion_note")
    with transaction.atomic(durable=True):
        locked = Action.objects.select_for_update().get(pk=action.pk)
        was_done = locked.status == ActionStatus.DONE and locked.completed_at is not None
        save_versioned(
            instance=locked,
            fields=("status", "completion_note"),
            values={"status": status, "completion_note": completion_note.strip()},
            expected_version=action.version if expected_version is None else expected_version,
            user=user,
            now=now or timezone.now(),
            base=base,
        )
        if locked.status != ActionStatus.OPEN and not locked.completion_note:
            # Their status with this edit's empty note: the merged update needs a note too.
            raise Problem(_note_needed(locked.status), "completion_note")
        if locked.status != ActionStatus.DONE:
            locked.completed_at = None
        elif not was_done:
            locked.completed_at = now or timezone.now()
        locked.save(update_fields=["completed_at"])
        audit_record(
            user=user,
            action="update-action",
            obj=locked,
            children=_children(locked.discussion),
            detail={
                "status": locked.status,
                "completed_at": locked.completed_at.isoformat() if locked.completed_at else None,
            },
        )
    for name in ("status", "completion_note", "completed_at", "version"):
        setattr(action, name, getattr(locked, name))
    return action


def _note_needed(status: str) -> str:
    word = "done" if status == ActionStatus.DONE else "cancelled"
    return f"Say what was done, or why it was {word}"
