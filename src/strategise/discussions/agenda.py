"""A discussion's agenda, and the questions its analysis of risk answers."""

from __future__ import annotations

from dataclasses import dataclass

from strategise.discussions.models import Discussion
from strategise.policy import get_profile

# Gloucestershire's risk assessment and risk review principles (§Risk Assessment Principles).
RISK_QUESTIONS = (
    "What harm are you most worried about?",
    "If this happened what is the impact on the child?",
    "What makes harm more or less likely?",
    "What is needed to reduce harm?",
    "When will this be reviewed?",
)
REVIEW_QUESTIONS = (
    "What harm were you worried about?",
    "What has been done to reduce harm?",
    "Has this improved life for the child?",
    "What do you need to do now?",
    "When will this be reviewed?",
)
RISK_SOURCE = "003_d9dc6ed7629d3148.txt §Risk Assessment Principles"


def risk_questions(discussion: Discussion) -> tuple[str, ...]:
    """The five review questions for a reconvened discussion, else the five risk questions."""
    return REVIEW_QUESTIONS if discussion.previous_id else RISK_QUESTIONS


@dataclass(frozen=True)
class AgendaEntry:
    """One item of a discussion's agenda. ``section`` names the part of the record that
    covers it; an item of the procedure's own agenda has none, and takes notes instead."""

    id: str
    title: str
    source: str = ""
    guidance: str = ""
    section: str | None = None


# For a procedure without an agenda of its own: the record's sections, in order.
DEFAULT_AGENDA = (
    AgendaEntry("introductions", "Introductions, apologies and quorum", section="introductions"),
    AgendaEntry("family", "Family and household details", section="family"),
    AgendaEntry("other-children", "Other children affected", section="other-children"),
    AgendaEntry("reason", "Reason for the discussion and the concerns", section="reason"),
    AgendaEntry("background", "Background", section="background"),
    AgendaEntry("contributions", "What each agency shared", section="contributions"),
    AgendaEntry("analysis", "Analysis of risk", source=RISK_SOURCE, section="analysis"),
    AgendaEntry("decisions", "Decisions for each child", section="decisions"),
    AgendaEntry("actions", "Actions: who does what by when", section="actions"),
)


def agenda(discussion: Discussion) -> tuple[AgendaEntry, ...]:
    """The procedure's agenda, each item citing its clause; the default one if it has none."""
    profile = get_profile(discussion.request.profile)
    if not profile.agenda:
        return DEFAULT_AGENDA
    return tuple(
        AgendaEntry(
            id=item.id,
            title=item.title,
            source=f"{profile.source_file} {item.source}",
            guidance=item.guidance,
        )
        for item in profile.agenda
    )
