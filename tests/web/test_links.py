"""Where each kind of target is on the site: the one place a target becomes a URL."""

from __future__ import annotations

import pytest
from django.test import override_settings

from strategise.links import Target, TargetKind
from strategise.web.links import PAGES, absolute_url_for, url_for


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
