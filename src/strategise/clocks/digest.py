"""The daily digest: each morning, what is overdue or due soon for each person.

Sent once a working day, from 08:00 London time (before the working day starts at 09:00),
to everyone with a clock or an action overdue or due by the end of the next working day,
and to managers whose team has a clock overdue. Nobody with nothing due gets one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Q

from strategise.actions.models import Action, ActionStatus
from strategise.clocks.models import CLOCK_LABELS, LIVE_STATES, Clock, ClockState
from strategise.links import Target, TargetKind
from strategise.notifications.models import Kind, Notification
from strategise.notifications.services import notify
from strategise.organisations.models import Team, User
from strategise.organisations.selectors import TEAM_MANAGER_GRADES
from strategise.policy import Within, WorkingCalendar, to_london
from strategise.policy.wording import format_when

DIGEST_AT = time(8, 0)
SHOWN = 10  # items of each kind listed; the rest are counted
CALENDAR = WorkingCalendar()
NEXT_WORKING_DAY = Within("working_days", 1)


def digest_due(now: datetime) -> bool:
    """Whether digests go now: a working day, from 08:00 London time."""
    local = to_london(now)
    return CALENDAR.is_working_day(local.date()) and local.time() >= DIGEST_AT


@dataclass(frozen=True)
class Line:
    text: str
    due: datetime


@dataclass(frozen=True)
class Digest:
    """One person's digest for one day."""

    user: User
    day: date
    overdue: list[Line]
    due_soon: list[Line]
    horizon: datetime
    team_overdue: int
    unread: int

    @property
    def empty(self) -> bool:
        return not (self.overdue or self.due_soon or self.team_overdue)

    def text(self) -> str:
        """The digest as plain text, for the notification and its email."""
        lines = [f"Your strategy discussion work on {self.day:%A} {self.day.day} {self.day:%B %Y}."]
        lines += _section("Overdue", self.overdue)
        lines += _section(f"Due by {format_when(self.horizon)}", self.due_soon)
        if self.team_overdue:
            noun = "clock is" if self.team_overdue == 1 else "clocks are"
            lines += ["", f"In your team, {self.team_overdue} {noun} overdue."]
        if self.unread:
            noun = "notification" if self.unread == 1 else "notifications"
            lines += ["", f"You have {self.unread} unread {noun}."]
        return "\n".join(lines)


def _section(title: str, items: list[Line]) -> list[str]:
    if not items:
        return []
    shown = [f"- {item.text}, due by {format_when(item.due)}" for item in items[:SHOWN]]
    more = [f"- and {len(items) - SHOWN} more"] if len(items) > SHOWN else []
    return ["", f"{title}:", *shown, *more]


def _clock_line(code: str, request_id: int, discussion_id: int | None, due: datetime) -> Line:
    where = f"strategy discussion {discussion_id}" if discussion_id else f"request {request_id}"
    return Line(f"{CLOCK_LABELS.get(code, code)} for {where}", due)


def digest_for(*, user: User, now: datetime) -> Digest:
    """What is overdue and due by the end of the next working day for ``user``."""
    horizon = CALENDAR.deadline(NEXT_WORKING_DAY, now)
    items: list[Line] = [
        _clock_line(code, request_id, discussion_id, due)
        for code, request_id, discussion_id, due in Clock.objects.filter(
            responsible=user, state__in=LIVE_STATES, due_at__lte=horizon
        )
        .order_by("due_at", "pk")
        .values_list("code", "request_id", "discussion_id", "due_at")
    ]
    # The digest is emailed, so an action is named by its discussion, never by its text.
    items += [
        Line(f"An action for strategy discussion {discussion_id}", due)
        for discussion_id, due in Action.objects.filter(
            owner=user, status=ActionStatus.OPEN, due_at__lte=horizon
        )
        .order_by("due_at", "pk")
        .values_list("discussion_id", "due_at")
    ]
    items.sort(key=lambda line: line.due)
    team_overdue = 0
    if user.role in TEAM_MANAGER_GRADES:
        teams = Team.objects.filter(Q(manager=user) | Q(pk=user.team_id))
        team_overdue = (
            Clock.objects.filter(state=ClockState.BREACHED, responsible__team__in=teams)
            .exclude(responsible=user)
            .count()
        )
    return Digest(
        user=user,
        day=to_london(now).date(),
        overdue=[item for item in items if item.due < now],
        due_soon=[item for item in items if item.due >= now],
        horizon=horizon,
        team_overdue=team_overdue,
        unread=Notification.objects.filter(user=user, read_at__isnull=True).count(),
    )


def digest_recipients(*, now: datetime) -> list[User]:
    """Everyone who may have something in today's digest (index scans of live work only).

    Each query clears the model's default ordering: left in, its columns join the
    SELECT DISTINCT, which is then distinct per clock or action rather than per person."""
    horizon = CALENDAR.deadline(NEXT_WORKING_DAY, now)
    ids = set(
        Clock.objects.filter(state__in=LIVE_STATES, due_at__lte=horizon, responsible__isnull=False)
        .values_list("responsible_id", flat=True)
        .order_by()
        .distinct()
    )
    ids |= set(
        Action.objects.filter(status=ActionStatus.OPEN, due_at__lte=horizon, owner__isnull=False)
        .values_list("owner_id", flat=True)
        .order_by()
        .distinct()
    )
    teams = set(
        Clock.objects.filter(state=ClockState.BREACHED, responsible__team__isnull=False)
        .values_list("responsible__team_id", flat=True)
        .order_by()
        .distinct()
    )
    if teams:
        ids |= set(
            User.objects.filter(
                Q(managed_teams__in=teams) | Q(team__in=teams), role__in=TEAM_MANAGER_GRADES
            ).values_list("pk", flat=True)
        )
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def digests_send(*, now: datetime) -> list[Notification]:
    """Send today's digest to everyone who has something in it, once each per day."""
    if not digest_due(now):
        return []
    sent = []
    day = to_london(now).date()
    recipients = {
        f"digest:{user.pk}:{day.isoformat()}": user for user in digest_recipients(now=now)
    }
    already = set(
        Notification.objects.filter(dedupe_key__in=list(recipients)).values_list(
            "dedupe_key", flat=True
        )
    )
    for key, user in recipients.items():
        if key in already:
            continue
        digest = digest_for(user=user, now=now)
        if digest.empty:
            continue
        notification = notify(
            user=user,
            kind=Kind.DIGEST,
            text=digest.text(),
            target=Target(TargetKind.MY_WORK),
            dedupe_key=key,
            now=now,
        )
        if notification is not None:
            sent.append(notification)
    return sent
