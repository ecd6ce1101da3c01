"""Strategise's rules: triage and clocks for each local procedure, as pure Python.

No Django, no database, no clock of its own: callers pass "now" and the facts. The
vocabulary and outputs are fixed by ``shared/design/triage-contract.md``.
"""

from .calendar import LONDON, Within, WorkingCalendar, to_london
from .clocks import Clock, ClocksAnswer, clocks
from .facts import Facts, FactsError, parse_facts
from .profiles import (
    Profile,
    ProfileError,
    builtin_profiles,
    check_profile_file,
    get_profile,
    list_profiles,
)
from .triage import TriageAnswer, triage

__all__ = [
    "LONDON",
    "Clock",
    "ClocksAnswer",
    "Facts",
    "FactsError",
    "Profile",
    "ProfileError",
    "TriageAnswer",
    "Within",
    "WorkingCalendar",
    "builtin_profiles",
    "check_profile_file",
    "clocks",
    "get_profile",
    "list_profiles",
    "parse_facts",
    "to_london",
    "triage",
]
