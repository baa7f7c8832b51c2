from django.db import migrations


def load(apps, schema_editor):
    from incubators.reference_data import load_themes

    load_themes(Theme=apps.get_model("incubators", "Theme"))


class Migration(migrations.Migration):
    dependencies = [("incubators", "0008_theme")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
