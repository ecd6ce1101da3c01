"""What an invitee sends: a reply with the reason for apologies, a deputy, a written
report, and the code that confirms who holds a private link."""

from __future__ import annotations

from typing import ClassVar

from django import forms

from strategise.web.govuk import GovukForm, long_text


class ReplyForm(GovukForm):
    """Accept, or send apologies with the reason."""

    anchors: ClassVar[dict[str, str]] = {"response": "reply", "reason": "apologies_reason"}

    response = forms.CharField(required=False)
    apologies_reason = long_text()


class DeputyForm(GovukForm):
    """Someone from the invitee's own agency to go in their place."""

    anchors: ClassVar[dict[str, str]] = {"name": "name", "email": "email"}

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


class WrittenReportForm(GovukForm):
    """The agency's written report, and a PDF or Word file if there is one."""

    anchors: ClassVar[dict[str, str]] = {"text": "text", "file": "file"}

    text = long_text()
    file = forms.FileField(
        required=False,
        allow_empty_file=True,
        error_messages={"invalid": "The selected file could not be read: try again"},
    )


class CodeForm(GovukForm):
    """The code emailed to the invited address."""

    anchors: ClassVar[dict[str, str]] = {"code": "code"}

    code = forms.CharField(required=False, max_length=20)
