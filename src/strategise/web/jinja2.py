"""The Jinja2 environment for every page: GOV.UK macros, ``static``, ``url`` and
``url_for`` (where a selector's ``Target`` is), and citations in words (``cite``,
``cited``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.messages import get_messages
from django.forms import BoundField
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import BaseLoader, ChoiceLoader, Environment, PackageLoader, PrefixLoader, Undefined
from markupsafe import Markup

from strategise.access import (
    NO_CASE_ACCESS,
    may_administer,
    may_oversee,
    may_see_patterns,
    may_see_reports,
)
from strategise.notifications.selectors import unread_count
from strategise.organisations.models import User
from strategise.organisations.second_factor import SecondFactors
from strategise.policy.citations import cite
from strategise.policy.wording import format_when
from strategise.web.datetimes import day_in_words, deadline_in_words
from strategise.web.govuk import lower_first
from strategise.web.language import language_after_saving
from strategise.web.links import path_of, url_for


def url(name: str, *args: Any, **kwargs: Any) -> str:
    """The path of a named URL, as Django's ``{% url %}`` gives it (``links.path_of``)."""
    if kwargs:
        return reverse(name, args=args or None, kwargs=kwargs)
    return path_of(name, *args)


def choice_items(choices: Iterable[tuple[Any, Any]]) -> list[dict[str, str]]:
    """A form field's ``(value, label)`` choices as the GOV.UK radios' and checkboxes' items."""
    return [{"value": str(value), "text": str(label)} for value, label in choices]


def select_items(field: BoundField) -> list[dict[str, Any]]:
    """A choice field's choices as the GOV.UK select's items, the current value selected."""
    choices = getattr(field.field, "choices", [])
    value = "" if field.value() is None else str(field.value())
    return [
        {"value": str(key), "text": str(text), "selected": str(key) == value}
        for key, text in choices
    ]


def labels(codes: Iterable[str], names: dict[str, str]) -> list[str]:
    """The plain-English labels of vocabulary codes (an unknown code shows as itself)."""
    return [names.get(code, code) for code in codes]


def cited(source: str) -> Markup:
    """A citation in words ("Sandwell procedure §9.0"), its source file in the title for
    whoever maintains the profile; a source that names no procedure, as it is."""
    words = cite(source)
    if words == source:
        return Markup.escape(source)
    return Markup('<span class="app-citation" title="Profile source: {}">{}</span>').format(
        source, words
    )


def second_factor_words(factors: SecondFactors) -> str:
    """What second factors someone has: "Authenticator app, 1 passkey, 10 recovery codes"."""
    parts = ["Authenticator app"] if factors.app else []
    if factors.passkeys:
        parts.append(f"{factors.passkeys} passkey{'' if factors.passkeys == 1 else 's'}")
    if factors.recovery_codes:
        codes = factors.recovery_codes
        parts.append(f"{codes} recovery code{'' if codes == 1 else 's'}")
    return ", ".join(parts) if factors.any else "Not set up yet"


def _section(request: HttpRequest, name: str, text: str, html: str = "") -> dict[str, Any]:
    """A service navigation item: "active" anywhere in its section (aria-current="true"),
    "current" on the section's own page (aria-current="page")."""
    href = path_of(name)
    item: dict[str, Any] = {
        "href": href,
        "text": text,
        "active": request.path.startswith(href),
        "current": request.path == href,
    }
    if html:
        item["html"] = html
    return item


def signed_in_navigation(request: HttpRequest) -> list[dict[str, Any]]:
    """The navigation items that depend on who is signed in, each only for those the access
    rules let use it: my work, children, adults and disagreements for case work, notifications with
    how many are unread, and oversight, patterns across cases, reports and accounts for those
    who may see them."""
    user = request.user
    if not isinstance(user, User):
        return []
    unread = unread_count(user=user)
    counted = (
        Markup(
            'Notifications <span class="app-unread-count">({}<span class="govuk-visually-hidden">'
            " unread</span>)</span>"
        ).format(unread)
        if unread
        else ""
    )
    # Case work (my work, children, adults, disagreements) only for those who may see case records.
    casework = user.role not in NO_CASE_ACCESS
    items = []
    if casework:
        my_work = _section(request, "web:my-work", "My work")
        items += [
            {**my_work, "active": my_work["current"]},
            _section(request, "web:children", "Children"),
            _section(request, "web:adults", "Adults"),
        ]
    items.append(_section(request, "notifications:list", "Notifications", counted))
    if casework:
        items.append(_section(request, "web:disagreements", "Disagreements"))
    if may_oversee(user):
        items.append(_section(request, "oversight:dashboard", "Oversight"))
    if casework and may_see_patterns(user):
        items.append(_section(request, "web:pattern-alerts", "Patterns"))
    if may_see_reports(user):
        items.append(_section(request, "reports:performance", "Reports"))
    if may_administer(user):
        items.append(_section(request, "web:accounts", "Accounts"))
    return items


def environment(**options: Any) -> Environment:
    """Build the environment Django's Jinja2 backend renders with."""
    project_loader: BaseLoader = options.pop("loader")
    options["loader"] = ChoiceLoader(
        [
            project_loader,
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    # The GOV.UK macros test optional parameters by reading them; Django's debug-mode
    # DebugUndefined would print those reads into the page, so use the plain one always.
    options["undefined"] = Undefined
    env = Environment(**options)  # noqa: S701 - Django's backend sets autoescape=True
    env.globals.update(
        {
            "static": static,
            "url": url,
            "url_for": url_for,
            "choice_items": choice_items,
            "select_items": select_items,
            "get_messages": get_messages,
            "language_after_saving": language_after_saving,
            "signed_in_navigation": signed_in_navigation,
            "second_factor_words": second_factor_words,
        }
    )
    env.filters["deadline_in_words"] = deadline_in_words
    env.filters["when"] = format_when
    env.filters["day"] = day_in_words
    env.filters["labels"] = labels
    env.filters["lower_first"] = lower_first
    env.filters["cite"] = cite
    env.filters["cited"] = cited
    return env
