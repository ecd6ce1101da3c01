"""Raising a professional disagreement, moving it to the next stage, and resolving it.

The forms only parse what was typed; ``strategise.disagreements.services`` decides who
may, and what each step needs.
"""

from __future__ import annotations

from typing import Any, ClassVar, cast

from django import forms

from strategise.disagreements.models import Resolution, Subject
from strategise.organisations.models import User
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
    """Why it moves on, and who holds it at the next stage: someone listed, or named."""

    anchors: ClassVar[dict[str, str]] = {
        "note": "note",
        "holder": "holder",
        "holder_name": "holder_name",
    }

    expected_stage = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    note = _text("Say why it is being escalated and what has been tried")
    holder = forms.ChoiceField(
        required=False, error_messages={"invalid_choice": "Select a person from the list"}
    )
    holder_name = forms.CharField(
        required=False,
        max_length=NAME,
        error_messages={"max_length": f"Keep the name to {NAME} characters or fewer"},
    )

    def __init__(self, *args: Any, people: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(person.pk): person for person in people}
        cast(forms.ChoiceField, self.fields["holder"]).choices = [("", "Not listed")] + [
            (key, f"{person} ({person.agency})" if person.agency else str(person))
            for key, person in self.people.items()
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("holder") and not str(cleaned.get("holder_name") or "").strip():
            message = (
                "Choose who holds it at the next stage, or enter their name and role"
                if self.people
                else "Enter the name and role of whoever holds it at the next stage"
            )
            self.add_error("holder_name", message)
        return cleaned

    @property
    def chosen(self) -> User | None:
        """The person chosen from the list, if any (from a valid form)."""
        return self.people.get(self.cleaned_data.get("holder") or "")


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
