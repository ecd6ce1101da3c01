"""Finding and adding children: the forms parse what was typed; the services decide."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, cast

from django import forms

from strategise.cases.models import CP_PLAN_CHOICES, EDUCATION_CHOICES, Child
from strategise.policy import census
from strategise.web.govuk import GovukForm

BORN_CHOICES = [("yes", "Yes"), ("no", "No, the baby is unborn")]

CIRCUMSTANCES: dict[str, str] = {
    "looked_after": "The child is looked after by a local authority",
    "in_hospital": "The child is in hospital",
    "care_and_support_needs": "The child may have care and support needs as an adult",
}

NEW_HOUSEHOLD = "new"
# The national identifiers typed as a child is added (``cases.adults.number_errors``).
IDENTIFIERS = ("former_names", "nhs_number", "upn", "police_reference")
BORN_PARTS = ("born_day", "born_month", "born_year")


def _text(label: str, max_length: int, *, required: bool = False) -> forms.CharField:
    return forms.CharField(
        required=required,
        max_length=max_length,
        error_messages={
            "required": f"Enter {label}",
            "max_length": f"{label[0].upper()}{label[1:]} must be {max_length} characters or fewer",
        },
    )


def _sex() -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=list(census.SEXES.items()),
        required=False,
        error_messages={"invalid_choice": "Select the child's sex from the list"},
    )


def _ethnicity() -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=[("", "Not recorded"), *census.ETHNICITIES.items()],
        required=False,
        error_messages={"invalid_choice": "Select the child's ethnicity from the list"},
    )


def _local_reference() -> forms.CharField:
    return _text("the local case reference", 50)


class ChildSearchForm(GovukForm):
    """Name, alias or reference, and an optional date of birth."""

    anchors: ClassVar[dict[str, str]] = {"text": "text", "born": "born-day"}

    text = forms.CharField(required=False, max_length=100)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["born"] = self.date_from_parts("born", "the date of birth", required=False)
        if not cleaned.get("text", "").strip() and cleaned["born"] is None and not self.errors:
            self._error("text", "Enter a name, alias or reference, or a date of birth")
        return cleaned

    @property
    def searched(self) -> bool:
        """Whether anything was asked for (a first visit shows only the form)."""
        return any(str(self.data.get(name, "")).strip() for name in ("text", *BORN_PARTS))


class ChildForm(GovukForm):
    """A child's record. ``household_of`` is the child whose household may be shared."""

    anchors: ClassVar[dict[str, str]] = {
        "first_name": "first_name",
        "last_name": "last_name",
        "aliases": "aliases",
        "born": "born",
        "date_of_birth": "date_of_birth-day",
        "expected_date": "expected_date-day",
        "sex": "sex",
        "ethnicity": "ethnicity",
        "first_language": "first_language",
        "disability": "disability",
        "address": "address",
        "household": "household",
        "education": "education",
        "education_setting": "education_setting",
        "local_reference": "local_reference",
        "nhs_number": "nhs_number",
        "upn": "upn",
        "police_reference": "police_reference",
        "former_names": "former_names",
        "circumstances": "circumstances",
        "cp_plan": "cp_plan",
        "home_authority": "home_authority",
        "not_duplicate": "not_duplicate",
    }

    first_name = _text("the child's first name", 100, required=True)
    last_name = _text("the child's last name", 100, required=True)
    aliases = _text("other names", 300)
    former_names = _text("former names", 300)
    nhs_number = _text("the NHS number", 20)
    upn = _text("the unique pupil number", 20)
    police_reference = _text("the police reference", 50)
    born = forms.ChoiceField(
        choices=BORN_CHOICES,
        error_messages={"required": "Select yes if the child has been born"},
    )
    sex = _sex()
    ethnicity = _ethnicity()
    first_language = _text("the child's first language", 100)
    interpreter_needed = forms.BooleanField(required=False)
    disability = _text("the disability", 300)
    address = _text("the address", 1000)
    education = forms.ChoiceField(
        choices=EDUCATION_CHOICES,
        initial="school",
        error_messages={"required": "Select where the child is educated"},
    )
    education_setting = _text("the name of the school, nursery or college", 200)
    local_reference = _local_reference()
    circumstances = forms.MultipleChoiceField(
        choices=list(CIRCUMSTANCES.items()),
        required=False,
        error_messages={"invalid_choice": "Select only circumstances from the list"},
    )
    cp_plan = forms.ChoiceField(
        choices=CP_PLAN_CHOICES,
        initial="none",
        error_messages={"required": "Select whether the child has a child protection plan"},
    )
    home_authority = _text("the child's home local authority", 200)
    household = forms.ChoiceField(
        required=False,
        error_messages={"invalid_choice": "Select a household from the list"},
    )
    # Possible duplicates already shown (their ids), and the user's "none of these is them".
    duplicates_seen = forms.CharField(required=False)
    not_duplicate = forms.BooleanField(required=False)

    def __init__(self, *args: Any, household_of: Child | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.household_of = household_of
        choices = [(NEW_HOUSEHOLD, "A new household")]
        if household_of is not None:
            choices.insert(0, (str(household_of.pk), f"The same household as {household_of}"))
            self.fields["household"].initial = str(household_of.pk)
        cast(forms.ChoiceField, self.fields["household"]).choices = choices

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        born = cleaned.get("born")
        cleaned["date_of_birth"] = (
            self.date_from_parts("date_of_birth", "the date of birth", required=False)
            if born == "yes"
            else None
        )
        cleaned["expected_date"] = (
            self.date_from_parts("expected_date", "the expected date of birth", required=False)
            if born == "no"
            else None
        )
        return cleaned

    def values(self) -> dict[str, Any]:
        """The child's record, as ``child_create`` takes it."""
        data = self.cleaned_data
        values = {
            name: data[name].strip()
            for name in (
                "first_name",
                "last_name",
                "aliases",
                "sex",
                "ethnicity",
                "first_language",
                "disability",
                "address",
                "education_setting",
                "local_reference",
                "home_authority",
                *IDENTIFIERS,
            )
        }
        values.update(
            unborn=data["born"] == "no",
            date_of_birth=data["date_of_birth"],
            expected_date=data["expected_date"],
            interpreter_needed=data["interpreter_needed"],
            education=data["education"],
            cp_plan=data["cp_plan"],
        )
        for name in CIRCUMSTANCES:
            values[name] = name in data["circumstances"]
        return values

    def typed(self) -> dict[str, Any]:
        """What was typed that the service checks beyond the form (for a form with errors
        of its own, to show all at once): what was valid of it."""
        data = self.cleaned_data
        return {
            name: str(data.get(name, "")).strip()
            for name in ("local_reference", "sex", "ethnicity", *IDENTIFIERS)
        } | {
            "unborn": data.get("born") == "no",
            "date_of_birth": data.get("date_of_birth"),
            "expected_date": data.get("expected_date"),
        }

    def same_household_as(self) -> Child | None:
        """The child whose household the new child joins, if that was chosen."""
        if self.household_of is not None and self.cleaned_data.get("household") == str(
            self.household_of.pk
        ):
            return self.household_of
        return None

    def born_on(self) -> date | None:
        return self.cleaned_data.get("date_of_birth")

    def duplicates_confirmed(self, duplicates: list[Child]) -> bool:
        """Whether to go ahead: no likely duplicates, or the user has seen each one and said
        none of them is this child. Asks again if a new match appears (a name changed)."""
        if not duplicates:
            return True
        seen = {part for part in self.cleaned_data.get("duplicates_seen", "").split(",") if part}
        shown = {str(child.pk) for child in duplicates}
        if not shown <= seen:
            return False
        if not self.cleaned_data.get("not_duplicate"):
            self._error(
                "not_duplicate",
                "Select ‘None of these is the same child’ to add a new record, or open the "
                "matching child’s record",
            )
            return False
        return True


class ChildCensusForm(GovukForm):
    """What the children in need census takes from a child's record, to change it."""

    anchors: ClassVar[dict[str, str]] = {
        "local_reference": "local_reference",
        "sex": "sex",
        "ethnicity": "ethnicity",
    }

    local_reference = _local_reference()
    sex = _sex()
    ethnicity = _ethnicity()
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "Open the child's census details again and make your change",
            "invalid": "Open the child's census details again and make your change",
        },
    )

    def values(self) -> dict[str, str]:
        data = self.cleaned_data
        return {
            "local_reference": data["local_reference"].strip(),
            "sex": data["sex"],
            "ethnicity": data["ethnicity"],
        }
