"""Where a ``strategise.links.Target`` is on this site: the one place that turns what a
selector or service points at into a URL.

Background tasks that email a link call ``absolute_url_for``; it is the only part of
``strategise.web`` that code outside it may import.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from strategise.links import Target, TargetKind

# Each kind of target, and the page (URL name) that shows it.
PAGES: dict[TargetKind, str] = {
    TargetKind.REQUEST: "web:request",
    TargetKind.DISCUSSION: "web:discussion",
    TargetKind.DISCUSSION_CLOCKS: "web:clocks",
    TargetKind.DISAGREEMENT: "web:disagreement",
    TargetKind.MY_WORK: "web:my-work",
    TargetKind.PATTERN_ALERT: "web:pattern-alert",
}


def url_for(target: Target) -> str:
    """The path of the page that shows ``target``: ``/discussions/12/``."""
    return reverse(PAGES[target.kind], args=None if target.key is None else [target.key])


def absolute_url_for(target: Target) -> str:
    """The full address of that page, for an email: ``https://…/discussions/12/``."""
    return f"{settings.STRATEGISE_BASE_URL}{url_for(target)}"
