"""The language of the record on every form with free text: one mixin, one macro.

A form that mixes in ``LanguageChecked`` names its free-text fields and their labels
(``language_fields``). Its page passes ``form.language(profile)`` to the template, where
``checked_textarea`` (``web/language.html``) draws each field with its flags under it:
the flags of what was typed (after an error) or saved, and, with JavaScript, of what is
typed now (``language.mjs``). A view that goes elsewhere after saving calls
``form.language_saved(request, profile)``: the next page shows the flags of what was saved
above its content (``language_after_saving``), so without JavaScript they are seen too.
Nothing is blocked or changed: the text is saved as typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from django import forms
from django.http import HttpRequest

from strategise.discussions.language import language_flags_by_field
from strategise.policy.language import Flag

# The session key that carries the flags of what was saved to the next page.
SAVED = "language_saved"


@dataclass(frozen=True)
class LanguageAdvice:
    """What a page needs to check a form's free text: the procedure's name (the phrases
    are the profile's) and the flags found in each field, by the field's name."""

    profile: str
    flags: dict[str, list[Flag]] = field(default_factory=dict)


class LanguageChecked(forms.Form):
    """A form whose free-text fields are checked for victim-blaming and minimising words.

    ``language_fields`` maps each free-text field's name to its label as the page shows it;
    a form whose fields depend on the case overrides ``language_labels``."""

    language_fields: ClassVar[dict[str, str]] = {}

    def language_labels(self) -> dict[str, str]:
        """Each free-text field's name and label, in page order."""
        return dict(self.language_fields)

    def free_text(self) -> dict[str, str]:
        """Each free-text field's text as it stands (typed, or saved), by its name."""
        return {name: str(self[name].value() or "") for name in self.language_labels()}

    def language(self, profile: str) -> LanguageAdvice:
        """The flags in each free-text field, under the procedure ``profile``."""
        return LanguageAdvice(
            profile, language_flags_by_field(values=self.free_text(), profile=profile)
        )

    def language_saved(self, request: HttpRequest, profile: str) -> None:
        """Keep the flags of what was just saved for the page shown next."""
        labels = self.language_labels()
        found = self.language(profile).flags
        notices = [
            {
                "label": labels[name],
                "href": f"{request.path}#{self.add_prefix(name)}",
                "flags": [flag.to_dict() for flag in flags],
            }
            for name, flags in found.items()
        ]
        if notices:
            request.session[SAVED] = notices
        else:
            request.session.pop(SAVED, None)


def language_after_saving(request: HttpRequest) -> list[dict[str, Any]]:
    """The flags of what was saved just before this page, once (for the layout)."""
    session = getattr(request, "session", None)
    if session is None or SAVED not in session:
        return []
    notices: list[dict[str, Any]] = session.pop(SAVED)
    return notices
