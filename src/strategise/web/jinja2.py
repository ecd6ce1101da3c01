"""The Jinja2 environment for every page: GOV.UK macros, ``static`` and ``url``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.templatetags.static import static
from django.urls import reverse
from jinja2 import BaseLoader, ChoiceLoader, Environment, PackageLoader, PrefixLoader, Undefined

from strategise.web.datetimes import deadline_in_words


def url(name: str, *args: Any, **kwargs: Any) -> str:
    """The path of a named URL, as Django's ``{% url %}`` gives it."""
    return reverse(name, args=args or None, kwargs=kwargs or None)


def choice_items(choices: Iterable[tuple[Any, Any]]) -> list[dict[str, str]]:
    """A form field's ``(value, label)`` choices as the GOV.UK radios' and checkboxes' items."""
    return [{"value": str(value), "text": str(label)} for value, label in choices]


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
    env.globals.update({"static": static, "url": url, "choice_items": choice_items})
    env.filters["deadline_in_words"] = deadline_in_words
    return env
