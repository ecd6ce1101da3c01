"""How each procedure says a discussion is run: the analysis of risk, reconvening, sharing
markers, the ICPC and the record of a decision against a medical assessment.

Each test names the clause and checks the case where another area's clause must not
apply; the loader tests at the end check inheritance and the errors for a broken file.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from strategise.policy import ProfileError, check_profile_file
from strategise.policy.calendar import Within
from strategise.policy.profiles import PROFILE_DIRECTORY, Profile, load_directory
from strategise.policy.vocabulary import SHARING_MARKERS
from tests.policy.support import BASELINE, BASELINE_PARTS

WT2023 = "Working Together to Safeguard Children 2023 ch.3 Strategy discussion"
WELFARE = "What is known about the child's welfare and safety?"
LEVEL_OF_RISK = "What level of risk does the child face?"


@pytest.fixture(scope="module")
def profiles() -> dict[str, Profile]:
    """The built-in profiles, built here rather than taken from the process's cache, so
    that how a procedure is built is tested along with what it says."""
    return dict(load_directory(PROFILE_DIRECTORY))


# --- the analysis of risk ----------------------------------------------------------------


def test_gloucestershire_asks_its_five_risk_assessment_questions(
    profiles: dict[str, Profile],
) -> None:
    asked = profiles["gloucestershire"].risk_questions(reconvened=False)
    assert asked.questions == (
        "What harm are you most worried about?",
        "If this happened what is the impact on the child?",
        "What makes harm more or less likely?",
        "What is needed to reduce harm?",
        "When will this be reviewed?",
    )
    assert asked.source == "003_d9dc6ed7629d3148.txt §Risk Assessment Principles"


def test_gloucestershire_reviews_a_reconvened_discussion_with_its_review_principles(
    profiles: dict[str, Profile],
) -> None:
    asked = profiles["gloucestershire"].risk_questions(reconvened=True)
    assert asked.questions == (
        "What harm were you worried about?",
        "What has been done to reduce harm?",
        "Has this improved life for the child?",
        "What do you need to do now?",
        "When will this be reviewed?",
    )
    assert asked.source == "003_d9dc6ed7629d3148.txt §Risk Review Principles"


def test_sandwell_3_0_asks_about_welfare_safety_and_level_of_risk_not_gloucestershires(
    profiles: dict[str, Profile],
) -> None:
    sandwell = profiles["sandwell"]
    first = sandwell.risk_questions(reconvened=False)
    assert first.questions == (WELFARE, LEVEL_OF_RISK)
    assert first.source == "002_3bebd37290b13db4.txt §3.0"
    # Sandwell has no review questions: a reconvened discussion asks the same again.
    assert sandwell.risk_questions(reconvened=True) == first


def test_bristol_4_4_asks_whether_the_child_is_suffering_significant_harm(
    profiles: dict[str, Profile],
) -> None:
    asked = profiles["bristol"].risk_questions(reconvened=False)
    assert asked.questions == (
        WELFARE,
        "Is the child suffering, or likely to suffer, significant harm?",
    )
    assert asked.source == "001_2d544eb75ad81283.txt §4.4"


@pytest.mark.parametrize("name", ["national", "birmingham", "pcc"])
def test_a_procedure_silent_on_risk_asks_working_togethers_questions(
    name: str, profiles: dict[str, Profile]
) -> None:
    for reconvened in (False, True):
        asked = profiles[name].risk_questions(reconvened=reconvened)
        assert asked.questions == (WELFARE, LEVEL_OF_RISK)
        assert asked.source == WT2023


# --- reconvening -------------------------------------------------------------------------


def test_gloucestershire_what_is_a_strategy_discussion_asks_why_it_was_reconvened(
    profiles: dict[str, Profile],
) -> None:
    reconvening = profiles["gloucestershire"].reconvening
    assert reconvening.rationale_required is True
    assert reconvening.source == "003_d9dc6ed7629d3148.txt §What is a Strategy Discussion?"
    assert "should not be a routine process" in reconvening.reason
    # "In a timely manner" is no number of days.
    assert reconvening.interval is None


def test_sandwell_2_0_no_more_than_28_days_between_discussions_and_no_reason_asked(
    profiles: dict[str, Profile],
) -> None:
    reconvening = profiles["sandwell"].reconvening
    assert reconvening.rationale_required is False
    assert reconvening.source == "002_3bebd37290b13db4.txt §2.0"
    assert reconvening.interval is not None
    assert reconvening.interval.within == Within("days", 28)
    assert reconvening.interval.source == "002_3bebd37290b13db4.txt §2.0"
    assert reconvening.interval.rule == "sandwell-2-0-interval-28-days"


@pytest.mark.parametrize(
    ("name", "source", "words"),
    [
        ("bristol", "001_2d544eb75ad81283.txt §2.3", "follow-up strategy discussion"),
        ("birmingham", "000_394093cbef3e5ee1.txt §3", "a process rather than a one-off event"),
        (
            "pcc",
            "004_737dac9b5b9fb982.txt §What's the purpose of the discussion?",
            "without a decision for too long",
        ),
        ("national", WT2023, "may be necessary"),
    ],
)
def test_other_procedures_set_no_interval_and_ask_no_reason_for_reconvening(
    name: str, source: str, words: str, profiles: dict[str, Profile]
) -> None:
    reconvening = profiles[name].reconvening
    assert (reconvening.source, reconvening.rationale_required) == (source, False)
    assert words in reconvening.reason
    assert reconvening.interval is None


# --- sharing markers ---------------------------------------------------------------------


def test_birmingham_7_information_stays_in_the_meeting_without_the_agencys_consent(
    profiles: dict[str, Profile],
) -> None:
    marker = profiles["birmingham"].sharing_marker("consent_needed")
    assert marker is not None
    assert marker.source == "000_394093cbef3e5ee1.txt §7"
    assert marker.label == (
        "Not to be shared outside this meeting without the consent of the agency that shared it"
    )
    assert "prior consent" in marker.reason


@pytest.mark.parametrize("name", ["national", "bristol", "sandwell", "gloucestershire", "pcc"])
def test_only_birmingham_states_the_consent_marker(name: str, profiles: dict[str, Profile]) -> None:
    assert profiles[name].sharing_marker("consent_needed") is None


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("sandwell", "002_3bebd37290b13db4.txt §10.0"),
        ("gloucestershire", "003_d9dc6ed7629d3148.txt §What is a Strategy Discussion?"),
        ("bristol", "001_2d544eb75ad81283.txt §2.3"),
        ("birmingham", WT2023),
        ("pcc", WT2023),
        ("national", WT2023),
    ],
)
def test_what_is_shared_with_the_family_is_each_procedures_decision(
    name: str, source: str, profiles: dict[str, Profile]
) -> None:
    marker = profiles[name].sharing_marker("not_for_family")
    assert marker is not None
    assert (marker.label, marker.source) == ("Not to be shared with the family", source)


def test_birmingham_lists_the_inherited_family_marker_before_its_own(
    profiles: dict[str, Profile],
) -> None:
    codes = [marker.code for marker in profiles["birmingham"].sharing_markers]
    assert codes == ["not_for_family", "consent_needed"]


# --- the initial child protection conference -------------------------------------------


@pytest.mark.parametrize(
    ("name", "source", "rule"),
    [
        ("sandwell", "002_3bebd37290b13db4.txt §2.0", "sandwell-2-0-icpc-15-working-days"),
        (
            "gloucestershire",
            "003_d9dc6ed7629d3148.txt §Timescales of holding a Strategy Discussion",
            "gloucestershire-timescales-icpc-15-working-days",
        ),
        (
            "bristol",
            "Working Together to Safeguard Children 2023 ch.3 Initial child protection conferences",
            "wt2023-ch3-icpc-15-working-days",
        ),
        (
            "birmingham",
            "Working Together to Safeguard Children 2023 ch.3 Initial child protection conferences",
            "wt2023-ch3-icpc-15-working-days",
        ),
    ],
)
def test_the_icpc_is_within_15_working_days_by_the_procedures_own_clause_first(
    name: str, source: str, rule: str, profiles: dict[str, Profile]
) -> None:
    icpc = profiles[name].icpc_within
    assert (icpc.within, icpc.source, icpc.rule) == (Within("working_days", 15), source, rule)


def test_pcc_remember_gives_its_own_15_days_to_the_icpc(profiles: dict[str, Profile]) -> None:
    icpc = profiles["pcc"].icpc_within
    assert (icpc.within.count, icpc.source) == (15, "004_737dac9b5b9fb982.txt §Remember")


# --- no medical assessment ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "source", "words"),
    [
        ("gloucestershire", "003_d9dc6ed7629d3148.txt §Agenda", "whether medical advice was"),
        ("sandwell", "002_3bebd37290b13db4.txt §7.0", "including the Duty Paediatrician"),
        ("bristol", "001_2d544eb75ad81283.txt §4.5", "appropriateness or otherwise"),
        ("birmingham", WT2023, "appropriateness or otherwise"),
        ("pcc", WT2023, "appropriateness or otherwise"),
        ("national", WT2023, "appropriateness or otherwise"),
    ],
)
def test_no_medical_assessment_records_the_reasoning_and_the_medical_advice(
    name: str, source: str, words: str, profiles: dict[str, Profile]
) -> None:
    rule = profiles[name].no_medical_assessment
    assert (rule.source, rule.medical_advice_required) == (source, True)
    assert words in rule.reason


# --- loading: inheritance and errors ------------------------------------------------------

HEADER = """
name: {name}
title: A test procedure
source_file: {name}.txt
version: "1"
"""


def _write(directory: Path, name: str, body: str = "") -> Path:
    path = directory / f"{name}.yaml"
    path.write_text(HEADER.format(name=name) + textwrap.dedent(body))
    return path


def _error(path: Path) -> str:
    with pytest.raises(ProfileError) as caught:
        check_profile_file(path)
    return str(caught.value)


def test_a_profile_that_says_nothing_inherits_every_one_from_its_parent(tmp_path: Path) -> None:
    _write(tmp_path, "parent", BASELINE)
    _write(tmp_path, "child", "extends: parent\n")
    child = load_directory(tmp_path)["child"]
    assert child.risk_questions(reconvened=True).source == "parent.txt §2"
    assert child.reconvening.source == "parent.txt §3"
    assert child.no_medical_assessment.source == "parent.txt §4"
    assert child.icpc_within.source == "parent.txt §1"
    assert child.sharing_markers == ()


def test_a_profiles_own_statements_replace_its_parents(tmp_path: Path) -> None:
    _write(tmp_path, "parent", BASELINE)
    _write(
        tmp_path,
        "child",
        """
        extends: parent
        risk_analysis:
          source: §9
          questions: ["What is the worry?", "What is working well?"]
        reconvening:
          source: §10
          reason: Say why.
          rationale_required: true
        no_medical_assessment:
          source: §11
          reason: Record why.
          medical_advice_required: false
        sharing_markers:
          - code: not_for_family
            source: §12
            reason: Decide what the family is told.
        """,
    )
    child = load_directory(tmp_path)["child"]
    assert child.risk_questions(reconvened=False).questions == (
        "What is the worry?",
        "What is working well?",
    )
    assert child.risk_questions(reconvened=True).source == "child.txt §9"
    assert (child.reconvening.source, child.reconvening.rationale_required) == (
        "child.txt §10",
        True,
    )
    assert child.no_medical_assessment.medical_advice_required is False
    marker = child.sharing_marker("not_for_family")
    assert marker is not None and marker.source == "child.txt §12"


def test_a_child_marker_replaces_the_parents_marker_with_the_same_code(
    tmp_path: Path,
    profiles: dict[str, Profile],
) -> None:
    marker = "sharing_markers:\n  - code: consent_needed\n    source: §{n}\n    reason: R.\n"
    _write(tmp_path, "parent", BASELINE + marker.format(n=5))
    _write(tmp_path, "child", "extends: parent\n" + marker.format(n=6))
    profiles = load_directory(tmp_path)
    assert [m.source for m in profiles["child"].sharing_markers] == ["child.txt §6"]
    assert [m.source for m in profiles["parent"].sharing_markers] == ["parent.txt §5"]


def test_the_interval_between_discussions_is_read_from_the_next_discussion_clock(
    tmp_path: Path,
) -> None:
    _write(tmp_path, "parent", BASELINE)
    _write(
        tmp_path,
        "child",
        """
        extends: parent
        clocks:
          - id: child-2-interval
            source: §2
            code: next_discussion_by
            within: 20 working days
            reason: The next discussion within 20 working days.
        """,
    )
    interval = load_directory(tmp_path)["child"].reconvening.interval
    assert interval is not None
    assert (interval.within, interval.source) == (Within("working_days", 20), "child.txt §2")


@pytest.mark.parametrize("key", ["risk_analysis", "reconvening", "no_medical_assessment"])
def test_the_baseline_must_state_each_one(tmp_path: Path, key: str) -> None:
    path = _write(tmp_path, "root", "".join(v for k, v in BASELINE_PARTS.items() if k != key))
    assert _error(path) == (
        f"root.yaml: {key}: missing; a profile that extends no other is the baseline the "
        "others inherit, so it must state it"
    )


def test_the_baseline_must_say_when_the_icpc_is_held(tmp_path: Path) -> None:
    path = _write(tmp_path, "root", BASELINE.replace("code: icpc_held", "code: child_seen"))
    assert _error(path).startswith("root.yaml: clocks: no icpc_held clock;")


def test_replacing_the_national_icpc_rule_needs_the_procedures_own(tmp_path: Path) -> None:
    body = "extends: national\nreplaces: [wt2023-ch3-icpc-15-working-days]\n"
    path = _write(tmp_path, "newtown", body)
    assert _error(path).startswith("newtown.yaml: clocks: no icpc_held clock;")


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (
            "risk_analysis:\n  source: §1\n  questions: []\n",
            "risk_analysis.questions: List should have at least 1 item",
        ),
        (
            "risk_analysis:\n  source: §1\n  questions: ['']\n",
            "risk_analysis.questions[0]",
        ),
        (
            "reconvening:\n  source: §1\n  reason: R.\n  rationale_required: sometimes\n",
            "reconvening.rationale_required",
        ),
        (
            "sharing_markers:\n  - code: secret\n    source: §1\n    reason: R.\n",
            "sharing_markers[0].code",
        ),
        (
            "sharing_markers:\n"
            "  - {code: not_for_family, source: §1, reason: R.}\n"
            "  - {code: not_for_family, source: §2, reason: R.}\n",
            "sharing marker codes must be unique",
        ),
        (
            "no_medical_assessment:\n  source: §1\n",
            "no_medical_assessment.reason",
        ),
    ],
)
def test_a_broken_statement_is_refused_naming_the_field(
    tmp_path: Path, body: str, problem: str
) -> None:
    path = _write(tmp_path, "newtown", "extends: national\n" + body)
    assert problem in _error(path)


# --- who holds a clock, siblings' medicals, closing without a discussion ----------------


def test_sandwell_10_0_the_social_work_unit_manager_holds_the_icpc_clock(
    profiles: dict[str, Profile],
) -> None:
    holder = profiles["sandwell"].clock_holder("icpc_held")
    assert holder is not None
    assert (holder.holder, holder.title, holder.source) == (
        "team_manager",
        "The Social Work Unit Manager",
        "002_3bebd37290b13db4.txt §10.0",
    )
    assert "immediate request" in holder.reason


@pytest.mark.parametrize("name", ["national", "birmingham", "bristol", "gloucestershire", "pcc"])
def test_a_procedure_silent_on_who_holds_the_icpc_clock_names_no_one(
    name: str, profiles: dict[str, Profile]
) -> None:
    assert profiles[name].clock_holder("icpc_held") is None


def test_sandwell_8_0_sibling_medicals_are_considered_and_others_say_nothing(
    profiles: dict[str, Profile],
) -> None:
    note = profiles["sandwell"].notes["sibling_medicals"]
    assert note["source"] == "002_3bebd37290b13db4.txt §8.0"
    assert "sibling medicals" in note["reason"]
    assert "sibling_medicals" not in profiles["bristol"].notes


def test_bristol_contextual_safeguarding_a_manager_takes_a_view_on_holding_one(
    profiles: dict[str, Profile],
) -> None:
    note = profiles["bristol"].notes["close_without_discussion"]
    assert note["reason"] == "Manager will take a view about whether strategy meeting needed."
    assert note["source"].startswith("001_2d544eb75ad81283.txt §6 Contextual safeguarding")
    assert "close_without_discussion" not in profiles["sandwell"].notes


HOLDERS = """
clock_holders:
  - source: §{n}
    codes: [{codes}]
    holder: {holder}
    title: {title}
    reason: R.
"""


def test_a_childs_clock_holder_replaces_its_parents_for_that_clock_only(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "parent",
        BASELINE
        + HOLDERS.format(n=5, codes="icpc_held, child_seen", holder="chair", title="The chair"),
    )
    _write(
        tmp_path,
        "child",
        "extends: parent\n"
        + HOLDERS.format(n=6, codes="icpc_held", holder="team_manager", title="A manager"),
    )
    child = load_directory(tmp_path)["child"]
    icpc, seen = child.clock_holder("icpc_held"), child.clock_holder("child_seen")
    assert icpc is not None and (icpc.holder, icpc.source) == ("team_manager", "child.txt §6")
    assert seen is not None and (seen.holder, seen.source) == ("chair", "parent.txt §5")
    assert ("holder of icpc_held", "child.txt §6") in child.citations()


def test_a_clock_with_two_holders_is_refused(tmp_path: Path) -> None:
    twice = HOLDERS.format(n=5, codes="icpc_held", holder="chair", title="C") + (
        "  - source: §6\n    codes: [icpc_held]\n    holder: team_manager\n"
        "    title: T\n    reason: R.\n"
    )
    path = _write(tmp_path, "twice", BASELINE + twice)
    assert "each clock has one holder" in _error(path)


def test_the_baseline_without_an_icpc_clock_is_told_why_it_needs_one(tmp_path: Path) -> None:
    path = _write(tmp_path, "root", BASELINE.replace("code: icpc_held", "code: child_seen"))
    assert _error(path) == (
        "root.yaml: clocks: no icpc_held clock; the national baseline sets when the "
        "initial child protection conference is held, so do not replace it without "
        "stating the procedure's own"
    )


def test_the_icpc_timescale_carries_its_clocks_reason_and_rule(tmp_path: Path) -> None:
    _write(tmp_path, "root", BASELINE)
    icpc = load_directory(tmp_path)["root"].icpc_within
    assert (icpc.reason, icpc.rule) == ("A conference within 15 working days.", "baseline-icpc")


def test_a_profiles_own_statements_carry_their_own_words(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "parent",
        BASELINE
        + "sharing_markers:\n  - code: consent_needed\n    source: §5\n    reason: Ask first.\n",
    )
    _write(
        tmp_path,
        "child",
        textwrap.dedent(
            """
        extends: parent
        risk_analysis:
          source: §9
          questions: ["What is the worry?"]
          review:
            source: §9.1
            questions: ["What has changed?"]
        no_medical_assessment:
          source: §11
          reason: Record why there is no medical.
          medical_advice_required: false
        sharing_markers:
          - code: not_for_family
            source: §12
            reason: Decide what the family is told.
        """
        )
        + HOLDERS.format(n=13, codes="icpc_held", holder="team_manager", title="A manager"),
    )
    child = load_directory(tmp_path)["child"]
    assert child.risk_questions(reconvened=True).questions == ("What has changed?",)
    assert child.risk_questions(reconvened=False).questions == ("What is the worry?",)
    assert child.no_medical_assessment.reason == "Record why there is no medical."
    # The parent's marker is kept beside the child's own, each with its label and reason.
    markers = {m.code: (m.label, m.reason, m.source) for m in child.sharing_markers}
    assert markers == {
        "consent_needed": (SHARING_MARKERS["consent_needed"], "Ask first.", "parent.txt §5"),
        "not_for_family": (
            SHARING_MARKERS["not_for_family"],
            "Decide what the family is told.",
            "child.txt §12",
        ),
    }
    holder = child.clock_holder("icpc_held")
    assert holder is not None
    assert (holder.title, holder.reason) == ("A manager", "R.")
