"""The network's forms: they parse what was typed; the services decide."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms

from strategise.network.models import (
    CONFIDENCE,
    LINK_KINDS,
    PLACE_KINDS,
    PLATFORMS,
    SAFETY,
    EntityKind,
)
from strategise.network.selectors import SettingDetail
from strategise.organisations.models import LocalAuthority, Team, User
from strategise.policy.vocabulary import CONCERNS
from strategise.web.govuk import TEXT, GovukForm, OnceForm, long_text, set_choices


def _text(label: str, max_length: int) -> forms.CharField:
    return forms.CharField(
        required=False,
        max_length=max_length,
        error_messages={"max_length": f"{label} must be {max_length} characters or fewer"},
    )


def _choice(choices: list[tuple[str, str]], message: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=[("", "")] + choices,
        required=False,
        error_messages={"invalid_choice": message},
    )


class NetworkFilterForm(GovukForm):
    """Which part of the network to show (a GET form: the page works without it)."""

    anchors: ClassVar[dict[str, str]] = {"start": "start-day", "end": "end-day", "kinds": "kinds"}

    kinds = forms.MultipleChoiceField(
        choices=EntityKind.choices,
        required=False,
        error_messages={"invalid_choice": "Select people, places, vehicles or online accounts"},
    )

    @property
    def searched(self) -> bool:
        return any(key in self.data for key in ("start_year", "end_year", "kinds"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["start"] = self.date_from_parts("start", "the date to show from", required=False)
        cleaned["end"] = self.date_from_parts("end", "the date to show to", required=False)
        start, end = cleaned["start"], cleaned["end"]
        if start and end and end < start:
            self._error("end", "The date to show to must be on or after the date to show from")
        return cleaned


class LinkForm(OnceForm):
    """A person, place, vehicle or online account around a child of the request, and how
    they are linked to the child."""

    anchors: ClassVar[dict[str, str]] = {
        "child": "child",
        "kind": "kind",
        "existing": "existing",
        "adult": "adult",
        "peer": "peer",
        "young_person": "young_person",
        "name": "name",
        "date_of_birth": "date_of_birth-day",
        "address": "address",
        "place_kind": "place_kind",
        "safety": "safety",
        "registration": "registration",
        "description": "description",
        "platform": "platform",
        "handle": "handle",
        "used_by": "used_by",
        "link_kind": "link_kind",
        "since": "since-day",
        "until": "until-day",
        "agency": "agency",
        "confidence": "confidence",
        "note": "note",
    }

    # Required fields are checked by the service, so every problem shows at once.
    child = forms.ChoiceField(
        required=False,
        error_messages={
            "required": "Select the child they are linked to",
            "invalid_choice": "Select a child this request is about",
        },
    )
    kind = forms.ChoiceField(
        choices=EntityKind.choices,
        required=False,
        error_messages={
            "required": "Select whether it is a person, place, vehicle or online account",
            "invalid_choice": "Select whether it is a person, place, vehicle or online account",
        },
    )
    existing = forms.ChoiceField(
        required=False, error_messages={"invalid_choice": "Choose something from the list"}
    )
    adult = forms.ChoiceField(
        required=False, error_messages={"invalid_choice": "Choose an adult from the list"}
    )
    peer = forms.ChoiceField(
        required=False, error_messages={"invalid_choice": "Choose a child from the list"}
    )
    young_person = forms.BooleanField(required=False)
    name = _text("The name", 200)
    address = _text("The address", 1000)
    place_kind = _choice(PLACE_KINDS, "Select what kind of place it is")
    safety = _choice(SAFETY, "Select whether it is a place of risk or a safe space")
    registration = _text("The registration", 20)
    description = _text("The description", 200)
    platform = _choice(PLATFORMS, "Select the platform or app")
    handle = _text("The handle", 200)
    used_by = forms.ChoiceField(
        required=False, error_messages={"invalid_choice": "Choose an adult from the list"}
    )
    link_kind = forms.ChoiceField(
        choices=LINK_KINDS,
        required=False,
        error_messages={
            "required": "Select how they are linked to the child",
            "invalid_choice": "Select how they are linked to the child",
        },
    )
    agency = forms.CharField(
        max_length=200,
        required=False,
        error_messages={
            "required": "Enter which agency said so",
            "max_length": "The agency must be 200 characters or fewer",
        },
    )
    confidence = forms.ChoiceField(
        choices=CONFIDENCE,
        required=False,
        error_messages={
            "required": "Select how sure the agency is",
            "invalid_choice": "Select how sure the agency is",
        },
    )
    note = long_text()

    def __init__(
        self,
        *args: Any,
        children: list[tuple[str, str]],
        existing: list[tuple[str, str]],
        adults: list[tuple[str, str]],
        peers: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["peer"].choices = [("", "")] + (peers or [])  # type: ignore[attr-defined]
        self.fields["child"].choices = children  # type: ignore[attr-defined]
        self.fields["existing"].choices = [("", "")] + existing  # type: ignore[attr-defined]
        self.fields["adult"].choices = [("", "")] + adults  # type: ignore[attr-defined]
        self.fields["used_by"].choices = [("", "")] + adults  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["date_of_birth"] = self.date_from_parts(
            "date_of_birth", "the date of birth", required=False
        )
        cleaned["since"] = self.date_from_parts("since", "the date the link began", required=False)
        cleaned["until"] = self.date_from_parts("until", "the date the link ended", required=False)
        return cleaned


class DismissForm(GovukForm):
    anchors: ClassVar[dict[str, str]] = {"reason": "reason"}

    reason = forms.CharField(
        max_length=TEXT,
        error_messages={
            "required": "Enter why this is not the same person, place or account",
            "max_length": f"Keep the reason to {TEXT:,} characters or fewer",
        },
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": "Open the alert again", "invalid": "Open the alert again"},
    )


class RaiseForm(OnceForm):
    """A complex request from an alert: the children and facts start filled in."""

    anchors: ClassVar[dict[str, str]] = {
        "children": "children",
        "concerns": "concerns",
        "narrative": "narrative",
    }

    children = forms.MultipleChoiceField(
        error_messages={
            "required": "Choose at least one child the concerns are about",
            "invalid_choice": "Choose children from the list",
        }
    )
    concerns = forms.MultipleChoiceField(
        choices=list(CONCERNS.items()),
        error_messages={
            "required": "Choose at least one concern",
            "invalid_choice": "Choose concerns from the list",
        },
    )
    narrative = forms.CharField(
        max_length=TEXT,
        error_messages={
            "required": "Describe the concerns and what has happened",
            "max_length": f"Keep this to {TEXT:,} characters or fewer",
        },
    )

    def __init__(self, *args: Any, children: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["children"].choices = children  # type: ignore[attr-defined]


class SettingForm(GovukForm):
    """An authority's network setting: its exploitation lead (a person or a team) and the
    authorities it shares patterns with."""

    anchors: ClassVar[dict[str, str]] = {
        "lead": "lead",
        "team": "team",
        "shares_with": "shares_with",
    }

    lead = forms.ChoiceField(
        required=False, error_messages={"invalid_choice": "Choose someone from the list"}
    )
    team = forms.ChoiceField(
        required=False, error_messages={"invalid_choice": "Choose a team from the list"}
    )
    shares_with = forms.MultipleChoiceField(
        required=False, error_messages={"invalid_choice": "Choose authorities from the list"}
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "Open the settings again",
            "invalid": "Open the settings again",
        },
    )

    def __init__(self, data: Any, *, detail: SettingDetail) -> None:
        setting = detail.setting
        super().__init__(
            data,
            initial={
                "lead": str(setting.exploitation_lead_id or "") if setting else "",
                "team": str(setting.exploitation_team_id or "") if setting else "",
                "shares_with": [str(a.pk) for a in detail.shares_with],
                "version": detail.version,
            },
        )
        self.people: dict[str, User] = {str(person.pk): person for person in detail.people}
        self.teams: dict[str, Team] = {str(team.pk): team for team in detail.teams}
        self.authorities: dict[str, LocalAuthority] = {
            str(other.pk): other for other in detail.authorities
        }
        set_choices(
            self.fields["lead"],
            [("", "No one")]
            + [(pk, f"{p} ({p.get_role_display()})") for pk, p in self.people.items()],
        )
        set_choices(
            self.fields["team"], [("", "No team")] + [(pk, t.name) for pk, t in self.teams.items()]
        )
        set_choices(
            self.fields["shares_with"], [(pk, a.name) for pk, a in self.authorities.items()]
        )

    def chosen_lead(self) -> User | None:
        return self.people.get(self.cleaned_data["lead"])

    def chosen_team(self) -> Team | None:
        return self.teams.get(self.cleaned_data["team"])

    def chosen_authorities(self) -> tuple[LocalAuthority, ...]:
        return tuple(self.authorities[pk] for pk in self.cleaned_data["shares_with"])
