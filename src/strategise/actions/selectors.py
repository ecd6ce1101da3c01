"""Reading actions, scoped to the user and audited."""

from __future__ import annotations

from django.db import transaction
from django.shortcuts import get_object_or_404

from strategise.access import visible_actions
from strategise.actions.models import Action
from strategise.audit.listing import Listed, audited_page
from strategise.audit.services import audit_record
from strategise.organisations.models import User
from strategise.requests.selectors import children_of_requests


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


def action_list(
    *, user: User, before: int | None = None, limit: int = 25, discussion: int | None = None
) -> Listed[Action]:
    """A page of the actions the user may see (of one discussion, if given), newest first."""
    actions = visible_actions(user).select_related("discussion", "owner")
    if discussion is not None:
        actions = actions.filter(discussion_id=discussion)

    return audited_page(
        user=user,
        records=actions,
        before=before,
        limit=limit,
        children_of=lambda listed: children_of_requests(a.discussion.request_id for a in listed),
    )
