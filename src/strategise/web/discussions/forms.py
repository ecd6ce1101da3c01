"""Convening a discussion, replying to an invitation, and recording attendance.

The forms parse what was typed; the services in ``strategise.discussions.services``
decide what is allowed (the chair's grade, the reasons the procedure asks for).
"""

from __future__ import annotations

from typing import Any, ClassVar, cast

from django import forms
from django.forms import BaseFormSet, formset_factory

from strategise.access import NO_CASE_ACCESS
from strategise.discussions.models import Attendance, Format, Invitation
from strategise.discussions.services import InvitationSpec, household_attendee
from strategise.organisations.models import Agency, Role, User
from strategise.organisations.selectors import Directory
from strategise.policy import get_profile
from strategise.policy.vocabulary import ATTENDEES, CHAIR_GRADE_ORDER, CHAIR_GRADES
from strategise.requests.models import StrategyRequest
from strategise.web.govuk import GovukForm, long_text, lower_first

# Blank rows under the procedure's attendees, for anyone else to invite.
EXTRA_INVITATIONS = 3
SOCIAL_CARE = "childrens_social_care"
NOT_CHOSEN = ""


def _choose(field: forms.Field, choices: list[tuple[str, str]]) -> None:
    cast(forms.ChoiceField, field).choices = choices


def _person(user: User) -> str:
    return f"{user}, {user.job_title or Role(user.role).label}"


class ConveneForm(GovukForm):
    """How, when and where; who chairs and who takes the minutes."""

    anchors: ClassVar[dict[str, str]] = {
        "reconvene_reason": "reconvene_reason",
        "format": "format",
        "format_reason": "format_reason",
        "scheduled_date": "scheduled_date-day",
        "scheduled_time": "scheduled_time",
        "location": "location",
        "chair": "chair",
        "chair_exception": "chair_exception",
        "minute_taker": "minute_taker",
        "delay_rationale": "delay_rationale",
        "invitations": "invitations",
        "already_held": "already_held",
    }

    format = forms.ChoiceField(
        choices=Format.choices,
        error_messages={
            "required": "Select how the discussion will be held",
            "invalid_choice": "Select how the discussion will be held",
        },
    )
    format_reason = forms.CharField(required=False, max_length=5000)
    location = forms.CharField(
        required=False,
        max_length=300,
        error_messages={"max_length": "The place or link must be 300 characters or fewer"},
    )
    chair = forms.ChoiceField(
        error_messages={
            "required": "Select who will chair the discussion",
            "invalid_choice": "Select a chair from the list",
        }
    )
    chair_exception = forms.CharField(required=False, max_length=5000)
    minute_taker = forms.ChoiceField(
        required=False, error_messages={"invalid_choice": "Select a minute-taker from the list"}
    )
    delay_rationale = forms.CharField(required=False, max_length=5000)
    reconvene_reason = forms.CharField(required=False, max_length=5000)
    already_held = forms.ChoiceField(
        choices=[
            ("no", "Convene a discussion to be held"),
            ("yes", "Record a discussion already held"),
        ],
        required=False,
        error_messages={
            "invalid_choice": "Choose whether the discussion is to be held or was held"
        },
    )

    def __init__(
        self, *args: Any, strategy_request: StrategyRequest, directory: Directory, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        allowed = set(strategy_request.triage["chair"]["allowed_grades"])
        social_care = [
            user for user in directory.users_of_kind(SOCIAL_CARE) if user.role in CHAIR_GRADES
        ]
        # Most senior first: the people most likely to be allowed to chair.
        social_care.sort(key=lambda user: (-CHAIR_GRADE_ORDER[user.role], str(user)))
        self.users = {str(user.pk): user for user in directory.users}
        _choose(
            self.fields["chair"],
            [(NOT_CHOSEN, "Choose a chair")]
            + [
                (
                    str(user.pk),
                    f"{_person(user)} – "
                    + ("may chair" if user.role in allowed else "below the grade to chair"),
                )
                for user in social_care
            ],
        )
        minute_takers = [
            user
            for user in directory.users_of_kind(SOCIAL_CARE)
            if user.role in CHAIR_GRADES or user.role == Role.BUSINESS_SUPPORT
        ]
        _choose(
            self.fields["minute_taker"],
            [(NOT_CHOSEN, "Nobody yet")]
            + [(str(user.pk), _person(user)) for user in minute_takers],
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["scheduled_for"] = self.moment("scheduled", "of the discussion")
        return cleaned

    def checkable_values(self) -> dict[str, Any]:
        """What ``convening_problems`` can check of a form with errors: what it could read
        (``None`` for a date or chair it could not)."""
        data = self.cleaned_data
        return {
            "format": data.get("format", ""),
            "format_reason": data.get("format_reason", "").strip(),
            "scheduled_for": data.get("scheduled_for"),
            "chair": self.users.get(data.get("chair", "")),
            "chair_exception": data.get("chair_exception", "").strip(),
            "delay_rationale": data.get("delay_rationale", "").strip(),
            "already_held": data.get("already_held") == "yes",
            "reconvene_reason": data.get("reconvene_reason", ""),
        }

    def convene_values(self) -> dict[str, Any]:
        """What ``discussion_convene`` takes from this form."""
        data = self.cleaned_data
        return {
            "format": data["format"],
            "format_reason": data["format_reason"].strip(),
            "scheduled_for": data["scheduled_for"],
            "location": data["location"].strip(),
            "chair": self.users[data["chair"]],
            "chair_exception": data["chair_exception"].strip(),
            "minute_taker": self.users.get(data["minute_taker"]),
            "delay_rationale": data["delay_rationale"].strip(),
            "already_held": data["already_held"] == "yes",
        }


class InvitationForm(GovukForm):
    """One invitation: to someone who uses Strategise, or to a named person by email.

    ``attendee`` is the triage's required or recommended attendee this row is for; rows
    without one are for anyone else.
    """

    include = forms.BooleanField(required=False)
    agency_code = forms.ChoiceField(
        required=False, error_messages={"invalid_choice": "Select an agency from the list"}
    )
    user = forms.ChoiceField(
        required=False, error_messages={"invalid_choice": "Select a person from the list"}
    )
    name = forms.CharField(
        required=False,
        max_length=200,
        error_messages={"max_length": "The name must be 200 characters or fewer"},
    )
    email = forms.EmailField(
        required=False,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.org"
        },
    )
    agency = forms.ChoiceField(
        required=False, error_messages={"invalid_choice": "Select an agency from the list"}
    )
    not_involved = forms.BooleanField(required=False)
    not_involved_reason = forms.CharField(
        required=False,
        max_length=5000,
        error_messages={"max_length": "Keep the reason to 5,000 characters or fewer"},
    )

    def __init__(
        self,
        *args: Any,
        attendee: dict[str, Any] | None,
        required: bool,
        directory: Directory,
        household: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.attendee = attendee
        self.required = required
        # Required only because of the household's circumstances: may be "not involved".
        self.household = household and required
        self.excused = False
        self.included = False
        kind = attendee["code"] if attendee else None
        self.label = ATTENDEES.get(kind, kind) if kind else "Another invitee"
        # Only people who can take part: never an analyst or administrator (no case access).
        participants = [user for user in directory.users if user.role not in NO_CASE_ACCESS]
        people = (
            [user for user in participants if user.agency and user.agency.kind == kind]
            if kind
            else participants
        )
        agencies = directory.agencies_of_kind(kind) if kind else directory.agencies
        self.people = {str(user.pk): user for user in people}
        self.agencies: dict[str, Agency] = {str(agency.pk): agency for agency in agencies}
        _choose(
            self.fields["user"],
            [(NOT_CHOSEN, "Not listed")]
            + [
                (key, _person(user) if kind else f"{_person(user)} ({user.agency})")
                for key, user in self.people.items()
            ],
        )
        _choose(
            self.fields["agency"],
            [(NOT_CHOSEN, "Not listed")] + [(key, a.name) for key, a in self.agencies.items()],
        )
        _choose(self.fields["agency_code"], [(NOT_CHOSEN, "Choose an agency"), *ATTENDEES.items()])

    @property
    def recommended(self) -> bool:
        return self.attendee is not None and not self.required

    def person_items(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The person list's items, each marked with its agency's kind, so the page's
        script can offer only the chosen agency's people."""
        kinds = {key: user.agency.kind for key, user in self.people.items() if user.agency}
        return [
            {**item, "attributes": {"data-kind": kinds[item["value"]]}}
            if item["value"] in kinds
            else item
            for item in items
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        user = self.people.get(cleaned.get("user") or "")
        name = (cleaned.get("name") or "").strip()
        email = cleaned.get("email") or ""
        if self.household and cleaned.get("not_involved"):
            self.excused = True
            if not (cleaned.get("not_involved_reason") or "").strip():
                self.add_error(
                    "not_involved_reason",
                    f"Enter why {lower_first(self.label)} is not involved, or untick "
                    "‘Not involved’",
                )
            return cleaned
        if self.attendee is None:
            self.included = bool(user or name or email or cleaned.get("agency_code"))
        else:
            self.included = self.required or bool(cleaned.get("include"))
        if not self.included:
            return cleaned
        code = cleaned.get("agency_code")
        if self.attendee is None and not code and user is None:
            self.add_error("agency_code", "Select the agency of the other invitee")
        if (
            self.attendee is None
            and code
            and user is not None
            and user.agency is not None
            and user.agency.kind != code
        ):
            self.add_error(
                "user",
                f"{user} is in {user.agency}, not {lower_first(ATTENDEES.get(code, code))}: "
                "choose someone from the agency you selected",
            )
        if user is None and not name and not email and "email" not in self.errors:
            untick = ", or untick ‘Invite’" if self.recommended else ""
            self.add_error(
                "user" if self.people else "name",
                f"Choose who will attend for {lower_first(self.label)}, or enter their name and "
                f"email address{untick}",
            )
        return cleaned

    def spec(self) -> InvitationSpec:
        """The invitation ``discussion_convene`` sends (for an included, valid row)."""
        data = self.cleaned_data
        user = self.people.get(data["user"])
        if self.attendee is not None:
            code = self.attendee["code"]
        else:
            code = data["agency_code"] or (user.agency.kind if user and user.agency else "")
        return InvitationSpec(
            agency_code=code,
            required=self.required,
            reason=self.attendee["reason"] if self.attendee else "",
            source=self.attendee["source"] if self.attendee else "",
            user=user,
            agency=self.agencies.get(data["agency"]),
            name="" if user else data["name"].strip(),
            email="" if user else data["email"],
        )


def _invited(invitation: Invitation) -> dict[str, Any]:
    """An earlier invitation as a row's initial values (reconvening invites them again)."""
    return {
        "include": True,
        "agency_code": invitation.agency_code,
        "user": str(invitation.user_id) if invitation.user_id else NOT_CHOSEN,
        "name": "" if invitation.user_id else invitation.name,
        "email": "" if invitation.user_id else invitation.email,
        "agency": str(invitation.agency_id) if invitation.agency_id else NOT_CHOSEN,
    }


class BaseInvitationFormSet(BaseFormSet):
    """A row for each attendee the triage requires or recommends, then blank rows.

    Given the ``previous`` discussion's invitations (when reconvening), each row starts
    with whoever was invited for it last time, and anyone else invited then fills the
    blank rows (with one to spare).
    """

    def __init__(
        self,
        data: Any = None,
        *,
        strategy_request: StrategyRequest,
        directory: Directory,
        previous: list[Invitation] | None = None,
        **kwargs: Any,
    ) -> None:
        attendees = strategy_request.triage["attendees"]
        procedure: list[tuple[dict[str, Any], bool]] = [
            *((attendee, True) for attendee in attendees["required"]),
            *((attendee, False) for attendee in attendees["recommended"]),
        ]
        earlier = list(previous or [])
        # Every row is an "initial" form, so blank rows are parsed (and skipped) like others.
        initial: list[dict[str, Any]] = []
        for attendee, _ in procedure:
            match = next((i for i in earlier if i.agency_code == attendee["code"]), None)
            if match is not None:
                earlier.remove(match)
                initial.append(_invited(match))
            else:
                # Recommended attendees start unticked: the convenor chooses whom to add.
                initial.append({"include": False})
        extra = max(EXTRA_INVITATIONS, len(earlier) + 1)
        initial += [_invited(i) for i in earlier]
        initial += [{"include": False}] * (extra - len(earlier))
        self.rows: list[tuple[dict[str, Any] | None, bool]] = [
            *procedure,
            *[(None, False)] * extra,
        ]
        self.directory = directory
        profile = get_profile(strategy_request.profile)
        self.household = {
            attendee["code"]: household_attendee(profile, attendee)
            for attendee in attendees["required"]
        }
        super().__init__(data, initial=initial, prefix="invitations", **kwargs)

    def total_form_count(self) -> int:
        # Never more rows than the page showed, whatever the posted management form says.
        return min(super().total_form_count(), len(self.rows))

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        attendee, required = self.rows[index] if index is not None else (None, False)
        household = bool(attendee and self.household.get(attendee["code"]))
        return {
            "attendee": attendee,
            "required": required,
            "directory": self.directory,
            "household": household,
        }

    @property
    def rows_forms(self) -> list[InvitationForm]:
        return list(self.forms)

    def specs(self) -> list[InvitationSpec]:
        return [form.spec() for form in self.rows_forms if form.included]

    def not_involved(self) -> list[dict[str, str]]:
        """The required agencies recorded as not involved, each with the reason."""
        return [
            {
                "code": form.attendee["code"],
                "reason": (form.cleaned_data.get("not_involved_reason") or "").strip(),
                "source": form.attendee["source"],
            }
            for form in self.rows_forms
            if form.excused and form.attendee is not None
        ]

    def error_summary(self) -> list[dict[str, str]]:
        summary = [{"text": str(error), "href": "#invitations"} for error in self.non_form_errors()]
        for form in self.rows_forms:
            summary += form.error_summary()
        return summary


def invitation_formset(
    data: Any,
    *,
    strategy_request: StrategyRequest,
    directory: Directory,
    previous: list[Invitation] | None = None,
) -> BaseInvitationFormSet:
    """The invitations of a convening form, bound to ``data`` if it was posted; when
    reconvening, those of the ``previous`` discussion to start with."""
    formset_class = cast(
        type[BaseInvitationFormSet],
        formset_factory(InvitationForm, formset=BaseInvitationFormSet, extra=0),
    )
    return formset_class(
        data, strategy_request=strategy_request, directory=directory, previous=previous
    )


def _has_report(invitation: Invitation) -> bool:
    return hasattr(invitation, "written_report")


class AttendanceForm(GovukForm):
    """Who attended each invitation and, for a required agency not there, why go ahead.

    The fields are named as ``discussion_start`` names its problems:
    ``attendance-<invitation id>`` and ``absence-<invitation id>``.
    """

    def __init__(
        self,
        *args: Any,
        invitations: list[Invitation],
        report_may_suffice: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.invitations = invitations
        # Where the procedure lets the chair agree that a written report suffices in an
        # agency's absence (Birmingham §5.1): offered for each required agency whose report
        # has arrived, as ``suffices-<invitation id>``.
        self.suffices = [
            i for i in invitations if report_may_suffice and i.required and _has_report(i)
        ]
        for invitation in self.suffices:
            self.fields[f"suffices-{invitation.pk}"] = forms.BooleanField(required=False)
        for invitation in invitations:
            self.fields[f"attendance-{invitation.pk}"] = forms.ChoiceField(
                choices=Attendance.choices,
                required=False,
                error_messages={"invalid_choice": f"Select whether {invitation} attended"},
            )
            if invitation.required:
                self.fields[f"absence-{invitation.pk}"] = forms.CharField(
                    required=False, max_length=5000
                )

    def attendance(self) -> dict[int, str]:
        return {i.pk: self.cleaned_data[f"attendance-{i.pk}"] for i in self.invitations}

    def report_suffices(self) -> set[int]:
        return {i.pk for i in self.suffices if self.cleaned_data[f"suffices-{i.pk}"]}

    def absence_reasons(self) -> dict[int, str]:
        return {
            i.pk: self.cleaned_data[f"absence-{i.pk}"].strip()
            for i in self.invitations
            if i.required
        }


class RescheduleForm(GovukForm):
    """When and where a discussion moves to, and why."""

    anchors: ClassVar[dict[str, str]] = {
        "scheduled_date": "scheduled_date-day",
        "scheduled_time": "scheduled_time",
        "location": "location",
        "reason": "reason",
    }

    location = forms.CharField(
        required=False,
        max_length=300,
        error_messages={"max_length": "The place or link must be 300 characters or fewer"},
    )
    reason = long_text()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["scheduled_for"] = self.moment("scheduled", "of the discussion")
        return cleaned


class CancelForm(GovukForm):
    """Why a discussion is cancelled."""

    anchors: ClassVar[dict[str, str]] = {"reason": "reason"}

    reason = long_text()
