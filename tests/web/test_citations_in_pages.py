"""A discussion's pages and minutes cite only its own procedure, or Working Together.

For every profile: a discussion raised, convened, started, recorded, concluded and minuted
under that procedure; every page of it and its minutes must not name another local
procedure's file (the rule "a procedure's rules live only in its profile").
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from strategise.discussions.models import Discussion
from strategise.minutes.models import Minutes
from strategise.organisations.models import LocalAuthority, User
from strategise.policy import get_profile, list_profiles
from tests.web.recording.support import approved_minutes, held

pytestmark = pytest.mark.django_db

SEED_FILE = re.compile(r"00[0-4]_[0-9a-f]{16}\.txt")
PAGES = [
    "/requests/{request}/",
    "/discussions/{discussion}/",
    "/discussions/{discussion}/record/",
    "/discussions/{discussion}/decisions/",
    "/discussions/{discussion}/actions/",
    "/discussions/{discussion}/clocks/",
    "/discussions/{discussion}/minutes/",
    "/discussions/{discussion}/minutes/{number}/",
    "/discussions/{discussion}/reconvene/",
]


def _foreign_files(html: str, own: str) -> set[str]:
    return {found for found in SEED_FILE.findall(html) if found != own}


@pytest.mark.parametrize("name", [profile.name for profile in list_profiles()])
def test_a_discussions_pages_and_minutes_cite_only_its_own_procedure(
    client: Client,
    name: str,
    authority: LocalAuthority,
    social_worker: User,
    team_manager: User,
    police_officer: User,
) -> None:
    LocalAuthority.objects.filter(pk=authority.pk).update(profile=name)
    # The same people, read again so that they carry their authority's new procedure.
    worker, chair, police = (
        User.objects.select_related("agency__local_authority").get(pk=user.pk)
        for user in (social_worker, team_manager, police_officer)
    )
    discussion: Discussion = held(worker, chair, police)
    assert discussion.request.profile == name
    minutes: Minutes = approved_minutes(discussion, chair)
    own = get_profile(name).source_file if name != "national" else ""
    client.force_login(chair)
    for template in PAGES:
        path = template.format(
            request=discussion.request_id, discussion=discussion.pk, number=minutes.number
        )
        response = client.get(path)
        assert response.status_code == 200, path
        assert _foreign_files(response.content.decode(), own) == set(), path
    assert _foreign_files(str(minutes.document), own) == set()
