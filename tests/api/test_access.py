"""Every API operation against each kind of user, through a bearer token of theirs.

``test_every_operation_has_a_row`` walks the OpenAPI document, so that an operation cannot
be added without its row (``tests/api/access_matrix.py``).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from strategise.api.site import api
from strategise.audit.models import AuditEvent, SecurityAction
from tests.api.access_matrix import API_MATRIX, UNAUTHENTICATED
from tests.api.conftest import Bearer
from tests.web.test_access import Case, Disputed, Recorded

pytestmark = pytest.mark.django_db

CASES = [(op, role, status) for op, row in API_MATRIX.items() for role, status in row.items()]


def _path(template: str, recorded: Recorded, case: Case, disputed: Disputed) -> str:
    return template.format(
        child=case.child.pk,
        adult=case.adult.pk if case.adult else 0,
        request=case.discussion.request_id,
        discussion=case.discussion.pk,
        action=recorded.action,
        held=recorded.discussion.pk,
        approved=1,
        draft=2,
        disagreement=disputed.disagreement,
    )


def _body(method: str, template: str, case: Case) -> dict[str, Any] | None:
    if method == "POST" and template == "/api/v1/requests":
        return {
            "children": [case.child.pk],
            "identified_at": "2026-03-04T10:00:00Z",
            "concerns": ["physical_abuse"],
            "narrative": "Bruising seen at school.",
        }
    if method == "PATCH":
        return {"status": "done", "completion_note": "Checks made"}
    if template.endswith("/reply"):
        return {"response": "declined", "apologies_reason": "In court all day"}
    if template.endswith("/deputy"):
        domain = case.users["police_invited"].email.rpartition("@")[2]
        return {"name": "DC Amara Osei", "email": f"amara.osei@{domain}"}
    if template.endswith("/disagreements"):
        return {"subject": "outcome", "description": "A single-agency enquiry would do."}
    if template.endswith("/escalate"):
        return {
            "note": "Talked it through with the chair; no agreement.",
            "outside_name": "Dr Priya Shah",
            "outside_email": "priya.shah@example.org",
        }
    if template.endswith("/resolve"):
        return {"resolution": "agreed", "outcome": "The decision stands."}
    if template.endswith("/written-report"):
        return {"text": "Two call-outs to the address this year."}
    return None


@pytest.mark.parametrize(
    ("operation", "role", "status"), CASES, ids=[f"{r} {m} {p}" for (m, p), r, _ in CASES]
)
def test_who_may_do_each_operation(
    client: Client,
    case: Case,
    recorded: Recorded,
    disputed: Disputed,
    bearer: Bearer,
    operation: tuple[str, str],
    role: str,
    status: int,
) -> None:
    method, template = operation
    headers = bearer(case.users[role])
    if method != "GET":
        # Each record's first version (a create takes none, and ignores it).
        headers["If-Match"] = '"1"'
    body = _body(method, template, case)
    response = client.generic(
        method,
        _path(template, recorded, case, disputed),
        data="" if body is None else json.dumps(body),
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == status, response.content
    if status >= 400:
        assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(("operation"), list(API_MATRIX), ids=[f"{m} {p}" for m, p in API_MATRIX])
def test_without_a_token_every_operation_is_refused(
    client: Client, case: Case, recorded: Recorded, disputed: Disputed, operation: tuple[str, str]
) -> None:
    method, template = operation
    response = client.generic(method, _path(template, recorded, case, disputed))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_signed_in_session_is_not_a_token(client: Client, case: Case) -> None:
    # The suite's client is signed in with its second factor passed: the API ignores it.
    client.force_login(case.users["social_care"])
    assert client.get(f"/api/v1/children/{case.child.pk}").status_code == 401


def test_out_of_scope_is_recorded_as_refused_access(
    client: Client, case: Case, bearer: Bearer
) -> None:
    officer = case.users["police_not_invited"]
    response = client.get(f"/api/v1/children/{case.child.pk}", headers=bearer(officer))
    assert response.status_code == 404
    refused = AuditEvent.objects.get(action=SecurityAction.ACCESS_REFUSED, user=officer)
    assert refused.detail["path"] == f"/api/v1/children/{case.child.pk}"


def test_every_operation_has_a_row() -> None:
    document = api.get_openapi_schema(path_prefix="/api/v1/")
    operations = {
        (method.upper(), re.sub(r"\{\w+\}", "{}", path))
        for path, methods in document["paths"].items()
        for method in methods
    }
    covered = {(m, re.sub(r"\{\w+\}", "{}", p)) for m, p in [*API_MATRIX, *UNAUTHENTICATED]}
    assert operations - covered == set()
    assert len(operations) >= 25
