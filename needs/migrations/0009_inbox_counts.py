"""The inbox's counts kept per agency and status (needs_inboxcount), by triggers on
needs_routedneed so that every writer keeps them: the services, the admin, bulk inserts,
cascading deletes. Only shared routed needs are counted, as the inbox shows them.

PostgreSQL: statement-level triggers with transition tables, so a bulk insert adds its
rows once per agency and status, not once per row. SQLite: row-level triggers. (On
SQLite, a later migration that rebuilds needs_routedneed drops the triggers: re-create
them; tests/needs/test_inbox_counts.py fails if they are missing.)
Then the counts of the rows already there are filled in."""

import django.db.models.deletion
from django.db import migrations, models

# Each routed need, shared, as +1 (new row) or -1 (old row) for its agency and status.
_NEW_ROWS = "SELECT agency_id, status, 1 AS n FROM new_rows WHERE shared"
_OLD_ROWS = "SELECT agency_id, status, -1 AS n FROM old_rows WHERE shared"
_APPLY = """
    WITH summed AS (
        SELECT agency_id, status, sum(n) AS n FROM ({rows}) AS delta
        GROUP BY agency_id, status HAVING sum(n) <> 0
    ), lowered AS (
        UPDATE needs_inboxcount AS c SET total = c.total + summed.n FROM summed
        WHERE summed.n < 0 AND c.agency_id = summed.agency_id AND c.status = summed.status
    )
    INSERT INTO needs_inboxcount AS c (agency_id, status, total)
    SELECT agency_id, status, n FROM summed WHERE n > 0 ORDER BY agency_id, status
    ON CONFLICT (agency_id, status) DO UPDATE SET total = c.total + EXCLUDED.total;
"""
_TRIGGERS = {
    "insert": ("INSERT", "NEW TABLE AS new_rows", _NEW_ROWS),
    "update": (
        "UPDATE",
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        f"{_OLD_ROWS} UNION ALL {_NEW_ROWS}",
    ),
    "delete": ("DELETE", "OLD TABLE AS old_rows", _OLD_ROWS),
}
POSTGRES_UP = [
    statement
    for name, (event, tables, rows) in _TRIGGERS.items()
    for statement in (
        f"""CREATE FUNCTION needs_inbox_count_{name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN {_APPLY.format(rows=rows)} RETURN NULL; END $$""",
        f"""CREATE TRIGGER needs_inbox_count_{name} AFTER {event} ON needs_routedneed
            REFERENCING {tables} FOR EACH STATEMENT
            EXECUTE FUNCTION needs_inbox_count_{name}()""",
    )
]
POSTGRES_DOWN = [
    statement
    for name in _TRIGGERS
    for statement in (
        f"DROP TRIGGER IF EXISTS needs_inbox_count_{name} ON needs_routedneed",
        f"DROP FUNCTION IF EXISTS needs_inbox_count_{name}()",
    )
]

_ADD = """
    INSERT OR IGNORE INTO needs_inboxcount (agency_id, status, total)
        SELECT NEW.agency_id, NEW.status, 0 WHERE NEW.shared;
    UPDATE needs_inboxcount SET total = total + 1
        WHERE NEW.shared AND agency_id = NEW.agency_id AND status = NEW.status;"""
_REMOVE = """
    UPDATE needs_inboxcount SET total = total - 1
        WHERE OLD.shared AND agency_id = OLD.agency_id AND status = OLD.status;"""
SQLITE_UP = [
    f"CREATE TRIGGER needs_inbox_count_insert AFTER INSERT ON needs_routedneed BEGIN {_ADD} END",
    f"""CREATE TRIGGER needs_inbox_count_update
        AFTER UPDATE OF agency_id, status, shared ON needs_routedneed BEGIN {_REMOVE} {_ADD} END""",
    f"CREATE TRIGGER needs_inbox_count_delete AFTER DELETE ON needs_routedneed BEGIN {_REMOVE} END",
]
SQLITE_DOWN = [f"DROP TRIGGER IF EXISTS needs_inbox_count_{name}" for name in _TRIGGERS]

FILL = """
    INSERT INTO needs_inboxcount (agency_id, status, total)
    SELECT agency_id, status, count(*) FROM needs_routedneed WHERE shared
    GROUP BY agency_id, status"""


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("incubators", "0009_reference_themes"),
        ("needs", "0008_slot_offer"),
    ]

    operations = [
        migrations.CreateModel(
            name="InboxCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("new", "New"),
                            ("acknowledged", "Acknowledged"),
                            ("in_progress", "In progress"),
                            ("resolved", "Resolved"),
                            ("declined", "Declined"),
                            ("transferred", "Transferred"),
                        ],
                        max_length=14,
                        verbose_name="status",
                    ),
                ),
                ("total", models.IntegerField(default=0, verbose_name="routed needs")),
            ],
            options={
                "verbose_name": "inbox count",
                "verbose_name_plural": "inbox counts",
            },
        ),
        migrations.AddIndex(
            model_name="routedneed",
            index=models.Index(
                condition=models.Q(
                    ("shared", True), ("status__in", ["new", "acknowledged", "in_progress"])
                ),
                fields=["agency", "-created_at", "-id"],
                name="routed_inbox_open_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="routedneed",
            index=models.Index(
                condition=models.Q(("shared", True), ("status", "new")),
                fields=["agency", "ack_due_at"],
                name="routed_inbox_new_due_idx",
            ),
        ),
        migrations.AddField(
            model_name="inboxcount",
            name="agency",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="incubators.agency",
                verbose_name="agency",
            ),
        ),
        migrations.AddConstraint(
            model_name="inboxcount",
            constraint=models.UniqueConstraint(
                fields=("agency", "status"), name="inbox_count_one_per_status"
            ),
        ),
        migrations.AddConstraint(
            model_name="inboxcount",
            constraint=models.CheckConstraint(
                condition=models.Q(("total__gte", 0)), name="inbox_count_not_negative"
            ),
        ),
        migrations.RunPython(
            _run({"postgresql": [*POSTGRES_UP, FILL], "sqlite": [*SQLITE_UP, FILL]}),
            _run({"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN}),
        ),
    ]
