"""The case-work pages: GOV.UK page furniture, unique ids and titles, as on the public pages."""

from __future__ import annotations

import pytest
from django.test import Client

from strategise.cases.models import Child
from strategise.discussions.models import Discussion
from strategise.organisations.models import User
from tests.web.pages import page, repeated_ids

pytestmark = pytest.mark.django_db

PAGES = {
    "/sign-in/": "Sign in",
    "/my-work/": "My work",
    "/children/": "Children",
    "/children/new/": "Add a child",
    "/children/{child}/": "{child_name}",
    "/requests/new/?child={child}": "Raise a strategy discussion request",
    "/requests/{request}/": "Strategy discussion request {request}",
    "/requests/{request}/convene/": "Convene the strategy discussion",
    "/discussions/{discussion}/": "Strategy discussion {discussion}",
    "/discussions/{discussion}/start/": "Record attendance and start",
    "/invitations/{token}/": "Your invitation to a strategy discussion",
}


@pytest.fixture
def paths(child: Child, discussion: Discussion) -> dict[str, str]:
    values = {
        "child": child.pk,
        "child_name": child.full_name,
        "request": discussion.request_id,
        "discussion": discussion.pk,
        "token": discussion.invitations.get().token,
    }
    return {path.format(**values): title.format(**values) for path, title in PAGES.items()}


@pytest.mark.parametrize("template", PAGES)
def test_each_page_has_its_title_one_heading_and_unique_ids(
    client: Client, paths: dict[str, str], social_worker: User, template: str
) -> None:
    path, title = list(paths.items())[list(PAGES).index(template)]
    # Signing in is for visitors; a private invitation link answers its invitee only, and
    # the social worker is not one, so the link is opened as the invitee would, signed out.
    user = None if path == "/sign-in/" or path.startswith("/invitations/") else social_worker
    html = page(client, path, user)
    assert f"<title>{title} – Strategise</title>" in html
    assert html.count("<h1") == 1
    assert '<html lang="en-GB"' in html
    assert 'id="main-content"' in html
    assert repeated_ids(html) == []
