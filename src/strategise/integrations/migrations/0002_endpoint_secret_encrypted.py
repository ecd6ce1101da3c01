"""Webhook endpoints' secrets encrypted at rest (docs/decisions.md, "Webhook secrets
encrypted, and addresses checked"): each stored secret is encrypted under the first key of
STRATEGISE_FIELD_KEY, with the functions the services use, and the clear column dropped."""

from typing import Any

from django.db import migrations, models


def secrets_encrypted(apps: Any, schema_editor: Any) -> None:
    from strategise.integrations.encryption import encrypt

    endpoints = apps.get_model("integrations", "WebhookEndpoint")
    for endpoint in endpoints.objects.exclude(secret="").only("pk", "secret"):
        endpoint.secret_encrypted = encrypt(endpoint.secret)
        endpoint.save(update_fields=["secret_encrypted"])


def secrets_decrypted(apps: Any, schema_editor: Any) -> None:
    from strategise.integrations.encryption import decrypt

    endpoints = apps.get_model("integrations", "WebhookEndpoint")
    for endpoint in endpoints.objects.exclude(secret_encrypted="").only("pk", "secret_encrypted"):
        endpoint.secret = decrypt(endpoint.secret_encrypted)
        endpoint.save(update_fields=["secret"])


class Migration(migrations.Migration):
    dependencies = [("integrations", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="webhookendpoint",
            name="secret_encrypted",
            field=models.TextField(default="", editable=False),
            preserve_default=False,
        ),
        migrations.RunPython(secrets_encrypted, secrets_decrypted, elidable=False),
        migrations.RemoveField(model_name="webhookendpoint", name="secret"),
    ]
