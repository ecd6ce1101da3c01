"""The child's page: a timeline of requests, discussions, decisions and actions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from strategise.actions.services import action_create
from strategise.discussions.corrections import correction_open
from strategise.organisations.models import User
from tests.web.pages import page, text
from tests.web.recording.support import LATER, held

pytestmark = pytest.mark.django_db


def test_the_childs_page_shows_the_timeline_newest_first(
    client: Client, social_worker: User, team_manager: User, police_officer: User
) -> None:
    discussion = held(social_worker, team_manager, police_officer)
    # Agreed after it concluded: through a correction of the record.
    correction_open(
        user=team_manager, discussion=discussion, reason="An action left out", now=LATER
    )
    action = action_create(
        user=team_manager,
        discussion=discussion,
        description="Visit Amara at home",
        agency_code="childrens_social_care",
        due_at=LATER + timedelta(days=1),
        owner=team_manager,
    )
    child = discussion.request.children.get()
    html = page(client, f"/children/{child.pk}/", police_officer)
    words = text(html).split("Timeline", 1)[1]
    assert words.index("Action: Visit Amara at home") < words.index(
        f"Strategy discussion request {discussion.request_id} raised"
    )
    assert (
        "Decision: Section 47 enquiry, joint with the police Wednesday 4 March 2026, 1pm "
        "Unexplained bruising to the face"
    ) in words
    assert f"Strategy discussion {discussion.pk} held Wednesday 4 March 2026, midday" in words
    assert f'href="/discussions/{action.discussion_id}/"' in html
    assert '<ol class="govuk-list app-timeline" reversed>' in html
