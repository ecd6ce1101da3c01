"""On PostgreSQL the audit table refuses UPDATE and DELETE, whoever asks.

SQLite gets no trigger: Django empties tables between tests with DELETE there, and a
SQLite file is only ever the embedded, single-machine database. (On PostgreSQL tests
empty tables with TRUNCATE, which row triggers do not see.)
"""

from django.db import migrations

FUNCTION = "audit_event_append_only"
TRIGGER = "audit_event_append_only"

CREATE = f"""
CREATE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only: % on audit_auditevent is refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION {FUNCTION}();
"""

DROP = f"""
DROP TRIGGER IF EXISTS {TRIGGER} ON audit_auditevent;
DROP FUNCTION IF EXISTS {FUNCTION}();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_keyed_chain_per_authority'),
    ]

    operations = [
        migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP)),
    ]
