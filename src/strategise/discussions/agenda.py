"""A discussion's agenda, and the questions its analysis of risk answers."""

from __future__ import annotations

from dataclasses import dataclass, replace

from strategise.discussions.models import Discussion
from strategise.policy import get_profile
from strategise.policy.procedure import Questions


def risk_questions(discussion: Discussion) -> Questions:
    """The questions the discussion's analysis of risk answers, with their clause: the
    procedure's review questions for a reconvened discussion where it has them."""
    profile = get_profile(discussion.request.profile)
    return profile.risk_questions(reconvened=discussion.previous_id is not None)


@dataclass(frozen=True)
class AgendaEntry:
    """One item of a discussion's agenda. ``section`` names the part of the record that
    covers it; an item of the procedure's own agenda has none, and takes notes instead."""

    id: str
    title: str
    source: str = ""
    guidance: str = ""
    section: str | None = None


# For a procedure without an agenda of its own: the record's sections, in order (the
# analysis of risk cites the procedure's own clause for its questions, added in agenda()).
DEFAULT_AGENDA = (
    AgendaEntry("introductions", "Introductions, apologies and quorum", section="introductions"),
    AgendaEntry("family", "Family and household details", section="family"),
    AgendaEntry("other-children", "Other children affected", section="other-children"),
    AgendaEntry("reason", "Reason for the discussion and the concerns", section="reason"),
    AgendaEntry("background", "Background", section="background"),
    AgendaEntry("contributions", "What each agency shared", section="contributions"),
    AgendaEntry("analysis", "Analysis of risk", section="analysis"),
    AgendaEntry("decisions", "Decisions for each child", section="decisions"),
    AgendaEntry("actions", "Actions: who does what by when", section="actions"),
)


def agenda(discussion: Discussion) -> tuple[AgendaEntry, ...]:
    """The procedure's agenda, each item citing its clause; the default one if it has none."""
    profile = get_profile(discussion.request.profile)
    if not profile.agenda:
        source = risk_questions(discussion).source
        return tuple(
            replace(entry, source=source) if entry.id == "analysis" else entry
            for entry in DEFAULT_AGENDA
        )
    return tuple(
        AgendaEntry(
            id=item.id,
            title=item.title,
            source=f"{profile.source_file} {item.source}",
            guidance=item.guidance,
        )
        for item in profile.agenda
    )
