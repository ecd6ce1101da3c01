"""How fast the language check reads a record, and its figures on the test corpus.

``make bench`` runs these. The figures (guide examples flagged, neutral sentences flagged)
are printed and kept in the benchmark's extra info; ``docs/language.md`` states them and
``tests/policy/test_language_corpus.py`` holds the page to them.
"""

from __future__ import annotations

from typing import Any

from strategise.policy.language import builtin_phrase_book
from tests.policy.test_language_corpus import measure, neutral_sentences


def test_checking_a_record_sized_text(benchmark: Any) -> None:
    """A record's worth of text (the neutral corpus as one text, about 25,000 characters)."""
    text = " ".join(neutral_sentences())
    book = builtin_phrase_book()
    flags = benchmark(lambda: book.check(text))
    assert flags == []


def test_the_figures_on_the_corpus(benchmark: Any) -> None:
    figures = benchmark.pedantic(measure, rounds=3)
    for line in figures.lines():
        print(line)  # noqa: T201 (the figures, with -s)
    benchmark.extra_info["figures"] = figures.lines()
    assert figures.examples_flagged == figures.examples
