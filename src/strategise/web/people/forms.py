"""The people around a child: the forms parse what was typed; the services decide."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms

from strategise.cases.models import RELATIONSHIPS, Adult, ChildAdultLink
from strategise.organisations.models import Team, User
from strategise.web.govuk import TEXT, GovukForm, OnceForm, set_choices

YES_NO = [("yes", "Yes"), ("no", "No")]


def _text(label: str, max_length: int) -> forms.CharField:
    return forms.CharField(
        required=False,
        max_length=max_length,
        error_messages={
            "max_length": f"{label[0].upper()}{label[1:]} must be {max_length} characters or fewer"
        },
    )


def _version() -> forms.IntegerField:
    return forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "Open the record again and make your change",
            "invalid": "Open the record again and make your change",
        },
    )


def _relationship() -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=RELATIONSHIPS,
        error_messages={
            "required": "Select how the adult is related to the child",
            "invalid_choice": "Select how the adult is related to the child from the list",
        },
    )


class AdultFields(GovukForm):
    """An adult's record, as typed."""

    anchors: ClassVar[dict[str, str]] = {
        "first_name": "first_name",
        "last_name": "last_name",
        "aliases": "aliases",
        "former_names": "former_names",
        "date_of_birth": "date_of_birth-day",
        "gender": "gender",
        "address": "address",
        "nhs_number": "nhs_number",
        "police_reference": "police_reference",
        "works_with_children": "works_with_children",
        "occupation": "occupation",
        "notes": "notes",
    }

    first_name = _text("the first name", 100)
    last_name = _text("the last name", 100)
    aliases = _text("other names", 300)
    former_names = _text("former names", 300)
    gender = _text("the gender", 50)
    address = _text("the address", 1000)
    nhs_number = _text("the NHS number", 20)
    police_reference = _text("the police reference", 50)
    works_with_children = forms.ChoiceField(
        choices=YES_NO,
        required=False,
        error_messages={"invalid_choice": "Select yes or no"},
    )
    occupation = _text("their job or role", 200)
    notes = _text("the notes", TEXT)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["date_of_birth"] = self.date_from_parts(
            "date_of_birth", "the date of birth", required=False
        )
        return cleaned

    def values(self) -> dict[str, Any]:
        """The adult's record, as ``adult_create`` and ``adult_update`` take it."""
        data = self.cleaned_data
        values: dict[str, Any] = {
            name: str(data.get(name, "")).strip()
            for name in (
                "first_name",
                "last_name",
                "aliases",
                "former_names",
                "gender",
                "address",
                "nhs_number",
                "police_reference",
                "occupation",
                "notes",
            )
        }
        values["date_of_birth"] = data.get("date_of_birth")
        values["works_with_children"] = data.get("works_with_children") == "yes"
        return values


class AdultForm(AdultFields, OnceForm):
    """A new adult, perhaps linked to a child (``for_child``) as they are added."""

    anchors: ClassVar[dict[str, str]] = {
        "not_duplicate": "not_duplicate",
        **AdultFields.anchors,
        "relationship": "relationship",
        "parental_responsibility": "parental_responsibility",
    }

    relationship = forms.ChoiceField(
        required=False,
        choices=RELATIONSHIPS,
        error_messages={
            "invalid_choice": "Select how the adult is related to the child from the list"
        },
    )
    parental_responsibility = forms.BooleanField(required=False)
    same_household = forms.BooleanField(required=False)
    duplicates_seen = forms.CharField(required=False)
    not_duplicate = forms.BooleanField(required=False)

    def __init__(self, *args: Any, linked: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.linked = linked
        if linked:
            self.fields["relationship"].required = True
            self.fields["relationship"].error_messages["required"] = (
                "Select how the adult is related to the child"
            )

    def duplicates_confirmed(self, duplicates: list[Adult]) -> bool:
        """Whether to go ahead: no likely duplicates, or the user has seen each one and
        said none of them is this person. Asks again if a new match appears."""
        if not duplicates:
            return True
        seen = {part for part in self.cleaned_data.get("duplicates_seen", "").split(",") if part}
        if not {str(adult.pk) for adult in duplicates} <= seen:
            return False
        if not self.cleaned_data.get("not_duplicate"):
            self._error(
                "not_duplicate",
                "Select ‘None of these is the same person’ to add a new record, or choose the "
                "matching adult’s record",
            )
            return False
        return True


class AdultChangeForm(AdultFields):
    """An adult's record, changed: ``version`` is the record as the user saw it."""

    version = _version()


class AdultSearchForm(GovukForm):
    """A name (or another or former name), and an optional date of birth."""

    anchors: ClassVar[dict[str, str]] = {"text": "text", "born": "born-day"}

    text = forms.CharField(required=False, max_length=100)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["born"] = self.date_from_parts("born", "the date of birth", required=False)
        if not cleaned.get("text", "").strip() and cleaned["born"] is None and not self.errors:
            self._error("text", "Enter a name, or a date of birth")
        return cleaned

    @property
    def searched(self) -> bool:
        """Whether anything was asked for (a first visit shows only the form)."""
        return any(
            str(self.data.get(name, "")).strip()
            for name in ("text", "born_day", "born_month", "born_year")
        )


class LinkForm(GovukForm):
    """An adult already recorded, linked to a child: which adult, and how related."""

    anchors: ClassVar[dict[str, str]] = {
        "adult": "adult",
        "relationship": "relationship",
        "parental_responsibility": "parental_responsibility",
    }

    adult = forms.ChoiceField(
        error_messages={
            "required": "Select the adult to link to the child",
            "invalid_choice": "Select an adult from the list found",
        }
    )
    relationship = _relationship()
    parental_responsibility = forms.BooleanField(required=False)
    same_household = forms.BooleanField(required=False)

    def __init__(self, *args: Any, adults: list[Adult], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.adults = {str(adult.pk): adult for adult in adults}
        set_choices(self.fields["adult"], [(key, str(a)) for key, a in self.adults.items()])

    def chosen(self) -> Adult:
        return self.adults[self.cleaned_data["adult"]]


class SiblingForm(GovukForm):
    """Another child, recorded as a brother or sister."""

    anchors: ClassVar[dict[str, str]] = {"sibling": "sibling"}

    sibling = forms.ChoiceField(
        error_messages={
            "required": "Select the child who is a brother or sister",
            "invalid_choice": "Select a child from the list found",
        }
    )

    def __init__(self, *args: Any, children: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.children = {str(child.pk): child for child in children}
        set_choices(self.fields["sibling"], [(k, str(c)) for k, c in self.children.items()])


class IdentifiersForm(GovukForm):
    """A child's identifiers and who holds their case."""

    anchors: ClassVar[dict[str, str]] = {
        "nhs_number": "nhs_number",
        "upn": "upn",
        "police_reference": "police_reference",
        "former_names": "former_names",
        "allocated_worker": "allocated_worker",
        "allocated_team": "allocated_team",
    }

    nhs_number = _text("the NHS number", 20)
    upn = _text("the unique pupil number", 20)
    police_reference = _text("the police reference", 50)
    former_names = _text("former names", 300)
    allocated_worker = forms.ChoiceField(
        required=False,
        error_messages={"invalid_choice": "Select the allocated social worker from the list"},
    )
    allocated_team = forms.ChoiceField(
        required=False,
        error_messages={"invalid_choice": "Select the team from the list"},
    )
    version = _version()

    def __init__(self, *args: Any, workers: list[User], teams: list[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workers = {str(user.pk): user for user in workers}
        self.teams = {str(team.pk): team for team in teams}
        set_choices(
            self.fields["allocated_worker"],
            [("", "None allocated")] + [(k, str(u)) for k, u in self.workers.items()],
        )
        set_choices(
            self.fields["allocated_team"],
            [("", "None allocated")] + [(k, t.name) for k, t in self.teams.items()],
        )

    def values(self) -> dict[str, Any]:
        """What was typed (what was valid of it, for a form with errors)."""
        data = self.cleaned_data
        return {
            "nhs_number": str(data.get("nhs_number", "")).strip(),
            "upn": str(data.get("upn", "")).strip(),
            "police_reference": str(data.get("police_reference", "")).strip(),
            "former_names": str(data.get("former_names", "")).strip(),
            "allocated_worker": self.workers.get(data.get("allocated_worker", "")),
            "allocated_team": self.teams.get(data.get("allocated_team", "")),
        }


class RemoveLinkForm(GovukForm):
    """Why a link between people is removed (kept in the audit trail)."""

    anchors: ClassVar[dict[str, str]] = {"reason": "reason"}

    reason = forms.CharField(
        max_length=TEXT,
        error_messages={
            "required": "Enter why you are removing this link",
            "max_length": f"The reason must be {TEXT} characters or fewer",
        },
    )


class AdultUnlinkForm(RemoveLinkForm):
    """Which of an adult's relationships to a child is removed, and why."""

    anchors: ClassVar[dict[str, str]] = {"link": "link", **RemoveLinkForm.anchors}

    link = forms.ChoiceField(
        error_messages={
            "required": "Select the relationship to remove",
            "invalid_choice": "Select a relationship from the list",
        }
    )

    def __init__(self, *args: Any, links: list[ChildAdultLink], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.links = {str(link.pk): link for link in links}
        set_choices(
            self.fields["link"],
            [(key, link.get_relationship_display()) for key, link in self.links.items()],
        )

    def chosen(self) -> ChildAdultLink:
        return self.links[self.cleaned_data["link"]]
