"""Every citation a profile's data yields names its own procedure or Working Together.

A Sandwell discussion must never be told a Gloucestershire clause: where a procedure is
silent, the answer comes from the national baseline (Working Together to Safeguard
Children 2023), never from another area. The pages and minutes that print these
citations are checked against the same rule in their own tests.
"""

from __future__ import annotations

import pytest

from strategise.policy import get_profile, list_profiles

WORKING_TOGETHER = "Working Together to Safeguard Children 2023"
NAMES = [profile.name for profile in list_profiles()]


def _foreign(name: str) -> list[tuple[str, str]]:
    """The citations of a profile that name neither its own file nor Working Together."""
    profile = get_profile(name)
    own = (f"{profile.source_file} §", f"{WORKING_TOGETHER} ch.")
    return [(what, cited) for what, cited in profile.citations() if not cited.startswith(own)]


@pytest.mark.parametrize("name", NAMES)
def test_every_citation_names_the_profiles_own_procedure_or_working_together(name: str) -> None:
    assert _foreign(name) == []


@pytest.mark.parametrize("name", NAMES)
def test_the_citations_cover_how_the_discussion_is_run(name: str) -> None:
    kinds = {what for what, _ in get_profile(name).citations()}
    assert {
        "risk questions",
        "review questions",
        "reconvening",
        "initial child protection conference",
        "no medical assessment",
        "sharing marker not_for_family",
    } <= kinds


def test_sandwells_citations_name_no_other_area() -> None:
    cited = " ".join(source for _, source in get_profile("sandwell").citations())
    for other in ("000_394093cbef3e5ee1", "001_2d544eb75ad81283", "003_d9dc6ed7629d3148"):
        assert other not in cited


def test_every_kind_of_statement_contributes_its_citation() -> None:
    kinds = {what.split(" ")[0] for what, _ in get_profile("sandwell").citations()}
    assert {"rule", "agenda", "nfa_confirmation", "escalation", "interval", "sharing"} <= kinds
