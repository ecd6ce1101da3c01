"""Drafting, building the distribution list and sending cost a fixed number of queries,
however many invitees, lines and contribution updates there are: none is read, written
or checked one at a time. (Four invitees and four lines here: a query for each would
break each bound.)"""

from __future__ import annotations

from typing import Any

import pytest

from strategise.discussions.models import Discussion
from strategise.minutes.models import Minutes
from strategise.minutes.services import (
    minutes_approve,
    minutes_draft,
    minutes_send,
    recipients_build,
)
from strategise.organisations.models import User
from tests.web.recording.support import LATER, held

pytestmark = pytest.mark.django_db


def _pdf(document: dict[str, Any]) -> bytes:
    return b"%PDF-1.7"


def test_drafting_building_the_list_and_sending_read_nothing_one_at_a_time(
    social_worker: User,
    team_manager: User,
    police_officer: User,
    django_assert_max_num_queries: Any,
) -> None:
    discussion = Discussion.objects.get(pk=held(social_worker, team_manager, police_officer).pk)
    assert discussion.invitations.count() == 4
    # 22: the record, its people (siblings living elsewhere among them), the words the chair
    # kept, the decisions, actions and corrections, each read once whatever their number.
    with django_assert_max_num_queries(22):
        draft = minutes_draft(user=team_manager, discussion=discussion, now=LATER)
    approved = minutes_approve(user=team_manager, minutes=draft, revision=draft.revision, now=LATER)
    discussion = Discussion.objects.get(pk=discussion.pk)
    with django_assert_max_num_queries(12):
        lines = recipients_build(user=team_manager, discussion=discussion, now=LATER)
    assert len(lines) == 4
    approved = Minutes.objects.get(pk=approved.pk)
    with django_assert_max_num_queries(23):
        sent = minutes_send(user=team_manager, minutes=approved, now=LATER, pdf=_pdf, read_link="")
    assert len(sent) == 4
