"""Creating and updating through the API: a request triaged as the form triages it, once
per Idempotency-Key; an action's progress only against the version read (If-Match)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from strategise.actions.models import Action
from strategise.audit.models import AuditEvent
from strategise.cases.models import Child
from strategise.organisations.models import User
from strategise.requests.models import StrategyRequest
from tests.api.conftest import Bearer
from tests.web.test_access import Recorded

pytestmark = pytest.mark.django_db


def _moment(hours_ago: int = 2) -> Any:
    return (timezone.localtime() - timedelta(hours=hours_ago)).replace(second=0, microsecond=0)


def _raise(client: Client, headers: dict[str, str], body: dict[str, Any], key: str = "") -> Any:
    extra = {"Idempotency-Key": key} if key else {}
    return client.post(
        "/api/v1/requests",
        json.dumps(body),
        content_type="application/json",
        headers={**headers, **extra},
    )


def _body(child: Child, **changes: Any) -> dict[str, Any]:
    return {
        "children": [child.pk],
        "identified_at": _moment().isoformat(),
        "concerns": ["physical_abuse"],
        "referrer": "Ms Khan, Oak Primary School",
        "new_alleged_perpetrators": [
            {
                "first_name": "Dean",
                "last_name": "Turner",
                "role": "Stepfather",
                "position_of_trust": False,
            }
        ],
        "narrative": "Ruby told her teacher her stepfather hit her.",
        **changes,
    }


# --- creating a request -----------------------------------------------------------------


def test_a_request_raised_by_the_api_is_triaged_as_the_form_triages_it(
    client: Client, child: Child, social_worker: User, bearer: Bearer
) -> None:
    moment = _moment()
    created = _raise(client, bearer(social_worker), _body(child, identified_at=moment.isoformat()))
    assert created.status_code == 201, created.content
    by_api = StrategyRequest.objects.get(pk=created.json()["id"])
    assert created["Location"] == f"/api/v1/requests/{by_api.pk}"
    client.force_login(social_worker)
    form = client.post(
        "/requests/new/",
        {
            "identified_date_day": str(moment.day),
            "identified_date_month": str(moment.month),
            "identified_date_year": str(moment.year),
            "identified_time": f"{moment:%H:%M}",
            "offered": [str(child.pk)],
            "children": [str(child.pk)],
            "concerns": ["physical_abuse"],
            "referrer": "Ms Khan, Oak Primary School",
            "perpetrator_1_first_name": "Dean",
            "perpetrator_1_last_name": "Turner",
            "perpetrator_1_role": "Stepfather",
            "perpetrator_1_trust": "no",
            "narrative": "Ruby told her teacher her stepfather hit her.",
            "token": "form-token-1",
        },
    )
    assert form.status_code == 302
    by_form = StrategyRequest.objects.exclude(pk=by_api.pk).get()
    assert by_api.triage == by_form.triage
    assert (by_api.hold_by, by_api.discussion_type) == (by_form.hold_by, by_form.discussion_type)
    assert created.json()["triage"] == by_api.triage


def test_the_same_idempotency_key_gives_the_request_the_first_raised(
    client: Client, child: Child, social_worker: User, bearer: Bearer
) -> None:
    headers = bearer(social_worker)
    first = _raise(client, headers, _body(child), key="5b0c1d2e-key-one")
    again = _raise(client, headers, _body(child, narrative="Sent again"), key="5b0c1d2e-key-one")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["narrative"] == "Ruby told her teacher her stepfather hit her."
    assert StrategyRequest.objects.count() == 1
    other = _raise(client, headers, _body(child), key="5b0c1d2e-key-two")
    assert other.json()["id"] != first.json()["id"]


def test_an_idempotency_key_is_each_users_own(
    client: Client, child: Child, social_worker: User, team_manager: User, bearer: Bearer
) -> None:
    mine = _raise(client, bearer(social_worker), _body(child), key="shared-key-123")
    theirs = _raise(client, bearer(team_manager), _body(child), key="shared-key-123")
    assert mine.json()["id"] != theirs.json()["id"]


def test_an_idempotency_key_that_is_not_one_is_named(
    client: Client, child: Child, social_worker: User, bearer: Bearer
) -> None:
    response = _raise(client, bearer(social_worker), _body(child), key="short")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert not StrategyRequest.objects.exists()


def test_what_the_service_refuses_is_named_by_field(
    client: Client, child: Child, social_worker: User, bearer: Bearer
) -> None:
    future = (timezone.now() + timedelta(days=1)).isoformat()
    response = _raise(client, bearer(social_worker), _body(child, identified_at=future))
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == [
        {
            "field": "identified_at",
            "detail": "The time concerns were identified must be in the past",
        }
    ]


def test_input_that_does_not_fit_the_schema_names_each_field(
    client: Client, child: Child, social_worker: User, bearer: Bearer
) -> None:
    body = _body(child, concerns=["not_a_concern"], narrative="")
    del body["children"]
    response = _raise(client, bearer(social_worker), body)
    assert response.status_code == 422
    problem = response.json()
    assert {"type", "title", "status", "detail", "instance"} <= set(problem)
    fields = {error["field"] for error in problem["errors"]}
    assert fields == {"children", "concerns.0", "narrative"}
    concern = next(e for e in problem["errors"] if e["field"] == "concerns.0")
    assert concern["detail"].startswith("Choose a concern from the list")


def test_a_body_that_is_not_json_is_a_problem_not_a_crash(
    client: Client, social_worker: User, bearer: Bearer
) -> None:
    response = client.post(
        "/api/v1/requests",
        "{not json",
        content_type="application/json",
        headers=bearer(social_worker),
    )
    assert response.status_code in (400, 422)
    assert response["Content-Type"] == "application/problem+json"


# --- updating an action -----------------------------------------------------------------


def _progress(
    client: Client, recorded: Recorded, headers: dict[str, str], etag: str | None, **body: str
) -> Any:
    return client.patch(
        f"/api/v1/actions/{recorded.action}",
        json.dumps(body),
        content_type="application/json",
        headers={**headers, **({"If-Match": etag} if etag else {})},
    )


def test_progress_is_saved_against_the_etag_read(
    client: Client, recorded: Recorded, bearer: Bearer
) -> None:
    headers = bearer(recorded.users["police_invited"])
    read = client.get(f"/api/v1/actions/{recorded.action}", headers=headers)
    assert read["ETag"] == '"1"'
    saved = _progress(
        client, recorded, headers, read["ETag"], status="done", completion_note="Checks made"
    )
    assert saved.status_code == 200
    assert saved["ETag"] == '"2"'
    action = Action.objects.get(pk=recorded.action)
    assert (action.status, action.completion_note, action.version) == ("done", "Checks made", 2)


def test_a_stale_etag_is_412_with_both_versions_and_nothing_saved(
    client: Client, recorded: Recorded, bearer: Bearer
) -> None:
    police = bearer(recorded.users["police_invited"])
    chair = bearer(recorded.users["chair"])
    etag = client.get(f"/api/v1/actions/{recorded.action}", headers=police)["ETag"]
    first = _progress(
        client, recorded, chair, etag, status="cancelled", completion_note="No longer needed"
    )
    assert first.status_code == 200
    stale = _progress(client, recorded, police, etag, status="done", completion_note="Checks made")
    assert stale.status_code == 412
    problem = stale.json()
    assert problem["current"]["status"] == "cancelled"
    assert problem["current"]["completion_note"] == "No longer needed"
    assert problem["yours"] == {"status": "done", "completion_note": "Checks made"}
    assert problem["current_etag"] == stale["ETag"] == '"2"'
    assert {e["field"] for e in problem["errors"]} == {"status", "completion_note"}
    assert Action.objects.get(pk=recorded.action).status == "cancelled"


def test_an_update_without_if_match_is_428(
    client: Client, recorded: Recorded, bearer: Bearer
) -> None:
    response = _progress(
        client,
        recorded,
        bearer(recorded.users["police_invited"]),
        None,
        status="done",
        completion_note="Checks made",
    )
    assert response.status_code == 428
    assert response.json()["errors"][0]["field"] == "If-Match"
    assert Action.objects.get(pk=recorded.action).version == 1


def test_done_without_saying_what_was_done_is_named(
    client: Client, recorded: Recorded, bearer: Bearer
) -> None:
    response = _progress(
        client, recorded, bearer(recorded.users["police_invited"]), '"1"', status="done"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "completion_note"


# --- reading: one audited read, cursor pages --------------------------------------------


def test_each_read_is_one_audited_event_naming_the_children(
    client: Client, recorded: Recorded, bearer: Bearer
) -> None:
    headers = bearer(recorded.users["social_care"])
    for path in (
        f"/api/v1/children/{recorded.child.pk}",
        "/api/v1/children",
        f"/api/v1/discussions/{recorded.discussion.pk}",
        "/api/v1/requests",
        "/api/v1/actions",
    ):
        before = AuditEvent.objects.count()
        assert client.get(path, headers=headers).status_code == 200
        events = list(AuditEvent.objects.order_by("-pk")[: AuditEvent.objects.count() - before])
        assert len(events) == 1, path
        assert recorded.child.pk in events[0].child_ids, path


def test_pages_follow_the_cursor_to_the_end_without_repeating(
    client: Client, child: Child, social_worker: User, bearer: Bearer
) -> None:
    from tests.factories import ChildFactory

    ChildFactory.create_batch(4, local_authority=child.local_authority)
    headers = bearer(social_worker)
    seen: list[int] = []
    path: str | None = "/api/v1/children?limit=2"
    pages = 0
    while path:
        response = client.get(path, headers=headers)
        assert response.status_code == 200
        body = response.json()
        seen += [item["id"] for item in body["items"]]
        pages += 1
        if body["next_cursor"]:
            assert response["Link"].endswith('; rel="next"')
            path = f"/api/v1/children?limit=2&cursor={body['next_cursor']}"
        else:
            assert "Link" not in response
            path = None
    assert pages == 3
    assert seen == sorted(seen, reverse=True)
    assert len(seen) == len(set(seen)) == Child.objects.count()


def test_a_cursor_not_given_by_the_api_is_named(
    client: Client, social_worker: User, bearer: Bearer
) -> None:
    response = client.get("/api/v1/children?cursor=123", headers=bearer(social_worker))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "cursor"
