"""The language of the record on the discussion record's page, and the check as you type."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from strategise.audit.models import AuditEvent
from strategise.discussions.models import Discussion
from strategise.organisations.models import User
from tests.web.pages import page, text
from tests.web.recording.support import draft_post, started

pytestmark = pytest.mark.django_db

CHECK = "/language/check/"


@pytest.fixture
def recording(social_worker: User, team_manager: User, police_officer: User) -> Discussion:
    return started(social_worker, team_manager, police_officer)


@pytest.fixture(autouse=True)
def _fresh_counts() -> None:
    cache.clear()


def _record(discussion: Discussion) -> str:
    return f"/discussions/{discussion.pk}/record/"


def test_a_saved_record_shows_the_flags_under_the_field_and_keeps_the_words(
    client: Client, team_manager: User, recording: Discussion
) -> None:
    client.force_login(team_manager)
    typed = "Amara keeps putting herself at risk by going to the flat."
    response = client.post(
        _record(recording), draft_post(client, _record(recording), background=typed)
    )
    assert response.status_code == 302
    recording.refresh_from_db()
    assert recording.record.background == typed
    html = page(client, _record(recording))
    region = html.split('id="background-language"')[1].split('id="section-contributions"')[0]
    words = text(region)
    assert "Think about the words “putting herself at risk”" in words
    assert "The child is being exploited / groomed / coerced by (name the adults)" in words
    assert "appropriate language guide" in words
    assert "Think about" not in text(html.split('id="reason-language"')[1].split("</div>")[0])


def test_a_record_with_neutral_words_shows_no_flags(
    client: Client, team_manager: User, recording: Discussion
) -> None:
    client.force_login(team_manager)
    typed = "The risk to the child is high; police have consent to share information."
    client.post(_record(recording), draft_post(client, _record(recording), background=typed))
    assert "Think about the words" not in page(client, _record(recording))


def test_the_record_page_asks_the_script_to_check_under_the_discussions_procedure(
    client: Client, team_manager: User, recording: Discussion
) -> None:
    html = page(client, _record(recording), team_manager)
    assert f'data-language-url="{CHECK}"' in html
    assert f'data-language-profile="{recording.request.profile}"' in html
    assert html.count(f'data-language-url="{CHECK}"') >= 3
    assert "strategise/language.mjs" in html


def test_the_check_answers_the_flags_with_their_alternatives_and_the_html(
    client: Client, social_worker: User
) -> None:
    client.force_login(social_worker)
    response = client.post(
        CHECK, {"text": "she keeps putting herself at risk", "profile": "sandwell"}
    )
    assert response.status_code == 200
    answer = json.loads(response.content)
    [flag] = answer["flags"]
    assert flag["text"] == "putting herself at risk"
    assert flag["start"] == 10
    assert (
        "Adults are targeting the child; the child is not safe at (place)" in flag["alternatives"]
    )
    assert "appropriate language guide" in flag["source"]
    assert "Think about the words “putting herself at risk”" in text(answer["html"])


def test_the_check_refuses_an_unknown_procedure_with_what_is_wrong(
    client: Client, social_worker: User
) -> None:
    client.force_login(social_worker)
    response = client.post(CHECK, {"text": "Anything", "profile": "atlantis"})
    assert response.status_code == 400
    assert json.loads(response.content) == {
        "error": "There is no procedure called 'atlantis'",
        "field": "profile",
    }


def test_the_check_needs_the_csrf_token(social_worker: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(social_worker)
    response = client.post(CHECK, {"text": "x", "profile": "sandwell"})
    assert response.status_code == 403


def test_the_check_takes_only_a_post(client: Client, social_worker: User) -> None:
    client.force_login(social_worker)
    assert client.get(CHECK).status_code == 405


def test_a_visitor_is_sent_to_sign_in(client: Client) -> None:
    response = client.post(CHECK, {"text": "x", "profile": "sandwell"})
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=")


@override_settings(STRATEGISE_LANGUAGE_RATE={"per_user": 2, "window_seconds": 60})
def test_the_check_is_rate_limited_per_user(
    client: Client, social_worker: User, team_manager: User
) -> None:
    client.force_login(social_worker)
    statuses = [
        client.post(CHECK, {"text": "x", "profile": "sandwell"}).status_code for _ in range(3)
    ]
    assert statuses == [200, 200, 429]
    refused = client.post(CHECK, {"text": "x", "profile": "sandwell"})
    assert refused["Retry-After"] == "60"
    assert "checked again when you save" in json.loads(refused.content)["error"]
    client.force_login(team_manager)
    assert client.post(CHECK, {"text": "x", "profile": "sandwell"}).status_code == 200


def test_the_check_writes_no_audit_event(client: Client, social_worker: User) -> None:
    client.force_login(social_worker)
    before = AuditEvent.objects.count()
    client.post(CHECK, {"text": "She is streetwise", "profile": "sandwell"})
    assert AuditEvent.objects.count() == before
