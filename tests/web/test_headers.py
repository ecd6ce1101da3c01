"""Every page and download is kept by no cache, and grants no browser feature; static files
(served before the pages) stay cacheable."""

from __future__ import annotations

import pytest
from django.test import Client

from strategise.cases.models import Child
from strategise.organisations.models import User
from tests.web.recording.support import approved_minutes, held

pytestmark = pytest.mark.django_db


def _no_store(response: object) -> None:
    assert response["Cache-Control"] == "no-store"  # type: ignore[index]
    policy = response["Permissions-Policy"]  # type: ignore[index]
    assert "camera=()" in policy
    assert "geolocation=()" in policy
    assert "microphone=()" in policy
    assert "publickey-credentials-get=(self)" in policy


def test_a_case_page_is_not_stored(client: Client, social_worker: User, child: Child) -> None:
    client.force_login(social_worker)
    response = client.get(f"/children/{child.pk}/")
    assert response.status_code == 200
    _no_store(response)


def test_a_download_is_not_stored(
    client: Client, social_worker: User, team_manager: User, police_officer: User
) -> None:
    discussion = held(social_worker, team_manager, police_officer)
    approved_minutes(discussion, team_manager)
    client.force_login(police_officer)
    response = client.get(f"/discussions/{discussion.pk}/minutes/1/pdf/")
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    _no_store(response)


def test_public_pages_redirects_and_not_found_are_not_stored_either(client: Client) -> None:
    for path, status in (("/", 200), ("/triage/", 200), ("/my-work/", 302), ("/nowhere/", 404)):
        response = client.get(path)
        assert response.status_code == status, path
        _no_store(response)


def test_static_files_are_still_cached(client: Client) -> None:
    response = client.get("/static/strategise/application.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "Permissions-Policy" not in response
