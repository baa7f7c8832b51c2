import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("incubators", "0004_needcategory"),
        ("permanences", "0003_reminders_and_digests"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="booking",
                    name="category",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="bookings", to="incubators.needcategory", verbose_name="topic"),
                ),
            ],
            database_operations=[],
        ),
    ]
