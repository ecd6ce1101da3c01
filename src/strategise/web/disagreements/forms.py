"""Raising a professional disagreement, moving it to the next stage, and resolving it.

The forms only parse what was typed; ``strategise.disagreements.services`` decides who
may, and what each step needs.
"""

from __future__ import annotations

from typing import Any, ClassVar, cast

from django import forms

from strategise.disagreements.models import Resolution, Subject
from strategise.web.govuk import GovukForm, OnceForm

TEXT = 20000
NAME = 300


def _text(required: str) -> forms.CharField:
    return forms.CharField(
        max_length=TEXT,
        error_messages={
            "required": required,
            "max_length": f"Keep this to {TEXT:,} characters or fewer",
        },
    )


class RaiseForm(OnceForm):
    """What the difference of opinion is about, and what it is."""

    subject = forms.ChoiceField(
        error_messages={
            "required": "Select what the disagreement is about",
            "invalid_choice": "Select what the disagreement is about from the list",
        }
    )
    description = _text("Describe the difference of opinion and why")

    def __init__(self, *args: Any, held: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Until the discussion is held it has no outcome to disagree with.
        cast(forms.ChoiceField, self.fields["subject"]).choices = [
            (value, label) for value, label in Subject.choices if held or value == Subject.HOLDING
        ]


class EscalateForm(GovukForm):
    """Why it moves on; for a stage held outside Strategise, who holds it (name and email).
    Inside Strategise the procedure's role decides who holds it, not the form."""

    anchors: ClassVar[dict[str, str]] = {
        "note": "note",
        "outside_name": "outside_name",
        "outside_email": "outside_email",
    }

    expected_stage = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    note = _text("Say why it is being escalated and what has been tried")
    outside_name = forms.CharField(
        required=False,
        max_length=NAME,
        error_messages={"max_length": f"Keep the name to {NAME} characters or fewer"},
    )
    outside_email = forms.EmailField(
        required=False,
        max_length=254,
        error_messages={
            "invalid": "Enter their email address in the correct format, like name@example.org",
            "max_length": "Keep the email address to 254 characters or fewer",
        },
    )

    def __init__(self, *args: Any, outside: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outside = outside

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.outside and not str(cleaned.get("outside_name") or "").strip():
            self.add_error("outside_name", "Enter the name of the person who holds it next")
        if self.outside and "outside_email" not in self.errors and not cleaned.get("outside_email"):
            self.add_error(
                "outside_email", "Enter the email address of the person who holds it next"
            )
        return cleaned


class ResolveForm(GovukForm):
    """How it was resolved, and the outcome."""

    resolution = forms.ChoiceField(
        choices=Resolution.choices,
        error_messages={
            "required": "Choose how it was resolved",
            "invalid_choice": "Choose how it was resolved from the list",
        },
    )
    outcome = _text("Record the outcome and what happens next")
