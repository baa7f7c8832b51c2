import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("incubators", "0004_needcategory"),
        ("needs", "0004_routed_need_shared"),
        ("permanences", "0004_booking_category_from_incubators"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="need",
                    name="category",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="needs", to="incubators.needcategory", verbose_name="category"),
                ),
                migrations.AlterField(
                    model_name="routingrule",
                    name="category",
                    field=models.ForeignKey(blank=True, help_text="Empty: a fallback for needs no other rule matches.", null=True, on_delete=django.db.models.deletion.CASCADE, related_name="routing_rules", to="incubators.needcategory", verbose_name="category"),
                ),
                migrations.DeleteModel(name="NeedCategory"),
            ],
            database_operations=[],
        ),
    ]
