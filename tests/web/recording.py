"""Discussions for the recording pages' tests, built through the real services."""

from __future__ import annotations

import html as html_module
import re
from datetime import timedelta
from typing import Any

from django.test import Client

from strategise.cases.models import Child
from strategise.discussions.models import Discussion
from strategise.discussions.recording import decision_save, discussion_conclude, record_save
from strategise.minutes.models import Minutes
from strategise.minutes.services import minutes_approve, minutes_draft
from strategise.organisations.models import User
from tests.discussions.support import NOW, make_child, started_discussion
from tests.discussions.test_recording import COMPLETE_RECORD

LATER = NOW + timedelta(hours=2)


def started(
    worker: User, chair: User, police: User, children: list[Child] | None = None
) -> Discussion:
    """Started now (in 2026's spring), with ``police`` invited for the police."""
    return started_discussion(
        worker=worker,
        chair=chair,
        children=children or [make_child(worker, "Amara")],
        users={"police": police},
    )


def complete(discussion: Discussion, chair: User) -> Discussion:
    """Everything recorded that concluding needs: the record and a decision for each child."""
    record_save(
        user=chair, discussion=discussion, values=COMPLETE_RECORD, expected_version=0, now=LATER
    )
    for child in discussion.request.children.all():
        decision_save(
            user=chair,
            discussion=discussion,
            child=child,
            values={"outcome": "s47_joint", "rationale": "Unexplained bruising to the face"},
            expected_version=0,
            now=LATER,
        )
    return discussion


def held(worker: User, chair: User, police: User) -> Discussion:
    """Recorded and concluded by the chair: its clocks have started."""
    discussion = complete(started(worker, chair, police), chair)
    return discussion_conclude(user=chair, discussion=discussion, now=LATER)


def approved_minutes(discussion: Discussion, chair: User) -> Minutes:
    minutes = minutes_draft(user=chair, discussion=discussion, now=LATER)
    return minutes_approve(user=chair, minutes=minutes, now=LATER)


def hidden_inputs(html: str) -> dict[str, list[str]]:
    """The hidden inputs of a page (its version and what the draft began from)."""
    found: dict[str, list[str]] = {}
    for tag in re.findall(r"<input\b[^>]*>", html):
        if 'type="hidden"' in tag and "csrf" not in tag:
            name = re.search(r'name="([^"]*)"', tag)
            value = re.search(r'value="([^"]*)"', tag)
            if name:
                found.setdefault(name.group(1), []).append(
                    html_module.unescape(value.group(1)) if value else ""
                )
    return found


def draft_post(client: Client, path: str, **typed: Any) -> dict[str, Any]:
    """What the page's form posts: its hidden inputs as served, with ``typed`` filled in."""
    response = client.get(path)
    assert response.status_code == 200, path
    return {**hidden_inputs(response.content.decode()), **typed}
