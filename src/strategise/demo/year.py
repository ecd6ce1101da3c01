"""A year of one demo authority's work, as stories on the demo's timeline.

Each plan (``plans.py``) is a request and what became of it: closed or withdrawn, or
convened (on time or late, rescheduled or cancelled first), held, recorded, decided (every
outcome, with dissent and the team manager's confirmation of "no further action"),
concluded, its minutes drafted, approved, sent (on time or late, or not yet) and corrected,
its actions done (on time or late) or left overdue, its clocks met on time or late,
breached or stopped, and disagreements raised, escalated and resolved. The plans are the
same in every authority, their days and names shifted by a seeded random choice, so a load
is always the same.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from strategise.actions.models import Action
from strategise.cases.models import Child
from strategise.demo.plans import (
    ACTIONS,
    CLOSE_REASON,
    CONCERNS,
    CONTRIBUTIONS,
    ETHNICITIES,
    FAMILIES,
    FIRST,
    MOVED_AWAY,
    NFA,
    PLANS,
    WITHDRAW_REASON,
    Plan,
)
from strategise.demo.steps import Decided, Steps
from strategise.demo.timeline import Story, Timeline, now
from strategise.disagreements.models import Disagreement, Resolution, Subject
from strategise.disagreements.services import (
    disagreement_escalate,
    disagreement_raise,
    disagreement_resolve,
    escalation_stages,
)
from strategise.discussions.corrections import correction_close, correction_open
from strategise.discussions.decisions import decision_save
from strategise.discussions.models import Discussion
from strategise.discussions.rescheduling import discussion_cancel, discussion_reschedule
from strategise.discussions.services import discussion_convene
from strategise.organisations.models import Role
from strategise.policy import LONDON
from strategise.requests.models import StrategyRequest
from strategise.requests.services import request_close, request_withdraw


@dataclass
class DemoYear(Steps):
    """One authority's year of stories on the timeline."""

    timeline: Timeline = field(default=None)  # type: ignore[assignment]
    index: int = 0

    def schedule(self) -> None:
        chance = random.Random(f"strategise-demo-{self.spec.profile}")  # noqa: S311 - not secret
        for number, plan in enumerate(PLANS):
            shift = chance.randint(-3, 3) if plan.days_ago > 10 else 0
            day = (self.now - timedelta(days=plan.days_ago + shift)).astimezone(LONDON).date()
            while day.weekday() >= 5:  # concerns are raised on a working day in the demo
                day -= timedelta(days=1)
            hour = 9 + chance.randint(0, 4)
            identified_at = datetime(day.year, day.month, day.day, hour, 15, tzinfo=LONDON)
            family = FAMILIES[(number + self.index * 7) % len(FAMILIES)]
            self.timeline.story(
                identified_at + timedelta(hours=1),
                self._story(plan, number, identified_at, family),
            )

    def _story(
        self, plan: Plan, number: int, identified_at: datetime, family: str
    ) -> Callable[[], Story]:
        def story() -> Story:
            children = self._children(plan, number, family)
            concerns, flags, referrer, narrative = CONCERNS[plan.concern]
            request = self.raise_request(
                children=children,
                identified_at=identified_at,
                concerns=concerns,
                flags=flags,
                referrer=referrer,
                narrative=narrative,
            )
            yield now() + timedelta(hours=1, minutes=20)
            if plan.ended == "closed":
                request_close(
                    user=self.person(Role.TEAM_MANAGER),
                    request=request,
                    reason=CLOSE_REASON,
                    now=now(),
                )
                return
            if plan.ended == "withdrawn":
                request_withdraw(
                    user=self.social_worker, request=request, reason=WITHDRAW_REASON, now=now()
                )
                return
            decisions = dict(zip(children, plan.decisions, strict=False))
            previous = yield from self._discussion(plan, request, decisions, None)
            if plan.reconvene:
                yield now() + timedelta(days=4)
                again = dict(zip(children, plan.reconvene, strict=False))
                yield from self._discussion(plan, request, again, previous)

        return story

    def _children(self, plan: Plan, number: int, family: str) -> list[Child]:
        children: list[Child] = []
        for place in range(max(1, len(plan.decisions))):
            sex = "F" if (number + place + self.index) % 2 else "M"
            names = FIRST[sex]
            age = 3 + (number * 5 + place * 4 + self.index) % 13
            children.append(
                self.child(
                    {
                        "first_name": names[(number + place * 3 + self.index) % len(names)],
                        "last_name": family,
                        "date_of_birth": self.born(age, number % 12),
                        "sex": sex,
                        "ethnicity": ETHNICITIES[(number + self.index) % len(ETHNICITIES)],
                        "address": self.address(number + 20, "Station Road"),
                        "education": "school",
                        "education_setting": f"{self.spec.town} Community School",
                        "local_reference": f"{self.spec.postcode}{2000 + number * 3 + place}",
                    },
                    same_household_as=children[0] if children else None,
                )
            )
        return children

    def _discussion(
        self,
        plan: Plan,
        request: StrategyRequest,
        decisions: dict[Child, Decided],
        previous: Discussion | None,
    ) -> Generator[datetime, None, Discussion]:
        """Convene, hold, decide and conclude one discussion; then its follow-ups."""
        request.refresh_from_db()
        when = self._when(request, late=plan.late and previous is None)
        if previous is None:
            discussion = self.convene_at(request, when)
        else:
            discussion = self._reconvene(request, previous, when)
        yield now() + timedelta(minutes=30)
        self.reply(discussion)
        if plan.cancel_first and previous is None:
            yield now() + timedelta(hours=1)
            discussion_cancel(
                user=self.social_worker,
                discussion=discussion,
                reason="The child's mother was admitted to hospital; the police need to re-plan.",
                now=now(),
                mailer=self.mailer,
            )
            yield now() + timedelta(hours=1)
            request.refresh_from_db()
            when = self._when(request, late=False)
            discussion = self.convene_at(request, when)
            self.reply(discussion)
        if plan.reschedule and previous is None:
            yield now() + timedelta(hours=1)
            when = when + timedelta(hours=2)
            discussion = discussion_reschedule(
                user=self.social_worker,
                discussion=discussion,
                scheduled_for=when,
                location="",
                reason="The police officer is needed at court in the morning.",
                respond_url=lambda invitation: "",
                now=now(),
                mailer=self.mailer,
            )
        yield when
        discussion.refresh_from_db()
        discussion = self.start(discussion)
        yield now() + timedelta(minutes=10)
        self.contribute(discussion, CONTRIBUTIONS)
        further = now() + timedelta(days=6) if plan.reconvene and previous is None else None
        self.record(discussion, further_by=further)
        self.decide(discussion, decisions)
        if plan.dissent:
            self.dissent(
                discussion,
                "police",
                "The decision for a single-agency enquiry",
                "The police consider a crime may have been committed and ask for a joint enquiry.",
            )
        actions = self._actions(plan, discussion)
        yield now() + timedelta(minutes=40)
        discussion = self.conclude(discussion)
        self._follow_ups(plan, discussion, actions, last=previous is not None or not plan.reconvene)
        return discussion

    def _when(self, request: StrategyRequest, *, late: bool) -> datetime:
        """When to hold it: within the procedure's deadline, or (late) a day after it."""
        soon = now() + timedelta(hours=3)
        if request.hold_by is None:
            return _hour(soon + timedelta(days=3) if late else soon)
        if late:
            return _hour(max(request.hold_by, soon) + timedelta(days=1))
        before = min(request.hold_by - timedelta(hours=2), soon + timedelta(hours=18))
        return _hour(max(soon, before))

    def _reconvene(
        self, request: StrategyRequest, previous: Discussion, when: datetime
    ) -> Discussion:
        allowed = request.triage["chair"]["allowed_grades"]
        chair = self.people[Role.TEAM_MANAGER if Role.TEAM_MANAGER in allowed else allowed[0]]
        return discussion_convene(
            user=self.social_worker,
            request=request,
            format="virtual",
            scheduled_for=when,
            chair=chair,
            invitations=self.invitations(request, []),
            respond_url=lambda invitation: "",
            minute_taker=self.person(Role.BUSINESS_SUPPORT),
            previous=previous,
            reconvene_reason=(
                "The medical and the child's interview have taken place: to review the "
                "enquiry with what they found."
            ),
            now=now(),
            mailer=self.mailer,
        )

    def _actions(self, plan: Plan, discussion: Discussion) -> list[tuple[Action, str]]:
        made = []
        invited = set(discussion.invitations.values_list("user__role", flat=True))
        owners = [role for role in ACTIONS if role in invited] or [Role.SOCIAL_WORKER]
        for place, fate in enumerate(plan.actions):
            owner = owners[(place + discussion.pk) % len(owners)]
            made.append((self.act(discussion, owner, ACTIONS[owner], timedelta(days=5)), fate))
        return made

    def _follow_ups(
        self, plan: Plan, discussion: Discussion, actions: list[tuple[Action, str]], last: bool
    ) -> None:
        """What happens after the discussion, each at its own moment (if it has happened)."""
        held = now()
        for action, fate in actions:
            if fate == "on_time":
                self.timeline.once(
                    action.due_at - timedelta(days=2),
                    partial(self.action_done, action, "Done: the record is on the file."),
                )
            elif fate == "late":
                self.timeline.once(
                    action.due_at + timedelta(days=4),
                    partial(self.action_done, action, "Done late: the family cancelled twice."),
                )
        self._minutes(plan, discussion, held)
        for clock in self.hand_clocks(discussion):
            due = clock.due_at
            if plan.by_hand in ("on_time", "late"):
                # On a working day (a conference is never held at a weekend: DfE rule 8875).
                if plan.by_hand == "on_time":
                    at = _working_day(clock.started_at + (due - clock.started_at) * 0.6, -1)
                    at = max(at, clock.started_at + timedelta(hours=1))
                else:
                    at = _working_day(due + timedelta(days=3), 1)
                self.timeline.once(at + timedelta(hours=2), partial(self.mark_met, clock, at))
            elif plan.by_hand == "stopped":
                self.timeline.once(held + timedelta(days=4), partial(self.stop, clock, MOVED_AWAY))
        if plan.correction:
            self.timeline.once(held + timedelta(days=4), lambda: self._correct(discussion))
        if plan.disagreement and last:
            self.timeline.story(held + timedelta(days=1), self._disagreement(plan, discussion))

    def _minutes(self, plan: Plan, discussion: Discussion, held: datetime) -> None:
        if not plan.minutes:
            return
        codes = ("minutes_distributed", "decisions_circulated")
        due = min(
            (c.due_at for c in self.clocks_of(discussion, *codes)),
            default=held + timedelta(days=5),
        )
        self.timeline.once(held + timedelta(hours=2), lambda: self.draft(discussion))
        if plan.minutes == "draft":
            return
        if plan.minutes == "late":
            approve_at = max(due, held + timedelta(days=5)) + timedelta(days=2)
        else:
            approve_at = held + max((due - held) * 0.5, timedelta(hours=3))
        self.timeline.once(approve_at, lambda: self.approve(discussion))
        if plan.minutes != "approved":
            self.timeline.once(approve_at + timedelta(minutes=30), lambda: self.send(discussion))

    def _correct(self, discussion: Discussion) -> None:
        """The chair corrects the record after concluding: the first child's rationale."""
        discussion.refresh_from_db()
        correction_open(
            user=discussion.chair,
            discussion=discussion,
            reason="The rationale named the wrong school; the school's account is corrected.",
            now=now(),
        )
        decision = discussion.decisions.order_by("pk").first()
        if decision is not None:
            values = {
                "outcome": decision.outcome,
                "also": decision.also,
                "rationale": f"{decision.rationale} (Corrected: the account is the nurse's.)",
                "seen_by": decision.seen_by,
                "seen_alone": decision.seen_alone,
                "medical_decision": decision.medical_decision,
                "medical_reasoning": decision.medical_reasoning,
                "medical_advice": decision.medical_advice,
            }
            decision_save(
                user=discussion.chair,
                discussion=discussion,
                child=decision.child,
                values=values,
                expected_version=decision.version,
                now=now(),
            )
            if decision.outcome == NFA:
                decision.refresh_from_db()
                if decision.nfa_confirmed_by_id is None:
                    self.confirm_nfa(decision)
        correction_close(user=discussion.chair, discussion=discussion, now=now())
        self.timeline.once(now() + timedelta(hours=3), lambda: self.approve(discussion))
        self.timeline.once(now() + timedelta(hours=4), lambda: self.send(discussion))

    def _disagreement(self, plan: Plan, discussion: Discussion) -> Callable[[], Story]:
        def story() -> Story:
            police = self.person(Role.POLICE)
            if not discussion.invitations.filter(user=police).exists():
                return
            disagreement: Disagreement = disagreement_raise(
                user=police,
                request=discussion.request,
                subject=Subject.OUTCOME,
                description=(
                    "The police disagree with the outcome: the child's account points to an "
                    "offence, so the enquiry should be joint."
                ),
                discussion=discussion,
                now=now(),
            )
            if plan.disagreement == "raised":
                return
            yield now() + timedelta(days=3)
            stages = escalation_stages(discussion.request.profile)
            if len(stages) > 1:
                disagreement = disagreement_escalate(
                    user=police,
                    disagreement=disagreement,
                    note="Talking to the chair did not resolve it; the line managers should meet.",
                    expected_stage=disagreement.stage,
                    **_outside_holder(stages[disagreement.stage + 1]),
                    now=now(),
                )
            if plan.disagreement == "escalated":
                # Where the route goes on in Strategise (to the agencies' senior managers or
                # strategy discussion leads), the line managers did not resolve it either.
                if len(stages) > 2 and stages[2]["held_by"] != "outside":
                    yield now() + timedelta(days=4)
                    disagreement_escalate(
                        user=police,
                        disagreement=disagreement,
                        note="The line managers met and could not agree: it goes up a level.",
                        expected_stage=disagreement.stage,
                        now=now(),
                    )
                return
            yield now() + timedelta(days=5)
            disagreement_resolve(
                user=self.person(Role.SERVICE_MANAGER),
                disagreement=disagreement,
                resolution=Resolution.AGREED,
                outcome=(
                    "The managers met: the decision stands, and the police will interview the "
                    "child's friend as part of the enquiry."
                ),
                now=now(),
            )

        return story


def _outside_holder(stage: Mapping[str, Any]) -> dict[str, str]:
    """Who holds the next stage when the procedure holds it outside Strategise (a made-up
    chair of the partnership's resolution panel, at a reserved domain); nothing otherwise."""
    if stage["held_by"] != "outside":
        return {}
    return {"outside_name": "Morgan Achebe", "outside_email": "resolution.panel@example.org"}


def _working_day(moment: datetime, step: int) -> datetime:
    """Eleven o'clock on ``moment``'s day, moved by ``step`` days until a weekday."""
    local = moment.astimezone(LONDON)
    day = local.date()
    while day.weekday() >= 5:
        day += timedelta(days=step)
    return datetime(day.year, day.month, day.day, 11, tzinfo=LONDON)


def _hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)
