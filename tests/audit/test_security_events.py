"""Security events: signing in and out, failed sign-ins and refused access, in the chains."""

from __future__ import annotations

import pytest
from django.test import Client

from strategise.audit.models import AuditEvent, SecurityAction
from strategise.audit.services import SECURITY, audit_security_event
from strategise.audit.verification import audit_verify
from strategise.organisations.models import User
from tests.factories import PASSWORD, ChildFactory

pytestmark = pytest.mark.django_db


def _only(action: SecurityAction) -> AuditEvent:
    return AuditEvent.objects.get(action=action.value)


def test_the_security_actions_are_the_names_others_record() -> None:
    assert {action.value for action in SecurityAction} == {
        "signed-in",
        "sign-in-failed",
        "locked-out",
        "second-factor-set-up-started",
        "second-factor-enrolled",
        "second-factor-used",
        "second-factor-failed",
        "recovery-codes-issued",
        "recovery-code-used",
        "signed-out",
        "password-changed",
        "password-reset",
        "access-refused",
        "session-ended",
        "signed-out-everywhere",
        "password-reset-asked",
        "account-created",
        "account-changed",
        "account-deactivated",
        "account-reactivated",
        "second-factor-reset",
        "unlocked",
        "team-manager-set",
    }


def test_signing_in_is_recorded_in_the_users_chain(client: Client, social_worker: User) -> None:
    response = client.post("/sign-in/", {"username": social_worker.username, "password": PASSWORD})
    assert response.status_code == 302
    event = _only(SecurityAction.SIGNED_IN)
    assert (event.user, event.object_type, event.remote_addr) == (
        social_worker,
        SECURITY,
        "127.0.0.1",
    )
    assert event.local_authority_id == social_worker.local_authority_id
    assert audit_verify().intact


def test_a_failed_sign_in_records_the_username_tried_and_never_the_password(
    client: Client, social_worker: User
) -> None:
    client.post("/sign-in/", {"username": social_worker.username, "password": "not it"})
    event = _only(SecurityAction.SIGN_IN_FAILED)
    assert event.user is None
    assert event.detail == {"username_tried": social_worker.username}
    # The account's authority keeps the record of attempts on it.
    assert event.local_authority_id == social_worker.local_authority_id
    assert "not it" not in str(AuditEvent.objects.values_list())


def test_a_failed_sign_in_as_nobody_joins_the_national_chain(client: Client, db: None) -> None:
    client.post("/sign-in/", {"username": "no.such.person", "password": "guess"})
    event = _only(SecurityAction.SIGN_IN_FAILED)
    assert (event.local_authority_id, event.detail) == (None, {"username_tried": "no.such.person"})


def test_signing_out_is_recorded(client: Client, social_worker: User) -> None:
    client.force_login(social_worker)
    client.post("/sign-out/")
    event = _only(SecurityAction.SIGNED_OUT)
    assert (event.user, event.local_authority_id) == (
        social_worker,
        social_worker.local_authority_id,
    )


def test_a_case_page_refused_is_recorded_with_who_and_which_path(
    client: Client, social_worker: User, other_authority_social_worker: User
) -> None:
    child = ChildFactory.create(local_authority=social_worker.agency.local_authority)  # type: ignore[union-attr]
    client.force_login(other_authority_social_worker)
    response = client.get(f"/children/{child.pk}/", {"q": "Amara"})
    assert response.status_code == 404
    event = _only(SecurityAction.ACCESS_REFUSED)
    assert event.user == other_authority_social_worker
    # The path only: a query string may hold what someone searched for.
    assert event.detail == {"path": f"/children/{child.pk}/", "method": "GET"}
    assert event.local_authority_id == other_authority_social_worker.local_authority_id
    assert not AuditEvent.objects.filter(action="view").exists()


def test_a_public_page_not_found_is_not_recorded(client: Client, db: None) -> None:
    response = client.get("/invitations/no-such-token/")
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=SecurityAction.ACCESS_REFUSED.value).exists()


def test_an_address_that_is_no_page_is_not_refused_access(
    client: Client, social_worker: User
) -> None:
    client.force_login(social_worker)
    assert client.get("/no-such-page/").status_code == 404
    assert not AuditEvent.objects.filter(action=SecurityAction.ACCESS_REFUSED.value).exists()


@pytest.mark.django_db(transaction=True)
def test_a_security_event_opens_its_own_transaction(social_worker: User) -> None:
    event = audit_security_event(action=SecurityAction.SECOND_FACTOR_ENROLLED, user=social_worker)
    assert AuditEvent.objects.get(pk=event.pk).action == "second-factor-enrolled"


def test_a_security_event_takes_only_the_known_actions(social_worker: User) -> None:
    with pytest.raises(ValueError, match="'second-factor-forgotten' is not a valid SecurityAction"):
        audit_security_event(action="second-factor-forgotten", user=social_worker)
    assert not AuditEvent.objects.exists()


def test_only_the_start_of_a_long_username_is_kept(db: None) -> None:
    event = audit_security_event(action=SecurityAction.SIGN_IN_FAILED, username_tried="x" * 500)
    assert event.detail == {"username_tried": "x" * 150}
