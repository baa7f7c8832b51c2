from django.db import migrations


def load(apps, schema_editor):
    from incubators.reference_data import load_reference_data

    load_reference_data(
        Language=apps.get_model("incubators", "Language"),
        NeedCategory=apps.get_model("needs", "NeedCategory"),
        Agency=apps.get_model("incubators", "Agency"),
        Service=apps.get_model("incubators", "Service"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("incubators", "0001_initial"),
        ("needs", "0001_initial"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
