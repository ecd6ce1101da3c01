"""What every page for recording a discussion shares: the navigation between them, who
may open them, and the context their templates take.

Who may record is decided by ``strategise.discussions.recording.may_record``: the chair,
the minute-taker and the authority's children's social care; anyone else gets "not
found". An invited agency's representative may record their own contribution and
dissent, and update their own actions.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse

from strategise.access import may_correct
from strategise.discussions.models import AlsoDecided, DiscussionStatus, Invitation
from strategise.discussions.recording import concluded_problem, may_record
from strategise.discussions.selectors import DiscussionDetail, discussion_get
from strategise.organisations.models import User
from strategise.policy import vocabulary
from strategise.web.language import LanguageChecked
from strategise.web.users import current_user


def recording_nav(user: User, detail: DiscussionDetail, here: str) -> list[dict[str, Any]]:
    """The pages for recording this discussion, for those who record it."""
    discussion = detail.discussion
    pages = [
        ("web:discussion", "The discussion"),
        ("web:record", "Record"),
        # The people, places, vehicles and accounts around the children (Birmingham §6):
        # recorded from the discussion's network page, on its request.
        ("web:discussion-network", "Network"),
        ("web:decisions", "Decisions"),
        ("web:dissent", "Dissent"),
        ("web:actions", "Actions"),
    ]
    if user.pk == discussion.chair_id:
        pages.append(("web:conclude", "Conclude"))
    pages += [("web:minutes", "Minutes"), ("web:distribution", "Distribution")]
    return [
        {"text": text, "href": reverse(name, args=[discussion.pk]), "current": name == here}
        for name, text in pages
    ]


def recordable(request: HttpRequest, pk: int) -> tuple[User, DiscussionDetail]:
    """The user and the discussion, if they may record it (404 otherwise)."""
    user = current_user(request)
    detail = discussion_get(user=user, pk=pk)
    if not may_record(user, detail.discussion):
        raise Http404
    return user, detail


def recording_context(
    user: User, detail: DiscussionDetail, here: str, **extra: Any
) -> dict[str, Any]:
    """The context of a recording page: the discussion, where it stands, and the
    navigation (for those who record it) with ``here`` marked. With a ``form`` whose free
    text is checked, the flags of its words too (``language``, for ``text_area``)."""
    discussion = detail.discussion
    form = extra.get("form")
    if isinstance(form, LanguageChecked):
        extra.setdefault("language", form.language(detail.request.profile))
    return {
        "detail": detail,
        "discussion": discussion,
        "nav": recording_nav(user, detail, here) if may_record(user, discussion) else [],
        "not_started": discussion.status == DiscussionStatus.SCHEDULED,
        "cancelled": discussion.status == DiscussionStatus.CANCELLED,
        "held": discussion.status == DiscussionStatus.HELD,
        # Concluded and not being corrected: every recording page is read-only.
        "locked": detail.locked,
        "locked_message": str(concluded_problem(discussion)) if detail.locked else "",
        "correction": detail.correction,
        "may_correct": may_correct(user, discussion),
        "also_labels": dict(AlsoDecided.choices),
        "vocabulary": vocabulary,
        **extra,
    }


def agency_label(invitation: Invitation) -> str:
    """An invited agency and who represents it: ``Police (PC Rao)``."""
    label = vocabulary.ATTENDEES.get(invitation.agency_code, invitation.agency_code)
    return f"{label} ({invitation.name or invitation.user or 'not named'})"
