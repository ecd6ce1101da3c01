"""The language of the minutes: the words the minutes print beyond the record (the
minute-taker's wording, updates to contributions, the reasons for corrections) are in the
chair's list; the chair keeps each with a reason, or it is changed, before the minutes are
approved; the annex lists the words kept."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from strategise.audit.models import AuditEvent
from strategise.discussions.concluding import discussion_conclude
from strategise.discussions.models import Discussion, LanguageAcceptance
from strategise.discussions.recording import contribution_save, contribution_update_add
from strategise.minutes.language import discussion_minutes_flags
from strategise.minutes.models import Minutes, MinutesStatus
from strategise.minutes.services import minutes_approve, minutes_draft, minutes_reword
from strategise.organisations.models import User
from strategise.problems import Problem
from tests.discussions.support import invitation
from tests.web.pages import error_summary, page, text
from tests.web.recording.support import LATER, complete, started

pytestmark = pytest.mark.django_db

SHARED = "Police attended twice; Amara was found at an address in Oldbury."
FLAGGED = "Amara keeps putting herself at risk by going to the address."
RECORD_FLAGGED = "Police say Amara is putting herself at risk at the address."


def _held(social_worker: User, chair: User, police: User, shared: str = SHARED) -> Discussion:
    discussion = started(social_worker, chair, police)
    contribution_save(
        user=police,
        invitation=invitation(discussion, "police"),
        text=shared,
        not_for_family=False,
        consent_needed=False,
        expected_version=0,
        now=LATER,
    )
    complete(discussion, chair)
    return discussion_conclude(user=chair, discussion=discussion, now=LATER)


@pytest.fixture
def held(social_worker: User, team_manager: User, police_officer: User) -> Discussion:
    return _held(social_worker, team_manager, police_officer)


def _police(discussion: Discussion) -> str:
    return f"contribution-{invitation(discussion, 'police').pk}"


def _reworded(discussion: Discussion, minute_taker: User, words: str = FLAGGED) -> Minutes:
    draft = minutes_draft(user=minute_taker, discussion=discussion, now=LATER)
    return minutes_reword(
        user=minute_taker,
        minutes=draft,
        wording={_police(discussion): words},
        revision=draft.revision,
    )


def _annex(minutes: Minutes) -> list[Any]:
    return [
        section
        for section in minutes.document["sections"]
        if section["heading"] == "Annex: the language of the record"
    ]


def test_words_the_minute_taker_adds_are_flagged_and_hold_approval(
    held: Discussion, social_worker: User, team_manager: User
) -> None:
    draft = _reworded(held, social_worker)
    (flag,) = discussion_minutes_flags(discussion=held)
    assert flag.where.field == f"minutes:{_police(held)}"
    assert flag.flag.text == "putting herself at risk"
    assert flag.acceptance is None
    with pytest.raises(Problem) as refused:
        minutes_approve(user=team_manager, minutes=draft, revision=draft.revision, now=LATER)
    assert refused.value.errors == [
        (
            "language",
            "Keep the words “putting herself at risk” in "
            f"{flag.where.label} with a reason, or change them, before approving: the minutes "
            "carry no flagged words the chair did not keep",
        )
    ]
    draft.refresh_from_db()
    assert draft.status == MinutesStatus.DRAFT
    assert not AuditEvent.objects.filter(action="approve-minutes").exists()


def test_reworded_without_the_words_the_minutes_are_approved(
    held: Discussion, social_worker: User, team_manager: User
) -> None:
    draft = _reworded(held, social_worker)
    draft = minutes_reword(
        user=social_worker,
        minutes=draft,
        wording={_police(held): "Amara is being exploited by adults at the address."},
        revision=draft.revision,
    )
    assert discussion_minutes_flags(discussion=held) == []
    approved = minutes_approve(user=team_manager, minutes=draft, revision=draft.revision, now=LATER)
    assert approved.status == MinutesStatus.APPROVED
    assert _annex(approved) == []


def test_words_the_record_already_had_stay_the_records_not_the_wordings(
    social_worker: User, team_manager: User, police_officer: User
) -> None:
    discussion = _held(social_worker, team_manager, police_officer, shared=RECORD_FLAGGED)
    # Reworded around the record's flagged words: they are the record's (seen when
    # concluding, blocking nothing), not words the minute-taker added.
    draft = _reworded(discussion, social_worker, words=f"{RECORD_FLAGGED} Seen twice.")
    assert discussion_minutes_flags(discussion=discussion) == []
    approved = minutes_approve(user=team_manager, minutes=draft, revision=draft.revision, now=LATER)
    assert approved.status == MinutesStatus.APPROVED


def test_an_update_to_a_contribution_is_in_the_list(held: Discussion, police_officer: User) -> None:
    contribution_update_add(
        user=police_officer,
        invitation=invitation(held, "police"),
        text="Since the discussion, she has been putting herself at risk again.",
        now=LATER,
    )
    (flag,) = discussion_minutes_flags(discussion=held)
    assert flag.where.field.startswith("update:")
    assert flag.where.label.startswith("Update to the contribution of Police")


def _key(html: str, discussion: Discussion) -> str:
    prefix = f"/discussions/{discussion.pk}/conclude/language/"
    return html.split(prefix)[1].split("?")[0].split("/")[0]


def test_the_chair_sees_the_wordings_flags_when_concluding_and_on_the_minutes(
    client: Client, held: Discussion, social_worker: User, team_manager: User
) -> None:
    draft = _reworded(held, social_worker)
    concluding = page(client, f"/discussions/{held.pk}/conclude/", team_manager)
    review = text(concluding.split('id="language"')[1])
    assert "Not looked at yet (1)" in review
    assert "The minutes’ wording of What each agency shared" in review
    assert (
        f'href="/discussions/{held.pk}/minutes/{draft.number}/wording/#passage-{_police(held)}"'
        in concluding
    )
    minutes = page(client, f"/discussions/{held.pk}/minutes/")
    review = text(minutes.split('id="language"')[1])
    assert "The language of the minutes" in text(minutes)
    assert "“putting herself at risk”" in review
    assert "?from=minutes" in minutes.split('id="language"')[1]
    # The minute-taker sees the list, but only the chair keeps words.
    as_minute_taker = page(client, f"/discussions/{held.pk}/minutes/", social_worker)
    assert "The language of the minutes" in text(as_minute_taker)
    assert "Keep the words, with a reason" not in text(as_minute_taker)


def test_approving_with_flagged_wording_is_held_then_kept_with_a_reason_and_annexed(
    client: Client, held: Discussion, social_worker: User, team_manager: User
) -> None:
    draft = _reworded(held, social_worker)
    client.force_login(team_manager)
    where = f"/discussions/{held.pk}/minutes/"
    held_back = client.post(where, {"approve": str(draft.number), "revision": draft.revision})
    assert held_back.status_code == 200
    assert [href for _, href in error_summary(held_back.content.decode())] == ["language"]
    assert Minutes.objects.get(pk=draft.pk).status == MinutesStatus.DRAFT

    key = _key(page(client, where), held)
    accept = f"/discussions/{held.pk}/conclude/language/{key}/?from=minutes"
    assert "Back to the minutes" in text(page(client, accept))
    kept = client.post(accept, {"reason": "The police officer's words, as reported."})
    assert kept["Location"] == f"{where}#language"
    acceptance = LanguageAcceptance.objects.get()
    assert acceptance.field == f"minutes:{_police(held)}"
    assert AuditEvent.objects.filter(action="accept-language").count() == 1
    # The draft lists the words kept at once, and approving now goes ahead.
    draft.refresh_from_db()
    assert "because: The police officer's words, as reported." in repr(_annex(draft))
    approved = client.post(where, {"approve": str(draft.number), "revision": draft.revision})
    assert approved.status_code == 302
    frozen = Minutes.objects.get(pk=draft.pk)
    assert frozen.status == MinutesStatus.APPROVED
    (annex,) = _annex(frozen)
    (item,) = annex["blocks"][1]["items"]
    assert item.startswith("“putting herself at risk” in The minutes’ wording of")
    assert item.endswith("because: The police officer's words, as reported.")
