"""Recording a discussion: the record, contributions, decisions and dissent.

Each form only parses what was typed into the values its service takes; the services in
``strategise.discussions.recording`` decide what is allowed and what is missing. Saved
drafts carry the version they were based on in a hidden field (``web.drafts``), so that
a save never overwrites someone else's without saying so.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from django import forms

from strategise.cases.models import Child
from strategise.discussions.agenda import AgendaEntry
from strategise.discussions.models import (
    AlsoDecided,
    ChildDecision,
    Contribution,
    DiscussionRecord,
    FamilyInformed,
    Invitation,
    LegalAdvice,
    MedicalDecision,
    Outcome,
)
from strategise.policy import LONDON
from strategise.policy.vocabulary import ATTENDEES
from strategise.web.drafts import VersionedForm
from strategise.web.govuk import (
    END_OF_DAY,
    TEXT,
    GovukForm,
    OnceForm,
    long_text,
    optional_moment,
    set_choices,
)
from strategise.web.language import LanguageChecked

YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes_no(value: bool | None) -> str:
    return "" if value is None else "yes" if value else "no"


def _from_yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def moment_initial(prefix: str, moment: datetime | None) -> dict[str, str]:
    """A saved moment as the initial values of a date input and a time input."""
    if moment is None:
        return {}
    local = moment.astimezone(LONDON)
    return {
        f"{prefix}_date_day": str(local.day),
        f"{prefix}_date_month": str(local.month),
        f"{prefix}_date_year": str(local.year),
        f"{prefix}_time": "" if local.time() == END_OF_DAY else f"{local:%H:%M}",
    }


# --- the record ------------------------------------------------------------------------


class RecordForm(LanguageChecked, VersionedForm):
    """The record's own sections: family details checked, other children, reason,
    background, the five questions of the analysis, and notes against the agenda."""

    language_fields: ClassVar[dict[str, str]] = {
        "other_children": "Other children who may be affected",
        "reason": "Reason for and purpose of this discussion",
        "background": "Relevant background",
    }

    family_details_checked = forms.BooleanField(required=False)
    other_children = long_text()
    reason = long_text()
    background = long_text()

    def __init__(
        self,
        *args: Any,
        questions: tuple[str, ...],
        agenda: tuple[AgendaEntry, ...],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = [(f"risk_{n}", question) for n, question in enumerate(questions, 1)]
        self.notes = [(f"agenda-{item.id}", item) for item in agenda if item.section is None]
        for name, _ in self.questions:
            self.fields[name] = long_text()
        for name, _ in self.notes:
            self.fields[name] = long_text()

    @staticmethod
    def initial_from(record: DiscussionRecord | None) -> dict[str, Any]:
        if record is None:
            return {"version": 0}
        initial: dict[str, Any] = {
            "version": record.version,
            "family_details_checked": record.family_details_checked,
            "other_children": record.other_children,
            "reason": record.reason,
            "background": record.background,
        }
        initial.update({f"risk_{k}": v for k, v in record.risk_answers.items()})
        initial.update({f"agenda-{k}": v for k, v in record.agenda_notes.items()})
        return initial

    def language_labels(self) -> dict[str, str]:
        """The record's own free text, then the questions' answers and the agenda notes."""
        labels = dict(self.language_fields)
        labels.update(self.questions)
        labels.update((name, item.title) for name, item in self.notes)
        return labels

    def values(self) -> dict[str, Any]:
        """What ``record_save`` saves: only answers and notes that say something."""
        data = self.cleaned_data
        return {
            "family_details_checked": data["family_details_checked"],
            "other_children": data["other_children"].strip(),
            "reason": data["reason"].strip(),
            "background": data["background"].strip(),
            "risk_answers": {
                name.removeprefix("risk_"): data[name].strip()
                for name, _ in self.questions
                if data[name].strip()
            },
            "agenda_notes": {
                item.id: data[name].strip() for name, item in self.notes if data[name].strip()
            },
        }


class ContributionForm(LanguageChecked, VersionedForm):
    """What one agency shared, with its two sharing markers."""

    language_fields: ClassVar[dict[str, str]] = {"text": "What did the agency share?"}

    text = forms.CharField(
        max_length=TEXT,
        error_messages={
            "required": "Enter what the agency shared",
            "max_length": f"Keep this to {TEXT:,} characters or fewer",
        },
    )
    not_for_family = forms.BooleanField(required=False)
    consent_needed = forms.BooleanField(required=False)

    anchors: ClassVar[dict[str, str]] = {"text": "text", "markers": "not_for_family"}

    @staticmethod
    def initial_from(contribution: Contribution | None) -> dict[str, Any]:
        if contribution is None:
            return {"version": 0}
        return {
            "version": contribution.version,
            "text": contribution.text,
            "not_for_family": contribution.not_for_family,
            "consent_needed": contribution.consent_needed,
        }

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "text": data["text"].strip(),
            "not_for_family": data["not_for_family"],
            "consent_needed": data["consent_needed"],
        }


# --- decisions -------------------------------------------------------------------------


class DecisionForm(LanguageChecked, VersionedForm):
    """The decision for one child: the outcome, anything also decided, the rationale, and
    who will see the child, by when, and whether alone."""

    language_fields: ClassVar[dict[str, str]] = {
        "rationale": "Rationale for the decision",
        "seen_alone_reason": "If the child will not be seen alone, why not?",
        "medical_reasoning": "If there will be no medical, why not?",
        "medical_advice": "Medical advice given",
    }

    anchors: ClassVar[dict[str, str]] = {
        "outcome": "outcome",
        "also": "also",
        "rationale": "rationale",
        "seen_by": "seen_by",
        "seen_by_when_date": "seen_by_when_date-day",
        "seen_by_when_time": "seen_by_when_time",
        "seen_alone": "seen_alone",
        "seen_alone_reason": "seen_alone_reason",
        "seen_by_when": "seen_by_when_date-day",
        "medical_decision": "medical_decision",
        "medical_reasoning": "medical_reasoning",
        "medical_advice": "medical_advice",
    }

    outcome = forms.ChoiceField(
        choices=Outcome.choices,
        required=False,
        error_messages={"invalid_choice": "Choose one of the decisions listed"},
    )
    also = forms.MultipleChoiceField(
        choices=AlsoDecided.choices,
        required=False,
        error_messages={"invalid_choice": "Choose only from the listed further decisions"},
    )
    rationale = long_text()
    seen_by = forms.CharField(
        required=False,
        max_length=200,
        error_messages={"max_length": "Keep who will see the child to 200 characters or fewer"},
    )
    seen_alone = forms.ChoiceField(choices=YES_NO, required=False)
    seen_alone_reason = long_text()
    medical_decision = forms.ChoiceField(
        choices=MedicalDecision.choices,
        required=False,
        error_messages={"invalid_choice": "Choose one of the listed medical decisions"},
    )
    medical_reasoning = long_text()
    medical_advice = long_text()

    def __init__(self, *args: Any, child: Child, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.child = child

    @staticmethod
    def initial_from(decision: ChildDecision | None) -> dict[str, Any]:
        if decision is None:
            return {"version": 0}
        return {
            "version": decision.version,
            "outcome": decision.outcome,
            "also": decision.also,
            "rationale": decision.rationale,
            "seen_by": decision.seen_by,
            "seen_alone": _yes_no(decision.seen_alone),
            "seen_alone_reason": decision.seen_alone_reason,
            "medical_decision": decision.medical_decision,
            "medical_reasoning": decision.medical_reasoning,
            "medical_advice": decision.medical_advice,
            **moment_initial("seen_by_when", decision.seen_by_when),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["seen_by_when"] = optional_moment(self, "seen_by_when", "the child will be seen")
        return cleaned

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "outcome": data["outcome"],
            "also": list(data["also"]),
            "rationale": data["rationale"].strip(),
            "seen_by": data["seen_by"].strip(),
            "seen_by_when": data["seen_by_when"],
            "seen_alone": _from_yes_no(data["seen_alone"]),
            "seen_alone_reason": data["seen_alone_reason"].strip(),
            "medical_decision": data["medical_decision"],
            "medical_reasoning": data["medical_reasoning"].strip(),
            "medical_advice": data["medical_advice"].strip(),
        }


class OtherDecisionsForm(LanguageChecked, VersionedForm):
    """The decisions about the whole discussion: what the family will be told, legal
    advice, an interpreter, and whether a further discussion is needed."""

    language_fields: ClassVar[dict[str, str]] = {
        "family_not_informed_reason": "Why the family will not be told",
        "legal_advice_detail": "Details of the legal advice",
    }

    anchors: ClassVar[dict[str, str]] = {
        "family_informed": "family_informed",
        "family_informed_by": "family_informed_by",
        "family_informed_when": "family_informed_when",
        "family_not_informed_reason": "family_not_informed_reason",
        "legal_advice": "legal_advice",
        "legal_advice_detail": "legal_advice_detail",
        "interpreter": "interpreter",
        "further_discussion_needed": "further_discussion_needed",
        "further_discussion_by": "further_discussion_by-day",
    }

    family_informed = forms.ChoiceField(choices=FamilyInformed.choices, required=False)
    family_informed_by = forms.CharField(required=False, max_length=200)
    family_informed_when = forms.CharField(required=False, max_length=200)
    family_not_informed_reason = long_text()
    legal_advice = forms.ChoiceField(choices=LegalAdvice.choices, required=False)
    legal_advice_detail = long_text()
    interpreter = long_text()
    further_discussion_needed = forms.ChoiceField(choices=YES_NO, required=False)

    # The declared fields not saved as typed: the version, and a yes or no saved as a bool.
    CONVERTED: ClassVar[tuple[str, ...]] = ("version", "further_discussion_needed")

    @classmethod
    def as_typed(cls) -> list[str]:
        """The record's fields this form saves as typed, in the order declared."""
        return [name for name in cls.base_fields if name not in cls.CONVERTED]

    @classmethod
    def initial_from(cls, record: DiscussionRecord | None) -> dict[str, Any]:
        if record is None:
            return {"version": 0}
        initial: dict[str, Any] = {
            name: getattr(record, name) for name in ("version", *cls.as_typed())
        }
        initial["further_discussion_needed"] = _yes_no(record.further_discussion_needed)
        if record.further_discussion_by is not None:
            local = record.further_discussion_by.astimezone(LONDON)
            initial.update(
                {
                    "further_discussion_by_day": str(local.day),
                    "further_discussion_by_month": str(local.month),
                    "further_discussion_by_year": str(local.year),
                }
            )
        return initial

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day = self.date_from_parts(
            "further_discussion_by", "the date of the further discussion", required=False
        )
        cleaned["further_discussion_by"] = (
            datetime.combine(day, END_OF_DAY, tzinfo=LONDON) if day else None
        )
        return cleaned

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {name: data[name].strip() for name in self.as_typed()}
        values["further_discussion_needed"] = _from_yes_no(data["further_discussion_needed"])
        values["further_discussion_by"] = data["further_discussion_by"]
        return values


class ConfirmationForm(LanguageChecked, GovukForm):
    """A team manager's reasons for confirming 'no further action' (Sandwell §10.0)."""

    language_fields: ClassVar[dict[str, str]] = {
        "reasons": "Your reasons for confirming no further action"
    }

    reasons = forms.CharField(
        max_length=TEXT,
        error_messages={"required": "Record the reasons for confirming no further action"},
    )


class LanguageAcceptForm(GovukForm):
    """Why the chair keeps words of the record that the language check flagged."""

    reason = forms.CharField(
        max_length=5000,
        error_messages={
            "required": "Give the reason for keeping these words",
            "max_length": "Keep the reason to 5,000 characters or fewer",
        },
    )


class CorrectionForm(LanguageChecked, OnceForm):
    """Why a concluded discussion's record is being corrected."""

    language_fields: ClassVar[dict[str, str]] = {"reason": "Why does the record need correcting?"}

    reason = forms.CharField(
        max_length=TEXT,
        error_messages={"required": "Give the reason for the correction"},
    )


class ContributionUpdateForm(LanguageChecked, OnceForm):
    """A dated update an agency adds to its contribution after the discussion."""

    language_fields: ClassVar[dict[str, str]] = {"text": "What has happened since the discussion?"}

    text = forms.CharField(max_length=TEXT, error_messages={"required": "Enter the update"})


# --- dissent ---------------------------------------------------------------------------


def _agency(invitation: Invitation) -> str:
    label = ATTENDEES.get(invitation.agency_code, invitation.agency_code)
    return f"{label}: {invitation.name or invitation.user or 'not named'}"


class DissentForm(LanguageChecked, OnceForm):
    """An agency's disagreement: which agency, with what, and why."""

    language_fields: ClassVar[dict[str, str]] = {"reasons": "The agency’s reasons"}

    anchors: ClassVar[dict[str, str]] = {
        "invitation": "invitation",
        "about": "about",
        "reasons": "reasons",
    }

    invitation = forms.ChoiceField(
        error_messages={
            "required": "Select the agency that disagrees",
            "invalid_choice": "Select an agency invited to this discussion",
        }
    )
    about = forms.CharField(
        required=False,
        max_length=300,
        error_messages={"max_length": "Keep what it disagrees with to 300 characters or fewer"},
    )
    reasons = long_text()

    def __init__(self, *args: Any, invitations: list[Invitation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invitations = {str(i.pk): i for i in invitations}
        choices = [(key, _agency(i)) for key, i in self.invitations.items()]
        if len(choices) > 1:
            choices.insert(0, ("", "Choose an agency"))
        set_choices(self.fields["invitation"], choices)

    def chosen(self) -> Invitation:
        return self.invitations[self.cleaned_data["invitation"]]
