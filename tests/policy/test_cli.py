"""The ``strategise`` command line of the contract: profiles, triage and clocks."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from strategise.cli import main

FACTS = {
    "profile": "sandwell",
    "identified_at": "2026-03-06T10:15:00",
    "concerns": ["physical_abuse"],
    "flags": {"emergency_action_taken": True},
}


def _run(capsys: pytest.CaptureFixture[str], *argv: str, stdin: str = "") -> tuple[int, str, str]:
    status = main(list(argv), stdin=io.StringIO(stdin))
    out, err = capsys.readouterr()
    return status, out, err


def test_profiles_lists_each_profile_with_its_source(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, "profiles")
    assert status == 0
    assert out.splitlines()[0].startswith("national ")
    assert "cited as: Sandwell procedure; source: 002_3bebd37290b13db4.txt" in out


def test_profiles_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, "profiles", "--json")
    listing = json.loads(out)
    assert status == 0
    assert {"name": "sandwell", "source": "002_3bebd37290b13db4.txt"}.items() <= next(
        p for p in listing if p["name"] == "sandwell"
    ).items()


def test_profiles_check_a_valid_file(capsys: pytest.CaptureFixture[str]) -> None:
    path = Path(__file__).parent / "fixtures" / "base.yaml"
    status, out, _ = _run(capsys, "profiles", "check", str(path))
    assert status == 0
    assert out.strip() == f"{path}: profile 'base' is valid (2 rules)."


def test_profiles_check_a_broken_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("name: broken\n")
    status, out, err = _run(capsys, "profiles", "check", str(path))
    assert status == 2
    assert out == ""
    assert err.startswith("strategise: broken.yaml: title: required but missing")


def test_profiles_check_without_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _run(capsys, "profiles", "check")
    assert (status, err) == (2, "strategise: profiles check: name the profile file to check\n")


def test_profiles_with_a_stray_argument(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["profiles", "sandwell.yaml"])
    assert caught.value.code == 2
    assert "invalid choice: 'sandwell.yaml'" in capsys.readouterr().err


def test_triage_json_from_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(FACTS))
    status, out, err = _run(capsys, "triage", str(path), "--json")
    answer = json.loads(out)
    assert (status, err) == (0, "")
    assert answer["hold_by"] == "2026-03-09T23:59:59+00:00"
    assert answer["discussion_type"] == "standard"
    # The contract's JSON keeps the source file: the words are for the summary.
    assert answer["timescales"][0]["source"] == "002_3bebd37290b13db4.txt §9.0"


def test_triage_from_standard_input_reads_as_a_summary(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, "triage", "-", stdin=json.dumps(FACTS))
    assert status == 0
    assert "Hold by Monday 9 March 2026, 11:59pm — within one working day" in out
    assert "(Sandwell procedure §9.0)" in out
    assert ".txt" not in out  # the source file is for whoever maintains the profile
    assert "Must attend:" in out and "  - Police: " in out
    assert "Chair: team manager or above" in out


def test_triage_bad_facts_exit_2_naming_the_field(capsys: pytest.CaptureFixture[str]) -> None:
    bad = {**FACTS, "concerns": ["bullying"]}
    status, out, err = _run(capsys, "triage", "-", "--json", stdin=json.dumps(bad))
    assert status == 2
    assert out == ""
    assert err.startswith("strategise: concerns[0]: Input should be 'physical_abuse'")


def test_triage_each_problem_on_its_own_line(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _run(capsys, "triage", "-", stdin='{"profile": "sandwell"}')
    assert status == 2
    assert err.splitlines() == [
        "strategise: identified_at: required but missing",
        "concerns: required but missing",
    ]


def test_triage_invalid_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _run(capsys, "triage", "-", stdin="{not json")
    assert status == 2
    assert err.startswith("strategise: -: is not valid JSON")


def test_triage_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, _, err = _run(capsys, "triage", str(tmp_path / "nope.json"))
    assert status == 2
    assert "nope.json: cannot be read (No such file or directory)" in err


def test_clocks_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(
        capsys,
        "clocks",
        "--profile", "sandwell",
        "--identified-at", "2026-03-04T10:00",
        "--held-at", "2026-03-04T15:00",
        "--section-47",
        "--json",
    )  # fmt: skip
    clocks = {clock["code"]: clock for clock in json.loads(out)["clocks"]}
    assert status == 0
    assert clocks["icpc_held"]["due"] == "2026-03-25T23:59:59+00:00"
    assert clocks["decisions_circulated"]["due"] == "2026-03-05T23:59:59+00:00"
    assert clocks["decisions_circulated"]["source"] == "002_3bebd37290b13db4.txt §11.0"


def test_clocks_complex_and_out_of_hours_options(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(
        capsys,
        "clocks",
        "--profile", "sandwell",
        "--identified-at", "2026-03-04T10:00",
        "--held-at", "2026-03-04T15:00",
        "--complex",
        "--out-of-hours",
        "--json",
    )  # fmt: skip
    answer = json.loads(out)
    assert status == 0
    assert (answer["discussion_type"], answer["out_of_hours"]) == ("complex", True)


def test_clocks_summary(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(
        capsys,
        "clocks",
        "--profile", "sandwell",
        "--identified-at", "2026-03-04T10:00",
        "--held-at", "2026-03-04T15:00",
    )  # fmt: skip
    assert status == 0
    assert "Discussion held Wednesday 4 March 2026, 3pm." in out
    assert "Decisions and action points circulated: by Thursday 5 March 2026, 11:59pm" in out
    assert "(Sandwell procedure §11.0)." in out
    assert ".txt" not in out


def test_clocks_bad_time(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _run(
        capsys, "clocks", "--profile", "sandwell", "--identified-at", "soon", "--held-at", "later"
    )
    assert status == 2
    assert err.startswith("strategise: identified_at: must be an ISO 8601 date and time")


def test_unknown_command_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["frobnicate"])
    assert caught.value.code == 2
    assert "invalid choice: 'frobnicate'" in capsys.readouterr().err
