"""What the API shows of a discussion's participation and record: invitations and replies,
the record and contributions, each child's decision and dissent, the minutes' versions and
professional disagreements. As in ``schemas``, each ``*_out`` function turns what a
selector returned into its schema, and shows nothing the selector did not read."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Field, Schema

from strategise.access import may_read_written_report
from strategise.api.paging import page_schema
from strategise.disagreements.models import Disagreement, DisagreementStatus, Subject
from strategise.disagreements.selectors import DisagreementDetail, ListedDisagreement
from strategise.discussions.models import (
    ChildDecision,
    Contribution,
    DiscussionRecord,
    Dissent,
    Invitation,
    WrittenReport,
)
from strategise.discussions.recording import RECORD_FIELDS
from strategise.minutes.models import Minutes, MinutesStatus
from strategise.organisations.models import User

# --- invitations and replies -----------------------------------------------------------


class WrittenReportOut(Schema):
    id: int
    text: str
    file_name: str
    file_kind: str
    file_size: int
    sent_at: datetime
    version: int


def written_report_out(report: WrittenReport) -> WrittenReportOut:
    return WrittenReportOut(
        id=report.pk,
        text=report.text,
        file_name=report.file_name,
        file_kind=report.file_kind,
        file_size=report.file_size,
        sent_at=report.sent_at,
        version=report.version,
    )


class InvitationDetailOut(Schema):
    id: int
    agency_code: str
    agency: str
    name: str
    required: bool
    reason: str
    source: str
    reply: str
    apologies_reason: str
    deputy_for: int | None
    attendance: str
    absence_reason: str
    # Only for those who may read it (who record the discussion, and its own invitee),
    # as the discussion page shows it; None for anyone else, or if none was sent.
    written_report: WrittenReportOut | None
    yours: bool


def invitation_out(
    user: User, invitation: Invitation, mine: Invitation | None
) -> InvitationDetailOut:
    report: WrittenReport | None = getattr(invitation, "written_report", None)
    return InvitationDetailOut(
        id=invitation.pk,
        agency_code=invitation.agency_code,
        agency=invitation.agency.name if invitation.agency else invitation.agency_code,
        name=invitation.name or (str(invitation.user) if invitation.user else ""),
        required=invitation.required,
        reason=invitation.reason,
        source=invitation.source,
        reply=invitation.response,
        apologies_reason=invitation.apologies_reason,
        deputy_for=invitation.deputy_for_id,
        attendance=invitation.attendance,
        absence_reason=invitation.absence_reason,
        written_report=(
            written_report_out(report)
            if report is not None and may_read_written_report(user, report)
            else None
        ),
        yours=mine is not None and mine.pk == invitation.pk,
    )


InvitationPage = page_schema("InvitationPage", InvitationDetailOut)


class ReplyIn(Schema):
    """An invitee's reply: accept, or send apologies with the reason."""

    response: Literal["accepted", "declined"]
    apologies_reason: str = Field("", max_length=20000)


class DeputyIn(Schema):
    """Someone from the invitee's own agency to go in their place."""

    name: str = Field(max_length=200)
    email: str = Field(max_length=254)


class WrittenReportIn(Schema):
    """The agency's written report (its text; a file is sent on the page)."""

    text: str = Field(max_length=20000)


# --- the record and contributions ------------------------------------------------------


class ContributionOut(Schema):
    invitation: int
    agency_code: str
    name: str
    text: str
    not_for_family: bool
    consent_needed: bool
    version: int
    updated_at: datetime | None


def contribution_out(invitation: Invitation, contribution: Contribution) -> ContributionOut:
    return ContributionOut(
        invitation=invitation.pk,
        agency_code=invitation.agency_code,
        name=invitation.name or (str(invitation.user) if invitation.user else ""),
        text=contribution.text,
        not_for_family=contribution.not_for_family,
        consent_needed=contribution.consent_needed,
        version=contribution.version,
        updated_at=contribution.updated_at,
    )


class RecordOut(Schema):
    discussion: int
    reason: str
    background: str
    family_details_checked: bool
    other_children: str
    risk_answers: dict[str, Any]
    family_informed: str
    family_informed_by: str
    family_informed_when: str
    family_not_informed_reason: str
    legal_advice: str
    legal_advice_detail: str
    interpreter: str
    further_discussion_needed: bool | None
    further_discussion_by: datetime | None
    agenda_notes: dict[str, Any]
    # 0 while nothing of the record has been saved.
    version: int
    updated_at: datetime | None
    contributions: list[ContributionOut]


def record_out(
    discussion: int, record: DiscussionRecord | None, invitations: list[Invitation]
) -> RecordOut:
    blank = DiscussionRecord()
    source = record or blank
    return RecordOut(
        discussion=discussion,
        **{name: getattr(source, name) for name in RECORD_FIELDS},
        version=record.version if record else 0,
        updated_at=record.updated_at if record else None,
        contributions=[
            contribution_out(i, i.contribution) for i in invitations if hasattr(i, "contribution")
        ],
    )


# --- decisions and dissent -------------------------------------------------------------


class DecisionOut(Schema):
    child: int
    outcome: str
    outcome_label: str
    also: list[str]
    rationale: str
    nfa_confirmed_by: str
    nfa_confirmation: str
    seen_by: str
    seen_by_when: datetime | None
    seen_alone: bool | None
    seen_alone_reason: str
    medical_decision: str
    medical_reasoning: str
    version: int


def decision_out(decision: ChildDecision) -> DecisionOut:
    return DecisionOut(
        child=decision.child_id,
        outcome=decision.outcome,
        outcome_label=decision.get_outcome_display(),
        also=list(decision.also),
        rationale=decision.rationale,
        nfa_confirmed_by=str(decision.nfa_confirmed_by) if decision.nfa_confirmed_by else "",
        nfa_confirmation=decision.nfa_confirmation,
        seen_by=decision.seen_by,
        seen_by_when=decision.seen_by_when,
        seen_alone=decision.seen_alone,
        seen_alone_reason=decision.seen_alone_reason,
        medical_decision=decision.medical_decision,
        medical_reasoning=decision.medical_reasoning,
        version=decision.version,
    )


class DissentOut(Schema):
    invitation: int
    agency_code: str
    about: str
    reasons: str
    recorded_by: str
    recorded_at: datetime


def dissent_out(dissent: Dissent) -> DissentOut:
    return DissentOut(
        invitation=dissent.invitation_id,
        agency_code=dissent.invitation.agency_code,
        about=dissent.about,
        reasons=dissent.reasons,
        recorded_by=str(dissent.recorded_by),
        recorded_at=dissent.recorded_at,
    )


class DecisionsOut(Schema):
    discussion: int
    decisions: list[DecisionOut]
    dissents: list[DissentOut]


# --- minutes ---------------------------------------------------------------------------


class MinutesOut(Schema):
    number: int
    status: MinutesStatus
    revision: int
    drafted_by: str
    drafted_at: datetime
    approved_by: str
    approved_at: datetime | None
    # When the version was first sent to someone on the distribution list (None: not yet).
    distributed_at: datetime | None
    correction_reason: str


def minutes_out(minutes: Minutes) -> MinutesOut:
    return MinutesOut(
        number=minutes.number,
        status=MinutesStatus(minutes.status),
        revision=minutes.revision,
        drafted_by=str(minutes.drafted_by),
        drafted_at=minutes.drafted_at,
        approved_by=str(minutes.approved_by) if minutes.approved_by else "",
        approved_at=minutes.approved_at,
        distributed_at=getattr(minutes, "first_sent_at", None),
        correction_reason=minutes.correction_reason,
    )


MinutesPage = page_schema("MinutesPage", MinutesOut)


# --- professional disagreements --------------------------------------------------------


class DisagreementOut(Schema):
    id: int
    request: int
    discussion: int | None
    subject: Subject
    status: DisagreementStatus
    raised_by: str
    raised_at: datetime
    stage: int
    stage_title: str
    stage_source: str
    holder_name: str
    held_since: datetime
    resolution: str
    resolved_at: datetime | None
    version: int


def _disagreement(disagreement: Disagreement) -> dict[str, Any]:
    return {
        "id": disagreement.pk,
        "request": disagreement.request_id,
        "discussion": disagreement.discussion_id,
        "subject": Subject(disagreement.subject),
        "status": DisagreementStatus(disagreement.status),
        "raised_by": str(disagreement.raised_by),
        "raised_at": disagreement.raised_at,
        "stage": disagreement.stage,
        "stage_title": disagreement.stage_title,
        "stage_source": disagreement.stage_source,
        "holder_name": disagreement.holder_name,
        "held_since": disagreement.held_since,
        "resolution": disagreement.resolution,
        "resolved_at": disagreement.resolved_at,
        "version": disagreement.version,
    }


class ListedDisagreementOut(DisagreementOut):
    # The children it is about that you may see (none for someone who holds it without
    # being invited to the discussion, as the page's list shows it).
    children: list[int]


def listed_disagreement_out(listed: ListedDisagreement) -> ListedDisagreementOut:
    return ListedDisagreementOut(
        **_disagreement(listed.disagreement), children=[c.pk for c in listed.children]
    )


DisagreementPage = page_schema("DisagreementPage", ListedDisagreementOut)


class MoveOut(Schema):
    kind: str
    stage_title: str
    stage_source: str
    holder_name: str
    note: str
    moved_by: str
    moved_at: datetime


class DisagreementDetailOut(DisagreementOut):
    description: str
    outcome: str
    moves: list[MoveOut]
    may_move: bool


def disagreement_out(detail: DisagreementDetail) -> DisagreementDetailOut:
    disagreement = detail.disagreement
    return DisagreementDetailOut(
        **_disagreement(disagreement),
        description=disagreement.description,
        outcome=disagreement.outcome,
        moves=[
            MoveOut(
                kind=move.kind,
                stage_title=move.stage_title,
                stage_source=move.stage_source,
                holder_name=move.holder_name,
                note=move.note,
                moved_by=str(move.moved_by),
                moved_at=move.moved_at,
            )
            for move in detail.moves
        ],
        may_move=detail.may_move,
    )
