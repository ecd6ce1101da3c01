"""The record of a discussion, in the order of the procedure's agenda.

The view parses the form, calls one service, and renders; saving is a draft
(``strategise.web.drafts``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from strategise.discussions.agenda import agenda, risk_questions
from strategise.discussions.recording import record_save
from strategise.discussions.selectors import discussion_get
from strategise.policy import get_profile
from strategise.web.drafts import draft
from strategise.web.recording.forms import RecordForm
from strategise.web.recording.pages import recordable, recording_context


@require_http_methods(["GET", "POST"])
def record_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The record, in the order of the procedure's agenda: attendance and quorum, family
    details, reason, background, contributions, the analysis and notes on each item."""
    user, detail = recordable(request, pk)
    discussion = detail.discussion
    items = agenda(discussion)
    asked = risk_questions(discussion)
    questions = asked.questions
    initial = RecordForm.initial_from(detail.record)

    def make(data: QueryDict | None) -> RecordForm:
        return RecordForm(data, initial=initial, questions=questions, agenda=items)

    def save(form: RecordForm, base: dict[str, Any] | None) -> object:
        return record_save(
            user=user,
            discussion=discussion,
            values=form.values(),
            expected_version=form.cleaned_data["version"],
            base=base,
            now=timezone.now(),
        )

    def reload() -> dict[str, Any]:
        return RecordForm.initial_from(discussion_get(user=user, pk=pk).record)

    saving = draft(request, make, initial, save, reload)
    if saving.saved:
        messages.success(request, "Record saved as a draft")
        return redirect("web:record", pk=pk)
    profile = detail.request.profile
    return render(
        request,
        "web/recording/record.html",
        recording_context(
            user,
            detail,
            "web:record",
            **saving.context(),
            agenda=items,
            profile_agenda=any(item.section is None for item in items),
            profile_title=get_profile(profile).title,
            risk_source=asked.source,
            reviewing=discussion.previous_id is not None,
        ),
    )
