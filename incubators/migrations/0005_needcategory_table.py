from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("incubators", "0004_needcategory"),
        ("needs", "0005_needcategory_moved"),
    ]

    operations = [
        migrations.AlterModelTable(name="needcategory", table=None),
    ]
