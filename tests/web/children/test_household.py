"""A partner who cannot see every child in a household is never told there are no others
(issue 10, part 8); social care, who see the whole household, are."""

from __future__ import annotations

import pytest
from django.test import Client

from strategise.organisations.models import User
from tests.discussions.support import make_child, started_discussion
from tests.web.pages import page, text
from tests.web.recording.support import siblings

pytestmark = pytest.mark.django_db

PARTIAL = (
    "You can see 1 of the children in this household: others may be recorded that are not "
    "shared with you."
)


def test_a_partner_is_told_what_they_may_see_not_that_there_are_no_other_children(
    client: Client, social_worker: User, team_manager: User, police_officer: User
) -> None:
    amara, _kofi = siblings(social_worker)
    started_discussion(
        worker=social_worker, chair=team_manager, children=[amara], users={"police": police_officer}
    )
    words = text(page(client, f"/children/{amara.pk}/", police_officer))
    assert PARTIAL in words
    assert "No other children are recorded" not in words
    assert "Kofi" not in words


def test_social_care_see_the_whole_household(
    client: Client, social_worker: User, team_manager: User
) -> None:
    amara, _kofi = siblings(social_worker)
    words = text(page(client, f"/children/{amara.pk}/", social_worker))
    assert "Other children in the same household: Kofi Okafor" in words
    assert "You can see" not in words
    alone = make_child(social_worker, "Ruby")
    assert "No other children are recorded in this household." in text(
        page(client, f"/children/{alone.pk}/")
    )
