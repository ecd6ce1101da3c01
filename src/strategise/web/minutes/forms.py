"""Minutes: the reason for a correction, and a line of the distribution list.

The forms parse what was typed; ``strategise.minutes.services`` decides what is allowed.
"""

from __future__ import annotations

from typing import ClassVar

from django import forms

from strategise.minutes.models import Method
from strategise.web.govuk import GovukForm


class CorrectionForm(GovukForm):
    """Drafting (or redrafting) the minutes; correcting approved ones needs the reason."""

    correction_reason = forms.CharField(
        required=False,
        max_length=5000,
        error_messages={"max_length": "Keep the reason to 5,000 characters or fewer"},
    )


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
