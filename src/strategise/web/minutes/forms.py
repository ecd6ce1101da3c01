"""Minutes: the reason for a correction, the draft's wording and revision, and a line of
the distribution list.

The forms parse what was typed; ``strategise.minutes.services`` decides what is allowed.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms

from strategise.minutes.models import Method
from strategise.minutes.wording import Passage
from strategise.web.govuk import GovukForm
from strategise.web.language import LanguageChecked

REVISION_ERRORS = {"invalid": "Reload the page: it did not say which draft you read"}


class CorrectionForm(LanguageChecked, GovukForm):
    """Drafting (or redrafting) the minutes, or approving the draft's revision the page
    showed; correcting approved ones needs the reason."""

    language_fields: ClassVar[dict[str, str]] = {
        "correction_reason": "Why are the minutes being corrected?"
    }

    correction_reason = forms.CharField(
        required=False,
        max_length=5000,
        error_messages={"max_length": "Keep the reason to 5,000 characters or fewer"},
    )
    revision = forms.IntegerField(required=False, min_value=0, error_messages=REVISION_ERRORS)


class WordingForm(LanguageChecked, GovukForm):
    """The wording of each passage of a draft, and the revision it was read at."""

    revision = forms.IntegerField(min_value=0, error_messages=REVISION_ERRORS)

    def __init__(self, *args: Any, passages: list[Passage], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.passages = [(f"passage-{passage.id}", passage) for passage in passages]
        for name, _ in self.passages:
            self.fields[name] = forms.CharField(required=False)

    def language_labels(self) -> dict[str, str]:
        """Each passage's field, labelled as the page labels it."""
        return {name: f"{passage.section}: {passage.heading}" for name, passage in self.passages}

    def sections(self) -> list[tuple[str, list[tuple[str, Passage]]]]:
        """The passages' field names, grouped by the section they are printed in."""
        grouped: dict[str, list[tuple[str, Passage]]] = {}
        for name, passage in self.passages:
            grouped.setdefault(passage.section, []).append((name, passage))
        return list(grouped.items())

    def wording(self) -> dict[str, str]:
        """Each passage's wording, as typed (the service decides what it may be)."""
        return {passage.id: self.cleaned_data[name] for name, passage in self.passages}


class RecipientForm(GovukForm):
    """Who receives the minutes, how, and whether they are included."""

    anchors: ClassVar[dict[str, str]] = {
        "name": "name",
        "email": "email",
        "method": "method",
        "included": "included",
        "reason": "reason",
    }

    name = forms.CharField(
        required=False,
        max_length=200,
        error_messages={"max_length": "Keep the name to 200 characters or fewer"},
    )
    email = forms.EmailField(
        required=False,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.org"
        },
    )
    method = forms.ChoiceField(
        choices=Method.choices,
        error_messages={
            "required": "Select how the minutes are sent",
            "invalid_choice": "Select how the minutes are sent",
        },
    )
    included = forms.BooleanField(required=False)
    reason = forms.CharField(
        required=False,
        max_length=2000,
        error_messages={"max_length": "Keep the reason to 2,000 characters or fewer"},
    )
