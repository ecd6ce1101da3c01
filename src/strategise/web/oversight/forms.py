"""The oversight filters: team, agency, procedure and a range of due dates.

Dates are GOV.UK date inputs (day, month, year); each message says what was wrong and
what to type instead.
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms

from strategise.oversight.selectors import Choices, Filters

DATE_PARTS = ("day", "month", "year")
DATE_LABELS = {"due_from": "The 'due from' date", "due_to": "The 'due to' date"}


def _anchor(field: str) -> str:
    """The id of the input an error links to: a date's day input, or the field itself."""
    return f"{field.removesuffix('_day')}-day" if field.endswith("_day") else field


class OversightFilterForm(forms.Form):
    team = forms.TypedChoiceField(coerce=int, empty_value=None, required=False)
    agency = forms.ChoiceField(required=False)
    profile = forms.ChoiceField(required=False)
    due_from_day = forms.CharField(required=False)
    due_from_month = forms.CharField(required=False)
    due_from_year = forms.CharField(required=False)
    due_to_day = forms.CharField(required=False)
    due_to_month = forms.CharField(required=False)
    due_to_year = forms.CharField(required=False)

    def __init__(self, data: Any, *, choices: Choices):
        super().__init__(data)
        everything = [("", "All")]
        offered: dict[str, list[tuple[str, str]]] = {
            "team": everything + [(str(pk), name) for pk, name in choices.teams],
            "agency": everything + choices.agencies,
            "profile": everything + [(profile, profile) for profile in choices.profiles],
        }
        self.offered = offered
        for name, items in offered.items():
            field = cast(forms.ChoiceField, self.fields[name])
            field.choices = items
            field.error_messages["invalid_choice"] = f"Choose a {name} from the list"

    def _date(self, name: str) -> date | None:
        parts = [str(self.cleaned_data.get(f"{name}_{part}") or "").strip() for part in DATE_PARTS]
        label = DATE_LABELS[name]
        if not any(parts):
            return None
        if not all(parts):
            missing = " and ".join(p for p, v in zip(DATE_PARTS, parts, strict=True) if not v)
            self.add_error(f"{name}_day", f"{label} must include a {missing}")
            return None
        try:
            day, month, year = (int(part) for part in parts)
            return date(year, month, day)
        except ValueError:
            self.add_error(f"{name}_day", f"{label} must be a real date, like 27 3 2026")
            return None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["due_from"] = self._date("due_from")
        cleaned["due_to"] = self._date("due_to")
        if cleaned["due_from"] and cleaned["due_to"] and cleaned["due_from"] > cleaned["due_to"]:
            self.add_error(
                "due_to_day", "The 'due to' date must be the same as or after 'due from'"
            )
        return cleaned

    def filters(self) -> Filters:
        """The chosen filters (call after ``is_valid``)."""
        data = self.cleaned_data
        return Filters(
            team=data.get("team"),
            agency=data.get("agency") or None,
            profile=data.get("profile") or None,
            due_from=data.get("due_from"),
            due_to=data.get("due_to"),
        )

    def error_summary(self) -> list[dict[str, str]]:
        """The GOV.UK error summary's list: each message linking to its field."""
        return [
            {"text": str(errors[0]), "href": f"#{_anchor(name)}"}
            for name, errors in self.errors.items()
        ]

    def first_error(self, name: str) -> str | None:
        errors = self.errors.get(name)
        return str(errors[0]) if errors else None

    def select_items(self, name: str) -> list[dict[str, Any]]:
        """The GOV.UK select's items for ``team``, ``agency`` or ``profile``, chosen marked."""
        chosen = str(self.data.get(name, ""))
        return [
            {"value": value, "text": text, "selected": value == chosen}
            for value, text in self.offered[name]
        ]

    def date_items(self, name: str) -> list[dict[str, Any]]:
        """The GOV.UK date input's items for ``due_from`` or ``due_to``."""
        error = bool(self.errors.get(f"{name}_day"))
        return [
            {
                "name": f"{name}_{part}",
                "id": f"{name}-{part}",
                "label": part.capitalize(),
                "value": self.data.get(f"{name}_{part}", ""),
                "classes": ("govuk-input--width-4" if part == "year" else "govuk-input--width-2")
                + (" govuk-input--error" if error else ""),
            }
            for part in DATE_PARTS
        ]
