"""The language of the record: victim-blaming and minimising words in free text.

The phrases are data (``language.yaml``), each with the guide and term it comes from, why
the words are a problem and what to write instead; a profile adds phrases or switches
some off in its ``language:`` section. ``PhraseBook.check`` finds them in a text and
returns one ``Flag`` for each, with where the words are, so a page can show them beside
what was typed. Nothing is changed or refused: a flag is advice.

Matching ignores case, reads a hyphen as a space ("risk-taking"), straight and curly
apostrophes alike, and a possessive "'s"; it never runs across a sentence. Words inside
quotation marks are left alone (the child's own words, or a phrase being discussed), and
so are the words of a ``negatable`` phrase just after "not", "never", "cannot"...
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .facts import describe_errors
from .schema import GAP, LanguagePhrase, LanguageSection

LANGUAGE_FILE = Path(__file__).parent / "language.yaml"

# A word: letters and digits, with apostrophes inside ("didn't", "harm's").
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
# What ends a sentence or clause between two words: no phrase runs across it.
_BREAK = re.compile(r"[.!?;:\n\u2022()\[\]]")
# Quoted passages: double quotes, curly single quotes and straight single quotes (an
# apostrophe inside a word does not close a single quote).
_QUOTED = (
    re.compile(r'"[^"\n]*"'),
    re.compile("\u201c[^\u201d\n]*\u201d"),
    re.compile("\u2018(?:[^\u2019\n]|\u2019(?=\\w))*\u2019"),
    re.compile(r"(?<!\w)'(?:[^'\n]|'(?=\w))*'(?!\w)"),
)
_NEGATIONS = frozenset(
    "not never no cannot can't couldn't didn't doesn't don't isn't wasn't won't wouldn't "
    "unable nor without".split()
)
_NEGATION_REACH = 3  # words before a negatable phrase that a negation may be
_SENTENCE_BREAK = "\x00"
_GAP = r"(?: [^ \x00]+){0,3}"  # "...": up to three words, never a sentence break


class LanguageError(ValueError):
    """The phrase list (or a profile's ``language:`` section) cannot be used."""


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Guide(_Schema):
    """A published guide that phrases cite."""

    title: str = Field(min_length=1)
    by: str = Field(min_length=1)
    year: int
    url: str = Field(pattern=r"^https://")


class GuideTerm(_Schema):
    """Where a built-in phrase comes from: the guide, and the term as the guide names it."""

    guide: str
    term: str = Field(min_length=1)


class BuiltinPhrase(LanguagePhrase):
    """A phrase of the built-in list, citing a guide."""

    source: GuideTerm  # type: ignore[assignment]


class PhraseFile(_Schema):
    """``language.yaml``: the guides, the word forms and the phrases."""

    guides: dict[str, Guide] = Field(min_length=1)
    forms: dict[str, list[str]] = {}
    phrases: list[BuiltinPhrase] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class Phrase:
    """A compiled phrase: its patterns, the patterns that leave a match alone, and its
    advice. ``source`` is where it comes from: a guide and its term, in words, or a
    profile's citation (``<source file> <section>``)."""

    id: str
    term: str
    why: str
    alternatives: tuple[str, ...]
    source: str
    negatable: bool
    patterns: tuple[re.Pattern[str], ...]
    exceptions: tuple[re.Pattern[str], ...]
    # The words a match can begin with, for each pattern: a text with none of them is not
    # searched with it (most texts have none of most patterns' first words).
    triggers: tuple[frozenset[str], ...] = ()


@dataclass(frozen=True, slots=True)
class Flag:
    """Words in a text that the phrase ``phrase`` is about, at ``start``:``end``."""

    phrase: str
    term: str
    text: str
    start: int
    end: int
    why: str
    alternatives: tuple[str, ...]
    source: str

    def to_dict(self) -> dict[str, Any]:
        """The flag as JSON: what was found, where, why it matters and what to write."""
        return {
            "phrase": self.phrase,
            "term": self.term,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "why": self.why,
            "alternatives": list(self.alternatives),
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class _Words:
    """A text as its words, lower case, one space apart (a sentence break as its own
    token), with where each word is in the normalised string and in the text."""

    normal: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    spans: tuple[tuple[int, int], ...]
    sentences: tuple[int, ...]
    words: tuple[str, ...]


def _word(word: str) -> str:
    word = word.lower().replace("\u2019", "'")
    return word[:-2] if word.endswith("'s") else word


def _words(text: str) -> _Words:
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    spans: list[tuple[int, int]] = []
    sentences: list[int] = []
    words: list[str] = []
    sentence = 0
    position = 0
    previous_end = 0
    for match in _WORD.finditer(text):
        if spans and _BREAK.search(text, previous_end, match.start()):
            parts.append(_SENTENCE_BREAK)
            position += len(_SENTENCE_BREAK) + 1
            sentence += 1
        word = _word(match.group())
        parts.append(word)
        starts.append(position)
        ends.append(position + len(word))
        position += len(word) + 1
        spans.append(match.span())
        sentences.append(sentence)
        words.append(word)
        previous_end = match.end()
    return _Words(
        " ".join(parts),
        tuple(starts),
        tuple(ends),
        tuple(spans),
        tuple(sentences),
        tuple(words),
    )


def _normal_words(text: str) -> str:
    """A pattern's word (or a word form) as the text's words are normalised."""
    return " ".join(_word(match.group()) for match in _WORD.finditer(text))


def _token(token: str, forms: Mapping[str, tuple[str, ...]], where: str) -> str:
    if token.startswith("{"):
        name = token[1:-1]
        if name not in forms:
            known = ", ".join(sorted(forms))
            raise LanguageError(f"{where}: {{{name}}} is not a word form (known: {known})")
        choices = forms[name]
    else:
        choices = tuple(_normal_words(word) for word in token.split("|"))
    # Longest first, so "much older men" is tried before "much".
    ordered = sorted(set(choices), key=lambda choice: (-len(choice), choice))
    return "(?:" + "|".join(re.escape(choice) for choice in ordered) + ")"


def _first_words(pattern: str, forms: Mapping[str, tuple[str, ...]]) -> frozenset[str]:
    first = pattern.split()[0]
    choices = forms[first[1:-1]] if first.startswith("{") else first.split("|")
    return frozenset(_normal_words(choice).split(" ")[0] for choice in choices)


def compile_pattern(
    pattern: str, forms: Mapping[str, tuple[str, ...]], where: str
) -> re.Pattern[str]:
    """A pattern (``docs/language.md``) as a regular expression over normalised words."""
    pieces: list[str] = []
    for index, word in enumerate(pattern.split()):
        if word == GAP:
            pieces.append(_GAP)
            continue
        optional = word.endswith("?")
        body = _token(word.removesuffix("?"), forms, where)
        space = "" if index == 0 else " "
        pieces.append(f"(?:{space}{body})?" if optional else f"{space}{body}")
    return re.compile(r"(?<![^ ])" + "".join(pieces) + r"(?![^ ])")


def _compile(
    spec: LanguagePhrase, source: str, forms: Mapping[str, tuple[str, ...]], where: str
) -> Phrase:
    where = f"{where} (phrase {spec.id!r})"
    return Phrase(
        id=spec.id,
        term=spec.term,
        why=" ".join(spec.why.split()),
        alternatives=tuple(spec.alternatives),
        source=source,
        negatable=spec.negatable,
        patterns=tuple(compile_pattern(p, forms, where) for p in spec.patterns),
        exceptions=tuple(compile_pattern(p, forms, where) for p in spec.except_),
        triggers=tuple(_first_words(p, forms) for p in spec.patterns),
    )


def _quoted(text: str) -> list[tuple[int, int]]:
    return [match.span() for quote in _QUOTED for match in quote.finditer(text)]


@dataclass(frozen=True)
class PhraseBook:
    """The phrases a text is checked for, and the word forms their patterns use."""

    phrases: tuple[Phrase, ...]
    forms: Mapping[str, tuple[str, ...]]

    def ids(self) -> list[str]:
        """The phrases' ids, in order."""
        return [phrase.id for phrase in self.phrases]

    def check(self, text: str) -> list[Flag]:
        """Every phrase found in ``text``, in the order the words appear."""
        words = _words(text)
        present = frozenset(words.words)
        quoted = _quoted(text)
        flags: list[Flag] = []
        for phrase in self.phrases:
            flags.extend(self._found(phrase, text, words, present, quoted))
        flags.sort(key=lambda flag: (flag.start, flag.end, flag.phrase))
        return flags

    def _found(
        self,
        phrase: Phrase,
        text: str,
        words: _Words,
        present: frozenset[str],
        quoted: list[tuple[int, int]],
    ) -> Iterable[Flag]:
        searched = [
            p for p, first in zip(phrase.patterns, phrase.triggers, strict=True) if first & present
        ]
        if not searched:
            return
        excepted = [m.span() for e in phrase.exceptions for m in e.finditer(words.normal)]
        taken: list[tuple[int, int]] = []
        for pattern in searched:
            for match in pattern.finditer(words.normal):
                first = bisect_left(words.starts, match.start())
                last = bisect_right(words.ends, match.end()) - 1
                start, end = words.spans[first][0], words.spans[last][1]
                if any(s < match.end() and match.start() < e for s, e in excepted):
                    continue
                if any(s <= start and end <= e for s, e in quoted):
                    continue
                if phrase.negatable and _negated(words, first):
                    continue
                if any(s < end and start < e for s, e in taken):
                    continue
                taken.append((start, end))
                yield Flag(
                    phrase=phrase.id,
                    term=phrase.term,
                    text=text[start:end],
                    start=start,
                    end=end,
                    why=phrase.why,
                    alternatives=phrase.alternatives,
                    source=phrase.source,
                )

    def extended(self, section: LanguageSection, source_file: str, where: str) -> PhraseBook:
        """This book with a profile's ``language:`` section applied: its phrases switched
        off, then its own phrases (citing ``source_file``) added."""
        known = self.ids()
        unknown = [phrase_id for phrase_id in section.switch_off if phrase_id not in known]
        if unknown:
            raise LanguageError(
                f"{where}: language: switch_off: {', '.join(map(repr, unknown))} "
                "is not a phrase it inherits"
            )
        kept = tuple(p for p in self.phrases if p.id not in set(section.switch_off))
        taken = {phrase.id for phrase in kept}
        added = []
        for spec in section.phrases:
            if spec.id in taken:
                raise LanguageError(
                    f"{where}: language: phrase id {spec.id!r} is already a phrase; "
                    "switch it off first to replace it"
                )
            added.append(_compile(spec, f"{source_file} {spec.source}", self.forms, where))
        return PhraseBook(kept + tuple(added), self.forms)


def _negated(words: _Words, first: int) -> bool:
    sentence = words.sentences[first]
    for index in range(max(0, first - _NEGATION_REACH), first):
        if words.sentences[index] == sentence and words.words[index] in _NEGATIONS:
            return True
    return False


def _guide_in_words(guide: Guide, term: str) -> str:
    return f"{guide.by}, \u2018{guide.title}\u2019 ({guide.year}): \u2018{term}\u2019"


def build_phrase_book(path: Path, loader: type[Any] = yaml.SafeLoader) -> PhraseBook:
    """Read, validate and compile a phrase file; ``LanguageError`` names what is wrong."""
    try:
        data = yaml.load(path.read_bytes(), Loader=loader)  # noqa: S506 (a safe loader)
    except (OSError, yaml.YAMLError) as error:
        raise LanguageError(f"{path.name}: cannot be read: {error}") from None
    try:
        spec = PhraseFile.model_validate(data)
    except ValidationError as error:
        raise LanguageError(
            "\n".join(f"{path.name}: {problem}" for problem in describe_errors(error))
        ) from None
    forms = {
        name: tuple(_normal_words(word) for word in words) for name, words in spec.forms.items()
    }
    phrases = []
    seen: set[str] = set()
    for phrase in spec.phrases:
        if phrase.id in seen:
            raise LanguageError(f"{path.name}: phrase id {phrase.id!r} is used twice")
        seen.add(phrase.id)
        guide = spec.guides.get(phrase.source.guide)
        if guide is None:
            known = ", ".join(sorted(spec.guides))
            raise LanguageError(
                f"{path.name} (phrase {phrase.id!r}): source: guide "
                f"{phrase.source.guide!r} is not one of the guides ({known})"
            )
        source = _guide_in_words(guide, phrase.source.term)
        phrases.append(_compile(phrase, source, forms, path.name))
    return PhraseBook(tuple(phrases), forms)


@cache
def builtin_phrase_book() -> PhraseBook:
    """The phrases that ship with Strategise, compiled once, when first used."""
    return build_phrase_book(LANGUAGE_FILE, getattr(yaml, "CSafeLoader", yaml.SafeLoader))


__all__ = [
    "Flag",
    "LanguageError",
    "Phrase",
    "PhraseBook",
    "build_phrase_book",
    "builtin_phrase_book",
    "compile_pattern",
]
