"""Concluding a discussion: the chair sees what is still missing, each linked to where it
is put right, and concludes it once nothing is; its statutory clocks start."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from strategise.discussions.concluding import conclusion_problems, discussion_conclude
from strategise.discussions.models import DiscussionStatus
from strategise.discussions.selectors import discussion_get
from strategise.problems import Problem
from strategise.web.recording.pages import recording_context
from strategise.web.users import current_user

# Where each of the services' conclusion problems is put right: (page, element id).
PUT_RIGHT: dict[str, tuple[str, str]] = {
    "record": ("web:record", "main-content"),
    "decisions": ("web:decisions", "children"),
    "family_informed": ("web:decisions", "family_informed"),
    "family_informed_by": ("web:decisions", "family_informed_by"),
    "family_not_informed_reason": ("web:decisions", "family_not_informed_reason"),
    "legal_advice": ("web:decisions", "legal_advice"),
    "further_discussion_needed": ("web:decisions", "further_discussion_needed"),
    "further_discussion_by": ("web:decisions", "further_discussion_by-day"),
}


# A child's medical assessment decision: ``medical-<child id>``, on the child's decision.
MEDICAL = "medical-"


def problem_summary(pk: int, errors: list[tuple[str | None, str]]) -> list[dict[str, str]]:
    """The services' problems, each linked to the page and field where it is put right."""
    summary = []
    for field, message in errors:
        target = PUT_RIGHT.get(field or "")
        item = {"text": message}
        if target:
            item["href"] = f"{reverse(target[0], args=[pk])}#{target[1]}"
        elif field and field.startswith(MEDICAL) and field[len(MEDICAL) :].isdigit():
            child = int(field[len(MEDICAL) :])
            item["href"] = f"{reverse('web:decision', args=[pk, child])}#medical_decision"
        summary.append(item)
    return summary


@require_http_methods(["GET", "POST"])
def conclude_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The chair concludes the discussion once everything is recorded; its clocks start."""
    user = current_user(request)
    detail = discussion_get(user=user, pk=pk)
    discussion = detail.discussion
    if user.pk != discussion.chair_id:
        raise Http404
    error_summary: list[dict[str, str]] = []
    if request.method == "POST":
        try:
            discussion_conclude(user=user, discussion=discussion, now=timezone.now())
        except Problem as problem:
            error_summary = problem_summary(pk, problem.errors)
        else:
            messages.success(request, "Discussion concluded: its statutory clocks have started")
            return redirect("web:conclude", pk=pk)
    elif discussion.status == DiscussionStatus.STARTED:
        error_summary = problem_summary(pk, conclusion_problems(discussion=discussion))
    return render(
        request,
        "web/recording/conclude.html",
        recording_context(
            user,
            detail,
            "web:conclude",
            error_summary=error_summary,
            started=discussion.status == DiscussionStatus.STARTED,
            now=timezone.now(),
        ),
    )
