"""Discussions for the recording pages' tests, built through the real services."""

from __future__ import annotations

import html as html_module
import re
from datetime import date, timedelta
from typing import Any

from django.test import Client

from strategise.cases.models import Child
from strategise.cases.services import child_create
from strategise.discussions.concluding import discussion_conclude
from strategise.discussions.decisions import decision_save
from strategise.discussions.models import Discussion
from strategise.discussions.recording import record_save
from strategise.minutes.models import Minutes
from strategise.minutes.services import minutes_approve, minutes_draft
from strategise.organisations.models import User
from tests.discussions.support import NOW, make_child, started_discussion
from tests.discussions.test_recording import COMPLETE_RECORD

LATER = NOW + timedelta(hours=2)


def siblings(worker: User) -> list[Child]:
    """Amara and her brother Kofi, in one household (a standard discussion)."""
    amara = make_child(worker, "Amara")
    kofi = child_create(
        user=worker,
        values={
            "first_name": "Kofi",
            "last_name": "Okafor",
            "date_of_birth": date(2016, 2, 9),
            "local_reference": "SCT2002",
        },
        same_household_as=amara,
        today=NOW.date(),
    )
    return [amara, kofi]


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
            values={
                "outcome": "s47_joint",
                "rationale": "Unexplained bruising to the face",
                "medical_decision": "arrange",
                "also": ["recommend_icpc"],
            },
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
    return minutes_approve(user=chair, minutes=minutes, revision=minutes.revision, now=LATER)


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
    """What the page's form posts: everything as served (its version and what the draft
    began from included), with ``typed`` filled in."""
    response = client.get(path)
    assert response.status_code == 200, path
    return {**served_form(response.content.decode()), **typed}


def served_form(html: str) -> dict[str, list[str]]:
    """What the page's form would post as served: filled inputs, ticked boxes, chosen
    options and textareas (enough for the GOV.UK forms of this service)."""
    found: dict[str, list[str]] = {}

    def add(name: str, value: str) -> None:
        found.setdefault(html_module.unescape(name), []).append(html_module.unescape(value))

    for tag in re.findall(r"<input\b[^>]*>", html):
        name = re.search(r'\sname="([^"]*)"', tag)
        value = re.search(r'\svalue="([^"]*)"', tag)
        kind = re.search(r'\stype="([^"]*)"', tag)
        if not name or "csrf" in name.group(1):
            continue
        if kind and kind.group(1) in ("checkbox", "radio"):
            if re.search(r"\schecked\b", tag):
                add(name.group(1), value.group(1) if value else "on")
        else:
            add(name.group(1), value.group(1) if value else "")
    for name, options in re.findall(r'<select[^>]*name="([^"]*)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)"\s+selected', options)
        add(name, chosen.group(1) if chosen else "")
    for name, content in re.findall(
        r'<textarea[^>]*name="([^"]*)"[^>]*>(.*?)</textarea>', html, re.S
    ):
        add(name, content.strip())
    return found
