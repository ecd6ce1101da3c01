"""Recording a statutory clock met, and stopping one that no longer applies.

The forms only parse what was typed; ``strategise.clocks.services`` decides who may, and
whether the time makes sense (not in the future, not before the clock started).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from django import forms

from strategise.web.govuk import GovukForm

REASON = 5000


class ClockMetForm(GovukForm):
    """When the event happened: a date (three boxes) and a time."""

    anchors: ClassVar[dict[str, str]] = {
        "at_date": "at_date-day",
        "at": "at_date-day",
        "at_time": "at_time",
    }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["at"] = self.moment("at", "it happened")
        return cleaned

    @property
    def at(self) -> datetime:
        """When it happened (from a valid form)."""
        moment: datetime = self.cleaned_data["at"]
        return moment


class ClockStopForm(GovukForm):
    """Why the clock no longer applies."""

    reason = forms.CharField(
        max_length=REASON,
        error_messages={
            "required": "Give the reason the clock no longer applies",
            "max_length": f"Keep the reason to {REASON:,} characters or fewer",
        },
    )
