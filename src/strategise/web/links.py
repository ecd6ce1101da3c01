"""Where a ``strategise.links.Target`` is on this site: the one place that turns what a
selector or service points at into a URL.

Background tasks that email a link call ``absolute_url_for``; it is the only part of
``strategise.web`` that code outside it may import.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

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


# Stands for the n-th argument (this number plus n) in a path worked out once per URL name.
# No key in the database is this large; a path that had it anyway would fall back below.
_PLACEHOLDER = 9_187_000_000_000_000_000


@lru_cache(maxsize=1024)
def _pattern(urlconf: str, prefix: str, name: str, count: int) -> str | None:
    """The path of ``name`` with ``count`` placeholder arguments, each of them once in it;
    None when a placeholder does not stand alone (the path cannot be filled in by text)."""
    placeholders = [str(_PLACEHOLDER + n) for n in range(count)]
    path = reverse(name, args=[_PLACEHOLDER + n for n in range(count)] or None)
    if any(path.count(placeholder) != 1 for placeholder in placeholders):
        return None
    return path


def path_of(name: str, *args: object) -> str:
    """``reverse(name, args=args)``, a page's path, for a page listing hundreds of links.

    Django's ``reverse`` matches the arguments against the URL's pattern each time (about
    50 microseconds); a page of a dashboard's rows asked it 169 times. For whole-number
    arguments, as every key is, the path is worked out once per URL name (with placeholder
    numbers, in this URL configuration and under this script prefix) and each argument
    written into it, as ``reverse`` would write it (``str``). Anything else goes to
    ``reverse``, and so does a name ``reverse`` refuses."""
    if not all(type(arg) is int and arg >= 0 for arg in args):
        return reverse(name, args=args or None)
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    pattern = _pattern(str(urlconf), get_script_prefix(), name, len(args))
    if pattern is None:
        return reverse(name, args=args or None)
    for n, arg in enumerate(args):
        pattern = pattern.replace(str(_PLACEHOLDER + n), str(arg))
    return pattern


def url_for(target: Target) -> str:
    """The path of the page that shows ``target``: ``/discussions/12/``."""
    if target.key is None:
        return path_of(PAGES[target.kind])
    return path_of(PAGES[target.kind], target.key)


def absolute_url_for(target: Target) -> str:
    """The full address of that page, for an email: ``https://…/discussions/12/``."""
    return f"{settings.STRATEGISE_BASE_URL}{url_for(target)}"
