"""schemathesis against the API's own OpenAPI document, in-process (the WSGI app, on the
test database), authenticated with a social worker's read and write token: for every
operation, no server error and no answer the document does not describe (its status, its
media type, its headers or its body)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as examples
from pytest_django.fixtures import Settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from strategise.api.site import api
from tests.api.conftest import Bearer
from tests.web.test_access import Recorded

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# What each operation answered, across the run (printed at the end of each operation).
ANSWERS: dict[str, Counter[int]] = {}


# The document as the app serves it at /api/v1/openapi.json (the same function answers).
def _document() -> dict[str, Any]:
    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), default=str))


schema = schemathesis.openapi.from_dict(_document())


@pytest.fixture
def wsgi_app(settings: Settings) -> Iterator[Any]:
    """The site's WSGI application, on the test database."""
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    # As Django's test client does: neither a request's start nor its end may close the
    # test's connection (every example runs inside the test's transaction; on PostgreSQL a
    # closed connection ends it, which SQLite's in-memory database never shows).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture(scope="module", autouse=True)
def _say_what_was_answered(request: pytest.FixtureRequest) -> Iterator[None]:
    """At the end, each operation's answers by status (the run's numbers)."""
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or not ANSWERS:
        return
    total = sum(sum(answers.values()) for answers in ANSWERS.values())
    reporter.write_line(f"\nschemathesis: {total} requests over {len(ANSWERS)} operations")
    for label, answers in sorted(ANSWERS.items()):
        each = ", ".join(f"{count} x {status}" for status, count in sorted(answers.items()))
        reporter.write_line(f"  {label}: {each}")


def test_the_document_served_is_the_one_tested(client: Any) -> None:
    served = client.get("/api/v1/openapi.json")
    assert served.status_code == 200
    assert served.json() == _document()
    assert served.json()["openapi"].startswith("3.1")


@schema.parametrize()
@examples(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_every_operation_answers_as_its_document_says(
    case: Any, wsgi_app: Any, recorded: Recorded, bearer: Bearer
) -> None:
    headers = (
        bearer(recorded.users["social_care"])
        if case.operation.definition.raw.get("security")
        else {}
    )
    response = case.call(app=wsgi_app, headers=headers)
    ANSWERS.setdefault(case.operation.label, Counter())[response.status_code] += 1
    case.validate_response(response, checks=CHECKS)


def test_each_status_is_named_once_in_the_document() -> None:
    # Swagger UI reads the document as YAML: a status given twice (403 by ninja, "403" by
    # the problem details) is a duplicated key there, and the docs page shows nothing.
    raw = api.get_openapi_schema(path_prefix="/api/v1/")
    for operations in raw["paths"].values():
        for operation in operations.values():
            assert all(isinstance(status, str) for status in operation["responses"])
