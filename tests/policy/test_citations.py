"""Every citation a profile's data yields names its own procedure or Working Together.

A Sandwell discussion must never be told a Gloucestershire clause: where a procedure is
silent, the answer comes from the national baseline (Working Together to Safeguard
Children 2023), never from another area. The pages and minutes that print these
citations are checked against the same rule in their own tests.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from strategise.policy import check_profile_file, get_profile, list_profiles
from strategise.policy.citations import cite
from strategise.policy.profiles import PROFILE_DIRECTORY

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


# --- in words -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("002_3bebd37290b13db4.txt §9.0", "Sandwell procedure §9.0"),
        ("000_394093cbef3e5ee1.txt §7", "Birmingham guidance §7"),
        ("001_2d544eb75ad81283.txt §5.4", "Bristol guidance §5.4"),
        (
            "003_d9dc6ed7629d3148.txt §Risk Review Principles",
            "Gloucestershire guidance §Risk Review Principles",
        ),
        ("004_737dac9b5b9fb982.txt §Remember", "PCC One Minute Guide §Remember"),
        (
            "Working Together to Safeguard Children 2023 ch.3 Strategy discussion",
            "Working Together 2023, chapter 3: Strategy discussion",
        ),
        ("Working Together to Safeguard Children 2023 ch.3", "Working Together 2023, chapter 3"),
        ("002_3bebd37290b13db4.txt", "Sandwell procedure"),
    ],
)
def test_a_citation_in_words_names_the_procedure_by_its_short_title(
    source: str, words: str
) -> None:
    assert cite(source) == words


def test_citations_joined_together_are_each_put_in_words() -> None:
    assert cite("002_3bebd37290b13db4.txt §4.2; 002_3bebd37290b13db4.txt §9.0") == (
        "Sandwell procedure §4.2; Sandwell procedure §9.0"
    )


@pytest.mark.parametrize(
    "source",
    ["Agreed at the strategy discussion", "", "002_3bebd37290b13db4.txtx §1", "§9.0"],
)
def test_a_source_that_names_no_procedure_is_left_as_it_is(source: str) -> None:
    assert cite(source) == source


def test_the_profiles_given_are_the_only_ones_put_in_words() -> None:
    sandwell = get_profile("sandwell")
    assert cite("002_3bebd37290b13db4.txt §9.0", [sandwell]) == "Sandwell procedure §9.0"
    assert cite("000_394093cbef3e5ee1.txt §7", [sandwell]) == "000_394093cbef3e5ee1.txt §7"


def test_joined_citations_are_each_put_in_words_from_the_profiles_given() -> None:
    sandwell = get_profile("sandwell")
    joined = "002_3bebd37290b13db4.txt §9.0; 000_394093cbef3e5ee1.txt §7"
    assert cite(joined, [sandwell]) == "Sandwell procedure §9.0; 000_394093cbef3e5ee1.txt §7"


def test_a_file_name_that_begins_another_is_not_taken_for_it() -> None:
    short = replace(get_profile("pcc"), source_file="guide", short_title="Short guide")
    long = replace(get_profile("pcc"), source_file="guide 2", short_title="Second guide")
    assert cite("guide 2 §1", [short, long]) == "Second guide §1"
    assert cite("guide §1", [long, short]) == "Short guide §1"


@pytest.mark.parametrize("name", NAMES)
def test_every_profile_has_a_short_title_of_its_own(name: str) -> None:
    profile = get_profile(name)
    others = {p.short_title for p in list_profiles() if p.name != name}
    assert profile.short_title != profile.title
    assert profile.short_title not in others
    assert not any(profile.short_title in other or other in profile.short_title for other in others)


@pytest.mark.parametrize("name", NAMES)
def test_every_citation_in_words_names_its_own_procedure_or_working_together(name: str) -> None:
    profile = get_profile(name)
    own = (f"{profile.short_title} §", "Working Together 2023, chapter ")
    assert [cited for _, cited in profile.citations() if not cite(cited).startswith(own)] == []


def test_a_profile_without_a_short_title_is_cited_by_its_title(tmp_path: Path) -> None:
    text = (PROFILE_DIRECTORY / "pcc.yaml").read_text(encoding="utf-8")
    path = tmp_path / "pcc.yaml"
    path.write_text(text.replace("short_title: PCC One Minute Guide\n", ""), encoding="utf-8")
    profile = check_profile_file(path)
    assert profile.short_title == profile.title == "PCC — One Minute Guide, strategy discussions"
