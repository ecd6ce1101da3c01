"""Forms the GOV.UK way: an error summary linked to fields, dates as three inputs.

Every form of the service extends ``GovukForm``. Services raise ``Problem``; a view
hands it to ``add_problem`` so the message appears beside the field it is about.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from typing import Any, ClassVar, cast

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from strategise.policy import LONDON
from strategise.problems import Problem, Problems

# The longest free text a form takes.
TEXT = 20000
# "By when" without a time means by the end of that day.
END_OF_DAY = time(23, 59)


class GovukForm(forms.Form):
    """A form whose errors render as the GOV.UK error summary and error messages."""

    # Field name -> id of the element the error summary links to, in page order. Fields
    # not listed link to an element with the field's own (prefixed) name.
    anchors: ClassVar[dict[str, str]] = {}

    def error_summary(self) -> list[dict[str, str]]:
        """The GOV.UK error summary's list: each problem, linked to its field."""
        summary = [{"text": str(message)} for message in self.non_field_errors()]
        names = list(self.anchors) + [n for n in self.errors if n not in self.anchors]
        for name in names:
            if name == NON_FIELD_ERRORS:
                continue
            for message in self.errors.get(name, []):
                anchor = self.anchors.get(name, self.add_prefix(name))
                summary.append({"text": str(message), "href": f"#{anchor}"})
        return summary

    def first_errors(self) -> dict[str, str]:
        """The first message for each field, shown beside it."""
        return {name: str(messages[0]) for name, messages in self.errors.items()}

    def add_problem(self, problem: Problem) -> None:
        """Show a service's problem beside the fields it names (or above the form)."""
        for field, message in problem.errors:
            self.errors.setdefault(field or NON_FIELD_ERRORS, self.error_class()).append(message)

    def add_problem_once(self, problems: Problems) -> None:
        """Show the problems a service found beside the form's own errors, leaving out any
        about a field that already has one (the form's is about what was typed)."""
        already = set(self.errors)
        for field, message in problems.errors:
            name = field or NON_FIELD_ERRORS
            if name not in already:
                self.errors.setdefault(name, self.error_class()).append(message)

    def add_errors_once(self, errors: list[tuple[str | None, str]]) -> None:
        """A form with errors of its own shows a service's check's too (each on a field
        that has none yet), so the user sees everything to correct at once."""
        problems = Problems()
        for field, message in errors:
            problems.add(message, field)
        self.add_problem_once(problems)

    def _error(self, name: str, message: str) -> None:
        # Composite inputs (a date in three boxes) are not form fields, so add_error()
        # cannot name them.
        self.errors.setdefault(name, self.error_class()).append(message)

    def date_from_parts(self, prefix: str, label: str, *, required: bool = True) -> date | None:
        """A date from ``<prefix>_day``, ``_month`` and ``_year`` inputs, or an error."""
        data = self.data
        parts = {
            part: str(data.get(f"{prefix}_{part}", "")).strip() for part in ("day", "month", "year")
        }
        missing = [part for part, value in parts.items() if not value]
        if len(missing) == 3:
            if required:
                self._error(prefix, f"Enter {label}")
            return None
        if missing:
            self._error(
                prefix, f"{label[0].upper()}{label[1:]} must include a " + " and ".join(missing)
            )
            return None
        if not all(value.isdigit() for value in parts.values()):
            self._error(prefix, f"{label[0].upper()}{label[1:]} must be a real date")
            return None
        if len(parts["year"]) != 4:
            self._error(prefix, "The year must include 4 numbers")
            return None
        try:
            return date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
        except ValueError:
            self._error(prefix, f"{label[0].upper()}{label[1:]} must be a real date")
            return None

    def time_from_text(self, name: str, label: str) -> time | None:
        """A time typed as ``09:30`` or ``17.45`` (24-hour clock), or an error."""
        text = str(self.data.get(name, "")).strip().replace(".", ":")
        if not text:
            self._error(name, f"Enter {label}")
            return None
        try:
            hours, minutes = (int(part) for part in text.split(":"))
            return time(hours, minutes)
        except ValueError:
            self._error(name, f"Enter {label} using the 24-hour clock, like 09:30 or 17:45")
            return None

    def moment(self, prefix: str, label: str) -> datetime | None:
        """A London date and time from a GOV.UK date input and a time input."""
        day = self.date_from_parts(f"{prefix}_date", f"the date {label}")
        at = self.time_from_text(f"{prefix}_time", f"the time {label}")
        if day is None or at is None:
            return None
        return datetime.combine(day, at, tzinfo=LONDON)


class OnceForm(GovukForm):
    """A form that creates something, once: it carries a one-off token (a hidden input,
    ``once(form)`` in templates) that the service keeps with what it created, so that a
    repeated post of the same form answers with that instead of creating it again."""

    token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["token"].initial = secrets.token_urlsafe(24)


def date_input_items(form: forms.Form, prefix: str, error: bool) -> list[dict[str, Any]]:
    """The three items of a GOV.UK date input, keeping what was typed."""
    widths = {"day": 2, "month": 2, "year": 4}
    return [
        {
            "id": f"{prefix}-{part}",
            "name": f"{prefix}_{part}",
            "label": part.capitalize(),
            "classes": f"govuk-input--width-{width}" + (" govuk-input--error" if error else ""),
            "value": form.data.get(f"{prefix}_{part}", form.initial.get(f"{prefix}_{part}", "")),
        }
        for part, width in widths.items()
    ]


def lower_first(text: str) -> str:
    """A label mid-sentence: ``Police`` becomes ``police``, but ``LADO`` stays ``LADO``."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def long_text(**kwargs: Any) -> forms.CharField:
    """An optional free-text field of up to ``TEXT`` characters."""
    return forms.CharField(
        required=False,
        max_length=TEXT,
        error_messages={"max_length": f"Keep this to {TEXT:,} characters or fewer"},
        **kwargs,
    )


def set_choices(field: forms.Field, choices: list[tuple[str, str]]) -> None:
    """Offer ``choices`` in a choice field (known only when the form is made)."""
    cast(forms.ChoiceField, field).choices = choices


def optional_moment(form: GovukForm, prefix: str, label: str) -> datetime | None:
    """A date (and, if given, a time) from ``<prefix>_date`` and ``<prefix>_time`` inputs;
    nothing if both are blank, and the end of that day without a time."""
    typed = [form.data.get(f"{prefix}_date_{part}", "") for part in ("day", "month", "year")]
    at = str(form.data.get(f"{prefix}_time", "")).strip()
    if not any(str(value).strip() for value in typed) and not at:
        return None
    day = form.date_from_parts(f"{prefix}_date", f"the date {label}")
    when = form.time_from_text(f"{prefix}_time", f"the time {label}") if at else END_OF_DAY
    if day is None or when is None:
        return None
    return datetime.combine(day, when, tzinfo=LONDON)


def search_page(
    request: HttpRequest,
    form: Any,
    search: Callable[..., Sequence[Any]],
    template: str,
    *,
    may_add: bool,
    **context: Any,
) -> HttpResponse:
    """A "find a person" page: the search form (text and a date of birth, ``born``), and
    what ``search(text=, born=)`` found once it has been asked and the form is valid
    (``context`` is handed to the template too)."""
    found = None
    if form.searched and form.is_valid():
        found = search(text=form.cleaned_data["text"], born=form.cleaned_data["born"])
    errors = form.first_errors() if form.searched else {}
    return render(
        request,
        template,
        {
            "form": form,
            "found": found,
            "errors": errors,
            "error_summary": form.error_summary() if form.searched else [],
            "born_items": date_input_items(form, "born", bool(errors.get("born"))),
            "may_add": may_add,
            **context,
        },
    )
