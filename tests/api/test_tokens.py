"""Personal access tokens and client credentials: made, scoped, expiring, revoked, kept
only as a digest; the page that makes one asks for a fresh second factor and shows the
token once."""

from __future__ import annotations

import base64
import re
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from strategise.audit.models import AuditEvent
from strategise.organisations.models import ApiToken, Role, User
from strategise.organisations.tokens import (
    api_client_create,
    api_token_authenticate,
    api_token_create,
)
from strategise.problems import Problem
from tests.api.conftest import Bearer
from tests.factories import UserFactory
from tests.second_factor import age_second_factor
from tests.web.test_access import Case, Recorded

pytestmark = pytest.mark.django_db

TOKENS = "/api/v1/children"
TOKEN_PAGE = "/account/api-tokens/"


def _make(client: Client, name: str = "Mosaic import", scope: str = "read") -> str:
    response = client.post(TOKEN_PAGE, {"name": name, "scope": scope, "days": "30", "create": "1"})
    assert response.status_code == 200
    found = re.search(r'<code class="app-token" id="new-token">([^<]+)</code>', response.text)
    assert found, "the new token is not on the page"
    return found.group(1)


# --- the page ---------------------------------------------------------------------------


def test_a_token_made_on_the_page_works_and_is_shown_only_once(
    client: Client, social_worker: User
) -> None:
    client.force_login(social_worker)
    text = _make(client)
    assert client.get(TOKENS, headers={"Authorization": f"Bearer {text}"}).status_code == 200
    again = client.get(TOKEN_PAGE).text
    assert text not in again
    assert text[:12] in again  # its prefix, so it can be told apart and revoked


def test_only_a_prefix_and_a_digest_of_the_token_are_kept(
    client: Client, social_worker: User
) -> None:
    client.force_login(social_worker)
    text = _make(client)
    token = ApiToken.objects.get(user=social_worker)
    assert token.prefix == text[:12]
    assert text not in {token.digest, token.prefix, token.name}
    assert len(token.digest) == 64
    assert not AuditEvent.objects.filter(detail__icontains=text[12:]).exists()


def test_making_a_token_asks_for_a_fresh_second_factor(client: Client, social_worker: User) -> None:
    client.force_login(social_worker)
    age_second_factor(client.session.session_key or "", timedelta(minutes=16))
    response = client.post(
        TOKEN_PAGE, {"name": "Mosaic", "scope": "read", "days": "30", "create": "1"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/second-factor/?next=")
    assert not ApiToken.objects.exists()
    # Looking at the list needs no fresh second factor.
    assert client.get(TOKEN_PAGE).status_code == 200


def test_the_form_names_each_field_left_out(client: Client, social_worker: User) -> None:
    client.force_login(social_worker)
    page = client.post(TOKEN_PAGE, {"create": "1"}).text
    assert "Enter a name for the token" in page
    assert "Select what the token may do" in page
    assert "Select how long the token lasts" in page
    assert not ApiToken.objects.exists()


def test_a_revoked_token_stops_working_at_once(client: Client, social_worker: User) -> None:
    client.force_login(social_worker)
    text = _make(client)
    token = ApiToken.objects.get(user=social_worker)
    response = client.post(f"/account/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert client.get(TOKENS, headers={"Authorization": f"Bearer {text}"}).status_code == 401
    assert "Revoked" in client.get(TOKEN_PAGE).text


def test_nobody_revokes_another_persons_token(
    client: Client, social_worker: User, team_manager: User, bearer: Bearer
) -> None:
    headers = bearer(team_manager)
    token = ApiToken.objects.get(user=team_manager)
    client.force_login(social_worker)
    assert client.post(f"/account/api-tokens/{token.pk}/revoke/").status_code == 404
    assert client.get(TOKENS, headers=headers).status_code == 200


# --- scope, expiry ----------------------------------------------------------------------


def test_a_read_token_may_not_change_anything(
    client: Client, recorded: Recorded, bearer: Bearer
) -> None:
    headers = bearer(recorded.users["police_invited"], scopes=("read",))
    response = client.patch(
        f"/api/v1/actions/{recorded.action}",
        {"status": "done", "completion_note": "Checks made"},
        content_type="application/json",
        headers={**headers, "If-Match": '"1"'},
    )
    assert response.status_code == 403
    assert 'error="insufficient_scope"' in response["WWW-Authenticate"]
    assert response.json()["detail"].startswith("This token may not change records")
    assert client.get(f"/api/v1/actions/{recorded.action}", headers=headers).status_code == 200


def test_a_token_stops_working_when_it_expires(client: Client, social_worker: User) -> None:
    _, text = api_token_create(
        user=social_worker, name="Week", scopes=["read"], days=7, now=timezone.now()
    )
    headers = {"Authorization": f"Bearer {text}"}
    assert client.get(TOKENS, headers=headers).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=7, seconds=1)):
        assert client.get(TOKENS, headers=headers).status_code == 401


def test_a_token_of_a_deactivated_account_stops_working(
    client: Client, social_worker: User, bearer: Bearer
) -> None:
    headers = bearer(social_worker)
    User.objects.filter(pk=social_worker.pk).update(is_active=False)
    assert client.get(TOKENS, headers=headers).status_code == 401


def test_a_token_with_one_character_changed_is_refused(social_worker: User) -> None:
    _, text = api_token_create(
        user=social_worker, name="Mine", scopes=["read"], days=7, now=timezone.now()
    )
    changed = text[:-1] + ("A" if text[-1] != "A" else "B")
    assert api_token_authenticate(text=text, now=timezone.now()) is not None
    assert api_token_authenticate(text=changed, now=timezone.now()) is None
    assert api_token_authenticate(text="stg_", now=timezone.now()) is None


def test_a_token_needs_a_name_a_scope_and_a_lifetime_offered(social_worker: User) -> None:
    with pytest.raises(Problem) as raised:
        api_token_create(
            user=social_worker, name=" ", scopes=["admin"], days=365, now=timezone.now()
        )
    assert [field for field, _ in raised.value.errors] == ["name", "days", "scopes"]


# --- client credentials -----------------------------------------------------------------


@pytest.fixture
def system_account(case: Case) -> User:
    """The service account Mosaic acts as: a business support account of the authority's
    social care, with no password (it never signs in to the pages)."""
    agency = case.child.local_authority.agencies.get(kind="childrens_social_care")
    account = UserFactory.create(agency=agency, role=Role.BUSINESS_SUPPORT, username="mosaic")
    account.set_unusable_password()
    account.save()
    return account


def _grant(client: Client, client_id: str, secret: str, **extra: str) -> object:
    return client.post(
        "/api/v1/oauth/token",
        {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
        | extra,
    )


def test_a_case_system_gets_a_short_lived_token_that_sees_what_its_account_sees(
    client: Client, case: Case, system_account: User
) -> None:
    registered, secret = api_client_create(
        authority=case.child.local_authority,
        name="Mosaic",
        account=system_account,
        scopes=["read", "write"],
        now=timezone.now(),
    )
    response = _grant(client, registered.client_id, secret, scope="read")
    assert response.status_code == 200  # type: ignore[attr-defined]
    issued = response.json()  # type: ignore[attr-defined]
    assert (issued["token_type"], issued["expires_in"], issued["scope"]) == ("Bearer", 900, "read")
    headers = {"Authorization": f"Bearer {issued['access_token']}"}
    assert client.get(f"/api/v1/children/{case.child.pk}", headers=headers).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=15, seconds=1)):
        assert client.get(TOKENS, headers=headers).status_code == 401


def test_client_credentials_may_come_as_http_basic(
    client: Client, case: Case, system_account: User
) -> None:
    registered, secret = api_client_create(
        authority=case.child.local_authority,
        name="Mosaic",
        account=system_account,
        scopes=["read"],
        now=timezone.now(),
    )
    basic = base64.b64encode(f"{registered.client_id}:{secret}".encode()).decode()
    response = client.post(
        "/api/v1/oauth/token",
        {"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert response.status_code == 200


def test_a_wrong_secret_an_unoffered_grant_and_a_scope_too_wide_are_refused(
    client: Client, case: Case, system_account: User
) -> None:
    registered, secret = api_client_create(
        authority=case.child.local_authority,
        name="Mosaic",
        account=system_account,
        scopes=["read"],
        now=timezone.now(),
    )
    wrong = _grant(client, registered.client_id, secret + "x")
    assert (wrong.status_code, wrong.json()["error"]) == (401, "invalid_client")  # type: ignore[attr-defined]
    wide = _grant(client, registered.client_id, secret, scope="read write")
    assert (wide.status_code, wide.json()["error"]) == (400, "invalid_scope")  # type: ignore[attr-defined]
    grant = client.post(
        "/api/v1/oauth/token",
        {"grant_type": "password", "client_id": registered.client_id, "client_secret": secret},
    )
    assert (grant.status_code, grant.json()["error"]) == (400, "unsupported_grant_type")
    assert not ApiToken.objects.filter(client=registered).exists()


def test_a_client_acts_only_as_an_account_of_its_own_authority(
    case: Case, other_authority_social_worker: User
) -> None:
    with pytest.raises(Problem, match="same local authority"):
        api_client_create(
            authority=case.child.local_authority,
            name="Mosaic",
            account=other_authority_social_worker,
            scopes=["read"],
            now=timezone.now(),
        )


def test_the_command_registers_a_client_whose_secret_works_until_it_is_revoked(
    client: Client, case: Case, system_account: User
) -> None:
    out = StringIO()
    call_command(
        "api_client",
        case.child.local_authority.slug,
        "Mosaic",
        "mosaic",
        "--scope",
        "read",
        stdout=out,
    )
    printed = dict(line.split("=", 1) for line in out.getvalue().splitlines() if "=" in line)
    issued = _grant(client, printed["client_id"], printed["client_secret"])
    headers = {"Authorization": f"Bearer {issued.json()['access_token']}"}  # type: ignore[attr-defined]
    assert client.get(TOKENS, headers=headers).status_code == 200
    call_command("api_client", "--revoke", printed["client_id"], stdout=StringIO())
    assert client.get(TOKENS, headers=headers).status_code == 401
    again = _grant(client, printed["client_id"], printed["client_secret"])
    assert again.status_code == 401  # type: ignore[attr-defined]
