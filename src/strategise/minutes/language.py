"""The language of the minutes: the free text they print that the record's review does
not read, in the chair's list beside the record's.

The chair's list when concluding reads the record (``discussions.language.record_texts``).
The minutes print more free text than that, written after the record: the minute-taker's
wording of a passage, each dated update an agency added to its contribution, the reason
for each correction of the record, and the reason for correcting the minutes. Each is here
a ``RecordText`` (field ``minutes:…``, ``update:…``, ``correction:…``), flagged under the
discussion's procedure and kept with a reason as the record's flags are
(``LanguageAcceptance``). Of a reworded passage, only the words the minute-taker added are
its own: a flag the record's text already had stays the record's (``text_flags``'s
``already``).

The chair approves the minutes only once each of these flags is kept with a reason or
reworded (``minutes.services.minutes_approve``): the minutes carry none that the chair did
not accept. The annex lists every flag kept, of the record and of the minutes.
"""

from __future__ import annotations

from collections.abc import Iterable

from strategise.discussions.language import RecordFlag, RecordText, text_flags
from strategise.discussions.models import (
    ContributionUpdate,
    Correction,
    Discussion,
    LanguageAcceptance,
)
from strategise.minutes.models import Minutes, MinutesStatus
from strategise.minutes.wording import passages
from strategise.policy import vocabulary
from strategise.policy.wording import format_when

#: How the field of a minute-taker's wording is named (``minutes:<passage id>``).
WORDING = "minutes:"


def minutes_texts(
    *,
    draft: Minutes | None,
    updates: Iterable[ContributionUpdate],
    corrections: Iterable[Correction],
) -> tuple[list[RecordText], dict[str, str]]:
    """The free text the minutes print that the record's review does not read, in the
    order the minutes print it; and, by field, the text a reworded passage had before
    (its flags are the record's, not the wording's). ``draft`` is the minutes being worded
    (none once approved: its words were accepted then)."""
    texts: list[RecordText] = []
    before: dict[str, str] = {}
    for update in updates:
        invitation = update.contribution.invitation
        agency = vocabulary.ATTENDEES.get(invitation.agency_code, invitation.agency_code)
        texts.append(
            RecordText(
                f"update:{update.pk}",
                f"Update to the contribution of {agency}, {format_when(update.added_at)}",
                ("update", invitation.pk, "text"),
                update.text,
            )
        )
    if draft is not None:
        generated = {passage.id: passage for passage in passages(draft.generated)}
        for passage_id, text in draft.wording.items():
            passage = generated.get(passage_id)
            if passage is None or not text.strip():
                continue
            field = f"{WORDING}{passage_id}"
            texts.append(
                RecordText(
                    field,
                    f"The minutes’ wording of {passage.section}: {passage.heading}",
                    ("minutes-wording", draft.number, f"passage-{passage_id}"),
                    text,
                )
            )
            before[field] = passage.text
    for correction in corrections:
        texts.append(
            RecordText(
                f"correction:{correction.pk}",
                f"Reason for correcting the record, {format_when(correction.opened_at)}",
                ("correction", correction.pk, "reason"),
                correction.reason,
            )
        )
    if draft is not None and draft.correction_reason.strip():
        texts.append(
            RecordText(
                f"minutes-correction:{draft.number}",
                f"Reason for correcting the minutes (version {draft.number})",
                ("minutes", None, "correction_reason"),
                draft.correction_reason,
            )
        )
    return texts, before


def minutes_flags(
    *,
    discussion: Discussion,
    draft: Minutes | None,
    updates: Iterable[ContributionUpdate],
    corrections: Iterable[Correction],
    accepted: Iterable[LanguageAcceptance],
) -> list[RecordFlag]:
    """Every flag of the free text the minutes print beyond the record (``minutes_texts``),
    each with the chair's acceptance if there is one."""
    texts, before = minutes_texts(draft=draft, updates=updates, corrections=corrections)
    return text_flags(
        texts=texts, profile=discussion.request.profile, accepted=accepted, already=before
    )


def unaccepted(flags: Iterable[RecordFlag]) -> list[RecordFlag]:
    """The flags the chair has not kept with a reason."""
    return [flag for flag in flags if flag.acceptance is None]


def discussion_minutes_flags(*, discussion: Discussion) -> list[RecordFlag]:
    """The flags of the free text the discussion's minutes print beyond the record, as it
    stands now: of its draft (if one is being worded), its contributions' updates and its
    corrections (read for a page that has already read the discussion, audited)."""
    draft = Minutes.objects.filter(discussion=discussion, status=MinutesStatus.DRAFT).first()
    return minutes_flags(
        discussion=discussion,
        draft=draft,
        updates=ContributionUpdate.objects.filter(
            contribution__invitation__discussion=discussion
        ).select_related("contribution__invitation"),
        corrections=Correction.objects.filter(discussion=discussion),
        accepted=discussion.language_acceptances.select_related("accepted_by"),
    )
