"""The language of the record under a procedure: which words of a text to flag, and why.

The words are found by ``strategise.policy.language`` with the phrases of the
discussion's profile (the built-in list, with the profile's ``language:`` section).
Checking reads no case data and writes nothing: it checks the text it is given, so it is
not audited. A flag is advice; nothing here refuses or changes what was typed.

When concluding, the chair sees the flags of the whole record (``record_flags``) and may
keep flagged words with a reason (``language_accept``, audited); the minutes print those,
with the reasons, and no other flag (``docs/language.md``).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from strategise.actions.models import Action
from strategise.audit.services import audit_record
from strategise.discussions.agenda import agenda, risk_questions
from strategise.discussions.models import (
    ChildDecision,
    Discussion,
    DiscussionRecord,
    Dissent,
    Invitation,
    LanguageAcceptance,
)
from strategise.discussions.recording import discussion_children
from strategise.organisations.models import User
from strategise.policy import get_profile, vocabulary
from strategise.policy.language import Flag
from strategise.problems import Problem

# A text longer than any free-text field takes is not checked (the record's fields take
# at most ``strategise.web.govuk.TEXT`` characters).
MAX_CHARACTERS = 20_000


def language_flags(*, text: str, profile: str) -> list[Flag]:
    """The flags in ``text`` under the procedure ``profile``, in the order of the text."""
    if len(text) > MAX_CHARACTERS:
        raise Problem(f"Text to check must be {MAX_CHARACTERS:,} characters or fewer", "text")
    try:
        phrases = get_profile(profile).language
    except KeyError:
        raise Problem(f"There is no procedure called {profile!r}", "profile") from None
    return phrases.check(text)


def language_flags_by_field(*, values: Mapping[str, str], profile: str) -> dict[str, list[Flag]]:
    """The flags in each free-text field that has any, by the field's name. A text too
    long to check is left out (its form says it is too long)."""
    found = {
        name: language_flags(text=text, profile=profile)
        for name, text in values.items()
        if len(text) <= MAX_CHARACTERS
    }
    return {name: flags for name, flags in found.items() if flags}


# --- the whole record, for the chair ------------------------------------------------------


@dataclass(frozen=True)
class RecordText:
    """A free-text field of a discussion's record: ``field`` names it (it is what an
    acceptance is kept against), ``label`` says which it is in words, and ``page`` is
    where it is changed: a kind (``record``, ``decisions``, ``decision``, ``contribution``,
    ``actions``, ``dissent``), a key (a child's or an invitation's id, or None) and the
    field's name on that page."""

    field: str
    label: str
    page: tuple[str, int | None, str]
    text: str


@dataclass(frozen=True)
class RecordFlag:
    """A flag in a field of the record, with the chair's acceptance if there is one."""

    where: RecordText
    flag: Flag
    acceptance: LanguageAcceptance | None

    @property
    def words(self) -> str:
        """The flagged words as an acceptance keeps them: lower case, one space apart."""
        return normal_words(self.flag.text)

    @property
    def key(self) -> str:
        """A short, stable name for the flag (it changes when the words do)."""
        named = "\x00".join((self.where.field, self.flag.phrase, self.words))
        return hashlib.sha256(named.encode()).hexdigest()[:16]


def normal_words(text: str) -> str:
    """Words as an acceptance keeps them: lower case, one space apart."""
    return " ".join(text.lower().split())


def record_texts(
    *,
    discussion: Discussion,
    record: DiscussionRecord | None,
    invitations: Iterable[Invitation],
    decisions: Iterable[ChildDecision],
    actions: Iterable[Action],
    dissents: Iterable[Dissent],
) -> list[RecordText]:
    """Every free-text field of the discussion's record that says something, in the
    order the minutes print them."""
    texts: list[RecordText] = []

    def add(field: str, label: str, page: tuple[str, int | None, str], text: str) -> None:
        if text.strip():
            texts.append(RecordText(field, label, page, text))

    if record is not None:
        add(
            "record:other_children",
            "Other children who may be affected",
            ("record", None, "other_children"),
            record.other_children,
        )
        add(
            "record:reason",
            "Reason for and purpose of this discussion",
            ("record", None, "reason"),
            record.reason,
        )
        add(
            "record:background",
            "Relevant background",
            ("record", None, "background"),
            record.background,
        )
    for invitation in invitations:
        contribution = getattr(invitation, "contribution", None)
        if contribution is not None:
            agency = vocabulary.ATTENDEES.get(invitation.agency_code, invitation.agency_code)
            add(
                f"contribution:{invitation.pk}",
                f"Contribution of {agency}",
                ("contribution", invitation.pk, "text"),
                contribution.text,
            )
    if record is not None:
        questions = risk_questions(discussion).questions
        for number, answer in sorted(record.risk_answers.items(), key=lambda kv: int(kv[0])):
            index = int(number) - 1
            question = questions[index] if 0 <= index < len(questions) else f"Question {number}"
            add(f"record:risk:{number}", question, ("record", None, f"risk_{number}"), answer)
        titles = {item.id: item.title for item in agenda(discussion)}
        for item_id, note in record.agenda_notes.items():
            add(
                f"record:agenda:{item_id}",
                titles.get(item_id, item_id),
                ("record", None, f"agenda-{item_id}"),
                note,
            )
    for decision in decisions:
        child = decision.child
        for name, what in DECISION_TEXT.items():
            add(
                f"decision:{child.pk}:{name}",
                f"Decision for {child}: {what}",
                ("decision", child.pk, name),
                getattr(decision, name),
            )
    if record is not None:
        for name, label in RECORD_DECISION_TEXT.items():
            add(f"record:{name}", label, ("decisions", None, name), getattr(record, name))
    for action in actions:
        add(
            f"action:{action.pk}",
            f"Action {action.pk}: what will be done",
            ("actions", None, "description"),
            action.description,
        )
        add(
            f"action:{action.pk}:note",
            f"Action {action.pk}: what was done",
            ("action", action.pk, "completion_note"),
            action.completion_note,
        )
    for dissent in dissents:
        add(
            f"dissent:{dissent.pk}",
            f"Dissent {dissent.pk}: reasons",
            ("dissent", None, "reasons"),
            dissent.reasons,
        )
    return texts


# The decision's free text, as its page labels it.
DECISION_TEXT = {
    "rationale": "rationale",
    "seen_alone_reason": "why the child will not be seen alone",
    "medical_reasoning": "why there will be no medical assessment",
    "medical_advice": "medical advice given",
}
RECORD_DECISION_TEXT = {
    "family_not_informed_reason": "Why the family will not be told",
    "legal_advice_detail": "Details of the legal advice",
}


def record_flags(
    *,
    discussion: Discussion,
    record: DiscussionRecord | None,
    invitations: Iterable[Invitation],
    decisions: Iterable[ChildDecision],
    actions: Iterable[Action],
    dissents: Iterable[Dissent],
    accepted: Iterable[LanguageAcceptance],
) -> list[RecordFlag]:
    """Every flag in the record's free text (``record_texts``) under the discussion's
    procedure, each with the chair's acceptance if the chair kept those words in that
    field with a reason."""
    texts = record_texts(
        discussion=discussion,
        record=record,
        invitations=invitations,
        decisions=decisions,
        actions=actions,
        dissents=dissents,
    )
    return text_flags(texts=texts, profile=discussion.request.profile, accepted=accepted)


def text_flags(
    *,
    texts: Iterable[RecordText],
    profile: str,
    accepted: Iterable[LanguageAcceptance],
    already: Mapping[str, str] | None = None,
) -> list[RecordFlag]:
    """Every flag in ``texts`` under ``profile``, each with the chair's acceptance if the
    chair kept those words in that field with a reason. ``already`` gives, by field, text
    whose flags are not this field's own (the words the record had before the minute-taker
    reworded it): each such flag is left out once, however many times it was there."""
    kept = {(a.field, a.phrase, a.words): a for a in accepted}
    found = []
    for where in texts:
        if len(where.text) > MAX_CHARACTERS:
            continue
        before = (already or {}).get(where.field, "")
        carried = Counter(
            (flag.phrase, normal_words(flag.text))
            for flag in (language_flags(text=before, profile=profile) if before else [])
            if len(before) <= MAX_CHARACTERS
        )
        for flag in language_flags(text=where.text, profile=profile):
            named = (flag.phrase, normal_words(flag.text))
            if carried[named]:
                carried[named] -= 1
                continue
            acceptance = kept.get((where.field, *named))
            found.append(RecordFlag(where, flag, acceptance))
    return found


def language_accept(
    *, user: User, discussion: Discussion, flag: RecordFlag, reason: str, now: datetime
) -> LanguageAcceptance:
    """The chair keeps flagged words of the record, with the reason; audited. The minutes
    print each such flag, with the reason, in their annex on language."""
    with transaction.atomic(durable=True):
        return language_accept_within(
            user=user, discussion=discussion, flag=flag, reason=reason, now=now
        )


def language_accept_within(
    *, user: User, discussion: Discussion, flag: RecordFlag, reason: str, now: datetime
) -> LanguageAcceptance:
    """``language_accept`` inside a transaction the caller holds (the minutes' service,
    which also lists the words in a draft's annex)."""
    if user.pk != discussion.chair_id:
        raise Problem("Only the chair can accept words the language check flagged")
    reason = reason.strip()
    if not reason:
        raise Problem("Give the reason for keeping these words", "reason")
    if len(reason) > MAX_REASON:
        raise Problem(f"Keep the reason to {MAX_REASON:,} characters or fewer", "reason")
    with transaction.atomic():
        acceptance, created = LanguageAcceptance.objects.get_or_create(
            discussion=discussion,
            field=flag.where.field,
            phrase=flag.flag.phrase,
            words=flag.words,
            defaults={"reason": reason, "accepted_by": user, "accepted_at": now},
        )
        if not created:
            raise Problem("These words were already accepted, with a reason")
        audit_record(
            user=user,
            action="accept-language",
            obj=acceptance,
            children=discussion_children(discussion),
            detail={"field": flag.where.field, "phrase": flag.flag.phrase},
        )
    return acceptance


MAX_REASON = 5_000
