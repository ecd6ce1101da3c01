"""The demo's year, played in order: every event at its own moment, with the clock set back.

Each story is a generator: it does what a person does at one moment, through the real
services, then yields the moment of its next step. The timeline runs every story's steps
in time order across all the demo authorities, with the time set to each step's moment
(``time_machine``), so audit events, clocks, reminders and notifications carry the times
they would have had. Every working morning at seven, and once more at the end, it runs what the
background worker runs (clocks falling overdue, reminders), as it would have.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

import time_machine
from django.utils import timezone

from strategise.clocks.services import clocks_mark_breached, clocks_remind
from strategise.policy import LONDON

#: A story: does one step, then yields when its next step happens (or returns).
Story = Generator[datetime, None, None]
#: When the background worker's morning round is played.
MORNING = time(7, 0)


@dataclass(order=True)
class _Step:
    at: datetime
    order: int
    run: Callable[[], datetime | None] = field(compare=False)


@dataclass
class Timeline:
    """Steps of many stories, run in the order they happen, up to ``now``."""

    now: datetime
    _steps: list[_Step] = field(default_factory=list)
    _order: Iterator[int] = field(default_factory=itertools.count)

    def story(self, at: datetime, story: Callable[[], Story]) -> None:
        """Start ``story`` at ``at``; each moment it yields is its next step."""
        steps: list[Story] = []

        def step() -> datetime | None:
            if not steps:
                steps.append(story())
            return next(steps[0], None)

        self._push(at, step)

    def once(self, at: datetime, do: Callable[[], object]) -> None:
        """Do ``do`` at ``at``: left undone if ``at`` is after now (it has not happened)."""

        def step() -> None:
            do()

        self._push(at, step)

    def _push(self, at: datetime, run: Callable[[], datetime | None]) -> None:
        if at <= self.now:
            heapq.heappush(self._steps, _Step(at, next(self._order), run))

    def run(self) -> None:
        """Every step in time order, each at its moment, and the worker's mornings."""
        if not self._steps:
            return
        first = self._steps[0].at
        morning = _next_morning(first)
        with _travelling(first) as move_to:
            while self._steps:
                step = heapq.heappop(self._steps)
                while morning <= step.at:
                    move_to(morning)
                    worker_round(morning)
                    morning = _next_morning(morning + timedelta(minutes=1))
                move_to(step.at)
                following = step.run()
                if following is not None:
                    if following < step.at:
                        raise ValueError(f"a demo story went back in time at {step.at}")
                    self._push(following, step.run)
            while morning <= self.now:
                move_to(morning)
                worker_round(morning)
                morning = _next_morning(morning + timedelta(minutes=1))


def worker_round(now: datetime) -> None:
    """What the background worker does on its round: clocks past due are breached (their
    holders and managers told), and reminders go out."""
    clocks_mark_breached(now=now)
    clocks_remind(now=now)


def _next_morning(after: datetime) -> datetime:
    """The first seven o'clock (London) of a working day at or after ``after``: the demo
    plays the worker's round once each working morning (the real one runs every minute)."""
    local = after.astimezone(LONDON)
    day = local.date()
    if datetime.combine(day, MORNING, tzinfo=LONDON) < local:
        day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, MORNING, tzinfo=LONDON)


@contextmanager
def _travelling(start: datetime) -> Iterator[Callable[[datetime], None]]:
    """The time stands at ``start`` until moved on; real time again afterwards."""
    with time_machine.travel(start, tick=False) as traveller:

        def move_to(moment: datetime) -> None:
            traveller.move_to(moment, tick=False)

        yield move_to


def now() -> datetime:
    """The moment the story is at (the timeline has set the time to it)."""
    return timezone.now()
