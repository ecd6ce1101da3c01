"""Triage answers for realistic cases, kept as reviewed snapshot files.

Each ``cases/<profile>/<case>.json`` holds the facts of a case; its reviewed answer is
``snapshots/<profile>/<case>.json``. A changed answer fails until a person has rewritten
the snapshot with ``scripts/generate_snapshots.py`` and reviewed it: a test run only
compares, and never writes its own expected answer.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from strategise.policy import triage
from strategise.policy.profiles import PROFILE_DIRECTORY, load_directory

HERE = Path(__file__).parent
CASES = sorted((HERE / "cases").glob("*/*.json"))


def _strip_version(answer: dict[str, object]) -> dict[str, object]:
    # The version carries a digest of the profile file; the answer itself is what is reviewed.
    return {key: value for key, value in answer.items() if key != "profile_version"}


@pytest.mark.parametrize("case", CASES, ids=[f"{p.parent.name}/{p.stem}" for p in CASES])
def test_triage_answer_matches_reviewed_snapshot(case: Path) -> None:
    facts = json.loads(case.read_text())
    answer = _strip_version(triage(facts).to_dict())
    snapshot = HERE / "snapshots" / case.parent.name / case.name
    assert snapshot.exists(), (
        f"no reviewed snapshot for {case.name}: run scripts/generate_snapshots.py and review it"
    )
    assert answer == json.loads(snapshot.read_text())


def test_profiles_built_afresh_answer_every_case_as_reviewed() -> None:
    # The built-in profiles are built once per process; this builds them here, so that
    # how a profile is compiled is itself held to the reviewed answers.
    profiles = load_directory(PROFILE_DIRECTORY)
    for case in CASES:
        answer = _strip_version(triage(json.loads(case.read_text()), profiles).to_dict())
        snapshot = HERE / "snapshots" / case.parent.name / case.name
        assert answer == json.loads(snapshot.read_text()), case.name


def test_every_profile_has_realistic_cases() -> None:
    profiles = {path.parent.name for path in CASES}
    assert profiles >= {"national", "birmingham", "bristol", "sandwell", "gloucestershire", "pcc"}
