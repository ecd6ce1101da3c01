"""The minutes as a document: a summary of the record, not a transcript (Bristol §5.3).

What goes in follows Bristol §5.2: who was invited and attended, the children, the
reason, a summary of each agency's contribution, the analysis of risk, the decisions with
their rationale, the actions (who does what by when) and any agency's dissent. Sharing
markers on a contribution travel with it, each citing the clause of the discussion's own
procedure that states it; the analysis of risk asks that procedure's questions.
"""

from __future__ import annotations

from typing import Any

from strategise.actions.models import Action
from strategise.cases.models import Child
from strategise.discussions.models import (
    AlsoDecided,
    ChildDecision,
    Contribution,
    Discussion,
    DiscussionRecord,
    Dissent,
    Invitation,
)
from strategise.policy import Profile, get_profile, vocabulary
from strategise.policy.wording import format_when

MARKING = (
    "OFFICIAL-SENSITIVE: personal information about children and families. "
    "Share only with those who need it to safeguard the child."
)
# The markers' words, as the contribution form labels them.
NOT_FOR_FAMILY = vocabulary.SHARING_MARKERS["not_for_family"]
CONSENT_NEEDED = vocabulary.SHARING_MARKERS["consent_needed"]


def contribution_text(contribution: Contribution) -> str:
    """A contribution as shared at the discussion, then each dated update added after it."""
    updates = [
        f"Update added {format_when(update.added_at)} by {update.added_by}: {update.text}"
        for update in contribution.updates.select_related("added_by")
    ]
    return "\n\n".join([contribution.text, *updates])


def contribution_markings(contribution: Contribution, profile: Profile) -> list[str]:
    """The sharing markers a contribution carries, in the words printed beside it, each
    with the clause of ``profile`` that states it. A marker the procedure does not state
    is still printed (the agency asked for it), without a clause."""
    carried = {
        "not_for_family": contribution.not_for_family,
        "consent_needed": contribution.consent_needed,
    }
    markings = []
    for code, label in vocabulary.SHARING_MARKERS.items():
        if carried[code]:
            marker = profile.sharing_marker(code)
            markings.append(f"{label} ({marker.source})" if marker else label)
    return markings


def _child_line(child: Child) -> list[str]:
    born = (
        f"Unborn, expected {child.expected_date:%-d %B %Y}"
        if child.unborn and child.expected_date
        else f"{child.date_of_birth:%-d %B %Y}"
        if child.date_of_birth
        else "Not known"
    )
    return [child.full_name, child.aliases or "None", born, child.address or "Not recorded"]


def _attendance(invitation: Invitation) -> str:
    text = invitation.get_attendance_display() if invitation.attendance else "Not recorded"
    if invitation.absence_reason:
        text += f". Went ahead without them because: {invitation.absence_reason}"
    return text


def _decision_text(decision: ChildDecision) -> str:
    parts = [f"{decision.get_outcome_display()}."]
    parts.extend(f"{AlsoDecided(item).label}." for item in decision.also)
    parts.append(f"Rationale: {decision.rationale}")
    if decision.nfa_confirmed_by_id:
        parts.append(
            f"Confirmed by {decision.nfa_confirmed_by} (team manager): {decision.nfa_confirmation}"
        )
    if decision.seen_by:
        when = f" by {format_when(decision.seen_by_when)}" if decision.seen_by_when else ""
        alone = (
            " The child will be seen alone."
            if decision.seen_alone
            else f" Not seen alone because: {decision.seen_alone_reason}"
            if decision.seen_alone is False
            else ""
        )
        parts.append(f"To be seen by {decision.seen_by}{when}.{alone}")
    return " ".join(parts)


def minutes_document(
    *,
    discussion: Discussion,
    record: DiscussionRecord | None,
    invitations: list[Invitation],
    children: list[Child],
    decisions: list[ChildDecision],
    dissents: list[Dissent],
    actions: list[Action],
    status: str,
    draft: bool,
) -> dict[str, Any]:
    """The minutes' document structure, from which the PDF and DOCX are made."""
    request = discussion.request
    profile = get_profile(request.profile)
    meta = [
        ["Local authority", str(discussion.local_authority)],
        ["Procedure", profile.title],
        ["Held", format_when(discussion.held_at or discussion.scheduled_for)],
        ["Format", discussion.get_format_display()],
        ["Chair", str(discussion.chair)],
        ["Minute-taker", str(discussion.minute_taker) if discussion.minute_taker else "None"],
        ["Type", "Complex" if request.discussion_type == "complex" else "Standard"],
    ]
    if discussion.previous_id:
        meta.append(["Reconvenes", f"Strategy discussion {discussion.previous_id}"])
    sections: list[dict[str, Any]] = [
        {
            "heading": "Who was invited and who attended",
            "blocks": [
                {
                    "type": "table",
                    "caption": "Invitees and attendance",
                    "columns": ["Invitee", "Agency", "Required", "Attendance"],
                    "rows": [
                        [
                            str(invitation),
                            vocabulary.ATTENDEES.get(
                                invitation.agency_code, invitation.agency_code
                            ),
                            "Yes" if invitation.required else "No",
                            _attendance(invitation),
                        ]
                        for invitation in invitations
                    ],
                }
            ],
        },
        {
            "heading": "The children",
            "blocks": [
                {
                    "type": "table",
                    "caption": "Children this discussion is about",
                    "columns": ["Name", "Other names", "Date of birth", "Address"],
                    "rows": [_child_line(child) for child in children],
                }
            ],
        },
    ]
    reason_blocks: list[dict[str, Any]] = [{"type": "paragraph", "text": request.narrative}]
    if record and record.reason:
        reason_blocks.append({"type": "paragraph", "text": record.reason})
    if record and record.background:
        reason_blocks.append({"type": "paragraph", "text": f"Background: {record.background}"})
    if record and record.other_children:
        reason_blocks.append(
            {"type": "paragraph", "text": f"Other children affected: {record.other_children}"}
        )
    concerns = ", ".join(vocabulary.CONCERNS[c].lower() for c in request.concerns)
    reason_blocks.insert(0, {"type": "paragraph", "text": f"Concerns: {concerns}."})
    sections.append({"heading": "Reason for the discussion", "blocks": reason_blocks})
    contributions = [i for i in invitations if hasattr(i, "contribution")]
    sections.append(
        {
            "heading": "What each agency shared",
            "blocks": [
                {
                    "type": "marked",
                    "heading": f"{vocabulary.ATTENDEES.get(i.agency_code, i.agency_code)}: {i}",
                    "markings": contribution_markings(i.contribution, profile),
                    "text": contribution_text(i.contribution),
                }
                for i in contributions
            ]
            or [{"type": "paragraph", "text": "No contributions were recorded."}],
        }
    )
    answers = record.risk_answers if record else {}
    asked = profile.risk_questions(reconvened=discussion.previous_id is not None)
    sections.append(
        {
            "heading": "Analysis of risk",
            "blocks": [
                {
                    "type": "table",
                    "caption": f"Risk analysis ({asked.source})",
                    "columns": ["Question", "Answer"],
                    "rows": [
                        [question, answers.get(str(number), "") or "Not recorded"]
                        for number, question in enumerate(asked.questions, start=1)
                    ],
                }
            ],
        }
    )
    by_child = {decision.child_id: decision for decision in decisions}
    sections.append(
        {
            "heading": "Decisions",
            "blocks": [
                {
                    "type": "table",
                    "caption": "Decision for each child",
                    "columns": ["Child", "Decision and rationale"],
                    "rows": [
                        [
                            child.full_name,
                            _decision_text(by_child[child.pk])
                            if child.pk in by_child
                            else "Not recorded",
                        ]
                        for child in children
                    ],
                },
                *_record_paragraphs(record),
            ],
        }
    )
    sections.append(
        {
            "heading": "Actions",
            "blocks": [
                {
                    "type": "table",
                    "caption": "Who will do what by when",
                    "columns": ["Action", "Who", "By when", "Status"],
                    "rows": [
                        [
                            action.description,
                            action.owner_name or str(action.owner or ""),
                            format_when(action.due_at),
                            action.get_status_display(),
                        ]
                        for action in actions
                    ],
                }
                if actions
                else {"type": "paragraph", "text": "No actions were agreed."}
            ],
        }
    )
    sections.append(
        {
            "heading": "Dissent",
            "blocks": [
                {
                    "type": "list",
                    "items": [
                        f"{d.invitation} "
                        f"({vocabulary.ATTENDEES.get(d.invitation.agency_code, '')}) disagreed "
                        f"with: {d.about}. Reasons: {d.reasons}"
                        for d in dissents
                    ],
                }
                if dissents
                else {"type": "paragraph", "text": "No agency recorded dissent."}
            ],
        }
    )
    return {
        "title": "Strategy discussion minutes",
        "subtitle": f"{discussion.local_authority}: strategy discussion {discussion.pk}",
        "language": "en-GB",
        "marking": MARKING,
        "status": status,
        "draft": draft,
        "meta": meta,
        "sections": sections,
    }


def _record_paragraphs(record: DiscussionRecord | None) -> list[dict[str, Any]]:
    if record is None:
        return []
    lines = []
    if record.medical_decision:
        medical = record.get_medical_decision_display()
        if record.medical_reasoning:
            medical += f". Reasoning: {record.medical_reasoning}"
        if record.medical_advice:
            medical += f". Medical advice: {record.medical_advice}"
        lines.append(f"Medical assessment: {medical}")
    if record.family_informed == "yes":
        lines.append(
            f"The family will be told by {record.family_informed_by}, "
            f"{record.family_informed_when}."
        )
    elif record.family_informed == "no":
        lines.append(
            f"The family will not be told yet because: {record.family_not_informed_reason}"
        )
    if record.legal_advice:
        legal = record.get_legal_advice_display()
        lines.append(f"Legal advice: {legal}. {record.legal_advice_detail}".strip())
    if record.interpreter:
        lines.append(f"Interpreter: {record.interpreter}")
    if record.further_discussion_needed:
        by = format_when(record.further_discussion_by) if record.further_discussion_by else ""
        lines.append(f"A further strategy discussion is needed by {by}.")
    elif record.further_discussion_needed is False:
        lines.append("No further strategy discussion is needed.")
    return [{"type": "list", "items": lines}] if lines else []
