"""The triage form: what a practitioner knows when concerns are identified, as facts.

The form only parses and checks what was typed; the policy engine decides everything.
Messages follow the GOV.UK Design System's error message patterns.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, cast

from django import forms

from strategise.policy import LONDON, list_profiles
from strategise.policy.calendar import FIRST_YEAR, LAST_YEAR, london_clock_change
from strategise.policy.vocabulary import CONCERNS, FLAGS

MAX_CHILDREN = 20

# Facts about the child the concerns are mainly about (the first child in the facts).
CHILD_FACTS: dict[str, str] = {
    "unborn": "The child is unborn",
    "looked_after": "The child is looked after by a local authority",
    "in_hospital": "The child is in hospital",
    "may_be_charged": "The child may be charged with an offence",
    "care_and_support_needs": "The child may have care and support needs as an adult",
}

CP_PLANS: dict[str, str] = {
    "none": "No",
    "current": "Yes, the child has a plan now",
    "ended_within_2_years": "The child's plan ended in the last 2 years",
}

YES_NO: dict[str, str] = {"yes": "Yes", "no": "No"}

# Where the error summary sends the reader for each field (the first input of a group),
# in the order the fields appear on the page.
FIELD_ANCHORS: dict[str, str] = {
    "profile": "profile",
    "identified_date": "identified_date-day",
    "identified_time": "identified_time",
    "concerns": "concerns",
    "children": "children",
    "households": "households",
    "child_facts": "child_facts",
    "cp_plan": "cp_plan",
    "position_of_trust": "position_of_trust",
    "flags": "flags",
}


def _whole_number(label: str, lowest: int, highest: int) -> forms.IntegerField:
    return forms.IntegerField(
        min_value=lowest,
        max_value=highest,
        error_messages={
            "required": f"Enter the {label}",
            "invalid": f"The {label} must be a whole number, like 2",
            "min_value": f"The {label} must be between {lowest} and {highest}",
            "max_value": f"The {label} must be between {lowest} and {highest}",
        },
    )


class TriageForm(forms.Form):
    profile = forms.ChoiceField(
        error_messages={
            "required": "Select the local procedure to triage against",
            "invalid_choice": "Select one of the local procedures listed",
        }
    )
    identified_day = forms.CharField(required=False)
    identified_month = forms.CharField(required=False)
    identified_year = forms.CharField(required=False)
    identified_time = forms.CharField(
        error_messages={"required": "Enter the time concerns were identified"}
    )
    concerns = forms.MultipleChoiceField(
        choices=list(CONCERNS.items()),
        error_messages={
            "required": "Select at least one concern",
            "invalid_choice": "Select only concerns from the list",
        },
    )
    children = _whole_number("number of children", 1, MAX_CHILDREN)
    households = _whole_number("number of households", 1, MAX_CHILDREN)
    children.initial = 1
    households.initial = 1
    child_facts = forms.MultipleChoiceField(
        choices=list(CHILD_FACTS.items()),
        required=False,
        error_messages={"invalid_choice": "Select only facts about the child from the list"},
    )
    cp_plan = forms.ChoiceField(
        choices=list(CP_PLANS.items()),
        initial="none",
        error_messages={"required": "Select whether the child has a child protection plan"},
    )
    position_of_trust = forms.ChoiceField(
        choices=list(YES_NO.items()),
        error_messages={
            "required": (
                "Select yes if the concerns are about someone who works or volunteers with children"
            )
        },
    )
    flags = forms.MultipleChoiceField(
        choices=list(FLAGS.items()),
        required=False,
        error_messages={"invalid_choice": "Select only circumstances from the list"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.profiles = list_profiles()
        profile_field = cast(forms.ChoiceField, self.fields["profile"])
        profile_field.choices = [(profile.name, profile.title) for profile in self.profiles]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        identified_on = self._identified_date(cleaned)
        if identified_on is not None:
            cleaned["identified_date"] = identified_on
        identified_time = self._identified_time(cleaned.get("identified_time"))
        if identified_time is not None:
            cleaned["identified_time"] = identified_time
            moment = datetime.combine(identified_on, identified_time) if identified_on else None
            if moment is not None and london_clock_change(moment) == "forward":
                self.add_error(
                    "identified_time",
                    f"There was no {identified_time:%H:%M} in the UK that day: the clocks went "
                    "forward from 01:00 to 02:00. Enter the time again",
                )
        children, households = cleaned.get("children"), cleaned.get("households")
        if children is not None and households is not None and households > children:
            self.add_error(
                "households",
                "The number of households cannot be more than the number of children",
            )
        return cleaned

    def _identified_date(self, cleaned: dict[str, Any]) -> date | None:
        parts = {
            "day": (cleaned.get("identified_day") or "").strip(),
            "month": (cleaned.get("identified_month") or "").strip(),
            "year": (cleaned.get("identified_year") or "").strip(),
        }
        missing = [name for name, value in parts.items() if not value]
        if len(missing) == 3:
            self._date_error("Enter the date concerns were identified")
            return None
        if missing:
            self._date_error(
                "The date concerns were identified must include a " + " and ".join(missing)
            )
            return None
        if not all(value.isdigit() for value in parts.values()):
            self._date_error("The date concerns were identified must be a real date")
            return None
        if len(parts["year"]) != 4:
            self._date_error("The year must include 4 numbers")
            return None
        if not FIRST_YEAR <= int(parts["year"]) <= LAST_YEAR:
            self._date_error(f"The year must be from {FIRST_YEAR} to {LAST_YEAR}")
            return None
        try:
            return date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
        except ValueError:
            self._date_error("The date concerns were identified must be a real date")
            return None

    def _date_error(self, message: str) -> None:
        # The date is three inputs, not one form field, so add_error() cannot name it.
        self.errors.setdefault("identified_date", self.error_class()).append(message)

    def _identified_time(self, text: str | None) -> time | None:
        if not text:
            return None
        cleaned = text.strip().replace(".", ":")
        try:
            hours, minutes = (int(part) for part in cleaned.split(":"))
            return time(hours, minutes)
        except ValueError:
            self.add_error(
                "identified_time",
                "Enter the time concerns were identified using the 24-hour clock, "
                "like 09:30 or 17:45",
            )
            return None

    def error_summary(self) -> list[dict[str, str]]:
        """The GOV.UK error summary's list: each problem, linked to its field."""
        summary = [{"text": str(message)} for message in self.non_field_errors()]
        for name, anchor in FIELD_ANCHORS.items():
            for message in self.errors.get(name, []):
                summary.append({"text": str(message), "href": f"#{anchor}"})
        return summary

    def first_errors(self) -> dict[str, str]:
        """The first message for each field, for the message shown beside it."""
        return {name: str(messages[0]) for name, messages in self.errors.items()}

    def to_facts(self) -> dict[str, Any]:
        """The contract's input facts for a valid form."""
        data = self.cleaned_data
        identified_at = datetime.combine(data["identified_date"], data["identified_time"])
        households = data["households"]
        children: list[dict[str, Any]] = []
        for number in range(1, data["children"] + 1):
            # The first (households - 1) children each live apart; the rest live together.
            children.append(
                {
                    "id": f"c{number}",
                    "household": f"h{min(number, households)}",
                }
            )
        first_child = children[0]
        first_child["cp_plan"] = data["cp_plan"]
        for fact in data["child_facts"]:
            first_child[fact] = True
        return {
            "profile": data["profile"],
            # A naive time is London time in the contract; a time the clocks repeated needs
            # its offset, and the form (which asks for none) means the first.
            "identified_at": (
                identified_at.replace(tzinfo=LONDON).isoformat()
                if london_clock_change(identified_at) == "back"
                else identified_at.isoformat()
            ),
            "concerns": list(data["concerns"]),
            "children": children,
            "alleged_perpetrators": [{"position_of_trust": data["position_of_trust"] == "yes"}],
            "flags": {flag: True for flag in data["flags"]},
        }
