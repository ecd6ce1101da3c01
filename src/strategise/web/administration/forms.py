"""The account administration's forms: an account's details, and a team's manager.

The forms only collect what was typed and turn chosen ids into the agency, team or person
offered; ``organisations.services`` says whether the details are acceptable.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms

from strategise.organisations.models import Role, User
from strategise.organisations.selectors import Organisation
from strategise.organisations.services import AccountDetails
from strategise.web.govuk import GovukForm, set_choices

NO_TEAM = [("", "No team")]


class AccountForm(GovukForm):
    """Who someone is, where they work and their role (a username only for a new one)."""

    anchors: ClassVar[dict[str, str]] = {
        "username": "username",
        "first_name": "first_name",
        "last_name": "last_name",
        "email": "email",
        "agency": "agency",
        "team": "team",
        "role": "role",
        "job_title": "job_title",
    }

    username = forms.CharField(required=False, max_length=300)
    first_name = forms.CharField(required=False, max_length=300)
    last_name = forms.CharField(required=False, max_length=300)
    email = forms.CharField(required=False, max_length=300)
    agency = forms.ChoiceField(required=False)
    team = forms.ChoiceField(required=False)
    role = forms.ChoiceField(required=False)
    job_title = forms.CharField(required=False, max_length=200)

    def __init__(
        self, data: Any, *, organisation: Organisation, account: User | None = None
    ) -> None:
        initial = (
            {
                "first_name": account.first_name,
                "last_name": account.last_name,
                "email": account.email,
                "agency": str(account.agency_id or ""),
                "team": str(account.team_id or ""),
                "role": account.role,
                "job_title": account.job_title,
            }
            if account is not None
            else {}
        )
        super().__init__(data, initial=initial)
        self.organisation = organisation
        set_choices(
            self.fields["agency"],
            [("", "Choose an agency")] + [(str(a.pk), a.name) for a in organisation.agencies],
        )
        set_choices(
            self.fields["team"],
            NO_TEAM + [(str(t.pk), f"{t.name} ({t.agency.name})") for t in organisation.teams],
        )
        set_choices(self.fields["role"], [("", "Choose a role"), *Role.choices])
        for name in ("agency", "team", "role"):
            self.fields[name].error_messages["invalid_choice"] = f"Choose a {name} from the list"
        for name in ("username", "first_name", "last_name", "email"):
            self.fields[name].error_messages["max_length"] = "This is too long"

    def details(self) -> AccountDetails:
        """What was typed and chosen, for the service to check."""
        data = self.cleaned_data
        agencies = {str(a.pk): a for a in self.organisation.agencies}
        teams = {str(t.pk): t for t in self.organisation.teams}
        return AccountDetails(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            agency=agencies.get(data["agency"]),
            team=teams.get(data["team"]),
            role=data["role"],
            job_title=data["job_title"],
        )


class TeamManagerForm(GovukForm):
    """Who manages a team: one of the active people of its agency, or no one."""

    anchors: ClassVar[dict[str, str]] = {"manager": "manager"}

    manager = forms.ChoiceField(required=False)

    def __init__(self, data: Any, *, candidates: list[User], current: User | None) -> None:
        super().__init__(data, initial={"manager": str(current.pk) if current else ""})
        self.candidates = {str(person.pk): person for person in candidates}
        set_choices(
            self.fields["manager"],
            [("", "No one")]
            + [
                (pk, f"{person} ({person.get_role_display()})")
                for pk, person in self.candidates.items()
            ],
        )
        self.fields["manager"].error_messages["invalid_choice"] = "Choose someone from the list"

    def chosen(self) -> User | None:
        return self.candidates.get(self.cleaned_data["manager"])
