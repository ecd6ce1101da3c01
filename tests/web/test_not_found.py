"""A record outside someone's scope is "not found" exactly as a record that does not exist
is: the same status and the same page, so the answer reveals nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from strategise.discussions.models import Discussion
from strategise.organisations.models import User
from tests.web.pages import text

pytestmark = pytest.mark.django_db

PAGES = [
    "/children/{child}/",
    "/requests/{request}/",
    "/discussions/{discussion}/",
    "/discussions/{discussion}/clocks/",
    "/discussions/{discussion}/minutes/",
    "/discussions/{discussion}/distribution/",
]


@pytest.mark.parametrize("template", PAGES)
def test_out_of_scope_looks_like_nothing_there(
    client: Client, discussion: Discussion, other_authority_social_worker: User, template: str
) -> None:
    real = {
        "child": discussion.request.children.get().pk,
        "request": discussion.request_id,
        "discussion": discussion.pk,
    }
    client.force_login(other_authority_social_worker)
    hidden = client.get(template.format(**real))
    missing = client.get(template.format(**{key: 999_999 for key in real}))
    assert hidden.status_code == missing.status_code == 404
    assert text(hidden.content.decode()) == text(missing.content.decode())
