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


def test_profiles_check_a_file_nested_too_deeply(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("name: " + "[" * 5000 + "]" * 5000 + "\n")
    status, out, err = _run(capsys, "profiles", "check", str(path))
    assert (status, out) == (2, "")
    assert err == f"strategise: {path}: is nested too deeply to be a profile\n"


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


# --- bad input never ends in a traceback: exit 2, naming the field --------------------


def _refused(capsys: pytest.CaptureFixture[str], text: str) -> str:
    """Triage ``text`` as standard input; assert it was refused; return the message."""
    status, out, err = _run(capsys, "triage", "-", "--json", stdin=text)
    assert (status, out) == (2, "")
    assert err.startswith("strategise: ") and "Traceback" not in err
    return err.removeprefix("strategise: ").rstrip("\n")


def _facts(**changes: object) -> str:
    return json.dumps({**FACTS, **changes})


def test_a_date_in_year_9999_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert _refused(capsys, _facts(identified_at="9999-12-31T23:00")) == (
        "identified_at: must be in the years 2000 to 2099 (got '9999-12-31T23:00')"
    )


def test_json_nested_100000_deep_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert _refused(capsys, "[" * 100_000 + "]" * 100_000) == (
        "-: is nested too deeply to be facts (objects in lists in objects at most)"
    )


def test_a_5000_digit_number_is_refused_by_its_field(capsys: pytest.CaptureFixture[str]) -> None:
    text = _facts(children=[{"id": "c1"}]).replace('"c1"', "9" * 5000)
    assert _refused(capsys, text) == (
        f"children[0].id: Input should be a valid string (got {'9' * 39}…)"
    )


def test_a_date_with_no_time_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert _refused(capsys, _facts(identified_at="2026-03-06")).startswith(
        "identified_at: must give the time as well as the date"
    )


def test_a_london_time_that_never_existed_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert _refused(capsys, _facts(identified_at="2026-03-29T01:30")).startswith(
        "identified_at: 01:30 on 29 March 2026 never happened in London"
    )


def test_a_london_time_that_happened_twice_needs_an_offset(
    capsys: pytest.CaptureFixture[str],
) -> None:
    message = _refused(capsys, _facts(identified_at="2026-10-25T01:30"))
    assert message.startswith("identified_at: 01:30 on 25 October 2026 happened twice in London")
    status, out, _ = _run(
        capsys, "triage", "-", "--json", stdin=_facts(identified_at="2026-10-25T01:30+01:00")
    )
    assert status == 0
    assert json.loads(out)["timescales"]


def test_a_date_of_birth_after_the_concerns_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert _refused(capsys, _facts(children=[{"date_of_birth": "2026-04-01"}])).startswith(
        "children[0].date_of_birth: 2026-04-01 is after concerns were identified (2026-03-06)"
    )


def test_an_unborn_child_with_a_past_date_of_birth_is_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = _facts(children=[{"unborn": True, "date_of_birth": "2025-04-01"}])
    assert _refused(capsys, text).startswith(
        "children[0].date_of_birth: 2025-04-01 is before concerns were identified (2026-03-06) "
        "but the child is unborn"
    )


def test_a_field_given_twice_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    text = '{"profile": "sandwell", "profile": "pcc", "identified_at": "2026-03-06T10:15", '
    text += '"concerns": ["neglect"]}'
    assert _refused(capsys, text) == (
        "profile: is given more than once; give each field once (nothing is guessed)"
    )


def test_a_field_given_twice_in_a_child_is_named_with_its_child(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = _facts(children=[{}, {"unborn": True}]).replace(
        '"unborn": true', '"unborn": true, "unborn": false'
    )
    assert _refused(capsys, text).startswith("children[1].unborn: is given more than once")


def test_an_echoed_bad_value_is_cut_short(capsys: pytest.CaptureFixture[str]) -> None:
    assert _refused(capsys, _facts(profile="p" * 5000)).startswith(
        f"profile: '{'p' * 38}… is not a profile; choose one of: birmingham,"
    )


def test_a_file_that_is_not_utf_8_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "facts.json"
    path.write_bytes(b"\xff\xfe{}")
    status, _, err = _run(capsys, "triage", str(path))
    assert status == 2
    assert err == f"strategise: {path}: is not UTF-8 text, so it cannot be JSON\n"


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--held-at", "9999-12-31T10:00", "held_at: must be in the years 2000 to 2099"),
        ("--held-at", "2026-03-06", "held_at: must give the time as well as the date"),
        ("--identified-at", "2026-03-29T01:30", "identified_at: 01:30 on 29 March 2026 never"),
        ("--identified-at", "2026-10-25T01:30", "identified_at: 01:30 on 25 October 2026 happe"),
    ],
)
def test_clocks_refuse_the_same_bad_times(
    capsys: pytest.CaptureFixture[str], option: str, value: str, message: str
) -> None:
    times = {"--identified-at": "2026-03-02T10:00", "--held-at": "2026-03-04T15:00", option: value}
    argv = ["clocks", "--profile", "pcc", *(part for pair in times.items() for part in pair)]
    status, out, err = _run(capsys, *argv)
    assert (status, out) == (2, "")
    assert err.startswith(f"strategise: {message}")
