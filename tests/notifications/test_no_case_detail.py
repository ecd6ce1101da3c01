"""What leaves by email says what needs doing and links to it: never a child's name or an
action's own words. ``tests/conftest.py`` checks every email the suite sends; these tests
check the check, and the emails that once quoted actions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMessage

from strategise.actions.models import Action
from strategise.clocks.digest import digests_send
from strategise.notifications.services import escalation_action_notify
from strategise.organisations.models import User
from strategise.policy import LONDON
from tests.clocks.support import held_discussion
from tests.conftest import case_detail_in

DESCRIPTION = "Arrange the child protection medical at the Sandwell hospital"


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


def test_the_check_finds_a_childs_name_and_an_actions_text(
    social_worker: User, team_manager: User
) -> None:
    discussion = held_discussion(social_worker, team_manager, child_name="Amara")
    Action.objects.create(
        discussion=discussion,
        description=DESCRIPTION,
        owner=team_manager,
        due_at=_at("2026-03-06T17:00"),
    )
    named = EmailMessage(subject="About Amara Okafor", body="Nothing else", to=["a@example.org"])
    quoted = EmailMessage(subject="Reminder", body=f"Please: {DESCRIPTION}", to=["b@example.org"])
    clean = EmailMessage(
        subject="Reminder: an action", body="Open Strategise to see it.", to=["c@example.org"]
    )
    assert case_detail_in([named, quoted, clean]) == [
        "'About Amara Okafor' to ['a@example.org']: 'Amara Okafor'",
        f"'Reminder' to ['b@example.org']: {DESCRIPTION[:40]!r}",
    ]


def test_a_digest_names_an_action_by_its_discussion_only(
    social_worker: User, team_manager: User, django_capture_on_commit_callbacks: Any
) -> None:
    discussion = held_discussion(social_worker, team_manager)
    Action.objects.create(
        discussion=discussion,
        description=DESCRIPTION,
        owner=team_manager,
        due_at=_at("2026-03-06T17:00"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        sent = digests_send(now=_at("2026-03-05T08:00"))
    assert [n.user for n in sent] == [team_manager]
    (email,) = [m for m in mail.outbox if m.to == [team_manager.email]]
    assert f"- An action for strategy discussion {discussion.pk}, due by" in email.body
    assert "Arrange" not in email.body
    assert case_detail_in(mail.outbox) == []


def test_an_escalation_action_is_announced_without_its_text(
    social_worker: User, team_manager: User, django_capture_on_commit_callbacks: Any
) -> None:
    discussion = held_discussion(social_worker, team_manager)
    action = Action.objects.create(
        discussion=discussion,
        description="Escalate the police's absence to their duty inspector",
        owner=team_manager,
        due_at=_at("2026-03-06T17:00"),
        source="000_394093cbef3e5ee1.txt §5.1",
    )
    with django_capture_on_commit_callbacks(execute=True):
        notification = escalation_action_notify(action=action, now=_at("2026-03-05T09:00"))
    assert notification is not None
    assert notification.text == (
        f"Strategy discussion {discussion.pk}: you have an action to do by Friday 6 March 2026, "
        "5pm (Birmingham guidance §5.1). Open the discussion to see it."
    )
    (email,) = mail.outbox
    assert "duty inspector" not in email.body
    assert f"/discussions/{discussion.pk}/" in email.body


@pytest.mark.parametrize("field", ["subject", "body"])
def test_the_check_reads_subjects_and_bodies(
    social_worker: User, team_manager: User, field: str
) -> None:
    held_discussion(social_worker, team_manager, child_name="Kofi")
    message = EmailMessage(subject="S", body="B", to=["d@example.org"])
    setattr(message, field, "Kofi Okafor")
    assert case_detail_in([message]) == [f"{message.subject!r} to ['d@example.org']: 'Kofi Okafor'"]
