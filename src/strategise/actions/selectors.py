"""Reading actions, scoped to the user and audited."""

from __future__ import annotations

from django.db import transaction
from django.shortcuts import get_object_or_404

from strategise.access import visible_actions
from strategise.actions.models import Action
from strategise.audit.services import audit_record
from strategise.organisations.models import User


def action_get(*, user: User, pk: int) -> Action:
    """One action of a discussion the user may see, or their own (404 otherwise)."""
    with transaction.atomic():
        action = get_object_or_404(
            visible_actions(user).select_related("discussion", "discussion__request", "owner"),
            pk=pk,
        )
        audit_record(
            user=user,
            action="view",
            obj=action,
            children=list(action.discussion.request.children.values_list("pk", flat=True)),
        )
    return action
