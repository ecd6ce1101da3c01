"""Dates, times and answers in the words a person reads (GOV.UK style: "6 March 2026, 11:59pm";
citations as "Sandwell procedure §9.0")."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .calendar import to_london
from .citations import cite
from .vocabulary import ATTENDEES, CHAIR_GRADES, CLOCKS, STEPS


def format_time(moment: datetime) -> str:
    """A time in GOV.UK style: ``9am``, ``11:59pm``, ``midday``, ``midnight``."""
    local = to_london(moment)
    if local.hour == 12 and local.minute == 0:
        return "midday"
    if local.hour == 0 and local.minute == 0:
        return "midnight"
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    minutes = f":{local.minute:02d}" if local.minute else ""
    return f"{hour}{minutes}{suffix}"


def format_when(moment: datetime | str) -> str:
    """A date and time in London, e.g. ``Friday 6 March 2026, 11:59pm``."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    local = to_london(moment)
    return f"{local:%A} {local.day} {local:%B %Y}, {format_time(local)}"


def triage_summary(answer: dict[str, Any], title: str) -> str:
    """A short readable summary of a triage answer (the contract's JSON)."""
    kind = "Complex" if answer["discussion_type"] == "complex" else "Standard"
    meeting = (
        "a meeting is needed (a series of phone calls is not enough)"
        if answer["meeting_required"]
        else "phone calls or a meeting"
    )
    lines = [f"{title} [{answer['profile']}]", f"{kind} strategy discussion: {meeting}."]
    for reason in answer["complex_reasons"] + answer["meeting_reasons"]:
        lines.append(f"  - {reason['reason']} ({cite(reason['source'])})")
    if answer["hold_by"]:
        first = answer["timescales"][0]
        lines.append(
            f"Hold by {format_when(answer['hold_by'])} — within {first['within']} "
            f"({cite(first['source'])})."
        )
        for timescale in answer["timescales"][1:]:
            lines.append(
                f"  Also: {timescale['rule']} By {format_when(timescale['hold_by'])} "
                f"({cite(timescale['source'])})."
            )
    else:
        lines.append("No timescale is set by this procedure: hold it as soon as possible.")
    chair = answer["chair"]
    if chair["minimum_grade"]:
        grade = CHAIR_GRADES[chair["minimum_grade"]].lower()
        lines.append(f"Chair: {grade} or above ({cite(chair['source'])}).")
        for exception in chair["exceptions"]:
            lines.append(f"  Exception: {exception['condition']}")
    for heading, key in (("Must attend", "required"), ("May attend", "recommended")):
        items = answer["attendees"][key]
        if items:
            lines.append(f"{heading}:")
            lines.extend(
                f"  - {ATTENDEES[i['code']]}: {i['reason']} ({cite(i['source'])})" for i in items
            )
    if answer["steps"]:
        lines.append("Also do:")
        lines.extend(
            f"  - {STEPS[i['code']]}: {i['reason']} ({cite(i['source'])})" for i in answer["steps"]
        )
    if answer["out_of_hours"]:
        lines.append("Concerns were identified out of hours.")
    return "\n".join(lines)


def clocks_summary(answer: dict[str, Any], title: str) -> str:
    """A short readable summary of a clocks answer."""
    lines = [f"{title} [{answer['profile']}]", f"Discussion held {format_when(answer['held_at'])}."]
    if not answer["clocks"]:
        lines.append("No clocks start for this case.")
    for clock in answer["clocks"]:
        lines.append(
            f"  - {CLOCKS[clock['code']]}: by {format_when(clock['due'])} — within "
            f"{clock['within']} ({cite(clock['source'])})."
        )
    return "\n".join(lines)
