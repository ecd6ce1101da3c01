"""Profiles are data: a broken one fails to load with a message naming file, rule and field."""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path

import pytest
import yaml

from strategise.policy import ProfileError, check_profile_file, get_profile, list_profiles
from strategise.policy.profiles import PROFILE_DIRECTORY, ProfileDirectory, load_directory
from tests.policy.support import BASELINE

MINIMAL = """
name: {name}
title: A test procedure
source_file: test.txt
version: "1"
"""


def _write(directory: Path, name: str, body: str = "", header: str = MINIMAL) -> Path:
    path = directory / f"{name}.yaml"
    path.write_text(header.format(name=name) + textwrap.dedent(body))
    return path


def _error(path: Path) -> str:
    with pytest.raises(ProfileError) as caught:
        check_profile_file(path)
    return str(caught.value)


def test_every_builtin_profile_loads_and_extends_national() -> None:
    names = [profile.name for profile in list_profiles()]
    assert names[0] == "national"
    assert set(names) == {p.stem for p in PROFILE_DIRECTORY.glob("*.yaml")}
    for profile in list_profiles()[1:]:
        assert profile.extends == "national"


def test_every_builtin_rule_cites_its_source_file_and_section() -> None:
    for profile in list_profiles():
        for rules in profile.rules.values():
            for compiled in rules:
                assert " §" in compiled.citation or compiled.citation.startswith(
                    "Working Together to Safeguard Children 2023 ch."
                ), compiled.rule.id


def test_a_profile_inherits_its_parents_rules_after_its_own() -> None:
    sandwell = get_profile("sandwell")
    ids = [compiled.rule.id for compiled in sandwell.section("clocks")]
    assert ids.index("sandwell-2-0-icpc-15-working-days") < ids.index(
        "wt2023-ch3-icpc-15-working-days"
    )


def test_replaced_parent_rules_are_dropped() -> None:
    with pytest.raises(KeyError) as missing:
        get_profile("sandwell").rule("wt2023-ch3-chair-social-care")
    assert missing.value.args == ("wt2023-ch3-chair-social-care",)
    assert get_profile("national").rule("wt2023-ch3-chair-social-care").section == "chair"


def test_a_valid_new_profile_checks_clean(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "newtown",
        """
        extends: national
        timescales:
          - id: newtown-2-1-two-working-days
            source: §2.1
            rule: Within two working days.
            within: 2 working days
        """,
    )
    profile = check_profile_file(path)
    assert profile.name == "newtown"
    assert profile.rule("newtown-2-1-two-working-days").citation == "test.txt §2.1"
    assert profile.rule("wt2023-ch3-minimum-attendees").citation.startswith("Working Together")


def test_unreadable_file(tmp_path: Path) -> None:
    assert "cannot be read" in _error(tmp_path / "missing.yaml")


def test_invalid_yaml(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("name: [unclosed\n")
    assert _error(path).startswith("broken.yaml: is not valid YAML")


def test_yaml_that_is_not_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("- one\n- two\n")
    assert _error(path) == "list.yaml: must be a YAML mapping with a name, title and rules"


def test_schema_error_names_the_file_rule_and_field(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "newtown",
        """
        timescales:
          - id: newtown-9-0-three-days
            source: §9.0
            rule: Within three working days.
            within: 3 workin days
        """,
    )
    message = _error(path)
    assert message.startswith("newtown.yaml (rule 'newtown-9-0-three-days'): timescales[0].within")
    assert "'3 workin days' is not a timescale" in message


def test_schema_error_outside_a_rule_names_the_field(tmp_path: Path) -> None:
    path = _write(tmp_path, "newtown", "nation: wales\n")
    assert _error(path).startswith("newtown.yaml: nation: Input should be 'england_and_wales'")


def test_unknown_attendee_code_is_refused(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "newtown",
        """
        attendees:
          - id: newtown-3-0-vicar
            source: §3.0
            codes: [vicar]
            level: required
            reason: The vicar.
        """,
    )
    message = _error(path)
    assert message.startswith("newtown.yaml (rule 'newtown-3-0-vicar'): attendees[0].codes[0]")


def test_bad_rule_entry_without_an_id(tmp_path: Path) -> None:
    path = _write(tmp_path, "newtown", "steps:\n  - not a rule\n")
    assert _error(path).startswith("newtown.yaml: steps[0]: Input should be a valid dictionary")


def test_duplicate_rule_ids_in_one_file(tmp_path: Path) -> None:
    rule = """
          - id: newtown-1-a
            source: §1
            rule: Same day.
            within: same day
    """
    path = _write(tmp_path, "newtown", "timescales:" + rule + rule)
    assert _error(path).startswith("newtown.yaml: rule id 'newtown-1-a' is used twice (got ")


def test_rule_id_already_used_by_the_parent(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "newtown",
        """
        extends: national
        chair:
          - id: wt2023-ch3-chair-social-care
            source: §4
            minimum_grade: team_manager
            reason: Team manager.
        """,
    )
    assert _error(path) == (
        "newtown.yaml: rule id 'wt2023-ch3-chair-social-care' is already used by its parent"
    )


def test_extending_an_unknown_profile(tmp_path: Path) -> None:
    path = _write(tmp_path, "newtown", "extends: narnia\n")
    message = _error(path)
    assert message.startswith("newtown.yaml: extends: 'narnia' is not a profile (")


def test_replacing_a_rule_the_parent_does_not_have(tmp_path: Path) -> None:
    path = _write(tmp_path, "newtown", "extends: national\nreplaces: [no-such-rule]\n")
    assert _error(path) == "newtown.yaml: replaces: 'no-such-rule' is not a rule of 'national'"


def test_replacing_without_a_parent(tmp_path: Path) -> None:
    path = _write(tmp_path, "newtown", "replaces: [anything]\n")
    assert _error(path) == "newtown.yaml: replaces: only a profile that extends another can"


def test_unknown_named_condition(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "newtown",
        """
        steps:
          - id: newtown-1-legal
            source: §1
            when: {ref: urgent}
            code: legal_advice
            reason: Legal advice.
        """,
    )
    assert _error(path) == (
        "newtown.yaml (rule 'newtown-1-legal'): ref: 'urgent' is not a named condition "
        "(known: none)"
    )


def test_a_clock_rule_may_refer_to_a_named_condition_of_clock_fields(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "newtown",
        """
        extends: national
        conditions:
          decided: {section_47: true}
        clocks:
          - id: newtown-4-icpc
            source: §4
            when: {ref: decided}
            code: icpc_held
            within: 10 working days
            reason: Conference.
        """,
    )
    profile = check_profile_file(path)
    assert profile.rule("newtown-4-icpc").citation == "test.txt §4"


def test_a_triage_rule_cannot_reach_the_decision_through_a_named_condition(
    tmp_path: Path,
) -> None:
    path = _write(
        tmp_path,
        "newtown",
        """
        conditions:
          decided: {section_47: true}
        steps:
          - id: newtown-1-legal
            source: §1
            when: {ref: decided}
            code: legal_advice
            reason: Legal advice.
        """,
    )
    assert "steps rules cannot use section_47" in _error(path)


def test_named_conditions_that_refer_to_each_other_in_a_loop(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "newtown",
        """
        conditions:
          first: {ref: second}
          second: {any_of: [{ref: first}]}
        """,
    )
    assert _error(path) == (
        "newtown.yaml (condition 'first'): named conditions refer to each other in a loop: "
        "first -> second -> first"
    )


def test_triage_rules_cannot_depend_on_the_decision(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "newtown",
        """
        steps:
          - id: newtown-1-s47
            source: §1
            when: {not: {section_47: true}}
            code: legal_advice
            reason: Legal advice.
        """,
    )
    assert _error(path) == (
        "newtown.yaml (rule 'newtown-1-s47'): when: steps rules cannot use section_47"
    )


def test_complex_rules_cannot_depend_on_the_discussion_type(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "newtown",
        """
        conditions:
          is_complex: {discussion_type: complex}
        complex:
          - id: newtown-1-circular
            source: §1
            when: {ref: is_complex}
            reason: Circular.
        """,
    )
    assert "complex rules cannot use discussion_type" in _error(path)


def test_clock_rules_use_only_what_the_clocks_input_says(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "newtown",
        """
        clocks:
          - id: newtown-1-clock
            source: §1
            when: {any_concern: [neglect]}
            code: child_seen
            within: 1 working day
            reason: Seen.
        """,
    )
    assert "clocks rules cannot use any_concern" in _error(path)


def test_chair_exception_conditions_are_checked_too(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "newtown",
        """
        chair:
          - id: newtown-1-chair
            source: §1
            minimum_grade: head_of_service
            reason: Senior.
            exceptions:
              - grade: team_manager
                condition: Expert team manager.
                applies_when: {section_47: true}
        """,
    )
    assert "chair rules cannot use section_47" in _error(path)


def test_directory_profile_name_must_match_its_file(tmp_path: Path) -> None:
    _write(tmp_path, "newtown", BASELINE, header=MINIMAL.replace("{name}", "oldtown"))
    with pytest.raises(ProfileError, match="name: 'oldtown' must match the file name"):
        load_directory(tmp_path)


def test_directory_profiles_that_extend_each_other_in_a_loop(tmp_path: Path) -> None:
    _write(tmp_path, "east", "extends: west\n")
    _write(tmp_path, "west", "extends: east\n")
    with pytest.raises(ProfileError, match="profiles extend each other in a loop"):
        load_directory(tmp_path)


def test_directory_profile_extending_a_missing_profile(tmp_path: Path) -> None:
    _write(tmp_path, "east", "extends: north\n")
    with pytest.raises(ProfileError, match="east.yaml: extends: 'north' is not a profile"):
        load_directory(tmp_path)


def test_directory_loads_parents_before_children(tmp_path: Path) -> None:
    _write(tmp_path, "alpha", "extends: zulu\n")
    _write(tmp_path, "zulu", BASELINE)
    profiles = load_directory(tmp_path)
    assert profiles["alpha"].extends == "zulu"
    assert set(profiles) == {"alpha", "zulu"}


def test_a_profile_is_read_only_when_asked_for_with_its_parents(tmp_path: Path) -> None:
    # One request needs one procedure: the triage command reads that profile and its
    # parents, so a profile nobody asks for is never read (here, one that cannot load).
    _write(tmp_path, "alpha", "extends: zulu\n")
    _write(tmp_path, "zulu", BASELINE)
    (tmp_path / "broken.yaml").write_text("name: [unclosed\n")
    profiles = ProfileDirectory(tmp_path)
    assert sorted(profiles) == ["alpha", "broken", "zulu"]
    assert len(profiles) == 3
    assert profiles["alpha"].extends == "zulu"
    assert profiles["alpha"] is profiles["alpha"]
    assert "nowhere" not in profiles
    with pytest.raises(ProfileError, match="broken.yaml: is not valid YAML"):
        profiles["broken"]


def test_a_profile_that_extends_itself_is_a_loop(tmp_path: Path) -> None:
    _write(tmp_path, "east", "extends: east\n")
    with pytest.raises(ProfileError, match="east.yaml: extends: profiles extend each other"):
        load_directory(tmp_path)


def test_a_file_from_outside_nested_too_deeply_is_refused_not_a_crash(tmp_path: Path) -> None:
    # The built-in profiles are read with libyaml, which crashes the process on input
    # nested this deep; a file to check is read with the pure-Python parser instead.
    path = tmp_path / "deep.yaml"
    path.write_text("name: " + "[" * 50_000 + "]" * 50_000 + "\n")
    with pytest.raises(RecursionError):
        check_profile_file(path)


def test_birmingham_5_1_non_attendance_is_escalated_by_the_chair() -> None:
    note = get_profile("birmingham").notes["non_attendance_escalation"]
    assert note["source"] == "000_394093cbef3e5ee1.txt §5.1"
    assert "unless the chair agreed that a report would suffice" in note["reason"]


def test_birmingham_5_1_the_chair_may_agree_a_written_report_suffices() -> None:
    note = get_profile("birmingham").notes["written_report_suffices"]
    assert note["source"] == "000_394093cbef3e5ee1.txt §5.1"
    assert "a report would suffice in an agency's absence" in note["reason"]
    others = ("national", "sandwell", "bristol", "gloucestershire", "pcc")
    assert [name for name in others if "written_report_suffices" in get_profile(name).notes] == []


def test_bristol_3_2_a_late_discussion_needs_its_rationale() -> None:
    note = get_profile("bristol").notes["late_discussion"]
    assert note["source"] == "001_2d544eb75ad81283.txt §3.2"
    assert "late_discussion" not in get_profile("sandwell").notes


def test_bristol_5_3_the_minutes_are_a_summary_not_a_transcript() -> None:
    note = get_profile("bristol").notes["minutes_summary"]
    assert note["source"] == "001_2d544eb75ad81283.txt §5.3"
    assert "not a verbatim recording of who said what" in note["reason"]
    # Only Bristol says so: no other procedure (nor Working Together) is cited for it.
    assert [p.name for p in list_profiles() if "minutes_summary" in p.notes] == ["bristol"]


def test_procedural_notes_are_inherited(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "parent",
        "late_discussion:\n  source: §1\n  reason: Explain any delay.\n" + BASELINE,
    )
    _write(tmp_path, "child", "extends: parent\n")
    profiles = load_directory(tmp_path)
    assert profiles["child"].notes["late_discussion"] == {
        "reason": "Explain any delay.",
        "source": "test.txt §1",
    }


def test_sandwell_10_0_no_further_action_is_confirmed_by_a_team_manager() -> None:
    note = get_profile("sandwell").notes["nfa_confirmation"]
    assert note["source"] == "002_3bebd37290b13db4.txt §10.0"
    assert "confirmed by a Team Manager" in note["reason"]


def test_a_new_profile_records_its_source_file_version_and_the_digest_of_its_text(
    tmp_path: Path,
) -> None:
    path = _write(tmp_path, "newtown", BASELINE)
    profile = check_profile_file(path)
    assert (profile.source_file, profile.version) == ("test.txt", "1")
    assert profile.digest == hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def test_a_compiled_rule_knows_its_section_and_a_timescale_cites_no_reason(
    tmp_path: Path,
) -> None:
    # A timescale states its rule, not a reason: its cited reason is empty, not made up.
    path = _write(
        tmp_path,
        "newtown",
        """
        extends: national
        timescales:
          - id: newtown-2-1-two-working-days
            source: §2.1
            rule: Within two working days.
            within: 2 working days
        """,
    )
    compiled = check_profile_file(path).rule("newtown-2-1-two-working-days")
    assert compiled.section == "timescales"
    assert compiled.cited() == {
        "reason": "",
        "source": "test.txt §2.1",
        "rule": "newtown-2-1-two-working-days",
    }


def test_every_schema_problem_in_a_file_is_reported_each_on_its_own_line(
    tmp_path: Path,
) -> None:
    path = _write(tmp_path, "newtown", "nation: wales\nshort_title: [not, text]\n")
    lines = _error(path).split("\n")
    assert len(lines) == 2
    assert all(line.startswith("newtown.yaml: ") for line in lines)
    assert {line.split(": ")[1] for line in lines} == {"nation", "short_title"}


def test_an_unknown_named_condition_lists_every_known_one(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "newtown",
        """
        conditions:
          urgent: {out_of_hours: true}
          complex: {discussion_type: complex}
        steps:
          - id: newtown-1-legal
            source: §1
            when: {ref: urgnt}
            code: legal_advice
            reason: Legal advice.
        """,
    )
    assert _error(path) == (
        "newtown.yaml (rule 'newtown-1-legal'): ref: 'urgnt' is not a named condition "
        "(known: complex, urgent)"
    )


def test_a_rule_using_several_fields_its_section_cannot_use_names_them_all(
    tmp_path: Path,
) -> None:
    path = _write(
        tmp_path,
        "newtown",
        """
        clocks:
          - id: newtown-1-clock
            source: §1
            when: {any_concern: [neglect], out_of_hours: true, position_of_trust: true}
            code: child_seen
            within: 1 working day
            reason: Seen.
        """,
    )
    assert _error(path).endswith("when: clocks rules cannot use any_concern, position_of_trust")


def test_chair_the_rules_own_condition_is_checked_as_well_as_its_exceptions(
    tmp_path: Path,
) -> None:
    path = _write(
        tmp_path,
        "newtown",
        """
        chair:
          - id: newtown-1-chair
            source: §1
            when: {section_47: true}
            minimum_grade: head_of_service
            reason: Senior.
            exceptions:
              - grade: team_manager
                condition: Expert team manager.
                applies_when: {out_of_hours: true}
        """,
    )
    assert _error(path) == (
        "newtown.yaml (rule 'newtown-1-chair'): when: chair rules cannot use section_47"
    )


def test_chair_an_exception_may_refer_to_a_named_condition(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "newtown",
        """
        extends: national
        conditions:
          at_night: {out_of_hours: true}
        chair:
          - id: newtown-1-chair
            source: §1
            minimum_grade: head_of_service
            reason: Senior.
            exceptions:
              - grade: team_manager
                condition: Out of hours.
                applies_when: {ref: at_night}
        """,
    )
    compiled = check_profile_file(path).rule("newtown-1-chair")
    (predicate,) = compiled.exception_predicates
    assert predicate is not None


def test_chair_an_exception_naming_an_unknown_condition_is_refused_by_rule(
    tmp_path: Path,
) -> None:
    path = _write(
        tmp_path,
        "newtown",
        """
        chair:
          - id: newtown-1-chair
            source: §1
            minimum_grade: head_of_service
            reason: Senior.
            exceptions:
              - grade: team_manager
                condition: Out of hours.
                applies_when: {ref: at_night}
        """,
    )
    assert _error(path) == (
        "newtown.yaml (rule 'newtown-1-chair'): ref: 'at_night' is not a named condition "
        "(known: none)"
    )


def test_replacing_several_rules_the_parent_does_not_have_names_them_all(
    tmp_path: Path,
) -> None:
    path = _write(tmp_path, "newtown", "extends: national\nreplaces: [no-such-rule, nor-this]\n")
    assert _error(path) == (
        "newtown.yaml: replaces: 'no-such-rule', 'nor-this' is not a rule of 'national'"
    )


def test_extending_an_unknown_profile_lists_the_built_in_profiles(tmp_path: Path) -> None:
    path = _write(tmp_path, "newtown", "extends: narnia\n")
    known = ", ".join(sorted(p.name for p in list_profiles()))
    assert "national, " in known
    assert _error(path) == f"newtown.yaml: extends: 'narnia' is not a profile ({known})"


def test_a_directory_without_the_profile_asked_for_says_which(tmp_path: Path) -> None:
    with pytest.raises(KeyError) as missing:
        ProfileDirectory(tmp_path)["nowhere"]
    assert missing.value.args == ("nowhere",)


def test_a_directory_profile_that_is_wrong_is_refused_naming_its_file(tmp_path: Path) -> None:
    _write(tmp_path, "newtown", "replaces: [anything]\n")
    with pytest.raises(ProfileError) as caught:
        load_directory(tmp_path)
    assert str(caught.value) == "newtown.yaml: replaces: only a profile that extends another can"


class _TitleLoader(yaml.SafeLoader):
    """A loader that knows one tag of its own, ``!title``, and counts the files it reads."""

    documents = 0

    def get_single_data(self) -> object:
        type(self).documents += 1
        return super().get_single_data()


def _title(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    assert isinstance(node, yaml.ScalarNode)
    return str(loader.construct_scalar(node)).title()


_TitleLoader.add_constructor("!title", _title)


def test_a_directory_reads_each_file_once_with_the_loader_it_was_given(tmp_path: Path) -> None:
    header = MINIMAL.replace("title: A test procedure", "title: !title a test procedure")
    _write(tmp_path, "alpha", "extends: zulu\n", header=header)
    _write(tmp_path, "zulu", BASELINE, header=header)
    _TitleLoader.documents = 0
    profiles = ProfileDirectory(tmp_path, _TitleLoader)
    assert profiles["alpha"].title == "A Test Procedure"
    assert profiles["alpha"].extends == "zulu"
    assert _TitleLoader.documents == 2


@pytest.mark.parametrize(
    ("when", "conditions"),
    [
        # A field of the rule's own, beside a nested condition the section may use.
        ("{position_of_trust: true, any_of: [{section_47: true}]}", ""),
        # A field of the rule's own, beside a named condition the section may use.
        ("{position_of_trust: true, ref: s47}", "conditions:\n  s47: {section_47: true}\n"),
        # A named condition reached through "not".
        ("{not: {ref: trusted}}", "conditions:\n  trusted: {position_of_trust: true}\n"),
    ],
)
def test_clock_rules_cannot_use_a_field_however_the_condition_reaches_it(
    tmp_path: Path, when: str, conditions: str
) -> None:
    body = (
        conditions
        + "clocks:\n  - id: newtown-1-clock\n    source: §1\n"
        + f"    when: {when}\n    code: child_seen\n    within: 1 working day\n"
        + "    reason: Seen.\n"
    )
    path = _write(tmp_path, "newtown", body, header=MINIMAL + "extends: national\n")
    assert _error(path) == (
        "newtown.yaml (rule 'newtown-1-clock'): when: clocks rules cannot use position_of_trust"
    )


AGENDA = """
agenda:
  - id: newtown-agenda-1
    title: Introductions
    source: §1
"""


def test_a_profile_with_its_own_agenda_uses_it_not_its_parents(tmp_path: Path) -> None:
    _write(tmp_path, "parent", BASELINE + AGENDA)
    _write(
        tmp_path,
        "child",
        AGENDA.replace("newtown-agenda-1", "child-agenda-1"),
        header=MINIMAL + "extends: parent\n",
    )
    profiles = load_directory(tmp_path)
    assert [item.id for item in profiles["child"].agenda] == ["child-agenda-1"]
    assert [item.id for item in profiles["parent"].agenda] == ["newtown-agenda-1"]


def test_a_profile_without_an_agenda_inherits_its_parents(tmp_path: Path) -> None:
    _write(tmp_path, "parent", BASELINE + AGENDA)
    _write(tmp_path, "child", "extends: parent\n")
    assert [item.id for item in load_directory(tmp_path)["child"].agenda] == ["newtown-agenda-1"]
