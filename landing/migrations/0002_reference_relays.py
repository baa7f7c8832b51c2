from django.db import migrations


def load(apps, schema_editor):
    from landing.reference_data import load_relays

    load_relays(Relay=apps.get_model("landing", "Relay"))


class Migration(migrations.Migration):
    dependencies = [("landing", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
