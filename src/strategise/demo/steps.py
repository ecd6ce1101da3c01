"""The steps of a demo story, each one service call as the person who does it makes it, at
the moment the timeline has set (``timeline.now()``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from strategise.actions.models import Action, ActionStatus
from strategise.actions.services import action_create, action_update
from strategise.cases.models import Child
from strategise.clocks.models import Clock
from strategise.clocks.services import RECORDED_BY_HAND, clock_mark_met, clock_stop
from strategise.demo.cases import DemoCases
from strategise.demo.people import EMAIL_DOMAIN
from strategise.demo.timeline import now
from strategise.discussions.concluding import discussion_conclude
from strategise.discussions.decisions import (
    decision_confirm_no_further_action,
    decision_save,
    dissent_record,
)
from strategise.discussions.models import (
    Attendance,
    ChildDecision,
    Discussion,
    Format,
    Outcome,
    Response,
)
from strategise.discussions.recording import contribution_save, record_save
from strategise.discussions.services import discussion_start, invitation_respond
from strategise.minutes.models import EMAILED, Minutes, MinutesStatus
from strategise.minutes.services import (
    minutes_approve,
    minutes_draft,
    minutes_send,
    recipient_update,
    recipients_build,
)
from strategise.organisations.models import Role, User
from strategise.requests.models import StrategyRequest
from strategise.requests.services import request_create

#: The demo's minutes go to a mailer that sends nothing, so no PDF is made for them.
NO_PDF = b""


def _no_pdf(document: dict[str, object]) -> bytes:
    return NO_PDF


@dataclass(frozen=True)
class Decided:
    """The decision for one child: an outcome, and whether a conference is recommended."""

    outcome: str
    icpc: bool = False
    rationale: str = ""


class Steps(DemoCases):
    """One authority's people doing each step of a story, at the timeline's moment."""

    def person(self, role: str) -> User:
        return self.people[role]

    def raise_request(
        self,
        *,
        children: list[Child],
        identified_at: datetime,
        concerns: list[str],
        flags: list[str],
        referrer: str,
        narrative: str,
    ) -> StrategyRequest:
        return request_create(
            user=self.social_worker,
            identified_at=identified_at,
            children=children,
            concerns=concerns,
            flags=flags,
            referrer=referrer,
            narrative=narrative,
            perpetrators=[],
            allocated_worker=self.social_worker,
            now=now(),
        )

    def convene_at(
        self, request: StrategyRequest, scheduled_for: datetime, **extra: Any
    ) -> Discussion:
        return self.convene(
            request,
            extra=[],
            format=extra.pop("format", Format.VIRTUAL),
            scheduled_for=scheduled_for,
            now=now(),
            **extra,
        )

    def reply(self, discussion: Discussion) -> None:
        """Each invitee who uses Strategise replies: health sends apologies to one in three."""
        invitations = discussion.invitations.filter(user__isnull=False).select_related("user")
        for invitation in invitations.order_by("pk"):
            if invitation.user_id == self.social_worker.pk:
                continue
            apologies = invitation.agency_code == "health" and discussion.pk % 3 == 0
            invitation_respond(
                invitation=invitation,
                response=Response.DECLINED if apologies else Response.ACCEPTED,
                user=invitation.user,
                apologies_reason=(
                    "On a safeguarding training day: the named nurse will send the health "
                    "records check in writing before the discussion."
                    if apologies
                    else ""
                ),
            )

    def start(self, discussion: Discussion) -> Discussion:
        invitations = list(discussion.invitations.order_by("pk"))
        absent = {i.pk for i in invitations if i.response == Response.DECLINED}
        return discussion_start(
            user=discussion.chair,
            discussion=discussion,
            attendance={
                i.pk: Attendance.APOLOGIES if i.pk in absent else Attendance.ATTENDED
                for i in invitations
            },
            absence_reasons={
                pk: "At a child death review meeting; a chronology was sent before the discussion."
                for pk in absent
            },
            now=now(),
            mailer=self.mailer,
        )

    def contribute(self, discussion: Discussion, texts: dict[str, str]) -> None:
        """What each agency shared, recorded by the minute-taker."""
        for invitation in discussion.invitations.order_by("pk"):
            text = texts.get(invitation.agency_code)
            if text and invitation.attendance == Attendance.ATTENDED:
                contribution_save(
                    user=self.person(Role.BUSINESS_SUPPORT),
                    invitation=invitation,
                    text=text,
                    not_for_family=invitation.agency_code == "police",
                    consent_needed=False,
                    expected_version=0,
                    now=now(),
                )

    def record(
        self, discussion: Discussion, *, further_by: datetime | None = None, reason: str = ""
    ) -> None:
        record_save(
            user=discussion.chair,
            discussion=discussion,
            values={
                "reason": reason or discussion.request.narrative,
                "risk_answers": {
                    "1": "Further harm if nothing changes at home",
                    "5": "At the next discussion, or sooner if anything changes",
                },
                "family_informed": "yes",
                "family_informed_by": "The allocated social worker",
                "family_informed_when": "Today, after the discussion",
                "legal_advice": "not_needed",
                "further_discussion_needed": further_by is not None,
                "further_discussion_by": further_by,
            },
            expected_version=0,
            now=now(),
        )

    def decide(self, discussion: Discussion, decisions: dict[Child, Decided]) -> None:
        for child, decided in decisions.items():
            section_47 = decided.outcome in (Outcome.S47_JOINT, Outcome.S47_SOCIAL_CARE)
            decision = decision_save(
                user=discussion.chair,
                discussion=discussion,
                child=child,
                values={
                    "outcome": decided.outcome,
                    "also": ["recommend_icpc"] if decided.icpc else [],
                    "rationale": decided.rationale or _RATIONALES[decided.outcome],
                    "seen_by": "The allocated social worker",
                    "seen_alone": True,
                    "medical_decision": "arrange" if section_47 else "not_needed",
                    "medical_reasoning": (
                        "" if section_47 else "No injury or medical concern was reported."
                    ),
                    "medical_advice": (
                        "" if section_47 else "The named doctor agreed no medical is needed."
                    ),
                },
                expected_version=0,
                now=now(),
            )
            if decided.outcome == Outcome.NO_FURTHER_ACTION:
                self.confirm_nfa(decision)

    def confirm_nfa(self, decision: ChildDecision) -> None:
        decision_confirm_no_further_action(
            user=self.person(Role.TEAM_MANAGER),
            decision=decision,
            reasons=(
                "The explanation fits what school and health saw; the family have accepted "
                "support from early help."
            ),
        )

    def dissent(self, discussion: Discussion, agency_code: str, about: str, reasons: str) -> None:
        invitation = discussion.invitations.filter(agency_code=agency_code).first()
        if invitation is None:
            return
        dissent_record(
            user=discussion.chair,
            discussion=discussion,
            invitation=invitation,
            about=about,
            reasons=reasons,
        )

    def act(
        self, discussion: Discussion, owner_role: str, description: str, due_in: timedelta
    ) -> Action:
        owner = self.person(owner_role)
        return action_create(
            user=discussion.chair,
            discussion=discussion,
            description=description,
            agency_code=owner.agency.kind if owner.agency else "",
            due_at=now() + due_in,
            owner=owner,
            now=now(),
        )

    def action_done(self, action: Action, note: str) -> None:
        action = Action.objects.select_related("owner", "discussion__chair").get(pk=action.pk)
        if action.status != ActionStatus.OPEN:
            return
        action_update(
            user=action.owner or action.discussion.chair,
            action=action,
            status=ActionStatus.DONE,
            completion_note=note,
            now=now(),
            expected_version=action.version,
        )

    def conclude(self, discussion: Discussion) -> Discussion:
        return discussion_conclude(user=discussion.chair, discussion=discussion, now=now())

    def draft(self, discussion: Discussion) -> Minutes:
        taker = self.person(Role.BUSINESS_SUPPORT)
        return minutes_draft(user=taker, discussion=discussion, now=now())

    def approve(self, discussion: Discussion) -> Minutes | None:
        draft = discussion.minutes.filter(status=MinutesStatus.DRAFT).first()
        if draft is None:
            return None
        return minutes_approve(
            user=discussion.chair, minutes=draft, revision=draft.revision, now=now()
        )

    def send(self, discussion: Discussion) -> None:
        """The minute-taker completes the distribution list and sends the approved minutes."""
        taker = self.person(Role.BUSINESS_SUPPORT)
        minutes = (
            discussion.minutes.filter(status=MinutesStatus.APPROVED).order_by("-number").first()
        )
        if minutes is None:
            return
        for recipient in recipients_build(user=taker, discussion=discussion, now=now()):
            if recipient.method in EMAILED and not recipient.email:
                recipient_update(
                    user=taker,
                    recipient=recipient,
                    name=recipient.role,
                    email=f"{_slug(recipient.role)}.{self.spec.profile}@{EMAIL_DOMAIN}",
                    method=recipient.method,
                    included=True,
                    now=now(),
                )
        if discussion.recipients.filter(included=True).exclude(sendings__minutes=minutes).exists():
            minutes_send(user=taker, minutes=minutes, now=now(), pdf=_no_pdf, read_link="")

    def clocks_of(self, discussion: Discussion, *codes: str) -> list[Clock]:
        clocks = Clock.objects.filter(discussion=discussion).order_by("pk")
        if codes:
            clocks = clocks.filter(code__in=codes)
        return list(clocks)

    def hand_clocks(self, discussion: Discussion) -> list[Clock]:
        """The clocks a person records as met (the child seen, the conference held, ...)."""
        return [c for c in self.clocks_of(discussion) if c.code in RECORDED_BY_HAND]

    def mark_met(self, clock: Clock, at: datetime) -> None:
        clock.refresh_from_db()
        if clock.live:
            clock_mark_met(user=self.social_worker, clock=clock, at=at, now=now())

    def stop(self, clock: Clock, reason: str) -> None:
        clock.refresh_from_db()
        if clock.live:
            clock_stop(user=self.person(Role.TEAM_MANAGER), clock=clock, reason=reason, now=now())


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")[:40]


_RATIONALES: dict[str, str] = {
    Outcome.NO_FURTHER_ACTION: (
        "The injury has a consistent explanation seen by a teacher; no other concerns are known."
    ),
    Outcome.S47_SOCIAL_CARE: (
        "Reasonable cause to suspect the child is suffering, or likely to suffer, "
        "significant harm; no crime is alleged."
    ),
    Outcome.S47_JOINT: (
        "Reasonable cause to suspect significant harm, and an offence may have been "
        "committed: a joint enquiry with the police."
    ),
    Outcome.POLICE_ONLY: (
        "The concern is about an adult outside the family; the police will investigate and "
        "the parents are protective."
    ),
    Outcome.S17_ASSESSMENT: (
        "The threshold for a section 47 enquiry is not met, but the family needs support: "
        "a child in need assessment."
    ),
    Outcome.EARLY_HELP: (
        "The family agree to support; the concern does not meet the threshold for social care."
    ),
    Outcome.CONTINUE_PLAN: "The current child protection plan addresses the concern.",
}
