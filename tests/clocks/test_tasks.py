"""The background work: the tick (breaches, reminders), daily digests, and the worker."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from strategise.actions.models import Action
from strategise.clocks.digest import digest_due, digest_for, digests_send
from strategise.clocks.models import ClockState
from strategise.clocks.tasks import clocks_tick, digests_tick
from strategise.links import Target, TargetKind
from strategise.notifications.models import Kind, Notification
from strategise.notifications.services import notify
from strategise.notifications.tasks import notification_email_send
from strategise.organisations.models import LocalAuthority, Role, User
from strategise.policy import LONDON
from tests.clocks.support import held_discussion
from tests.factories import TeamFactory, UserFactory


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


# --- the tick -------------------------------------------------------------------------


def test_the_tick_marks_breaches_then_reminds(social_worker: User, team_manager: User) -> None:
    discussion = held_discussion(social_worker, team_manager)
    # Thursday 5 March, 9am: the decisions are due by midnight (reminder), and nothing is late.
    result = clocks_tick.enqueue(_at("2026-03-05T09:00").isoformat())
    assert result.return_value == {"breached": 0, "reminded": 1}
    # Friday 6 March: the decisions were not circulated, so that clock is breached.
    result = clocks_tick.enqueue(_at("2026-03-06T09:00").isoformat())
    assert result.return_value == {"breached": 1, "reminded": 0}
    assert discussion.clocks.get(code="decisions_circulated").state == ClockState.BREACHED


def test_the_tick_run_twice_sends_nothing_twice(social_worker: User, team_manager: User) -> None:
    held_discussion(social_worker, team_manager)
    moment = _at("2026-03-06T09:00").isoformat()
    clocks_tick.enqueue(moment)
    before = sorted(Notification.objects.values_list("dedupe_key", flat=True))
    assert clocks_tick.enqueue(moment).return_value == {"breached": 0, "reminded": 0}
    assert sorted(Notification.objects.values_list("dedupe_key", flat=True)) == before


def test_the_tick_uses_the_time_it_runs_when_not_told(
    social_worker: User, team_manager: User
) -> None:
    held_discussion(social_worker, team_manager)
    with time_machine.travel(_at("2026-03-06T09:00"), tick=False):
        assert clocks_tick.enqueue().return_value["breached"] == 1


def test_the_command_enqueues_the_tick_and_the_digests(
    social_worker: User, team_manager: User
) -> None:
    held_discussion(social_worker, team_manager)
    with time_machine.travel(_at("2026-03-06T08:30"), tick=False):
        call_command("clocks_tick")
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert kinds == {Kind.OVERDUE, Kind.DIGEST}


def test_the_command_refuses_a_negative_interval(db: None) -> None:
    with pytest.raises(CommandError, match="--every must be 0"):
        call_command("clocks_tick", "--every", "-1")


def test_the_command_repeats_every_so_many_seconds(
    monkeypatch: pytest.MonkeyPatch, social_worker: User
) -> None:
    sleeps: list[int] = []

    def stop_after_two(seconds: int) -> None:
        sleeps.append(seconds)
        if len(sleeps) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr("time.sleep", stop_after_two)
    with pytest.raises(KeyboardInterrupt):
        call_command("clocks_tick", "--every", "60")
    assert sleeps == [60, 60]


# --- the database worker --------------------------------------------------------------

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


# The worker commits as it goes and closes connections it finds inside a transaction, as a
# real worker would: so this test commits too.
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_the_database_worker_sends_an_email_once(social_worker: User) -> None:
    notification = notify(
        user=social_worker,
        kind=Kind.REMINDER,
        text="Strategy discussion held for request 1 is due by Monday 9 March 2026, 11:59pm.",
        target=Target(TargetKind.REQUEST, 1),
        dedupe_key="test:worker",
        now=_at("2026-03-09T09:00"),
    )
    assert notification is not None
    # notify enqueued the email as it committed; enqueue it again, as a retry might.
    notification_email_send.enqueue(notification.pk)
    assert DBTaskResult.objects.count() == 2
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert [message.to for message in mail.outbox] == [[social_worker.email]]
    message = mail.outbox[0]
    assert (
        message.subject
        == "Reminder: Strategy discussion held for request 1 is due by Monday 9 March 2026, 11:59pm"
    )
    assert "Open Strategise: http://127.0.0.1:8000/requests/1/" in message.body
    notification.refresh_from_db()
    assert notification.emailed_at is not None


# --- digests --------------------------------------------------------------------------


def test_digests_go_on_working_days_from_eight() -> None:
    assert digest_due(_at("2026-03-05T08:00"))
    assert not digest_due(_at("2026-03-05T07:59"))
    assert not digest_due(_at("2026-03-07T09:00"))  # a Saturday
    assert not digest_due(_at("2026-04-06T09:00"))  # Easter Monday


def test_the_digest_lists_what_is_overdue_and_due_soon(
    social_worker: User, team_manager: User
) -> None:
    discussion = held_discussion(social_worker, team_manager)
    Action.objects.create(
        discussion=discussion,
        description="Arrange the child protection medical",
        owner=team_manager,
        due_at=_at("2026-03-06T17:00"),
    )
    clocks_tick.enqueue(_at("2026-03-06T08:00").isoformat())  # the decisions clock breaches
    digest = digest_for(user=team_manager, now=_at("2026-03-06T08:00"))
    assert digest.text() == "\n".join(
        [
            "Your strategy discussion work on Friday 6 March 2026.",
            "",
            "Overdue:",
            f"- Decisions and action points circulated for strategy discussion {discussion.pk}, "
            "due by Thursday 5 March 2026, 11:59pm",
            "",
            "Due by Monday 9 March 2026, 11:59pm:",
            f"- An action for strategy discussion {discussion.pk}, due by Friday 6 March 2026, 5pm",
            "",
            "You have 1 unread notification.",
        ]
    )


def test_a_manager_hears_how_many_of_their_teams_clocks_are_overdue(
    authority: LocalAuthority, social_worker: User, team_manager: User
) -> None:
    service_manager = UserFactory.create(
        agency=authority.agencies.get(kind="childrens_social_care"), role=Role.SERVICE_MANAGER
    )
    team = TeamFactory.create(agency=service_manager.agency, manager=service_manager)
    User.objects.filter(pk=team_manager.pk).update(team=team)
    held_discussion(social_worker, team_manager)
    clocks_tick.enqueue(_at("2026-03-06T08:00").isoformat())
    sent = digests_send(now=_at("2026-03-06T08:00"))
    assert {n.user for n in sent} == {team_manager, service_manager}
    text = Notification.objects.get(user=service_manager, kind=Kind.DIGEST).text
    assert "In your team, 1 clock is overdue." in text


def test_digests_go_once_a_day_and_only_to_people_with_something_due(
    social_worker: User, team_manager: User, police_officer: User
) -> None:
    held_discussion(social_worker, team_manager)
    assert digests_tick.enqueue(_at("2026-03-05T08:00").isoformat()).return_value == 1
    assert digests_tick.enqueue(_at("2026-03-05T08:01").isoformat()).return_value == 0
    assert list(Notification.objects.filter(kind=Kind.DIGEST).values_list("user", flat=True)) == [
        team_manager.pk
    ]
    # The next working day brings the next digest.
    assert digests_tick.enqueue(_at("2026-03-06T08:00").isoformat()).return_value == 1


def test_no_digest_before_eight_or_at_the_weekend(social_worker: User, team_manager: User) -> None:
    held_discussion(social_worker, team_manager)
    assert digests_send(now=_at("2026-03-05T07:59")) == []
    assert digests_send(now=_at("2026-03-07T08:00")) == []


def test_a_long_digest_counts_what_it_does_not_list(
    social_worker: User, team_manager: User
) -> None:
    discussion = held_discussion(social_worker, team_manager)
    start = _at("2026-03-05T09:00")
    for hour in range(12):
        Action.objects.create(
            discussion=discussion,
            description=f"Task {hour}",
            owner=team_manager,
            due_at=start + timedelta(hours=hour),
        )
    text = digest_for(user=team_manager, now=_at("2026-03-05T08:00")).text()
    assert "- and 3 more" in text  # 12 actions and the decisions clock; ten are listed
