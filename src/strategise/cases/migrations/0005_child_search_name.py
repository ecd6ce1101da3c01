# A child's name as a search compares it (``cases.names.fold``), filled in for the
# children already recorded; on PostgreSQL the pg_trgm extension and a GIN trigram index
# on it, so that a search forgiving a typo is an index scan. SQLite has neither: there the
# search measures the same similarity in Python (``cases.selectors.child_search``).

from anyascii import anyascii
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

import re

INDEX = "child_search_name_trgm"


def _fold(text):
    # Frozen here: the folding when this was written (cases.names.fold).
    return re.sub(r"[^a-z0-9]+", " ", anyascii(text).lower()).strip()


def fill_search_names(apps, schema_editor):
    Child = apps.get_model("cases", "Child")
    for child in Child.objects.only("pk", "first_name", "last_name").iterator():
        Child.objects.filter(pk=child.pk).update(
            search_name=_fold(f"{child.first_name} {child.last_name}")
        )


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON cases_child "
            "USING gin (search_name gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_people_around_the_child")]

    operations = [
        # Does nothing on SQLite (Django's CreateExtension runs only on PostgreSQL).
        TrigramExtension(),
        migrations.AddField(
            model_name="child",
            name="search_name",
            field=models.CharField(blank=True, editable=False, max_length=201),
        ),
        migrations.RunPython(fill_search_names, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
