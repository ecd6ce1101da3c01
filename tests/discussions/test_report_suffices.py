"""Birmingham §5.1: non-attendance is escalated "unless there has been agreement by the
Chair that a report would suffice in their absence". The chair records the agreement for
an absent agency whose written report has arrived; no escalation action is then made, and
the minutes say so with the clause. Other procedures do not offer it."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from strategise.actions.models import Action
from strategise.audit.models import AuditEvent
from strategise.discussions.models import Discussion, Invitation
from strategise.discussions.participation import written_report_send
from strategise.discussions.services import discussion_start
from strategise.minutes.content import minutes_document, read_record
from strategise.organisations.models import User
from strategise.problems import Problem
from tests.discussions.support import NOW, convened_in

pytestmark = pytest.mark.django_db

CLAUSE = "000_394093cbef3e5ee1.txt §5.1"


def _discussion(profile: str) -> tuple[Discussion, User]:
    return convened_in(profile)


def _police(discussion: Discussion) -> Invitation:
    return discussion.invitations.get(agency_code="police")


def _report(invitation: Invitation) -> None:
    written_report_send(
        invitation=invitation, text="Two call-outs last year", upload=None, user=None, now=NOW
    )


def _start(discussion: Discussion, chair: User, suffices: set[int]) -> None:
    """Started with everyone there but the police, who sent a written report."""
    attendance = {
        i.pk: "written_report" if i.agency_code == "police" else "attended"
        for i in discussion.invitations.all()
    }
    discussion_start(
        user=chair,
        discussion=discussion,
        attendance=attendance,
        absence_reasons={},
        report_suffices=suffices,
        now=NOW + timedelta(hours=2),
    )


def _minutes(discussion: Discussion) -> str:
    document = minutes_document(read_record(discussion), status="Draft", draft=True)
    return json.dumps(document, ensure_ascii=False)


def test_with_the_chairs_agreement_a_written_report_suffices_and_nothing_is_escalated() -> None:
    discussion, chair = _discussion("birmingham")
    police = _police(discussion)
    _report(police)
    _start(discussion, chair, {police.pk})
    assert not Action.objects.exists()
    police.refresh_from_db()
    assert police.report_suffices_source == CLAUSE
    started = AuditEvent.objects.get(action="start")
    assert started.detail["report_suffices"] == [police.pk]
    minutes = _minutes(discussion)
    assert (
        "The chair agreed that their written report would suffice in their absence, so it is "
        "not escalated (Birmingham guidance §5.1)"
    ) in minutes


def test_without_the_agreement_a_written_report_is_still_escalated() -> None:
    """§5.1: the exception is the chair's agreement, not the report arriving."""
    discussion, chair = _discussion("birmingham")
    police = _police(discussion)
    _report(police)
    discussion_start(
        user=chair,
        discussion=discussion,
        attendance={
            i.pk: "written_report" if i.pk == police.pk else "attended"
            for i in discussion.invitations.all()
        },
        absence_reasons={police.pk: "On another incident"},
        now=NOW + timedelta(hours=2),
    )
    action = Action.objects.get()
    assert (action.source, "(Police)" in action.description) == (CLAUSE, True)
    police.refresh_from_db()
    assert police.report_suffices_source == ""
    assert "would suffice in their absence" not in _minutes(discussion)


def test_no_report_received_means_it_cannot_suffice() -> None:
    discussion, chair = _discussion("birmingham")
    police = _police(discussion)
    with pytest.raises(Problem) as caught:
        _start(discussion, chair, {police.pk})
    assert caught.value.errors == [
        (
            f"suffices-{police.pk}",
            f"No written report has been received from {police}: it can suffice in their "
            "absence only once it has arrived",
        )
    ]
    assert not Action.objects.exists()


def test_an_agency_that_attended_needs_no_report_to_suffice() -> None:
    discussion, chair = _discussion("birmingham")
    police = _police(discussion)
    _report(police)
    with pytest.raises(Problem) as caught:
        discussion_start(
            user=chair,
            discussion=discussion,
            attendance={i.pk: "attended" for i in discussion.invitations.all()},
            absence_reasons={},
            report_suffices={police.pk},
            now=NOW + timedelta(hours=2),
        )
    assert caught.value.errors == [
        (
            f"suffices-{police.pk}",
            f"{police} attended: a written report suffices only in an absence",
        )
    ]


def test_another_area_does_not_offer_it() -> None:
    """Sandwell's procedure says nothing of a report sufficing (and escalates nothing)."""
    discussion, chair = _discussion("sandwell")
    police = _police(discussion)
    _report(police)
    with pytest.raises(Problem) as caught:
        _start(discussion, chair, {police.pk})
    assert caught.value.errors == [
        (
            f"suffices-{police.pk}",
            "The Sandwell procedure does not provide for a written report to suffice in an "
            "agency’s absence",
        )
    ]
    police.refresh_from_db()
    assert police.report_suffices_source == ""
