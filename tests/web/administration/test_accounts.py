"""Account administration: an administrator finds, creates, changes, deactivates and
reactivates the accounts of their own authority, resets a second factor, unlocks, and
names each team's manager; every change audited."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from strategise.audit.models import AuditEvent, SecurityAction
from strategise.organisations.models import LocalAuthority, Passkey, Role, Team, User
from strategise.organisations.second_factor import recovery_codes_issue
from strategise.organisations.services import account_deactivate
from strategise.problems import Problem
from tests.factories import TeamFactory, UserFactory
from tests.second_factor import VerifiedClient, app_device
from tests.web.pages import broken_error_links, error_summary, navigation, page, text

pytestmark = pytest.mark.django_db


def _event(action: SecurityAction) -> AuditEvent:
    return AuditEvent.objects.get(action=action.value)


@pytest.fixture
def team(authority: LocalAuthority) -> Team:
    return TeamFactory.create(
        agency=authority.agencies.get(kind="childrens_social_care"), name="Assessment team"
    )


def _details(authority: LocalAuthority, **extra: str) -> dict[str, str]:
    return {
        "username": "sam.jones",
        "first_name": "Sam",
        "last_name": "Jones",
        "email": "sam.jones@sandwell.example.gov.uk",
        "agency": str(authority.agencies.get(kind="police").pk),
        "team": "",
        "role": Role.POLICE.value,
        "job_title": "Detective constable",
        "save": "",
        **extra,
    }


def test_an_administrator_is_offered_accounts_in_the_navigation(
    client: Client, administrator: User
) -> None:
    # An administrator works with accounts, not case records: no "My work" or "Children".
    assert navigation(page(client, "/accounts/", administrator)) == (
        "Notifications Accounts Try triage Your account Sign out"
    )


def test_the_list_shows_the_authoritys_accounts_and_not_anothers(
    client: Client,
    administrator: User,
    social_worker: User,
    other_authority_social_worker: User,
) -> None:
    html = page(client, "/accounts/", administrator)
    assert f'href="/accounts/{social_worker.pk}/"' in html
    assert f'href="/accounts/{other_authority_social_worker.pk}/"' not in html


def test_a_search_finds_by_any_part_of_name_username_or_email(
    client: Client, administrator: User, social_worker: User, team_manager: User
) -> None:
    html = page(client, "/accounts/", administrator, text=social_worker.last_name[:4].lower())
    assert f'href="/accounts/{social_worker.pk}/"' in html
    html = page(client, "/accounts/", administrator, text=social_worker.username)
    assert f'href="/accounts/{team_manager.pk}/"' not in html
    assert "1 account found" in text(html)
    html = page(client, "/accounts/", administrator, text="zzzz-nobody")
    assert "No account matches “zzzz-nobody”" in text(html)


def test_creating_an_account(
    client: Client, administrator: User, authority: LocalAuthority
) -> None:
    client.force_login(administrator)
    assert "Create an account" in page(client, "/accounts/new/")
    response = client.post("/accounts/new/", _details(authority))
    account = User.objects.get(username="sam.jones")
    assert response["Location"] == f"/accounts/{account.pk}/"
    assert account.agency is not None
    assert (account.role, account.agency.kind, account.is_active) == ("police", "police", True)
    # A password no one knows: they choose their own by the email.
    assert account.has_usable_password()
    assert "sam.jones@sandwell.example.gov.uk" in text(
        client.get(response["Location"]).content.decode()
    )
    event = _event(SecurityAction.ACCOUNT_CREATED)
    assert (event.user, event.object_id) == (administrator, str(account.pk))
    assert event.local_authority_id == authority.pk


def test_creating_with_nothing_names_each_field(client: Client, administrator: User) -> None:
    client.force_login(administrator)
    html = client.post("/accounts/new/", {"save": ""}).content.decode()
    assert error_summary(html) == [
        ("Enter a username", "username"),
        ("Enter their first name", "first_name"),
        ("Enter their last name", "last_name"),
        ("Enter their email address: a forgotten password is reset by it", "email"),
        ("Choose their agency", "agency"),
        ("Choose their role", "role"),
    ]
    assert broken_error_links(html) == []


def test_a_username_or_email_already_used_is_refused(
    client: Client, administrator: User, social_worker: User, authority: LocalAuthority
) -> None:
    client.force_login(administrator)
    html = client.post(
        "/accounts/new/",
        _details(authority, username=social_worker.username.upper(), email=social_worker.email),
    ).content.decode()
    assert error_summary(html) == [
        ("Another account already has this username", "username"),
        ("Another account already has this email address", "email"),
    ]


def test_a_team_must_be_of_the_agency_chosen(
    client: Client, administrator: User, authority: LocalAuthority, team: Team
) -> None:
    client.force_login(administrator)
    html = client.post("/accounts/new/", _details(authority, team=str(team.pk))).content.decode()
    [(message, field)] = error_summary(html)
    assert field == "team"
    assert message.startswith("Choose a team of ")


def test_an_agency_of_another_authority_is_not_offered(
    client: Client,
    administrator: User,
    authority: LocalAuthority,
    other_authority_social_worker: User,
) -> None:
    client.force_login(administrator)
    elsewhere = other_authority_social_worker.agency
    assert elsewhere is not None
    html = client.post(
        "/accounts/new/", _details(authority, agency=str(elsewhere.pk))
    ).content.decode()
    assert error_summary(html) == [("Choose a agency from the list", "agency")]


def test_changing_agency_team_role_and_job_title(
    client: Client, administrator: User, social_worker: User, team: Team
) -> None:
    client.force_login(administrator)
    assert "Change their details" in page(client, f"/accounts/{social_worker.pk}/change/")
    response = client.post(
        f"/accounts/{social_worker.pk}/change/",
        {
            "first_name": social_worker.first_name,
            "last_name": social_worker.last_name,
            "email": social_worker.email,
            "agency": str(team.agency_id),
            "team": str(team.pk),
            "role": Role.TEAM_MANAGER.value,
            "job_title": "Team manager, assessment",
            "save": "",
        },
    )
    assert response["Location"] == f"/accounts/{social_worker.pk}/"
    social_worker.refresh_from_db()
    assert (social_worker.team, social_worker.role) == (team, Role.TEAM_MANAGER)
    event = _event(SecurityAction.ACCOUNT_CHANGED)
    assert event.detail == {
        "changed": ["job_title", "role", "team"],
        "role": "team_manager",
        "team": team.pk,
    }


def test_an_administrator_cannot_take_away_their_own_role(
    client: Client, administrator: User
) -> None:
    client.force_login(administrator)
    assert administrator.agency is not None
    html = client.post(
        f"/accounts/{administrator.pk}/change/",
        {
            "first_name": "A",
            "last_name": "B",
            "email": "admin@example.gov.uk",
            "agency": str(administrator.agency.pk),
            "role": Role.SOCIAL_WORKER.value,
            "save": "",
        },
    ).content.decode()
    assert error_summary(html) == [("You cannot take away your own administrator role", "role")]


def test_deactivating_and_reactivating(
    client: Client, administrator: User, social_worker: User
) -> None:
    client.force_login(administrator)
    response = client.post(f"/accounts/{social_worker.pk}/deactivate/")
    assert response["Location"] == f"/accounts/{social_worker.pk}/"
    social_worker.refresh_from_db()
    assert not social_worker.is_active
    html = text(client.get(response["Location"]).content.decode())
    assert "deactivated: their sessions have ended" in html
    assert "Reactivate the account" in html
    client.post(f"/accounts/{social_worker.pk}/reactivate/")
    social_worker.refresh_from_db()
    assert social_worker.is_active
    assert [e.action for e in AuditEvent.objects.filter(object_id=str(social_worker.pk))] == [
        "account-deactivated",
        "account-reactivated",
    ]


def test_deactivating_twice_says_so(
    client: Client, administrator: User, social_worker: User
) -> None:
    account_deactivate(user=administrator, account=social_worker)
    client.force_login(administrator)
    response = client.post(f"/accounts/{social_worker.pk}/deactivate/")
    assert response.status_code == 400
    assert "has already been deactivated" in text(response.content.decode())


def test_an_administrator_cannot_deactivate_themselves(administrator: User) -> None:
    with pytest.raises(Problem, match="cannot deactivate your own account"):
        account_deactivate(user=administrator, account=administrator)
    html = page(VerifiedClient(), f"/accounts/{administrator.pk}/", administrator)
    assert "Deactivate the account" not in html


def test_the_buttons_opened_as_links_only_go_back_to_the_account(
    client: Client, administrator: User, social_worker: User
) -> None:
    client.force_login(administrator)
    response = client.get(f"/accounts/{social_worker.pk}/deactivate/")
    assert response["Location"] == f"/accounts/{social_worker.pk}/"
    social_worker.refresh_from_db()
    assert social_worker.is_active


def test_resetting_a_second_factor_removes_every_device(
    client: Client, administrator: User, social_worker: User
) -> None:
    app_device(social_worker)
    recovery_codes_issue(user=social_worker)
    Passkey.objects.create(
        user=social_worker,
        credential_id="abc",
        public_key=b"key",
        name="Laptop",
        created_at="2026-03-01T09:00:00Z",
    )
    client.force_login(administrator)
    assert "Authenticator app, 1 passkey, 10 recovery codes" in text(
        page(client, f"/accounts/{social_worker.pk}/")
    )
    client.post(f"/accounts/{social_worker.pk}/reset-second-factor/")
    assert not TOTPDevice.objects.filter(user=social_worker).exists()
    assert not StaticDevice.objects.filter(user=social_worker).exists()
    assert not Passkey.objects.filter(user=social_worker).exists()
    assert _event(SecurityAction.SECOND_FACTOR_RESET).detail == {"devices_removed": 3}
    assert "Second factor Not set up yet" in text(page(client, f"/accounts/{social_worker.pk}/"))


def test_after_a_reset_the_person_sets_up_a_second_factor_again(
    administrator: User, social_worker: User
) -> None:
    browser = VerifiedClient()
    browser.force_login(social_worker)
    admin = VerifiedClient()
    admin.force_login(administrator)
    admin.post(f"/accounts/{social_worker.pk}/reset-second-factor/")
    # Signed out everywhere...
    assert browser.get("/my-work/")["Location"].startswith("/sign-in/")
    # ...and, signing in again, sent to set one up.
    browser.post(
        "/sign-in/",
        {"username": social_worker.username, "password": "correct horse battery staple"},
    )
    response = browser.get("/my-work/")
    assert browser.get(response["Location"])["Location"].startswith(
        "/sign-in/set-up-second-factor/"
    )


def test_an_account_of_another_authority_is_not_found(
    client: Client, administrator: User, other_authority_social_worker: User
) -> None:
    client.force_login(administrator)
    pk = other_authority_social_worker.pk
    assert client.get(f"/accounts/{pk}/").status_code == 404
    assert client.post(f"/accounts/{pk}/deactivate/").status_code == 404
    other_authority_social_worker.refresh_from_db()
    assert other_authority_social_worker.is_active


def test_naming_a_teams_manager(
    client: Client, administrator: User, team: Team, team_manager: User
) -> None:
    client.force_login(administrator)
    assert "Assessment team" in page(client, "/accounts/teams/")
    response = client.post(f"/accounts/teams/{team.pk}/", {"manager": str(team_manager.pk)})
    assert response["Location"] == "/accounts/teams/"
    team.refresh_from_db()
    assert team.manager == team_manager
    assert _event(SecurityAction.TEAM_MANAGER_SET).detail == {"manager": team_manager.pk}
    client.post(f"/accounts/teams/{team.pk}/", {"manager": ""})
    team.refresh_from_db()
    assert team.manager is None


def test_a_manager_from_another_agency_is_not_offered(
    client: Client, administrator: User, team: Team, police_officer: User
) -> None:
    client.force_login(administrator)
    html = client.post(
        f"/accounts/teams/{team.pk}/", {"manager": str(police_officer.pk)}
    ).content.decode()
    assert error_summary(html) == [("Choose someone from the list", "manager")]


def test_the_unlock_button_shows_only_when_locked(
    client: Client, administrator: User, social_worker: User
) -> None:
    client.force_login(administrator)
    assert "Unlock the account" not in page(client, f"/accounts/{social_worker.pk}/")
    anonymous = Client()
    for _ in range(5):
        anonymous.post("/sign-in/", {"username": social_worker.username, "password": "wrong"})
    html = text(page(client, f"/accounts/{social_worker.pk}/"))
    assert "Locked out after wrong passwords until" in html
    response = client.post(f"/accounts/{social_worker.pk}/unlock/")
    assert "unlocked: they can sign in again" in text(
        client.get(response["Location"]).content.decode()
    )
    assert "Unlock the account" not in page(client, f"/accounts/{social_worker.pk}/")


def test_a_list_of_many_accounts_takes_a_few_queries(
    client: Client,
    administrator: User,
    authority: LocalAuthority,
    django_assert_max_num_queries: object,
) -> None:
    agency = authority.agencies.get(kind="police")
    UserFactory.create_batch(30, agency=agency, role=Role.POLICE)
    client.force_login(administrator)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        client.get("/accounts/")
