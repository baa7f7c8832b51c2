from django.db import migrations


def load(apps, schema_editor):
    from edih.reference_data import load_edih

    load_edih(
        Agency=apps.get_model("incubators", "Agency"),
        Service=apps.get_model("incubators", "Service"),
        NeedCategory=apps.get_model("incubators", "NeedCategory"),
        Theme=apps.get_model("incubators", "Theme"),
        RoutingRule=apps.get_model("needs", "RoutingRule"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("edih", "0001_initial"),
        ("incubators", "0009_reference_themes"),
        ("needs", "0008_slot_offer"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
