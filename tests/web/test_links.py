"""Where each kind of target is on the site: the one place a target becomes a URL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings
from django.urls import (
    NoReverseMatch,
    URLPattern,
    URLResolver,
    get_resolver,
    reverse,
    set_script_prefix,
)
from django.urls.converters import IntConverter

from strategise.links import Target, TargetKind
from strategise.web.links import PAGES, absolute_url_for, path_of, url_for


@pytest.mark.parametrize(
    ("target", "path"),
    [
        (Target(TargetKind.REQUEST, 7), "/requests/7/"),
        (Target(TargetKind.DISCUSSION, 12), "/discussions/12/"),
        (Target(TargetKind.DISCUSSION_CLOCKS, 12), "/discussions/12/clocks/"),
        (Target(TargetKind.DISAGREEMENT, 3), "/disagreements/3/"),
        (Target(TargetKind.MY_WORK), "/my-work/"),
    ],
    ids=lambda value: str(value.kind) if isinstance(value, Target) else value,
)
def test_each_kind_of_target_has_its_page(target: Target, path: str) -> None:
    assert url_for(target) == path


def test_every_kind_has_a_page() -> None:
    assert set(PAGES) == set(TargetKind)


@override_settings(STRATEGISE_BASE_URL="https://strategise.example.gov.uk")
def test_an_email_gets_the_full_address() -> None:
    assert (
        absolute_url_for(Target(TargetKind.DISCUSSION, 12))
        == "https://strategise.example.gov.uk/discussions/12/"
    )


def test_a_record_target_needs_its_key() -> None:
    with pytest.raises(ValueError, match="A link of kind 'discussion' takes the key of its record"):
        Target(TargetKind.DISCUSSION)


def test_my_work_takes_no_key() -> None:
    with pytest.raises(ValueError, match="A link of kind 'my-work' takes no key, not 3"):
        Target(TargetKind.MY_WORK, 3)


# --- a page's paths, worked out once per URL name -------------------------------------------


def _named_routes(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, list[str]]]:
    """Every named route of the URL configuration (``web:request``) and its converters."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from (
                (name, [*entry.pattern.converters.values(), *converters])
                for name, converters in _named_routes(entry.url_patterns, inner)
            )
        elif isinstance(entry, URLPattern) and entry.name:
            converters = getattr(entry.pattern, "converters", {})
            regex_groups = entry.pattern.regex.groups
            if regex_groups == len(converters):
                yield f"{namespace}{entry.name}", list(converters.values())


def test_every_page_path_is_the_one_reverse_gives() -> None:
    """For every named route whose arguments are whole numbers (or that takes none), the
    path filled in from the pattern worked out once is ``reverse``'s, for several keys."""
    routes = [
        (name, converters)
        for name, converters in _named_routes(get_resolver().url_patterns)
        if all(isinstance(converter, IntConverter) for converter in converters)
    ]
    assert len(routes) > 50
    checked = 0
    for name, converters in routes:
        for key in (0, 7, 12, 987_654_321):
            args = [key + n for n in range(len(converters))]
            try:
                expected = reverse(name, args=args or None)
            except NoReverseMatch:
                continue  # a name with another route of the same name that takes other args
            assert path_of(name, *args) == expected, name
            checked += 1
    assert checked > 200


def test_a_path_with_other_arguments_is_reverses_and_a_wrong_name_is_refused() -> None:
    assert path_of("web:request", "7") == reverse("web:request", args=["7"]) == "/requests/7/"
    with pytest.raises(NoReverseMatch):
        path_of("web:no-such-page", 1)
    with pytest.raises(NoReverseMatch):
        path_of("web:request", -1)


@override_settings(ROOT_URLCONF="tests.benchmarks.floor_urls")
def test_a_path_follows_the_url_configuration_in_use() -> None:
    assert path_of("bench-floor", 3) == "/bench-floor/3/"
    assert path_of("web:request", 5) == "/requests/5/"


def test_a_path_follows_the_script_prefix() -> None:
    set_script_prefix("/strategise/")
    try:
        assert path_of("web:request", 5) == "/strategise/requests/5/"
    finally:
        set_script_prefix("/")
    assert path_of("web:request", 5) == "/requests/5/"
