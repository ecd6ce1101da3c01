"""What was decided, as the minutes print it: each child's decision with its rationale and
medical assessment, the record's own decisions (the family, legal advice, an interpreter,
a further discussion), the actions (who does what by when, and for which children) and
any agency's dissent. Each part is printed when it was recorded, whatever else was."""

from __future__ import annotations

from strategise.actions.models import Action
from strategise.cases.models import Child
from strategise.discussions.models import AlsoDecided, ChildDecision, DiscussionRecord, Dissent
from strategise.minutes.text import Block, agency, invitee, joined
from strategise.policy.citations import cite
from strategise.policy.wording import format_when


def _decision_text(decision: ChildDecision) -> str:
    parts = [f"{decision.get_outcome_display()}."]
    parts.extend(f"{AlsoDecided(item).label}." for item in decision.also)
    parts.append(f"Rationale: {decision.rationale}")
    if decision.nfa_confirmed_by_id:
        parts.append(f"Confirmed by {decision.nfa_confirmed_by} (team manager or above).")
    if decision.nfa_confirmation:
        parts.append(f"Reasons for confirming no further action: {decision.nfa_confirmation}")
    if decision.seen_by or decision.seen_by_when:
        who = f" by {decision.seen_by}" if decision.seen_by else ""
        when = f" by {format_when(decision.seen_by_when)}" if decision.seen_by_when else ""
        parts.append(f"To be seen{who}{when}.")
    if decision.seen_alone is True:
        parts.append("The child will be seen alone.")
    elif decision.seen_alone is False:
        parts.append("The child will not be seen alone.")
    if decision.seen_alone_reason:
        parts.append(f"Not seen alone because: {decision.seen_alone_reason}")
    if decision.medical_decision:
        parts.append(f"Medical assessment: {decision.get_medical_decision_display()}.")
    if decision.medical_reasoning:
        parts.append(f"Reasoning about a medical assessment: {decision.medical_reasoning}")
    if decision.medical_advice:
        parts.append(f"Medical advice: {decision.medical_advice}")
    return " ".join(parts)


def _record_lines(record: DiscussionRecord | None) -> list[str]:
    """The record's own decisions, each part printed when it was recorded."""
    if record is None:
        return []
    lines = []
    if record.family_informed:
        lines.append(f"Will the family be told: {record.get_family_informed_display()}.")
    if record.family_informed_by:
        lines.append(f"Who will tell the family: {record.family_informed_by}")
    if record.family_informed_when:
        lines.append(f"When the family will be told: {record.family_informed_when}")
    if record.family_not_informed_reason:
        lines.append(f"Why the family will not be told yet: {record.family_not_informed_reason}")
    if record.legal_advice:
        lines.append(f"Legal advice: {record.get_legal_advice_display()}.")
    if record.legal_advice_detail:
        lines.append(f"About legal advice: {record.legal_advice_detail}")
    if record.interpreter:
        lines.append(f"Interpreter: {record.interpreter}")
    if record.further_discussion_needed is True:
        lines.append("A further strategy discussion is needed.")
    elif record.further_discussion_needed is False:
        lines.append("No further strategy discussion is needed.")
    if record.further_discussion_by:
        by = format_when(record.further_discussion_by)
        lines.append(f"Further strategy discussion to be held by {by}.")
    return lines


def decisions_section(
    children: list[Child], decisions: list[ChildDecision], record: DiscussionRecord | None
) -> Block:
    decided = {d.child_id: _decision_text(d) for d in decisions}
    lines = _record_lines(record)
    return {
        "heading": "Decisions",
        "blocks": [
            {
                "type": "table",
                "caption": "Decision for each child",
                "columns": ["Child", "Decision and rationale"],
                "rows": [
                    [child.full_name, decided.get(child.pk, "Not recorded")] for child in children
                ],
            },
            *([{"type": "list", "items": lines}] if lines else []),
        ],
    }


def action_for(action: Action) -> str:
    """An action's description and whom it is for: named children, or the whole family."""
    names = [child.full_name for child in action.children.all()]
    return f"{action.description} (for {', '.join(names)})" if names else action.description


def _action_row(action: Action) -> list[str]:
    who = [action.owner_name] if action.owner_name else []
    if action.owner and str(action.owner) != action.owner_name:
        who.append(str(action.owner))
    status = action.get_status_display()
    if action.completed_at:
        status += f" {format_when(action.completed_at)}"
    return [
        joined(action_for(action), f"Source: {cite(action.source)}" if action.source else ""),
        joined(" / ".join(who), agency(action.agency_code) if action.agency_code else ""),
        format_when(action.due_at),
        joined(status, action.completion_note),
    ]


def actions_section(actions: list[Action]) -> Block:
    return {
        "heading": "Actions",
        "blocks": [
            {
                "type": "table",
                "caption": "Who will do what by when",
                "columns": ["Action", "Who", "By when", "Status"],
                "rows": [_action_row(action) for action in actions],
            }
            if actions
            else {"type": "paragraph", "text": "No actions were agreed."}
        ],
    }


def dissent_section(dissents: list[Dissent]) -> Block:
    return {
        "heading": "Dissent",
        "blocks": [
            {
                "type": "list",
                "items": [
                    f"{invitee(d.invitation).splitlines()[0]} "
                    f"({agency(d.invitation.agency_code)}) disagreed "
                    f"with: {d.about}. Reasons: {d.reasons} (recorded by {d.recorded_by})"
                    for d in dissents
                ],
            }
            if dissents
            else {"type": "paragraph", "text": "No agency recorded dissent."}
        ],
    }
