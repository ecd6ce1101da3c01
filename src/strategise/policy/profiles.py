"""Loading profiles: YAML files validated against the schema, merged with their parent.

A profile that breaks the schema fails to load with a ``ProfileError`` naming the file,
the rule and the field. Compiled profiles are cached: loading happens once per process.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from . import vocabulary
from .calendar import WorkingCalendar
from .facts import describe_errors
from .language import LanguageError, PhraseBook, builtin_phrase_book
from .procedure import (
    ClockHolder,
    NoMedicalAssessment,
    Procedure,
    ProcedureError,
    Questions,
    Reconvening,
    SharingMarker,
    Timescale,
    build_procedure,
)
from .schema import ALLOWED_FIELDS, SECTIONS, Condition, LanguageSection, ProfileFile
from .situation import Predicate, compile_condition

PROFILE_DIRECTORY = Path(__file__).parent / "profiles"
# libyaml's parser (PyYAML's wheels carry it) reads the built-in profiles several times
# faster than the pure-Python one. A file from outside (``strategise profiles check``) is
# read with the pure-Python parser: libyaml crashes the process on input nested tens of
# thousands deep, where the pure-Python parser raises RecursionError, which is reported.
_BUILTIN_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ProfileError(ValueError):
    """A profile file cannot be used; the message names the file, rule and field."""


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A rule with its predicate and its full citation (``<source file> <section>``)."""

    rule: Any
    applies: Predicate
    citation: str
    section: str
    exception_predicates: tuple[Predicate | None, ...] = ()
    fragment: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.fragment.update(
            {
                "reason": getattr(self.rule, "reason", ""),
                "source": self.citation,
                "rule": self.rule.id,
            }
        )

    def cited(self) -> dict[str, str]:
        """The rule's reason, source clause and id, as every answer carries them (a copy)."""
        return self.fragment.copy()


@dataclass(frozen=True)
class Profile:
    """A loaded profile: its own rules and those it inherits, ready to evaluate."""

    name: str
    title: str
    short_title: str
    source_file: str
    version: str
    digest: str
    extends: str | None
    calendar: WorkingCalendar
    rules: dict[str, tuple[CompiledRule, ...]]
    conditions: dict[str, Condition]
    agenda: tuple[Any, ...]
    notes: dict[str, dict[str, str]]
    procedure: Procedure
    escalation_stages: tuple[dict[str, str], ...] = ()
    # Each ``language:`` section of the profile and its parents, parents first: the file
    # it is in, the procedure its phrases cite, and the section.
    language_sections: tuple[tuple[str, str, LanguageSection], ...] = ()

    @cached_property
    def language(self) -> PhraseBook:
        """The phrases free text is checked for under this procedure: the built-in list
        with each ``language:`` section applied, parents first (compiled when first used,
        so triage never pays for it)."""
        book = builtin_phrase_book()
        for file_name, source_file, section in self.language_sections:
            try:
                book = book.extended(section, source_file, file_name)
            except LanguageError as error:
                raise ProfileError(str(error)) from None
        return book

    def section(self, name: str) -> tuple[CompiledRule, ...]:
        """The compiled rules of one section (``timescales``, ``attendees``...)."""
        return self.rules[name]

    def rule(self, rule_id: str) -> CompiledRule:
        """One rule by its id; ``KeyError`` if the profile has no such rule."""
        for rules in self.rules.values():
            for compiled in rules:
                if compiled.rule.id == rule_id:
                    return compiled
        raise KeyError(rule_id)

    def from_household(self, rule_id: str) -> bool:
        """Whether the rule applies only because of the household's circumstances (an
        adult's domestic abuse, mental health or substance misuse: Sandwell §4.2): then an
        agency it requires may be recorded as not involved. ``KeyError`` if no such rule."""
        when = self.rule(rule_id).rule.when
        flags = set(when.any_flag or []) | set(when.all_flags or [])
        return bool(flags) and flags <= vocabulary.HOUSEHOLD_FLAGS

    def risk_questions(self, *, reconvened: bool) -> Questions:
        """The questions the analysis of risk answers: the review questions for a
        reconvened discussion where the procedure has them."""
        return self.procedure.review if reconvened else self.procedure.risk

    @property
    def reconvening(self) -> Reconvening:
        """Holding more than one discussion: the clause, whether a reason is needed, and
        the longest interval between discussions (``None`` where the procedure sets none)."""
        return self.procedure.reconvening

    @property
    def sharing_markers(self) -> tuple[SharingMarker, ...]:
        """The markers the procedure puts on shared information, each with its clause."""
        return self.procedure.sharing_markers

    def sharing_marker(self, code: str) -> SharingMarker | None:
        """The procedure's marker with this code; ``None`` if it states no such marker."""
        return next((m for m in self.procedure.sharing_markers if m.code == code), None)

    @property
    def icpc_within(self) -> Timescale:
        """How soon after the discussion the initial child protection conference is held:
        the procedure's own clock rule, else the national one."""
        return self.procedure.icpc

    @property
    def no_medical_assessment(self) -> NoMedicalAssessment:
        """What is recorded when no child protection medical assessment is to be held."""
        return self.procedure.no_medical_assessment

    def clock_holder(self, code: str) -> ClockHolder | None:
        """Who the procedure makes responsible for the clock ``code``; ``None`` where it
        does not say (the caller then applies its own rule)."""
        return next((h for h in self.procedure.clock_holders if h.code == code), None)

    def citations(self) -> list[tuple[str, str]]:
        """Every citation the profile's data yields, each with what it is the clause for."""
        found = [(f"rule {c.rule.id}", c.citation) for rules in self.rules.values() for c in rules]
        found += [(f"agenda {i.id}", f"{self.source_file} {i.source}") for i in self.agenda]
        found += [(name, note["source"]) for name, note in self.notes.items()]
        found += [(f"escalation stage {s['id']}", s["source"]) for s in self.escalation_stages]
        procedure = self.procedure
        found += [
            ("risk questions", procedure.risk.source),
            ("review questions", procedure.review.source),
            ("reconvening", procedure.reconvening.source),
            ("initial child protection conference", procedure.icpc.source),
            ("no medical assessment", procedure.no_medical_assessment.source),
        ]
        if procedure.reconvening.interval is not None:
            found.append(("interval between discussions", procedure.reconvening.interval.source))
        found += [(f"sharing marker {m.code}", m.source) for m in procedure.sharing_markers]
        found += [(f"holder of {h.code}", h.source) for h in procedure.clock_holders]
        found += [
            (f"language phrase {phrase.id}", f"{source_file} {phrase.source}")
            for _, source_file, section in self.language_sections
            for phrase in section.phrases
        ]
        return found


def _read(path: Path, loader: type[Any] = yaml.SafeLoader) -> tuple[dict[str, Any], str]:
    try:
        text = path.read_bytes()
    except OSError as error:
        raise ProfileError(f"{path}: cannot be read ({error.strerror})") from None
    try:
        data = yaml.load(text, Loader=loader)  # noqa: S506 (both loaders are safe loaders)
    except yaml.YAMLError as error:
        raise ProfileError(f"{path.name}: is not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise ProfileError(f"{path.name}: must be a YAML mapping with a name, title and rules")
    return data, hashlib.sha256(text).hexdigest()[:12]


def _validate(path: Path, data: dict[str, Any]) -> ProfileFile:
    try:
        return ProfileFile.model_validate(data)
    except ValidationError as error:
        problems = []
        for problem, item in zip(describe_errors(error), error.errors(), strict=True):
            location = item["loc"]
            rule_id = _rule_id(data, location)
            where = f" (rule {rule_id!r})" if rule_id else ""
            problems.append(f"{path.name}{where}: {problem}")
        raise ProfileError("\n".join(problems)) from None


def _rule_id(data: dict[str, Any], location: tuple[Any, ...]) -> str | None:
    # Pydantic's location indexes into ``data`` itself, so the lookups below cannot miss.
    if len(location) >= 2 and location[0] in SECTIONS and isinstance(location[1], int):
        rule = data[location[0]][location[1]]
        rule_id = rule.get("id") if isinstance(rule, dict) else None
        if isinstance(rule_id, str):
            return rule_id
    return None


def _fields_used(
    condition: Condition, conditions: dict[str, Condition], seen: tuple[str, ...] = ()
) -> set[str]:
    used = condition.fields_used()
    for reference in _references(condition):
        if reference in seen:
            chain = " -> ".join((*seen, reference))
            raise ProfileError(f"named conditions refer to each other in a loop: {chain}")
        if reference not in conditions:
            known = ", ".join(sorted(conditions)) or "none"
            raise ProfileError(f"ref: {reference!r} is not a named condition (known: {known})")
        used |= _fields_used(conditions[reference], conditions, (*seen, reference))
    return used - {"ref"}


def _references(condition: Condition) -> list[str]:
    found = [condition.ref] if condition.ref else []
    for nested in (condition.any_of or []) + ([condition.not_] if condition.not_ else []):
        found.extend(_references(nested))
    return found


def _compile_named(conditions: dict[str, Condition]) -> dict[str, Predicate]:
    compiled: dict[str, Predicate] = {}

    def build(name: str) -> Predicate:
        if name not in compiled:
            condition = conditions[name]
            for reference in _references(condition):
                build(reference)
            compiled[name] = compile_condition(condition, compiled)
        return compiled[name]

    for name in conditions:
        build(name)
    return compiled


def build_profile(
    path: Path, parent: Profile | None, read: tuple[dict[str, Any], str] | None = None
) -> Profile:
    """Validate and compile one profile file on top of its (already built) parent.

    ``read`` is the file's data and digest when the caller has read it already."""
    data, digest = _read(path) if read is None else read
    spec = _validate(path, data)
    if spec.extends is not None and (parent is None or parent.name != spec.extends):
        raise ProfileError(f"{path.name}: extends: {spec.extends!r} is not a loaded profile")
    conditions = {**(parent.conditions if parent else {}), **spec.conditions}
    for name, condition in spec.conditions.items():
        _check_condition(path, f"condition {name!r}", condition, conditions, (name,))
    for section, rule in _sections(spec):
        used = _check_condition(path, f"rule {rule.id!r}", rule.when, conditions, ())
        for exception in getattr(rule, "exceptions", ()):
            if exception.applies_when is not None:
                used |= _check_condition(
                    path, f"rule {rule.id!r}", exception.applies_when, conditions, ()
                )
        not_allowed = used - ALLOWED_FIELDS[section]
        if not_allowed:
            raise ProfileError(
                f"{path.name} (rule {rule.id!r}): when: {section} rules cannot use "
                f"{', '.join(sorted(not_allowed))}"
            )
    named = _compile_named(conditions)
    inherited = _inherited_rules(path, spec, parent)
    rules: dict[str, tuple[CompiledRule, ...]] = {}
    for section in SECTIONS:
        own = tuple(
            CompiledRule(
                rule=rule,
                applies=compile_condition(rule.when, named),
                citation=f"{spec.source_file} {rule.source}",
                section=section,
                exception_predicates=tuple(
                    None if e.applies_when is None else compile_condition(e.applies_when, named)
                    for e in getattr(rule, "exceptions", ())
                ),
            )
            for rule in getattr(spec, section)
        )
        # A profile's own rules come first, so a local clause is cited before the national one.
        rules[section] = own + inherited[section]
    duplicate = _first_duplicate(rules)
    if duplicate:
        raise ProfileError(f"{path.name}: rule id {duplicate!r} is already used by its parent")
    try:
        procedure = build_procedure(
            path,
            spec,
            parent.procedure if parent else None,
            [(compiled.rule, compiled.citation) for compiled in rules["clocks"]],
        )
    except ProcedureError as error:
        raise ProfileError(str(error)) from None
    return Profile(
        name=spec.name,
        title=spec.title,
        short_title=spec.short_title or spec.title,
        source_file=spec.source_file,
        version=spec.version,
        digest=digest,
        extends=spec.extends,
        calendar=WorkingCalendar(spec.nation),
        rules=rules,
        conditions=conditions,
        agenda=tuple(spec.agenda) or (parent.agenda if parent else ()),
        notes=_notes(spec, parent),
        procedure=procedure,
        escalation_stages=_escalation_stages(spec, parent),
        language_sections=(parent.language_sections if parent else ())
        + (((path.name, spec.source_file, spec.language),) if spec.language else ()),
    )


def _escalation_stages(spec: ProfileFile, parent: Profile | None) -> tuple[dict[str, str], ...]:
    """The disagreement stages, each with its full citation; inherited when a profile has none."""
    own = tuple(
        {
            "id": stage.id,
            "title": stage.title,
            "holder": stage.holder,
            "held_by": stage.held_by,
            "reason": stage.reason,
            "source": f"{spec.source_file} {stage.source}",
        }
        for stage in spec.escalation_stages
    )
    return own or (parent.escalation_stages if parent else ())


def _notes(spec: ProfileFile, parent: Profile | None) -> dict[str, dict[str, str]]:
    """Procedural notes (escalation, late discussion, confirming no further action, the
    minutes as a summary) with full citations, inherited."""
    notes = dict(parent.notes) if parent else {}
    for name in (
        "non_attendance_escalation",
        "written_report_suffices",
        "late_discussion",
        "nfa_confirmation",
        "sibling_medicals",
        "close_without_discussion",
        "minutes_summary",
    ):
        note = getattr(spec, name)
        if note is not None:
            notes[name] = {"reason": note.reason, "source": f"{spec.source_file} {note.source}"}
    language = spec.language
    if language is not None and language.source is not None:
        notes["victim_blaming_language"] = {
            "reason": str(language.reason),
            "source": f"{spec.source_file} {language.source}",
        }
    return notes


def _check_condition(
    path: Path,
    where: str,
    condition: Condition,
    conditions: dict[str, Condition],
    seen: tuple[str, ...],
) -> set[str]:
    try:
        return _fields_used(condition, conditions, seen)
    except ProfileError as error:
        raise ProfileError(f"{path.name} ({where}): {error}") from None


def _sections(spec: ProfileFile) -> list[tuple[str, Any]]:
    return [(section, rule) for section in SECTIONS for rule in getattr(spec, section)]


def _inherited_rules(
    path: Path, spec: ProfileFile, parent: Profile | None
) -> dict[str, tuple[CompiledRule, ...]]:
    if parent is None:
        if spec.replaces:
            raise ProfileError(f"{path.name}: replaces: only a profile that extends another can")
        return {section: () for section in SECTIONS}
    parent_ids = {compiled.rule.id for rules in parent.rules.values() for compiled in rules}
    unknown = [rule_id for rule_id in spec.replaces if rule_id not in parent_ids]
    if unknown:
        raise ProfileError(
            f"{path.name}: replaces: {', '.join(map(repr, unknown))} "
            f"is not a rule of {parent.name!r}"
        )
    dropped = set(spec.replaces)
    return {
        section: tuple(c for c in parent.rules[section] if c.rule.id not in dropped)
        for section in SECTIONS
    }


def _first_duplicate(rules: dict[str, tuple[CompiledRule, ...]]) -> str | None:
    seen: set[str] = set()
    for compiled_rules in rules.values():
        for compiled in compiled_rules:
            if compiled.rule.id in seen:
                return str(compiled.rule.id)
            seen.add(compiled.rule.id)
    return None


class ProfileDirectory(Mapping[str, Profile]):
    """The ``*.yaml`` profiles in a directory by name, each read, validated and compiled
    (with its parents) the first time it is asked for, and once only.

    Triage needs one profile and its parents, not every procedure: a command that answers
    one request reads only those files."""

    def __init__(self, directory: Path, loader: type[Any] = yaml.SafeLoader) -> None:
        self._paths = {path.stem: path for path in sorted(directory.glob("*.yaml"))}
        self._loader = loader
        self._profiles: dict[str, Profile] = {}

    def __getitem__(self, name: str) -> Profile:
        if name not in self._paths:
            raise KeyError(name)
        return self._load(name, ())

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)

    def _load(self, stem: str, chain: tuple[str, ...]) -> Profile:
        if stem in self._profiles:
            return self._profiles[stem]
        path = self._paths[stem]
        read = _read(path, self._loader)
        extends = read[0].get("extends")
        parent = None
        if isinstance(extends, str):
            if extends in chain or extends == stem:
                raise ProfileError(f"{path.name}: extends: profiles extend each other in a loop")
            if extends not in self._paths:
                raise ProfileError(f"{path.name}: extends: {extends!r} is not a profile")
            parent = self._load(extends, (*chain, stem))
        profile = build_profile(path, parent, read)
        if profile.name != stem:
            raise ProfileError(f"{path.name}: name: {profile.name!r} must match the file name")
        self._profiles[stem] = profile
        return profile


def load_directory(directory: Path) -> dict[str, Profile]:
    """Load every ``*.yaml`` profile in ``directory``, parents before children."""
    profiles = ProfileDirectory(directory)
    return {name: profiles[name] for name in profiles}


@cache
def builtin_profiles() -> Mapping[str, Profile]:
    """The profiles that ship with Strategise, each loaded once, when first used."""
    return ProfileDirectory(PROFILE_DIRECTORY, _BUILTIN_LOADER)


def get_profile(name: str) -> Profile:
    """A built-in profile by name; ``KeyError`` if there is none."""
    return builtin_profiles()[name]


def list_profiles() -> list[Profile]:
    """The built-in profiles: ``national`` first, then the others by name."""
    profiles = builtin_profiles()
    return sorted(profiles.values(), key=lambda p: (p.extends is not None, p.name))


def check_profile_file(path: Path) -> Profile:
    """Validate a profile file (a new local procedure) against the built-in profiles."""
    data, _ = _read(path)
    extends = data.get("extends")
    parent = None
    if extends is not None:
        if not isinstance(extends, str) or extends not in builtin_profiles():
            known = ", ".join(sorted(builtin_profiles()))
            raise ProfileError(f"{path.name}: extends: {extends!r} is not a profile ({known})")
        parent = builtin_profiles()[extends]
    profile = build_profile(path, parent)
    profile.language  # noqa: B018 (compiled here so that its errors are reported now)
    return profile
