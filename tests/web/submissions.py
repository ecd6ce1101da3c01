"""Form submissions shared by the web tests and the benchmarks."""

from __future__ import annotations

from typing import Any

# A Friday morning in March 2026, in working hours, against Sandwell's procedure.
VALID_TRIAGE: dict[str, Any] = {
    "profile": "sandwell",
    "identified_day": "6",
    "identified_month": "3",
    "identified_year": "2026",
    "identified_time": "10:15",
    "concerns": ["physical_abuse"],
    "children": "1",
    "households": "1",
    "cp_plan": "none",
    "position_of_trust": "no",
}
