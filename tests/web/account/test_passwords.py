"""Changing your own password, and resetting a forgotten one by a single-use link that
works for an hour; both audited, and the email says nothing about cases."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from strategise.audit.models import AuditEvent, SecurityAction
from strategise.organisations.models import User
from tests.factories import PASSWORD
from tests.web.pages import error_summary, page, text

pytestmark = pytest.mark.django_db

NEW = "quiet lantern meadow 47"


def _change(client: Client, old: str, new1: str, new2: str | None = None) -> str:
    response = client.post(
        "/account/password/",
        {
            "old_password": old,
            "new_password1": new1,
            "new_password2": new1 if new2 is None else new2,
        },
    )
    return response["Location"] if response.status_code == 302 else response.content.decode()


def test_your_account_page_shows_who_you_are_and_offers_the_password_and_signing_out(
    client: Client, social_worker: User
) -> None:
    html = text(page(client, "/account/", social_worker))
    assert f"Username {social_worker.username}" in html
    assert "Second factor Authenticator app" in html
    assert "Change your password" in html
    assert "Sign out of every device" in html


def test_changing_your_password(client: Client, social_worker: User) -> None:
    client.force_login(social_worker)
    assert _change(client, PASSWORD, NEW) == "/account/"
    social_worker.refresh_from_db()
    assert social_worker.check_password(NEW)
    [event] = AuditEvent.objects.filter(action=SecurityAction.PASSWORD_CHANGED)
    assert (event.user, event.object_id) == (social_worker, str(social_worker.pk))
    assert "Your password has been changed" in text(client.get("/account/").content.decode())


def test_changing_it_needs_the_current_password(client: Client, social_worker: User) -> None:
    client.force_login(social_worker)
    html = _change(client, "not my password", NEW)
    assert error_summary(html) == [
        ("Your current password is not right. Enter it again", "old_password")
    ]
    assert not AuditEvent.objects.filter(action=SecurityAction.PASSWORD_CHANGED).exists()


def test_the_new_password_twice_must_match_and_follow_the_policy(
    client: Client, social_worker: User
) -> None:
    client.force_login(social_worker)
    assert error_summary(_change(client, PASSWORD, NEW, "something else entirely")) == [
        ("The new passwords are not the same. Enter the same password twice", "new_password2")
    ]
    [(message, field)] = error_summary(_change(client, PASSWORD, "strategise forever 1"))
    assert (message, field) == (
        "Your password must not contain the name of the service (Strategise)",
        "new_password2",
    )


def test_nothing_entered_names_each_field(client: Client, social_worker: User) -> None:
    client.force_login(social_worker)
    html = client.post("/account/password/", {}).content.decode()
    assert error_summary(html) == [
        ("Enter your current password", "old_password"),
        ("Enter a new password", "new_password1"),
        ("Enter the new password again", "new_password2"),
    ]


def _reset_link() -> str:
    [email] = mail.outbox
    found = re.search(r"http://127\.0\.0\.1:8000(/sign-in/new-password/[^\s]+/)", str(email.body))
    assert found, email.body
    return found.group(1)


def _ask(client: Client, email: str) -> str:
    response = client.post("/sign-in/forgotten-password/", {"email": email})
    assert response.status_code == 302, response.content.decode()
    return response["Location"]


def test_a_forgotten_password_is_reset_by_a_link_sent_by_email(
    client: Client, social_worker: User
) -> None:
    assert "Forgotten your password?" in page(client, "/sign-in/")
    assert _ask(client, social_worker.email) == "/sign-in/forgotten-password/sent/"
    [email] = mail.outbox
    assert email.to == [social_worker.email]
    assert email.subject == "Reset your Strategise password"
    assert "The link works once, for 1 hour." in email.body
    # Nothing about children, discussions or anything else they work on.
    for word in ("child", "discussion", "case", "request"):
        assert word not in email.body.lower()

    form = client.get(_reset_link())
    assert form.status_code == 302  # to the same page without the token in its address
    assert "Choose a new password" in page(client, form["Location"])
    response = client.post(form["Location"], {"new_password1": NEW, "new_password2": NEW})
    assert response["Location"] == "/sign-in/"
    social_worker.refresh_from_db()
    assert social_worker.check_password(NEW)
    assert "Your password has been changed. Sign in with it" in text(
        client.get("/sign-in/").content.decode()
    )
    assert [e.action for e in AuditEvent.objects.filter(user=social_worker)] == [
        SecurityAction.PASSWORD_RESET_ASKED,
        SecurityAction.PASSWORD_RESET,
    ]


def test_the_link_works_only_once(client: Client, social_worker: User) -> None:
    _ask(client, social_worker.email)
    link = _reset_link()
    form = client.get(link)["Location"]
    client.post(form, {"new_password1": NEW, "new_password2": NEW})
    again = client.get(link)
    assert again.status_code == 200
    assert "This link does not work" in again.content.decode()


def test_the_link_works_for_an_hour_only(client: Client, social_worker: User) -> None:
    _ask(client, social_worker.email)
    link = _reset_link()
    with time_machine.travel(timezone.now() + timedelta(minutes=59)):
        assert client.get(link).status_code == 302
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        assert "This link does not work" in client.get(link).content.decode()


def test_an_unknown_address_gets_the_same_page_and_no_email(client: Client) -> None:
    assert _ask(client, "nobody@example.gov.uk") == "/sign-in/forgotten-password/sent/"
    assert mail.outbox == []


def test_a_deactivated_account_gets_no_email(client: Client, social_worker: User) -> None:
    social_worker.is_active = False
    social_worker.save(update_fields=["is_active"])
    _ask(client, social_worker.email)
    assert mail.outbox == []


def test_asking_with_nothing_or_nonsense_says_what_to_enter(client: Client) -> None:
    html = client.post("/sign-in/forgotten-password/", {"email": ""}).content.decode()
    assert error_summary(html) == [("Enter your email address", "email")]
    html = client.post("/sign-in/forgotten-password/", {"email": "not an email"}).content.decode()
    assert error_summary(html) == [("Enter an email address like name@example.gov.uk", "email")]


def test_the_new_password_follows_the_policy_too(client: Client, social_worker: User) -> None:
    _ask(client, social_worker.email)
    form = client.get(_reset_link())["Location"]
    html = client.post(
        form, {"new_password1": "password1234", "new_password2": "password1234"}
    ).content.decode()
    assert ("This password is too common.", "new_password2") in error_summary(html)
