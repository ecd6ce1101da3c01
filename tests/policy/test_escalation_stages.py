"""Professional disagreement stages: each procedure's escalation route, with its clause."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from strategise.policy import ProfileError, check_profile_file, get_profile
from strategise.policy.profiles import load_directory
from tests.policy.support import BASELINE

HEADER = """
name: {name}
title: A test procedure
source_file: test.txt
version: "1"
"""

STAGE = """
  - id: {id}
    source: §8
    title: Line managers
    holder: The line managers
    held_by: line_managers
    reason: They talk to each other.
"""


def _write(directory: Path, name: str, body: str = "") -> Path:
    path = directory / f"{name}.yaml"
    path.write_text(HEADER.format(name=name) + textwrap.dedent(body))
    return path


def _titles(profile: str) -> list[str]:
    return [stage["title"] for stage in get_profile(profile).escalation_stages]


def test_gloucestershire_disagreements_go_from_professionals_to_the_partnership() -> None:
    assert _titles("gloucestershire") == [
        "Professional to professional",
        "Line managers",
        "Strategy discussion leads",
        "Safeguarding partnership",
    ]
    for stage in get_profile("gloucestershire").escalation_stages:
        assert stage["source"] == (
            "003_d9dc6ed7629d3148.txt §Dispute Resolution and Escalation Procedure"
        )


def test_gloucestershire_leads_are_named_by_agency() -> None:
    leads = get_profile("gloucestershire").escalation_stages[2]
    assert "Police MASH Manager" in leads["holder"]
    assert "Head of Safeguarding" in leads["holder"]


def test_bristol_8_1_closest_level_then_the_partnership_procedure() -> None:
    stages = get_profile("bristol").escalation_stages
    assert [stage["source"] for stage in stages] == ["001_2d544eb75ad81283.txt §8.1"] * 2
    assert "closest to the area of dispute" in stages[0]["reason"]
    assert "Resolution of Professional" in stages[1]["holder"]


def test_sandwell_12_0_senior_managers_then_the_lscb_escalation_policy() -> None:
    stages = get_profile("sandwell").escalation_stages
    assert _titles("sandwell") == ["Senior managers", "Safeguarding partnership escalation policy"]
    assert stages[0]["source"] == "002_3bebd37290b13db4.txt §12.0"
    assert "commensurate with the need to safeguard the child" in stages[0]["reason"]


def test_procedures_without_a_dispute_clause_inherit_the_national_route() -> None:
    national = get_profile("national").escalation_stages
    assert [stage["held_by"] for stage in national] == [
        "counterpart",
        "line_managers",
        "senior_managers",
        "outside",
    ]
    assert {stage["source"] for stage in national} == {
        "Working Together to Safeguard Children 2023 ch.2 Multi-agency safeguarding arrangements"
    }
    assert get_profile("birmingham").escalation_stages == national
    assert get_profile("pcc").escalation_stages == national


def test_sandwell_12_0_is_held_by_senior_managers_then_outside_strategise() -> None:
    held_by = [stage["held_by"] for stage in get_profile("sandwell").escalation_stages]
    assert held_by == ["senior_managers", "outside"]


def test_gloucestershire_dispute_resolution_line_managers_then_strategy_leads() -> None:
    held_by = [stage["held_by"] for stage in get_profile("gloucestershire").escalation_stages]
    assert held_by == ["counterpart", "line_managers", "strategy_leads", "outside"]


def test_bristol_8_1_closest_professionals_then_outside_strategise() -> None:
    held_by = [stage["held_by"] for stage in get_profile("bristol").escalation_stages]
    assert held_by == ["counterpart", "outside"]


def test_a_stage_names_who_holds_it_from_the_vocabulary(tmp_path: Path) -> None:
    body = "escalation_stages:" + STAGE.format(id="odd").replace("line_managers", "the_mayor")
    path = _write(tmp_path, "odd", body)
    with pytest.raises(ProfileError, match="held_by"):
        check_profile_file(path)


def test_stages_are_inherited_by_a_profile_without_its_own(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "parent",
        "escalation_stages:" + STAGE.format(id="parent-8-managers") + BASELINE,
    )
    _write(tmp_path, "child", "extends: parent\n")
    profiles = load_directory(tmp_path)
    assert profiles["child"].escalation_stages == (
        {
            "id": "parent-8-managers",
            "title": "Line managers",
            "holder": "The line managers",
            "held_by": "line_managers",
            "reason": "They talk to each other.",
            "source": "test.txt §8",
        },
    )


def test_a_profiles_own_stages_replace_its_parents(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "parent",
        "escalation_stages:" + STAGE.format(id="parent-8-managers") + BASELINE,
    )
    _write(
        tmp_path,
        "child",
        "extends: parent\nescalation_stages:" + STAGE.format(id="child-8-managers"),
    )
    profiles = load_directory(tmp_path)
    assert [s["id"] for s in profiles["child"].escalation_stages] == ["child-8-managers"]


def test_stage_ids_must_be_unique(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "twice",
        "escalation_stages:" + STAGE.format(id="same") + STAGE.format(id="same"),
    )
    with pytest.raises(ProfileError, match="escalation stage ids must be unique"):
        check_profile_file(path)


def test_a_stage_needs_its_holder(tmp_path: Path) -> None:
    body = "escalation_stages:\n  - id: no-holder\n    source: §8\n    title: T\n    reason: R\n"
    path = _write(tmp_path, "noholder", body)
    with pytest.raises(ProfileError, match="holder"):
        check_profile_file(path)


def test_a_disagreement_is_first_held_in_strategise(tmp_path: Path) -> None:
    body = "escalation_stages:" + STAGE.format(id="outside-first").replace(
        "line_managers", "outside"
    )
    path = _write(tmp_path, "outsidefirst", body)
    with pytest.raises(ProfileError, match="first escalation stage cannot be held outside"):
        check_profile_file(path)
