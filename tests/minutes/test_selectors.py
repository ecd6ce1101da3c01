"""Reading minutes: drafts only for those who record the discussion; every read audited."""

from __future__ import annotations

import pytest
from django.http import Http404

from strategise.audit.models import AuditEvent
from strategise.minutes.models import MinutesStatus
from strategise.minutes.selectors import (
    distribution_get,
    minutes_get,
    minutes_versions,
    recipient_get,
)
from strategise.minutes.services import minutes_draft, recipients_build
from strategise.organisations.models import User
from tests.web.recording.support import LATER, approved_minutes, held

pytestmark = pytest.mark.django_db


def test_a_download_is_an_audited_read_of_that_version(
    social_worker: User, team_manager: User, police_officer: User
) -> None:
    discussion = held(social_worker, team_manager, police_officer)
    minutes = approved_minutes(discussion, team_manager)
    found = minutes_get(user=police_officer, discussion_pk=discussion.pk, number=1, purpose="pdf")
    assert found == minutes
    event = AuditEvent.objects.get(action="download-minutes")
    assert (event.user, event.object_id, event.detail) == (
        police_officer,
        str(minutes.pk),
        {"number": 1, "as": "pdf"},
    )
    assert event.child_ids == list(discussion.request.children.values_list("pk", flat=True))


def test_a_draft_is_only_for_those_who_record_the_discussion(
    social_worker: User, team_manager: User, police_officer: User
) -> None:
    discussion = held(social_worker, team_manager, police_officer)
    minutes_draft(user=team_manager, discussion=discussion, now=LATER)
    assert minutes_get(user=social_worker, discussion_pk=discussion.pk, number=1, purpose="preview")
    assert AuditEvent.objects.filter(action="read-minutes").count() == 1
    with pytest.raises(Http404):
        minutes_get(user=police_officer, discussion_pk=discussion.pk, number=1, purpose="docx")
    assert minutes_versions(user=police_officer, discussion=discussion) == []
    assert [m.status for m in minutes_versions(user=team_manager, discussion=discussion)] == [
        MinutesStatus.DRAFT
    ]


def test_minutes_of_a_discussion_out_of_scope_are_not_found(
    social_worker: User,
    team_manager: User,
    police_officer: User,
    other_authority_social_worker: User,
) -> None:
    discussion = held(social_worker, team_manager, police_officer)
    approved_minutes(discussion, team_manager)
    with pytest.raises(Http404):
        minutes_get(
            user=other_authority_social_worker,
            discussion_pk=discussion.pk,
            number=1,
            purpose="pdf",
        )
    assert not AuditEvent.objects.filter(action="download-minutes").exists()


def test_the_distribution_is_for_those_who_record_it(
    social_worker: User, team_manager: User, police_officer: User
) -> None:
    discussion = held(social_worker, team_manager, police_officer)
    recipient = recipients_build(user=team_manager, discussion=discussion)[0]
    distribution = distribution_get(user=social_worker, discussion=discussion)
    assert recipient in distribution.recipients
    assert [c.code for c in distribution.clocks] == ["decisions_circulated"]
    assert distribution.approved is None
    # Only those who may change the list (the chair here) open a line of it.
    assert recipient_get(user=team_manager, discussion=discussion, pk=recipient.pk) == recipient
    with pytest.raises(Http404):
        recipient_get(user=social_worker, discussion=discussion, pk=recipient.pk)
    with pytest.raises(Http404):
        distribution_get(user=police_officer, discussion=discussion)
    with pytest.raises(Http404):
        recipient_get(user=police_officer, discussion=discussion, pk=recipient.pk)
