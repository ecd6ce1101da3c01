"""The language of the record: each phrase, how words are matched, and a profile's additions."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from strategise.policy import ProfileError, check_profile_file, get_profile
from strategise.policy.language import (
    LANGUAGE_FILE,
    LanguageError,
    build_phrase_book,
    builtin_phrase_book,
)
from strategise.policy.profiles import PROFILE_DIRECTORY, ProfileDirectory


def flagged(text: str) -> list[tuple[str, str]]:
    """Each flag in ``text`` as (phrase id, the words as typed)."""
    return [(flag.phrase, flag.text) for flag in builtin_phrase_book().check(text)]


# One sentence per built-in phrase that must be flagged, and one close to it that must not.
PHRASES = {
    "putting-themselves-at-risk": (
        "She keeps putting herself at risk.",
        "The adults are putting her at risk.",
    ),
    "risky-behaviour": ("Her risky behaviour is a concern.", "The risk to her is high."),
    "lifestyle-choice": ("He has chosen this lifestyle.", "He chose to tell his teacher."),
    "poor-choices": ("She makes poor choices.", "A poor decision by the agency was reviewed."),
    "sexually-active": ("She is sexually active.", "She is physically active."),
    "had-sex-with": ("He has been having sex with her.", "She was sleeping with the light on."),
    "consented": ("She consented to it.", "She consented to the referral."),
    "older-boyfriend": ("She has an older boyfriend.", "Her boyfriend is in her class."),
    "in-a-relationship-with": (
        "She is associating with older men.",
        "She has a good relationship with her aunt.",
    ),
    "involved-in-exploitation": (
        "He is involved in county lines.",
        "The police were involved in the county lines investigation.",
    ),
    "prostitution": ("He was selling sex.", "He was selling his bike."),
    "recruited-working": ("He was recruited by a gang.", "He is working with a youth worker."),
    "plugging": ("He was plugging drugs.", "The school is plugging the gap in support."),
    "sexting": ("They were sexting.", "They were texting."),
    "sending-images": (
        "She has been sending naked pictures.",
        "She was forced to send naked pictures.",
    ),
    "contacting-adults": (
        "She has been contacting adult men.",
        "Adults have been contacting her.",
    ),
    "going-back-to-abuser": (
        "She keeps going back to him.",
        "She keeps going back to school.",
    ),
    "keeps-going-missing": ("He keeps going missing.", "He has been missing three times."),
    "streetwise": ("He is very streetwise.", "He is not streetwise."),
    "promiscuous": ("She is promiscuous.", "She is private."),
    "attention-seeking": ("It is attention seeking.", "Marked for attention of the chair."),
    "hard-to-reach": (
        "He refuses to engage.",
        "He refused to engage with the stepfather.",
    ),
    "malicious-allegation": ("She claims he hit her.", "She claims universal credit."),
    "non-recent-abuse": ("She disclosed historic abuse.", "She disclosed non-recent abuse."),
    "child-pornography": ("Child porn was found.", "Child sexual abuse material was found."),
    "allowed-themselves": (
        "She allowed herself to be taken.",
        "The school will not allow it to happen again.",
    ),
    "drug-debt": ("He has a drug debt.", "He is being controlled through a debt."),
    "gang-member": ("He is a gang member.", "The adult is known to police."),
    "shaken-baby": ("Shaken baby syndrome.", "A non-accidental head injury."),
    "disguised-compliance": ("It is disguised compliance.", "The parents complied."),
}


def test_every_built_in_phrase_has_a_test_below() -> None:
    assert sorted(PHRASES) == sorted(builtin_phrase_book().ids())


@pytest.mark.parametrize("phrase", sorted(PHRASES))
def test_each_phrase_flags_its_words(phrase: str) -> None:
    words, _ = PHRASES[phrase]
    assert phrase in [found for found, _ in flagged(words)]


@pytest.mark.parametrize("phrase", sorted(PHRASES))
def test_each_phrase_leaves_the_words_close_to_it(phrase: str) -> None:
    _, near = PHRASES[phrase]
    assert flagged(near) == []


def test_every_phrase_says_why_offers_alternatives_and_cites_its_guide_and_term() -> None:
    for phrase in builtin_phrase_book().phrases:
        assert phrase.why and phrase.alternatives, phrase.id
        assert "(20" in phrase.source and phrase.source.endswith("\u2019"), phrase.id


def test_a_flag_carries_the_words_as_typed_where_they_are_and_the_advice() -> None:
    text = "On Friday she was Putting Herself at Risk again."
    [flag] = builtin_phrase_book().check(text)
    assert text[flag.start : flag.end] == flag.text == "Putting Herself at Risk"
    assert flag.to_dict() == {
        "phrase": "putting-themselves-at-risk",
        "term": "putting themselves at risk",
        "text": "Putting Herself at Risk",
        "start": 18,
        "end": 41,
        "why": flag.why,
        "alternatives": list(flag.alternatives),
        "source": "The Children's Society and NAPAC, commissioned by the CSE Taskforce, "
        "\u2018Child exploitation and abuse: an appropriate language guide\u2019 (2024): "
        "\u2018Putting themselves at risk\u2019",
    }
    assert "The child is being exploited / groomed / coerced by (name the adults)" in (
        flag.alternatives
    )


@pytest.mark.parametrize(
    "text",
    [
        "she keeps putting herself at risk",
        "He puts himself at risk",
        "They put themselves at risk",
        "She has put herself at significant risk",
        "placing himself at risk of harm",
        "exposing themselves to danger",
    ],
)
def test_inflections_of_the_verb_and_the_pronoun_are_matched(text: str) -> None:
    assert [phrase for phrase, _ in flagged(text)] == ["putting-themselves-at-risk"]


def test_a_hyphen_reads_as_a_space() -> None:
    assert flagged("sexually-active") == [("sexually-active", "sexually-active")]
    assert flagged("risk\u2011taking") == [("risky-behaviour", "risk\u2011taking")]


def test_curly_and_straight_apostrophes_are_the_same() -> None:
    assert flagged("she knows what she\u2019s doing") == [
        ("streetwise", "knows what she\u2019s doing")
    ]
    assert flagged("she knows what she's doing") == [("streetwise", "knows what she's doing")]


def test_words_in_quotation_marks_are_left_alone() -> None:
    for text in (
        'She said "I put myself at risk".',
        "She said \u201cI put myself at risk\u201d.",
        "She said \u2018I\u2019m putting myself at risk\u2019.",
        "Avoid the phrase 'putting themselves at risk'.",
    ):
        assert flagged(text) == [], text


def test_words_outside_the_quotation_marks_are_still_flagged() -> None:
    text = "She said \u201cI\u2019m fine\u201d but she keeps putting herself at risk."
    assert flagged(text) == [("putting-themselves-at-risk", "putting herself at risk")]


def test_a_negation_just_before_a_negatable_phrase_leaves_it_alone() -> None:
    assert flagged("The sexual activity was not consensual.") == []
    assert flagged("Children cannot consent; it was never consensual sex.") == []
    assert flagged("It was consensual sex.") == [("consented", "consensual sex")]


def test_a_negation_in_the_sentence_before_does_not_count() -> None:
    assert flagged("She did not. Consensual sex was described.") == [
        ("consented", "Consensual sex")
    ]


def test_a_negation_only_counts_for_a_negatable_phrase() -> None:
    assert flagged("She is not putting herself at risk.") == [
        ("putting-themselves-at-risk", "putting herself at risk")
    ]


def test_a_phrase_never_runs_across_a_sentence() -> None:
    assert flagged("Police put herself. At risk.") == []
    assert flagged("She put herself; at risk") == []


def test_an_exception_leaves_only_the_matches_it_covers() -> None:
    text = "The school is plugging the gap. He was plugging drugs."
    assert flagged(text) == [("plugging", "plugging drugs")]


def test_two_patterns_of_one_phrase_over_the_same_words_flag_them_once() -> None:
    assert flagged("He was plugging drugs") == [("plugging", "plugging drugs")]


def test_flags_come_in_the_order_of_the_text() -> None:
    text = "He is streetwise and keeps going missing; she has an older boyfriend."
    assert [phrase for phrase, _ in flagged(text)] == [
        "streetwise",
        "keeps-going-missing",
        "older-boyfriend",
    ]


def test_a_text_with_no_words_has_no_flags() -> None:
    assert flagged("") == []
    assert flagged(" \n.;") == []


# --- the phrase file -------------------------------------------------------------------------


def _book(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "language.yaml"
    path.write_text(textwrap.dedent(body))
    return path


GUIDES = """
guides:
  g:
    title: A guide
    by: Someone
    year: 2024
    url: https://example.org/guide
"""


def _phrase(pattern: str = "bad words", extra: str = "") -> str:
    return (
        GUIDES
        + f"""
forms:
  self: [herself, himself]
phrases:
  - id: bad-words
    term: bad words
    source: {{guide: g, term: Bad words}}
    patterns: ["{pattern}"]
    why: Because.
    alternatives: [Better words]
"""
        + extra
    )


def _book_error(tmp_path: Path, body: str) -> str:
    with pytest.raises(LanguageError) as caught:
        build_phrase_book(_book(tmp_path, body))
    return str(caught.value)


def test_a_phrase_file_is_compiled_with_its_word_forms(tmp_path: Path) -> None:
    book = build_phrase_book(_book(tmp_path, _phrase("blame {self} for")))
    assert [f.text for f in book.check("She blamed herself. He will blame himself for it.")] == [
        "blame himself for"
    ]


def test_an_unreadable_phrase_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(LanguageError, match="missing.yaml: cannot be read"):
        build_phrase_book(tmp_path / "missing.yaml")


def test_a_phrase_file_that_is_not_yaml_says_so(tmp_path: Path) -> None:
    assert "cannot be read" in _book_error(tmp_path, "phrases: [")


def test_a_phrase_without_alternatives_is_refused(tmp_path: Path) -> None:
    error = _book_error(tmp_path, _phrase().replace("[Better words]", "[]"))
    assert error.startswith(
        "language.yaml: phrases[0].alternatives: List should have at least 1 item"
    )


def test_a_phrase_id_used_twice_is_refused(tmp_path: Path) -> None:
    extra = """
  - id: bad-words
    term: again
    source: {guide: g, term: Again}
    patterns: [again]
    why: Because.
    alternatives: [Other]
"""
    assert "phrase id 'bad-words' is used twice" in _book_error(tmp_path, _phrase(extra=extra))


def test_a_phrase_citing_an_unknown_guide_is_refused(tmp_path: Path) -> None:
    error = _book_error(tmp_path, _phrase().replace("guide: g,", "guide: nope,"))
    assert "(phrase 'bad-words'): source: guide 'nope' is not one of the guides (g)" in error


def test_an_unknown_word_form_is_named(tmp_path: Path) -> None:
    error = _book_error(tmp_path, _phrase("blame {selves}"))
    assert "(phrase 'bad-words'): {selves} is not a word form (known: self)" in error


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("   ", "a pattern needs at least one word"),
        ("bad | words", "'|' is not a word, words joined by '|', a {word form} or '...'"),
        ("... bad", "'...' goes between two words, not at either end"),
        ("bad ...", "'...' goes between two words, not at either end"),
        ("bad? words", "a pattern cannot begin with an optional word"),
    ],
)
def test_a_malformed_pattern_is_refused_with_what_is_wrong(
    tmp_path: Path, pattern: str, problem: str
) -> None:
    assert problem in _book_error(tmp_path, _phrase(pattern))


def test_an_optional_word_and_a_gap_match_as_written(tmp_path: Path) -> None:
    book = build_phrase_book(_book(tmp_path, _phrase("bad really? words ... here")))
    found = [f.text for f in book.check("bad words here. bad really words are all here")]
    assert found == ["bad words here", "bad really words are all here"]


def test_the_built_in_phrase_file_is_the_one_shipped() -> None:
    assert build_phrase_book(LANGUAGE_FILE).ids() == builtin_phrase_book().ids()


# --- a profile's language: section ----------------------------------------------------------

BASE = """
name: {name}
title: A test procedure
source_file: test.txt
version: "1"
"""

LOCAL_PHRASE = """
language:
  source: §6
  reason: Avoid victim-blaming language.
  switch_off: [streetwise]
  phrases:
    - id: local-risky-friends
      term: risky friends
      source: §6.1
      patterns: ["risky friends|friendships"]
      why: It blames the child's friends, not the adults.
      alternatives: [Adults who exploit children]
"""


def _profiles(tmp_path: Path, child_body: str, grandchild_body: str = "") -> ProfileDirectory:
    (tmp_path / "national.yaml").write_text((PROFILE_DIRECTORY / "national.yaml").read_text())
    (tmp_path / "local.yaml").write_text(
        BASE.format(name="local") + "extends: national\n" + textwrap.dedent(child_body)
    )
    (tmp_path / "nearby.yaml").write_text(
        BASE.format(name="nearby") + "extends: local\n" + textwrap.dedent(grandchild_body)
    )
    return ProfileDirectory(tmp_path)


def test_a_profile_adds_phrases_citing_its_procedure_and_switches_some_off(
    tmp_path: Path,
) -> None:
    local = _profiles(tmp_path, LOCAL_PHRASE)["local"]
    found = local.language.check("He has risky friendships and is streetwise.")
    assert [(f.phrase, f.text, f.source) for f in found] == [
        ("local-risky-friends", "risky friendships", "test.txt §6.1")
    ]
    assert ("language phrase local-risky-friends", "test.txt §6.1") in local.citations()
    assert local.notes["victim_blaming_language"] == {
        "reason": "Avoid victim-blaming language.",
        "source": "test.txt §6",
    }


def test_a_profile_inherits_its_parents_language_section(tmp_path: Path) -> None:
    nearby = _profiles(tmp_path, LOCAL_PHRASE)["nearby"]
    assert "local-risky-friends" in nearby.language.ids()
    assert "streetwise" not in nearby.language.ids()
    assert nearby.notes["victim_blaming_language"]["source"] == "test.txt §6"


def test_a_profile_without_a_language_section_uses_the_built_in_phrases() -> None:
    assert get_profile("sandwell").language.ids() == builtin_phrase_book().ids()
    assert "victim_blaming_language" not in get_profile("sandwell").notes


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("birmingham", "000_394093cbef3e5ee1.txt §6"),
        (
            "bristol",
            "001_2d544eb75ad81283.txt §6 Contextual safeguarding — Discussion and planning",
        ),
    ],
)
def test_the_procedures_own_call_for_it_is_cited(name: str, source: str) -> None:
    note = get_profile(name).notes["victim_blaming_language"]
    assert note["source"] == source
    assert "victim-blaming" in note["reason"]


def test_switching_off_a_phrase_it_does_not_inherit_is_refused(tmp_path: Path) -> None:
    profiles = _profiles(tmp_path, "language:\n  switch_off: [no-such-phrase]\n")
    with pytest.raises(ProfileError) as caught:
        profiles["local"].language  # noqa: B018
    assert str(caught.value) == (
        "local.yaml: language: switch_off: 'no-such-phrase' is not a phrase it inherits"
    )


def test_a_phrase_with_an_inherited_id_is_refused(tmp_path: Path) -> None:
    body = LOCAL_PHRASE.replace("local-risky-friends", "sexting").replace(
        "switch_off: [streetwise]", "switch_off: []"
    )
    with pytest.raises(ProfileError, match="phrase id 'sexting' is already a phrase"):
        _profiles(tmp_path, body)["local"].language  # noqa: B018


def test_checking_a_profile_file_reports_its_language_errors_at_once(tmp_path: Path) -> None:
    path = tmp_path / "local.yaml"
    path.write_text(
        BASE.format(name="local")
        + "extends: national\n"
        + textwrap.dedent(LOCAL_PHRASE.replace("risky friends|friendships", "risky {pals}"))
    )
    with pytest.raises(ProfileError, match=r"\(phrase 'local-risky-friends'\): \{pals\}"):
        check_profile_file(path)


def test_a_valid_profile_file_is_checked_with_its_language(tmp_path: Path) -> None:
    path = tmp_path / "local.yaml"
    path.write_text(BASE.format(name="local") + "extends: national\n" + LOCAL_PHRASE)
    assert "local-risky-friends" in check_profile_file(path).language.ids()


@pytest.mark.parametrize(
    ("section", "problem"),
    [
        ("language:\n  source: §6\n", "source and reason go together"),
        (
            LOCAL_PHRASE + LOCAL_PHRASE.split("phrases:\n")[1],
            "phrase ids must be unique",
        ),
        (
            "language:\n  phrases:\n    - id: x\n",
            "local.yaml: language.phrases[0].term: required but missing",
        ),
    ],
)
def test_a_malformed_language_section_is_refused_at_load(
    tmp_path: Path, section: str, problem: str
) -> None:
    path = tmp_path / "local.yaml"
    path.write_text(BASE.format(name="local") + "extends: national\n" + section)
    with pytest.raises(ProfileError) as caught:
        check_profile_file(path)
    assert problem in str(caught.value)
