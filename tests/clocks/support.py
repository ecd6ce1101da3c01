"""Discussions held through the real services, so their clocks start as in real life."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from strategise.actions.services import action_create
from strategise.discussions.concluding import discussion_conclude
from strategise.discussions.decisions import decision_save
from strategise.discussions.models import Discussion
from strategise.discussions.recording import record_save
from strategise.organisations.models import User
from tests.discussions.support import NOW, make_child, started_discussion

# Started at noon on Wednesday 4 March 2026 (see tests.discussions.support), concluded at 2pm.
CONCLUDED = NOW + timedelta(hours=3)
RECORD: dict[str, Any] = {
    "family_informed": "yes",
    "family_informed_by": "The allocated social worker",
    "family_informed_when": "Today after school",
    "legal_advice": "not_needed",
    "further_discussion_needed": False,
}


def held_discussion(
    worker: User,
    chair: User,
    *,
    users: dict[str, User] | None = None,
    outcome: str = "s47_joint",
    record: dict[str, Any] | None = None,
    child_name: str = "Amara",
    actions: list[dict[str, Any]] | None = None,
    **request_changes: Any,
) -> Discussion:
    """A discussion raised, convened, started and concluded with one child's decision (and
    ``actions`` agreed, each ``action_create``'s arguments, before it is concluded)."""
    discussion = started_discussion(
        worker=worker,
        chair=chair,
        children=[make_child(worker, child_name)],
        users=users or {},
        **request_changes,
    )
    record_save(
        user=chair,
        discussion=discussion,
        values={**RECORD, **(record or {})},
        expected_version=0,
        now=CONCLUDED,
    )
    decision_save(
        user=chair,
        discussion=discussion,
        child=discussion.request.children.get(),
        values={
            "outcome": outcome,
            "rationale": "Unexplained bruising to the face",
            "medical_decision": "arrange",
            # Section 47 with a conference recommended: the child's ICPC clock starts.
            "also": ["recommend_icpc"] if outcome.startswith("s47") else [],
        },
        expected_version=0,
        now=CONCLUDED,
    )
    for action in actions or []:
        action_create(user=chair, discussion=discussion, **action)
    return discussion_conclude(user=chair, discussion=discussion, now=CONCLUDED)
