"""One person never holds two overlapping active bookings, enforced by the database:
an exclusion constraint on PostgreSQL, triggers on SQLite. (On SQLite, a later
migration that rebuilds permanences_booking drops the triggers: re-create them;
tests/permanences/test_constraints.py fails if they are missing.)"""

from django.db import migrations

ACTIVE = "('confirmed', 'attended', 'no_show')"

POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    f"""ALTER TABLE permanences_booking ADD CONSTRAINT booking_no_overlap_per_user
        EXCLUDE USING gist (user_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
        WHERE (status IN {ACTIVE})""",
]
POSTGRES_DOWN = ["ALTER TABLE permanences_booking DROP CONSTRAINT booking_no_overlap_per_user"]

_OVERLAP = f"""NEW.status IN {ACTIVE} AND EXISTS (
    SELECT 1 FROM permanences_booking b
    WHERE b.user_id = NEW.user_id AND b.id IS NOT NEW.id AND b.status IN {ACTIVE}
      AND b.starts_at < NEW.ends_at AND NEW.starts_at < b.ends_at)"""
SQLITE_UP = [
    f"""CREATE TRIGGER booking_no_overlap_insert BEFORE INSERT ON permanences_booking
        WHEN {_OVERLAP}
        BEGIN SELECT RAISE(ABORT, 'booking_no_overlap_per_user'); END""",
    f"""CREATE TRIGGER booking_no_overlap_update
        BEFORE UPDATE OF status, starts_at, ends_at, user_id ON permanences_booking
        WHEN {_OVERLAP}
        BEGIN SELECT RAISE(ABORT, 'booking_no_overlap_per_user'); END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS booking_no_overlap_insert",
    "DROP TRIGGER IF EXISTS booking_no_overlap_update",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("permanences", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP}),
            _run({"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN}),
        )
    ]
