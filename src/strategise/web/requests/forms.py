"""A strategy discussion request: the children, the concerns and what is known.

The form parses what was typed; ``request_create`` checks it, triages it and stores it.
"""

from __future__ import annotations

from typing import Any, ClassVar, cast

from django import forms

from strategise.cases.family import AdultAround
from strategise.cases.models import Child
from strategise.organisations.models import Role, User
from strategise.policy.vocabulary import CONCERNS, FLAGS
from strategise.requests.services import Perpetrator
from strategise.web.govuk import GovukForm, OnceForm, long_text, set_choices
from strategise.web.language import LanguageChecked

PERPETRATOR_ROWS = 2
YES_NO = [("yes", "Yes"), ("no", "No")]


class RequestForm(LanguageChecked, OnceForm):
    """The request form. ``children`` are the children it offers as checkboxes."""

    language_fields: ClassVar[dict[str, str]] = {"narrative": "What has happened?"}

    anchors: ClassVar[dict[str, str]] = {
        "identified_date": "identified_date-day",
        "identified_at": "identified_date-day",
        "identified_time": "identified_time",
        "children": "children",
        "find": "find",
        "concerns": "concerns",
        "flags": "flags",
        "referrer": "referrer",
        "perpetrators": "perpetrators",
        **{
            f"perpetrator_{row}_{part}": f"perpetrator_{row}_{part}"
            for row in range(1, PERPETRATOR_ROWS + 1)
            for part in ("first_name", "last_name", "role", "trust")
        },
        "narrative": "narrative",
        "allocated_worker": "allocated_worker",
    }

    children = forms.MultipleChoiceField(
        error_messages={
            "required": "Select the children the concerns are about",
            "invalid_choice": "Select only children listed on the form",
        }
    )
    find = forms.CharField(required=False, max_length=100)
    concerns = forms.MultipleChoiceField(
        choices=list(CONCERNS.items()),
        error_messages={
            "required": "Select at least one concern",
            "invalid_choice": "Select only concerns from the list",
        },
    )
    flags = forms.MultipleChoiceField(
        choices=list(FLAGS.items()),
        required=False,
        error_messages={"invalid_choice": "Select only circumstances from the list"},
    )
    referrer = forms.CharField(
        required=False,
        max_length=200,
        error_messages={"max_length": "Who raised the concerns must be 200 characters or fewer"},
    )
    # Alleged perpetrators chosen from the adults recorded around the children offered.
    perpetrators = forms.MultipleChoiceField(
        required=False,
        error_messages={"invalid_choice": "Select only adults listed on the form"},
    )
    allocated_worker = forms.ChoiceField(
        required=False,
        error_messages={"invalid_choice": "Select the allocated social worker from the list"},
    )
    narrative = forms.CharField(
        max_length=20000,
        error_messages={
            "required": "Describe the concerns and what has happened",
            "max_length": "The description must be 20,000 characters or fewer",
        },
    )

    def __init__(
        self,
        *args: Any,
        children: list[Child],
        workers: list[User],
        adults: list[AdultAround] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.offered = children
        self.adults = {str(around.adult.pk): around for around in adults or []}
        set_choices(
            self.fields["perpetrators"],
            [(key, str(around.adult)) for key, around in self.adults.items()],
        )
        # Practitioners who hold cases: social workers and those who manage them.
        self.workers = {
            str(user.pk): user
            for user in workers
            if user.role
            not in (Role.BUSINESS_SUPPORT, Role.PERFORMANCE_ANALYST, Role.ADMINISTRATOR)
        }
        set_choices(
            self.fields["allocated_worker"],
            [("", "None allocated yet")] + [(key, str(u)) for key, u in self.workers.items()],
        )
        cast(forms.MultipleChoiceField, self.fields["children"]).choices = [
            (str(child.pk), str(child)) for child in children
        ]
        for row in range(1, PERPETRATOR_ROWS + 1):
            for part, label in (("first_name", "first name"), ("last_name", "last name")):
                self.fields[f"perpetrator_{row}_{part}"] = forms.CharField(
                    required=False,
                    max_length=100,
                    error_messages={"max_length": f"The {label} must be 100 characters or fewer"},
                )
            self.fields[f"perpetrator_{row}_role"] = forms.CharField(
                required=False,
                max_length=200,
                error_messages={"max_length": "The role must be 200 characters or fewer"},
            )
            self.fields[f"perpetrator_{row}_trust"] = forms.ChoiceField(
                choices=YES_NO,
                required=False,
                error_messages={"invalid_choice": "Select yes or no"},
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["identified_at"] = self.moment("identified", "concerns were identified")
        for row in range(1, PERPETRATOR_ROWS + 1):
            first, last, role = (
                cleaned.get(f"perpetrator_{row}_{part}", "").strip()
                for part in ("first_name", "last_name", "role")
            )
            name = f"{first} {last}".strip()
            if (name or role) and not cleaned.get(f"perpetrator_{row}_trust"):
                self.add_error(
                    f"perpetrator_{row}_trust",
                    f"Select yes if {name or 'this person'} works or volunteers with children",
                )
            if (role or cleaned.get(f"perpetrator_{row}_trust")) and not name:
                self.add_error(
                    f"perpetrator_{row}_first_name",
                    "Enter their first name or last name, or the name they are known by",
                )
        return cleaned

    def perpetrators_chosen(self) -> list[Perpetrator]:
        """The alleged perpetrators: adults chosen from those recorded, then those added
        here (recorded as adults when the request is raised; rows left blank are none)."""
        found = []
        for key in self.cleaned_data["perpetrators"]:
            around = self.adults[key]
            found.append(
                Perpetrator(
                    name=around.adult.full_name,
                    position_of_trust=around.position_of_trust,
                    role=around.adult.occupation,
                    adult=around.adult,
                )
            )
        for row in range(1, PERPETRATOR_ROWS + 1):
            first = self.cleaned_data[f"perpetrator_{row}_first_name"].strip()
            last = self.cleaned_data[f"perpetrator_{row}_last_name"].strip()
            role = self.cleaned_data[f"perpetrator_{row}_role"].strip()
            trust = self.cleaned_data[f"perpetrator_{row}_trust"]
            if first or last:
                found.append(
                    Perpetrator(
                        name=f"{first} {last}".strip(),
                        role=role,
                        position_of_trust=trust == "yes",
                        first_name=first,
                        last_name=last,
                    )
                )
        return found

    def request_values(self) -> dict[str, Any]:
        """What ``request_create`` takes from the form."""
        data = self.cleaned_data
        chosen = set(data["children"])
        return {
            "identified_at": data["identified_at"],
            "children": [child for child in self.offered if str(child.pk) in chosen],
            "concerns": list(data["concerns"]),
            "flags": list(data["flags"]),
            "referrer": data["referrer"].strip(),
            "narrative": data["narrative"].strip(),
            "perpetrators": self.perpetrators_chosen(),
            "allocated_worker": self.workers.get(data["allocated_worker"]),
        }

    def find_text(self) -> str:
        """What was typed in "Find another child"."""
        return str(self.data.get("find", "")).strip()


class EndForm(GovukForm):
    """Why a request is closed without a discussion, or withdrawn."""

    anchors: ClassVar[dict[str, str]] = {"reason": "reason"}

    reason = long_text()
