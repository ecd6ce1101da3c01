"""The signed-in user is read on each request with their agency and its authority, in one
query (``strategise.organisations.backends.UserBackend``), and a deactivated account is
still refused."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from strategise.organisations.backends import UserBackend
from strategise.organisations.models import User

pytestmark = pytest.mark.django_db


def _tables_read(context: CaptureQueriesContext, table: str) -> list[str]:
    return [q["sql"] for q in context.captured_queries if f'FROM "{table}"' in q["sql"]]


def test_a_page_reads_the_user_their_agency_and_authority_in_one_query(
    client: Client, social_worker: User
) -> None:
    client.force_login(social_worker)
    client.get("/my-work/")
    with CaptureQueriesContext(connection) as context:
        assert client.get("/my-work/").status_code == 200
    (user,) = _tables_read(context, "organisations_user")
    assert 'INNER JOIN "organisations_agency"' in user or 'JOIN "organisations_agency"' in user
    assert '"organisations_localauthority"' in user
    assert _tables_read(context, "organisations_agency") == []
    assert _tables_read(context, "organisations_localauthority") == []


def test_the_backend_gives_the_user_with_their_authority_and_refuses_a_deactivated_one(
    social_worker: User, django_assert_num_queries: object
) -> None:
    backend = UserBackend()
    with django_assert_num_queries(1):  # type: ignore[operator]
        found = backend.get_user(social_worker.pk)
        assert found == social_worker
        assert found is not None and found.agency is not None
        assert found.agency.local_authority == social_worker.agency.local_authority  # type: ignore[union-attr]
    assert backend.get_user(10**9) is None
    social_worker.is_active = False
    social_worker.save(update_fields=["is_active"])
    assert backend.get_user(social_worker.pk) is None
