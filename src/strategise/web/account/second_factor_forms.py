"""The second factor's one field: a code typed from an authenticator app or a recovery code.

The form only collects what was typed; ``strategise.organisations.second_factor`` says
whether it is a code at all and whether it is right.
"""

from __future__ import annotations

from django import forms

from strategise.web.govuk import GovukForm


class CodeForm(GovukForm):
    """A code, as typed (with or without spaces)."""

    code = forms.CharField(required=False, max_length=40, strip=True)
