"""Drafts saved by several people at once, without one silently overwriting another.

A draft form carries the version of the record it was based on (``VersionedForm``) and,
as hidden ``base-`` inputs, the values it began from. Saving names that version; if
someone else saved in between, the service raises ``EditConflict`` with what each side
changed, unless the base shows that the two edits touched different parts (then it keeps
both). After a conflict the form is shown again with what was typed, now based on the
version saved meanwhile, and each field both changed shows both versions; saving again
saves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import forms
from django.http import HttpRequest, QueryDict

from strategise.discussions.recording import EditConflict
from strategise.policy.wording import format_when
from strategise.problems import Problem
from strategise.web.govuk import GovukForm

# The prefix of the hidden inputs that say what an edit began from.
BASE = "base-"


class VersionedForm(GovukForm):
    """A form that saves a draft: it carries the version of the record it was based on."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def values(self) -> dict[str, Any]:
        """What the service saves, from a valid form."""
        raise NotImplementedError


def _shown(form: GovukForm, name: str, value: Any) -> str:
    """A saved value as the page shows it."""
    if value is None or value in ("", []):
        return "Nothing recorded"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return format_when(value)
    field = form.fields.get(name)
    labels = dict(getattr(field, "choices", []) or [])
    if isinstance(value, list):
        return "; ".join(str(labels.get(item, item)) for item in value)
    return str(labels.get(value, value))


def _after_conflict[F: VersionedForm](
    make: Callable[[QueryDict | None], F], data: QueryDict, conflict: EditConflict
) -> tuple[F, dict[str, dict[str, str]]]:
    """The form again with what was typed, now based on the version saved meanwhile, and
    each field they changed with both versions: theirs (saved) and yours (in the box)."""
    rebased = data.copy()
    rebased["version"] = str(conflict.version)
    form = make(rebased)
    form.is_valid()
    form.add_problem(conflict)
    shown: dict[str, dict[str, str]] = {}
    for name, (yours, theirs) in conflict.changes.items():
        if isinstance(yours, dict) or isinstance(theirs, dict):
            prefix = "risk_" if name == "risk_answers" else "agenda-"
            mine, others = yours or {}, theirs or {}
            for key in sorted(set(mine) | set(others)):
                if mine.get(key, "") != others.get(key, ""):
                    shown[f"{prefix}{key}"] = {
                        "theirs": others.get(key) or "Nothing recorded",
                        "yours": mine.get(key) or "Nothing recorded",
                    }
        else:
            shown[name] = {"theirs": _shown(form, name, theirs), "yours": _shown(form, name, yours)}
    for name in shown:
        form._error(name, "Someone else changed this: compare their version with yours")
    return form, shown


def base_inputs(initial: dict[str, Any]) -> list[tuple[str, str]]:
    """What an edit began from, as hidden inputs that come back with it (``base-<name>``),
    so that a save after someone else's keeps the parts only they changed."""
    pairs = [(f"{BASE}version", str(initial.get("version", 0)))]
    for name, value in initial.items():
        if name == "version" or value in (None, False, ""):
            continue
        if value is True:
            pairs.append((f"{BASE}{name}", "on"))
        elif isinstance(value, list):
            pairs += [(f"{BASE}{name}", str(item)) for item in value]
        else:
            pairs.append((f"{BASE}{name}", str(value)))
    return pairs


def _posted_base(data: QueryDict) -> QueryDict | None:
    """The ``base-`` inputs of a post, without their prefix (none if it sent none)."""
    if f"{BASE}version" not in data:
        return None
    base = QueryDict(mutable=True)
    for key in data:
        if key.startswith(BASE):
            base.setlist(key.removeprefix(BASE), data.getlist(key))
    return base


@dataclass
class Draft[F: VersionedForm]:
    """A draft form after a GET or a POST: its conflicts, the base it carries, and
    whether it was saved."""

    form: F
    conflicts: dict[str, dict[str, str]]
    base: list[tuple[str, str]]
    saved: bool = False

    def context(self) -> dict[str, Any]:
        """What a draft's page template needs: the form, its errors, both versions of
        each field in conflict, and the base as hidden inputs."""
        return {
            "form": self.form,
            "errors": self.form.first_errors(),
            "error_summary": self.form.error_summary(),
            "conflicts": self.conflicts,
            "base": self.base,
        }


def draft[F: VersionedForm](
    request: HttpRequest,
    make: Callable[[QueryDict | None], F],
    initial: dict[str, Any],
    save: Callable[[F, dict[str, Any] | None], object],
    reload: Callable[[], dict[str, Any]],
) -> Draft[F]:
    """Show a draft form, or save it: a conflict shows both versions and moves the form on
    to the version now saved (``reload`` reads it), so that saving again saves."""
    if request.method != "POST":
        return Draft(make(None), {}, base_inputs(initial))
    form = make(request.POST)
    posted = _posted_base(request.POST)
    base_pairs = (
        [(f"{BASE}{key}", value) for key in posted for value in posted.getlist(key)]
        if posted is not None
        else base_inputs(initial)
    )
    if not form.is_valid():
        return Draft(form, {}, base_pairs)
    base_form = make(posted) if posted is not None else None
    base = base_form.values() if base_form is not None and base_form.is_valid() else None
    try:
        save(form, base)
    except EditConflict as conflict:
        rebased, conflicts = _after_conflict(make, request.POST, conflict)
        return Draft(rebased, conflicts, base_inputs(reload()))
    except Problem as problem:
        form.add_problem(problem)
        return Draft(form, {}, base_pairs)
    return Draft(form, {}, base_pairs, saved=True)
