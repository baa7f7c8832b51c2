# NeedCategory moves from needs to incubators: the directory's topics, which services,
# bookings and needs all refer to, belong to the floor below them. The table is kept
# (state only here); 0005 renames it once every reference points here.

from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="needs", model="needcategory").exclude(
        pk__in=ContentType.objects.filter(app_label="incubators", model="needcategory")
    ).update(app_label="incubators")


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="incubators", model="needcategory").update(
        app_label="needs"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("incubators", "0003_agency_needs_ack_hours"),
        ("needs", "0004_routed_need_shared"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="NeedCategory",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("slug", models.SlugField(unique=True, verbose_name="code")),
                        ("name", models.CharField(max_length=120, verbose_name="name")),
                        ("name_fr", models.CharField(max_length=120, null=True, verbose_name="name")),
                        ("name_nl", models.CharField(max_length=120, null=True, verbose_name="name")),
                        ("name_en", models.CharField(max_length=120, null=True, verbose_name="name")),
                        ("description", models.TextField(blank=True, verbose_name="description")),
                        ("description_fr", models.TextField(blank=True, null=True, verbose_name="description")),
                        ("description_nl", models.TextField(blank=True, null=True, verbose_name="description")),
                        ("description_en", models.TextField(blank=True, null=True, verbose_name="description")),
                        ("icon", models.CharField(blank=True, help_text="A Bootstrap Icons name, e.g. 'cash-coin'.", max_length=40, verbose_name="icon")),
                        ("order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                        ("is_active", models.BooleanField(default=True, verbose_name="active")),
                    ],
                    options={
                        "verbose_name": "need category",
                        "verbose_name_plural": "need categories",
                        "ordering": ["order", "slug"],
                        "db_table": "needs_needcategory",
                    },
                ),
                migrations.AlterField(
                    model_name="service",
                    name="categories",
                    field=models.ManyToManyField(blank=True, related_name="services", to="incubators.needcategory", verbose_name="need categories answered"),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
