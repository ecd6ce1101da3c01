"""The language check measured on a corpus (``tests/policy/language/``).

* ``guide_examples.yaml``: the inappropriate examples the guides give, each with its guide
  and term. Every one must be flagged.
* ``neutral_sentences.txt``: sentences from realistic strategy-discussion records, written
  for the test, many using "risk", "relationship", "consent", "engage", "involved" and
  "missing" properly. At most 5% may be flagged.
* ``neutral_held_out.txt``: more of them, written after the phrase list was settled and
  never used to tune it. At most 5% of these may be flagged too.

The figures are in ``docs/language.md``; a test holds the page to them. ``make bench``
prints them too (``tests/benchmarks/test_language_speed.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from strategise.policy.language import builtin_phrase_book

CORPUS = Path(__file__).parent / "language"
DOCS = Path(__file__).parents[2] / "docs" / "language.md"
NEUTRAL_CEILING = 0.05


def guide_examples() -> list[dict[str, str]]:
    """The guides' own inappropriate examples."""
    return list(yaml.safe_load((CORPUS / "guide_examples.yaml").read_text()))


def neutral_sentences(name: str = "neutral_sentences.txt") -> list[str]:
    """The neutral sentences of a file, one a line (``#`` lines are comments)."""
    lines = (CORPUS / name).read_text().splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def held_out_sentences() -> list[str]:
    """The neutral sentences never used to tune the phrases."""
    return neutral_sentences("neutral_held_out.txt")


def _share(flagged: list[str], total: list[str]) -> str:
    return f"{len(flagged)} / {len(total)} ({100 * len(flagged) / len(total):.1f}%)"


@dataclass(frozen=True)
class Figures:
    """How many of each part of the corpus the check flags."""

    examples_flagged: int
    examples: int
    neutral_flagged: list[str]
    neutral: list[str]
    held_out_flagged: list[str]
    held_out: list[str]

    def lines(self) -> list[str]:
        """The figures as docs/language.md states them."""
        return [
            f"| Guide examples flagged | {self.examples_flagged} / {self.examples} |",
            "| Neutral sentences flagged (written with the phrases) | "
            f"{_share(self.neutral_flagged, self.neutral)} |",
            "| Neutral sentences flagged (held out) | "
            f"{_share(self.held_out_flagged, self.held_out)} |",
        ]


def measure() -> Figures:
    """The check run over the whole corpus."""
    book = builtin_phrase_book()
    examples = guide_examples()
    neutral = neutral_sentences()
    held_out = held_out_sentences()
    return Figures(
        examples_flagged=sum(1 for example in examples if book.check(example["text"])),
        examples=len(examples),
        neutral_flagged=[sentence for sentence in neutral if book.check(sentence)],
        neutral=neutral,
        held_out_flagged=[sentence for sentence in held_out if book.check(sentence)],
        held_out=held_out,
    )


def test_the_corpus_has_at_least_200_neutral_sentences_all_different() -> None:
    sentences = neutral_sentences() + held_out_sentences()
    assert len(neutral_sentences()) >= 200
    assert len(set(sentences)) == len(sentences)


def test_every_example_names_a_guide_the_phrase_list_cites() -> None:
    cited = yaml.safe_load(
        (Path(__file__).parents[2] / "src/strategise/policy/language.yaml").read_text()
    )["guides"]
    assert {example["guide"] for example in guide_examples()} <= set(cited)


@pytest.mark.parametrize("example", guide_examples(), ids=lambda example: example["text"])
def test_every_example_the_guides_give_is_flagged(example: dict[str, str]) -> None:
    assert builtin_phrase_book().check(example["text"]), (example["guide"], example["term"])


def test_at_most_five_per_cent_of_neutral_sentences_are_flagged() -> None:
    figures = measure()
    print("\n".join(figures.lines()))  # noqa: T201 (the figures, with -s)
    assert len(figures.neutral_flagged) <= NEUTRAL_CEILING * len(figures.neutral), (
        figures.neutral_flagged
    )


def test_at_most_five_per_cent_of_the_held_out_sentences_are_flagged() -> None:
    figures = measure()
    assert len(figures.held_out_flagged) <= NEUTRAL_CEILING * len(figures.held_out), (
        figures.held_out_flagged
    )


def test_docs_state_the_measured_figures() -> None:
    page = DOCS.read_text()
    for line in measure().lines():
        assert re.search(re.escape(line), page), f"docs/language.md should say: {line}"
