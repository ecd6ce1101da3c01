"""A child's timeline: requests, discussions, the child's decisions and actions, newest
first, and only what the user may see."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from strategise.actions.services import action_create
from strategise.cases.selectors import child_detail
from strategise.discussions.corrections import correction_open
from strategise.organisations.models import User
from tests.discussions.support import NOW, make_child
from tests.web.recording.support import LATER, complete, held, started

pytestmark = pytest.mark.django_db


def test_the_timeline_tells_the_childs_story_newest_first(
    social_worker: User, team_manager: User, police_officer: User
) -> None:
    # Raised at the discussion's (made-up) morning; the action agreed after it concluded.
    with time_machine.travel(NOW, tick=False):
        discussion = held(social_worker, team_manager, police_officer)
    child = discussion.request.children.get()
    with time_machine.travel(LATER + timedelta(minutes=5), tick=False):
        # Agreed after it concluded: through a correction of the record.
        correction_open(
            user=team_manager, discussion=discussion, reason="An action left out", now=LATER
        )
        action_create(
            user=team_manager,
            discussion=discussion,
            description="Visit Amara at home",
            agency_code="childrens_social_care",
            due_at=LATER + timedelta(days=1),
            owner=team_manager,
        )
    timeline = child_detail(user=social_worker, pk=child.pk).timeline
    titles = [entry.title for entry in timeline]
    assert titles == [
        "Action: Visit Amara at home",
        "Decision: Section 47 enquiry, joint with the police",
        f"Strategy discussion {discussion.pk} held",
        f"Strategy discussion request {discussion.request_id} raised",
    ]
    assert [entry.at for entry in timeline] == sorted(
        (entry.at for entry in timeline), reverse=True
    )
    assert timeline[1].text == "Unexplained bruising to the face"
    assert timeline[0].text.startswith(f"{team_manager}, by ")


def test_the_timeline_shows_an_agency_only_the_discussions_it_was_invited_to(
    social_worker: User, team_manager: User, police_officer: User, health_practitioner: User
) -> None:
    amara = make_child(social_worker, "Amara")
    first = complete(started(social_worker, team_manager, police_officer, [amara]), team_manager)
    started(social_worker, team_manager, health_practitioner, [amara])
    titles = [e.title for e in child_detail(user=police_officer, pk=amara.pk).timeline]
    assert f"Strategy discussion {first.pk} started" in titles
    assert "Decision: Section 47 enquiry, joint with the police" in titles
    assert len([t for t in titles if t.startswith("Strategy discussion request")]) == 1
