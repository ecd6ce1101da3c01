"""Concluding a discussion: the chair sees what is still missing, each linked to where it
is put right, and concludes it once nothing is; its statutory clocks start.

The chair also sees the words of the record the language check flags: each may be
changed where it was written, or kept with a reason (``language_accept_page``). Neither
is needed to conclude: a flag is advice. Once concluded, the list also holds the words the
minutes print beyond the record (``minutes.language``), which the chair keeps or has
changed before approving the minutes."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from strategise.discussions.concluding import conclusion_problems, discussion_conclude
from strategise.discussions.language import RecordFlag, record_flags
from strategise.discussions.models import DiscussionStatus
from strategise.discussions.selectors import DiscussionDetail, discussion_get
from strategise.minutes.language import discussion_minutes_flags
from strategise.minutes.services import minutes_language_accept
from strategise.problems import Problem
from strategise.web.recording.forms import LanguageAcceptForm
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
            flags=[
                {"flag": flag, "change": change_href(pk, flag), "may_keep": True}
                for flag in discussion_flags(detail)
            ],
        ),
    )


def discussion_flags(detail: DiscussionDetail) -> list[RecordFlag]:
    """The flags of the discussion's whole record, each with the chair's acceptance; once
    concluded, with those of what its minutes print beyond the record (the minute-taker's
    wording, the updates to contributions, the reasons for corrections)."""
    found = record_flags(
        discussion=detail.discussion,
        record=detail.record,
        invitations=detail.invitations,
        decisions=detail.decisions.values(),
        actions=detail.actions,
        dissents=detail.dissents,
        accepted=detail.language_acceptances,
    )
    if detail.discussion.status == DiscussionStatus.STARTED:
        return found
    return found + discussion_minutes_flags(discussion=detail.discussion)


# Where each kind of field of the record is written: its page, and whether the page takes
# the key (a child, an invitation, an action) after the discussion.
CHANGED_ON: dict[str, str] = {
    "record": "web:record",
    "decisions": "web:decisions",
    "decision": "web:decision",
    "contribution": "web:contribution",
    "actions": "web:actions",
    "action": "web:action",
    "dissent": "web:dissent",
}


# Words the minutes print that are kept as written once saved: an update to a contribution
# (added, never rewritten), the reason a correction was opened, the minutes' correction.
KEPT_AS_WRITTEN = frozenset({"update", "correction", "minutes"})


def change_href(pk: int, flag: RecordFlag) -> str:
    """Where the flagged words are changed: the field, on the page where it is written
    ("" for words that cannot be changed once saved)."""
    kind, key, name = flag.where.page
    if kind in KEPT_AS_WRITTEN:
        return ""
    if kind == "minutes-wording":
        return f"{reverse('web:minutes-wording', args=[pk, key])}#{name}"
    if kind == "action":
        return f"{reverse(CHANGED_ON[kind], args=[key])}#{name}"
    args = [pk] if key is None else [pk, key]
    return f"{reverse(CHANGED_ON[kind], args=args)}#{name}"


@require_http_methods(["GET", "POST"])
def language_accept_page(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """The chair keeps flagged words of the record, with the reason; the minutes print
    them, with the reason, in their annex on language."""
    user = current_user(request)
    detail = discussion_get(user=user, pk=pk)
    discussion = detail.discussion
    if user.pk != discussion.chair_id:
        raise Http404
    flag = next((f for f in discussion_flags(detail) if f.key == key), None)
    if flag is None:
        raise Http404
    # Back to the page the chair came from: concluding, or the minutes being approved.
    to_minutes = request.GET.get("from") == "minutes"
    back = reverse("web:minutes" if to_minutes else "web:conclude", args=[pk])
    form = LanguageAcceptForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and flag.acceptance is None and form.is_valid():
        try:
            minutes_language_accept(
                user=user,
                discussion=discussion,
                flag=flag,
                reason=form.cleaned_data["reason"],
                now=timezone.now(),
            )
        except Problem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, f"The words “{flag.flag.text}” are kept, with your reason")
            return redirect(back + "#language")
    return render(
        request,
        "web/recording/language_accept.html",
        recording_context(
            user,
            detail,
            "web:conclude",
            flag=flag,
            change=change_href(pk, flag),
            back=back,
            back_to="the minutes" if to_minutes else "concluding",
            form=form,
            errors=form.first_errors(),
            error_summary=form.error_summary(),
        ),
    )
