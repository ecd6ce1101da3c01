"""Actions agreed at a discussion: adding one, and its owner's update.

The forms only parse what was typed; ``strategise.actions.services`` decides what is
allowed and what is missing.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms

from strategise.actions.models import Action, ActionStatus
from strategise.cases.models import Child
from strategise.organisations.models import User
from strategise.policy.vocabulary import ATTENDEES
from strategise.web.drafts import VersionedForm
from strategise.web.govuk import OnceForm, long_text, optional_moment, set_choices
from strategise.web.language import LanguageChecked


class ActionForm(LanguageChecked, OnceForm):
    """What will be done, by which agency and person, and by when."""

    language_fields: ClassVar[dict[str, str]] = {"description": "What will be done?"}

    anchors: ClassVar[dict[str, str]] = {
        "description": "description",
        "children": "children",
        "agency_code": "agency_code",
        "owner": "owner",
        "owner_name": "owner_name",
        "due_date": "due_date-day",
        "due_time": "due_time",
        "due": "due_date-day",
    }

    description = long_text()
    children = forms.MultipleChoiceField(
        required=False,
        error_messages={"invalid_choice": "Choose only children this discussion is about"},
    )
    agency_code = forms.ChoiceField(
        required=False, error_messages={"invalid_choice": "Select an agency from the list"}
    )
    owner = forms.ChoiceField(
        required=False, error_messages={"invalid_choice": "Select a person from the list"}
    )
    owner_name = forms.CharField(
        required=False,
        max_length=200,
        error_messages={"max_length": "Keep the name to 200 characters or fewer"},
    )

    def __init__(
        self, *args: Any, people: list[User], children: list[Child], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(user.pk): user for user in people}
        self.for_children = {str(child.pk): child for child in children}
        set_choices(
            self.fields["children"], [(key, c.full_name) for key, c in self.for_children.items()]
        )
        set_choices(
            self.fields["agency_code"],
            [("", "Choose an agency"), *ATTENDEES.items()],
        )
        set_choices(
            self.fields["owner"],
            [("", "Not listed")]
            + [
                (key, f"{user} ({user.agency})" if user.agency else str(user))
                for key, user in self.people.items()
            ],
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["due"] = optional_moment(self, "due", "it will be done by")
        return cleaned

    def values(self) -> dict[str, Any]:
        """What ``action_create`` takes from this form."""
        data = self.cleaned_data
        owner = self.people.get(data["owner"])
        return {
            "description": data["description"],
            "agency_code": data["agency_code"],
            "owner": owner,
            "owner_name": "" if owner else data["owner_name"],
            "due_at": data["due"],
            "children": [self.for_children[key] for key in data["children"]],
            "token": data["token"],
        }


class ActionUpdateForm(LanguageChecked, VersionedForm):
    """Its owner says whether the action is done, and what was done; it names the version
    of the action it was based on (``strategise.web.drafts``)."""

    language_fields: ClassVar[dict[str, str]] = {
        "completion_note": "What was done, or why it was cancelled"
    }

    anchors: ClassVar[dict[str, str]] = {"status": "status", "completion_note": "completion_note"}

    status = forms.ChoiceField(
        choices=ActionStatus.choices,
        error_messages={
            "required": "Select whether the action is open, done or cancelled",
            "invalid_choice": "Select whether the action is open, done or cancelled",
        },
    )
    completion_note = long_text()

    @staticmethod
    def initial_from(action: Action) -> dict[str, Any]:
        return {
            "version": action.version,
            "status": action.status,
            "completion_note": action.completion_note,
        }

    def values(self) -> dict[str, Any]:
        """What ``action_update`` takes from this form."""
        return {
            "status": self.cleaned_data["status"],
            "completion_note": self.cleaned_data["completion_note"].strip(),
        }
