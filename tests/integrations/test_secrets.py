"""Webhook secrets are kept encrypted under STRATEGISE_FIELD_KEY: never in clear in the
database, decrypted only to sign, re-encrypted when the key is rotated, refused at start
without a key outside debug, and encrypted by the migration where they were in clear."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings

from strategise.audit.models import AuditEvent
from strategise.integrations.checks import field_key_check
from strategise.integrations.encryption import (
    DEVELOPMENT_KEY,
    Undecryptable,
    decrypt,
    encrypt,
)
from strategise.integrations.models import WebhookAttempt, WebhookEndpoint
from strategise.integrations.services import webhook_delivery_attempt, webhook_endpoint_create
from strategise.integrations.signing import secret_make
from strategise.organisations.models import LocalAuthority, User
from strategise.problems import Problem
from tests.deploy.support import manage, run_python
from tests.discussions.support import NOW, make_child, make_request
from tests.integrations.receiver import receiver

Capture = Callable[..., Any]
OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


def _stored(endpoint: WebhookEndpoint) -> str:
    """The endpoint's row as the database holds it, every column as text."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT * FROM {WebhookEndpoint._meta.db_table} WHERE id = %s",  # noqa: S608
            [endpoint.pk],
        )
        return " ".join(str(value) for value in cursor.fetchone())


@pytest.mark.django_db
def test_the_secret_is_stored_encrypted_and_only_the_key_reads_it(
    authority: LocalAuthority,
) -> None:
    endpoint, secret = webhook_endpoint_create(
        authority=authority,
        url="https://cases.example.gov.uk/hooks",
        events=["request.created"],
        now=NOW,
    )
    row = _stored(endpoint)
    assert secret.removeprefix("whsec_") not in row and "whsec_" not in row
    assert decrypt(endpoint.secret_encrypted) == secret
    # Two endpoints never share a ciphertext, even were their secrets equal.
    assert encrypt(secret) != endpoint.secret_encrypted
    with (
        override_settings(STRATEGISE_FIELD_KEY=[NEW_KEY]),
        pytest.raises(Undecryptable, match="none of the keys in STRATEGISE_FIELD_KEY"),
    ):
        decrypt(endpoint.secret_encrypted)
    with (
        override_settings(STRATEGISE_FIELD_KEY=[]),
        pytest.raises(ImproperlyConfigured, match="STRATEGISE_FIELD_KEY is not set"),
    ):
        encrypt(secret)


@pytest.mark.django_db
def test_rotation_encrypts_every_secret_under_the_new_key_so_the_old_can_go(
    authority: LocalAuthority, capsys: pytest.CaptureFixture[str]
) -> None:
    with override_settings(STRATEGISE_FIELD_KEY=[OLD_KEY]):
        made = [
            webhook_endpoint_create(
                authority=authority,
                url=f"https://cases.example.gov.uk/hooks/{n}",
                events=["request.created"],
                now=NOW,
            )
            for n in range(2)
        ]
    with override_settings(STRATEGISE_FIELD_KEY=[NEW_KEY, OLD_KEY]):
        call_command("field_key_rotate")
    assert "2 webhook secrets encrypted again under the first key" in capsys.readouterr().out
    with override_settings(STRATEGISE_FIELD_KEY=[NEW_KEY]):
        for endpoint, secret in made:
            endpoint.refresh_from_db()
            assert decrypt(endpoint.secret_encrypted) == secret
    with override_settings(STRATEGISE_FIELD_KEY=[OLD_KEY]), pytest.raises(Undecryptable):
        decrypt(made[0][0].secret_encrypted)
    assert AuditEvent.objects.get(action="field-key-rotate").detail == {"endpoints": 2}
    # Rotating with the key that encrypted them dropped already changes nothing.
    with (
        override_settings(STRATEGISE_FIELD_KEY=[OLD_KEY]),
        pytest.raises(CommandError, match="Nothing was changed"),
    ):
        call_command("field_key_rotate")


@pytest.mark.django_db
def test_a_secret_no_key_decrypts_is_a_failed_try_saying_so(
    authority: LocalAuthority, social_worker: User, django_capture_on_commit_callbacks: Capture
) -> None:
    with receiver() as hook:
        webhook_endpoint_create(
            authority=authority, url=hook.url, events=["request.created"], now=NOW
        )
        with (
            override_settings(STRATEGISE_FIELD_KEY=[NEW_KEY]),
            django_capture_on_commit_callbacks(execute=True),
        ):
            make_request(social_worker, [make_child(social_worker, "Amara")])
    attempt = WebhookAttempt.objects.get()
    assert hook.received == []
    assert (attempt.status_code, attempt.succeeded) == (None, False)
    assert attempt.error.startswith("Not sent: the endpoint's secret cannot be read")
    assert webhook_delivery_attempt(delivery_id=attempt.delivery_id, now=NOW) is None


@pytest.mark.django_db
def test_without_a_key_no_endpoint_is_added_and_no_webhook_is_sent(
    authority: LocalAuthority, social_worker: User, django_capture_on_commit_callbacks: Capture
) -> None:
    with receiver() as hook:
        with override_settings(STRATEGISE_FIELD_KEY=[]), pytest.raises(Problem) as refused:
            webhook_endpoint_create(
                authority=authority, url=hook.url, events=["request.created"], now=NOW
            )
        assert WebhookEndpoint.objects.count() == 0
        assert [message for _, message in refused.value.errors] == [
            "Webhooks cannot be set up on this instance yet: it has no key to encrypt their "
            "secrets with (STRATEGISE_FIELD_KEY). Ask whoever runs Strategise to set one."
        ]
        webhook_endpoint_create(
            authority=authority, url=hook.url, events=["request.created"], now=NOW
        )
        with (
            override_settings(STRATEGISE_FIELD_KEY=[]),
            django_capture_on_commit_callbacks(execute=True),
        ):
            make_request(social_worker, [make_child(social_worker, "Amara")])
    attempt = WebhookAttempt.objects.get()
    assert hook.received == []
    assert attempt.succeeded is False
    assert attempt.error == "Not sent: STRATEGISE_FIELD_KEY is not set, so the secret is sealed"


@pytest.mark.parametrize(
    ("keys", "debug", "message"),
    [
        ([], False, "STRATEGISE_FIELD_KEY is not set"),
        ([NEW_KEY, "short"], False, "STRATEGISE_FIELD_KEY's key 2 is not a Fernet key"),
        ([DEVELOPMENT_KEY], False, "STRATEGISE_FIELD_KEY holds the development key"),
    ],
)
def test_the_check_names_the_problem_with_the_key(
    keys: list[str], debug: bool, message: str
) -> None:
    with override_settings(STRATEGISE_FIELD_KEY=keys, DEBUG=debug):
        (error,) = field_key_check()
    assert error.msg.startswith(message)
    # No key only warns (webhooks wait for one); a wrong key stops the start.
    assert error.is_serious() == bool(keys)
    assert error.hint is not None and "Fernet.generate_key()" in error.hint


def test_the_check_passes_real_keys_and_the_development_key_in_debug() -> None:
    with override_settings(STRATEGISE_FIELD_KEY=[NEW_KEY, OLD_KEY], DEBUG=False):
        assert field_key_check() == []
    with override_settings(STRATEGISE_FIELD_KEY=[DEVELOPMENT_KEY], DEBUG=True):
        assert field_key_check() == []


def test_production_warns_without_the_key_refuses_a_wrong_one_and_debug_derives_one(
    tmp_path: Path,
) -> None:
    production = {"DJANGO_SECRET_KEY": "a-production-secret-key", "STRATEGISE_AUDIT_KEY": "k" * 40}
    warned = manage(["check"], production, tmp_path)
    assert warned.returncode == 0, warned.stderr
    assert "(strategise.integrations.W001) STRATEGISE_FIELD_KEY is not set" in warned.stderr
    wrong = manage(["check"], production | {"STRATEGISE_FIELD_KEY": "short"}, tmp_path)
    assert wrong.returncode != 0
    assert "(strategise.integrations.E002) STRATEGISE_FIELD_KEY's key 1" in wrong.stderr
    keyed = manage(["check"], production | {"STRATEGISE_FIELD_KEY": NEW_KEY}, tmp_path)
    assert keyed.returncode == 0, keyed.stderr
    assert "integrations.W001" not in keyed.stderr
    debugging = run_python(
        ["-c", "import strategise.config.settings as s; print(s.STRATEGISE_FIELD_KEY)"],
        {"DJANGO_DEBUG": "1"},
        tmp_path,
    )
    assert debugging.stdout.strip() == str([DEVELOPMENT_KEY])


BEFORE = [("integrations", "0001_initial")]


@pytest.fixture
def before_encryption(transactional_db: None) -> Iterator[MigrationExecutor]:
    """The database as it was when secrets were stored in clear; put back afterwards."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    executor.loader.build_graph()
    try:
        yield executor
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_migration_encrypts_the_secrets_stored_in_clear(
    before_encryption: MigrationExecutor, authority: LocalAuthority
) -> None:
    old = before_encryption.loader.project_state(BEFORE).apps.get_model(
        "integrations", "WebhookEndpoint"
    )
    secret = secret_make()
    pk = old.objects.create(
        local_authority_id=authority.pk,
        url="https://cases.example.gov.uk/hooks",
        secret=secret,
        events=["request.created"],
        created_at=NOW,
    ).pk
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    endpoint = WebhookEndpoint.objects.get(pk=pk)
    assert decrypt(endpoint.secret_encrypted) == secret
    assert secret.removeprefix("whsec_") not in _stored(endpoint)
