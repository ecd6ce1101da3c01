"""Convening, replying and starting cost a fixed number of queries, however many are
invited: the invitations are written in one insert and attendance in one update. (Four
invitees here: a query for each would break each bound.)"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.mail.backends.locmem import EmailBackend

from strategise.discussions.models import Discussion, Invitation
from strategise.discussions.services import (
    discussion_convene,
    discussion_start,
    invitation_respond,
)
from strategise.organisations.models import User
from tests.discussions.support import NOW, invitations_for, make_child, make_request

pytestmark = pytest.mark.django_db


def test_convening_replying_and_starting_write_nothing_one_at_a_time(
    social_worker: User,
    team_manager: User,
    police_officer: User,
    django_assert_max_num_queries: Any,
) -> None:
    request = make_request(social_worker, [make_child(social_worker, "Amara")])
    specs = invitations_for(request, {"police": police_officer})
    assert len(specs) == 4
    with django_assert_max_num_queries(13):
        discussion = discussion_convene(
            user=social_worker,
            request=request,
            format="virtual",
            scheduled_for=NOW + timedelta(hours=1),
            chair=team_manager,
            invitations=specs,
            respond_url=lambda invitation: "",
            now=NOW,
            mailer=EmailBackend(),
        )
    police = Invitation.objects.get(discussion=discussion, user=police_officer)
    with django_assert_max_num_queries(7):
        invitation_respond(invitation=police, response="accepted", user=police_officer)
    discussion = Discussion.objects.get(pk=discussion.pk)
    attendance = {invitation.pk: "attended" for invitation in discussion.invitations.all()}
    with django_assert_max_num_queries(17):
        discussion_start(
            user=team_manager,
            discussion=discussion,
            attendance=attendance,
            absence_reasons={},
            now=NOW + timedelta(hours=1),
        )
