"""The draft's wording: the minute-taker rewords passages (a summary, not a transcript,
Bristol §5.3), the chair sees what changed from the record and approves the revision read."""

from __future__ import annotations

from typing import Any

import pytest

from strategise.audit.models import AuditEvent
from strategise.discussions.concluding import discussion_conclude
from strategise.discussions.corrections import correction_close, correction_open
from strategise.discussions.models import Discussion, DiscussionRecord
from strategise.discussions.recording import contribution_save, record_save
from strategise.minutes.models import Minutes, MinutesStatus
from strategise.minutes.services import minutes_approve, minutes_draft, minutes_reword
from strategise.minutes.wording import (
    WORDING_LIMIT,
    kept_wording,
    passages,
    with_wording,
    wording_changes,
)
from strategise.organisations.models import User
from strategise.problems import Problem
from tests.discussions.support import invitation
from tests.web.recording.support import LATER, complete, started

SHARED = "Two call-outs to the address last year, the last one in March, for shouting"


def _document(*texts: tuple[str, str]) -> dict[str, Any]:
    return {
        "sections": [
            {
                "heading": "What each agency shared",
                "blocks": [
                    {"type": "paragraph", "text": "Not editable"},
                    *(
                        {
                            "type": "marked",
                            "id": key,
                            "heading": key.title(),
                            "markings": [],
                            "text": t,
                        }
                        for key, t in texts
                    ),
                ],
            }
        ]
    }


def test_only_passages_with_an_id_may_be_reworded() -> None:
    document = _document(("police", "Old words"), ("health", "Seen by the GP"))
    assert [(p.id, p.section, p.heading, p.text) for p in passages(document)] == [
        ("police", "What each agency shared", "Police", "Old words"),
        ("health", "What each agency shared", "Health", "Seen by the GP"),
    ]


def test_the_wording_replaces_the_passage_and_leaves_the_generated_document_alone() -> None:
    generated = _document(("police", "Old words"))
    printed = with_wording(generated, {"police": "New words"})
    assert printed["sections"][0]["blocks"][1]["text"] == "New words"
    assert generated["sections"][0]["blocks"][1]["text"] == "Old words"


def test_wording_the_same_as_the_record_or_of_a_passage_gone_is_not_kept() -> None:
    generated = _document(("police", "Old words"), ("health", "Seen by the GP"))
    wording = {"police": "New words", "health": "Seen by the GP", "school": "Gone"}
    assert kept_wording(generated, wording) == {"police": "New words"}


def test_each_change_is_shown_word_by_word() -> None:
    generated = _document(("police", "Two call-outs last year, for shouting."))
    (change,) = wording_changes(generated, {"police": "Two call-outs in 2025, for shouting."})
    assert change.passage.heading == "Police"
    assert change.parts == (
        ("same", "Two call-outs "),
        ("removed", "last year,"),
        ("added", "in 2025,"),
        ("same", " for shouting."),
    )


def test_words_only_added_or_only_removed() -> None:
    generated = _document(("police", "Seen at home"), ("health", "Seen by the GP today"))
    changes = wording_changes(
        generated, {"police": "Seen at home alone", "health": "Seen by the GP"}
    )
    assert [change.parts for change in changes] == [
        (("same", "Seen at home"), ("added", " alone")),
        (("same", "Seen by the GP"), ("removed", " today")),
    ]


def test_no_wording_no_changes() -> None:
    assert wording_changes(_document(("police", "Old words")), {}) == []


# --- the services -----------------------------------------------------------------------


@pytest.fixture
def shared(social_worker: User, team_manager: User, police_officer: User) -> Discussion:
    """Held, with what the police shared recorded at length (before concluding, after which
    the record is read-only)."""
    discussion = started(social_worker, team_manager, police_officer)
    contribution_save(
        user=police_officer,
        invitation=invitation(discussion, "police"),
        text=SHARED,
        not_for_family=True,
        consent_needed=False,
        expected_version=0,
        now=LATER,
    )
    complete(discussion, team_manager)
    return discussion_conclude(user=team_manager, discussion=discussion, now=LATER)


def _corrected(discussion: Discussion, manager: User, values: dict[str, Any]) -> None:
    """The record changed once concluded: through a correction, which redrafts the minutes
    (as a new revision) if there are any."""
    correction_open(user=manager, discussion=discussion, reason="Background", now=LATER)
    record_save(
        user=manager,
        discussion=discussion,
        values=values,
        expected_version=DiscussionRecord.objects.get(discussion=discussion).version,
        now=LATER,
    )
    correction_close(user=manager, discussion=discussion, now=LATER)


def _police(discussion: Discussion) -> str:
    return f"contribution-{invitation(discussion, 'police').pk}"


def _printed(minutes: Minutes, passage: str) -> dict[str, Any]:
    return next(
        block
        for section in minutes.document["sections"]
        for block in section["blocks"]
        if block.get("id") == passage
    )


def test_the_minute_taker_rewords_a_passage_and_its_markings_stay(
    shared: Discussion, social_worker: User
) -> None:
    draft = minutes_draft(user=social_worker, discussion=shared, now=LATER)
    assert draft.revision == 1
    police = _police(shared)
    reworded = minutes_reword(
        user=social_worker,
        minutes=draft,
        wording={police: "  Two call-outs last year, for shouting  "},
        revision=1,
    )
    assert reworded.revision == 2
    assert reworded.wording == {police: "Two call-outs last year, for shouting"}
    block = _printed(reworded, police)
    assert block["text"] == "Two call-outs last year, for shouting"
    assert block["markings"] == ["Not to be shared with the family (Sandwell procedure §10.0)"]
    assert _printed(Minutes.objects.get(pk=draft.pk), police)["text"] == block["text"]
    event = AuditEvent.objects.get(action="reword-minutes")
    assert event.detail == {"number": 1, "revision": 2, "reworded": [police]}


def test_redrafting_keeps_the_wording_of_passages_still_there(
    shared: Discussion, social_worker: User, team_manager: User
) -> None:
    draft = minutes_draft(user=social_worker, discussion=shared, now=LATER)
    police = _police(shared)
    minutes_reword(user=social_worker, minutes=draft, wording={police: "Reworded"}, revision=1)
    # Corrected: closing the correction redrafts the draft from the corrected record.
    _corrected(shared, team_manager, {"background": "Known to the school nurse"})
    again = Minutes.objects.get(pk=draft.pk)
    assert (again.pk, again.revision, again.wording) == (draft.pk, 3, {police: "Reworded"})
    assert _printed(again, police)["text"] == "Reworded"
    assert _printed(again, "background")["text"] == "Known to the school nurse"


def test_putting_back_the_record_s_words_undoes_the_rewording(
    shared: Discussion, social_worker: User
) -> None:
    draft = minutes_draft(user=social_worker, discussion=shared, now=LATER)
    police = _police(shared)
    draft = minutes_reword(user=social_worker, minutes=draft, wording={police: "Short"}, revision=1)
    draft = minutes_reword(user=social_worker, minutes=draft, wording={police: SHARED}, revision=2)
    assert draft.wording == {}
    assert wording_changes(draft.generated, draft.wording) == []


def test_a_passage_cannot_be_left_empty_or_too_long(
    shared: Discussion, social_worker: User, team_manager: User, police_officer: User
) -> None:
    _corrected(shared, team_manager, {"background": "Known to the school nurse"})
    draft = minutes_draft(user=social_worker, discussion=shared, now=LATER)
    police = _police(shared)
    with pytest.raises(Problem) as caught:
        minutes_reword(
            user=social_worker,
            minutes=draft,
            wording={police: " ", "background": "x" * (WORDING_LIMIT + 1)},
            revision=1,
        )
    assert caught.value.errors == [
        (f"passage-{police}", f"Enter the wording of “Police: {police_officer}”"),
        ("passage-background", "Keep “Relevant background” to 20,000 characters or fewer"),
    ]
    with pytest.raises(Problem, match="The minutes have no passage 'decisions'"):
        minutes_reword(user=social_worker, minutes=draft, wording={"decisions": "X"}, revision=1)
    assert Minutes.objects.get(pk=draft.pk).revision == 1


def test_a_draft_changed_since_it_was_read_is_neither_reworded_nor_approved(
    shared: Discussion, social_worker: User, team_manager: User
) -> None:
    draft = minutes_draft(user=social_worker, discussion=shared, now=LATER)
    police = _police(shared)
    minutes_reword(user=social_worker, minutes=draft, wording={police: "Reworded"}, revision=1)
    with pytest.raises(Problem) as caught:
        minutes_approve(user=team_manager, minutes=draft, revision=1, now=LATER)
    assert str(caught.value) == (
        "The draft of version 1 has changed since you opened this page (it was redrafted or "
        "reworded): it has not been approved. Read it again, with what was changed, then try "
        "again"
    )
    with pytest.raises(Problem, match="it has not been reworded"):
        minutes_reword(user=social_worker, minutes=draft, wording={police: "Mine"}, revision=1)
    assert Minutes.objects.get(pk=draft.pk).status == MinutesStatus.DRAFT


def test_the_chair_approves_exactly_the_revision_read(
    shared: Discussion, social_worker: User, team_manager: User, police_officer: User
) -> None:
    draft = minutes_draft(user=social_worker, discussion=shared, now=LATER)
    police = _police(shared)
    draft = minutes_reword(user=social_worker, minutes=draft, wording={police: "Short"}, revision=1)
    # The record cannot change under the chair (it is locked once concluded, and a correction
    # redrafts, so the revision read would no longer be the draft's): approved as read.
    approved = minutes_approve(user=team_manager, minutes=draft, revision=2, now=LATER)
    block = _printed(approved, police)
    assert block["text"] == "Short"
    assert block["markings"] == ["Not to be shared with the family (Sandwell procedure §10.0)"]
    assert approved.document["status"] == "Approved version 1"
    assert approved.document["draft"] is False
    assert approved.document["sections"] == draft.document["sections"]
    event = AuditEvent.objects.get(action="approve-minutes")
    assert event.detail == {"number": 1, "revision": 2}
    with pytest.raises(Problem, match="Version 1 is no longer a draft: it cannot be reworded"):
        minutes_reword(user=social_worker, minutes=approved, wording={police: "X"}, revision=2)


def test_only_those_who_record_reword(
    shared: Discussion, social_worker: User, police_officer: User
) -> None:
    draft = minutes_draft(user=social_worker, discussion=shared, now=LATER)
    with pytest.raises(Problem, match="Only the chair, the minute-taker or children's social care"):
        minutes_reword(
            user=police_officer, minutes=draft, wording={_police(shared): "Mine"}, revision=1
        )
