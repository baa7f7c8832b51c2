# A notice names what it is about generically (content type + id) instead of one
# foreign key per app: notifications is infrastructure, and a new app's notices must not
# need a new column here. Survey notices about a booking keep its id in the context.

import django.db.models.deletion
from django.db import migrations, models

import notifications.registry

MODELS = [("booking_id", "permanences", "booking"), ("routed_need_id", "needs", "routedneed")]


def forwards(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    ContentType = apps.get_model("contenttypes", "ContentType")

    def type_of(app_label, model):
        return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]

    survey_type = type_of("surveys", "survey")
    for row in Notification.objects.filter(survey_id__isnull=False).iterator():
        if row.booking_id:
            row.context = {**row.context, "booking": row.booking_id}
        row.subject_type, row.subject_id = survey_type, row.survey_id
        row.save(update_fields=["context", "subject_type", "subject_id"])
    for field, app_label, model in MODELS:
        Notification.objects.filter(
            subject_type__isnull=True, **{f"{field}__isnull": False}
        ).update(subject_type=type_of(app_label, model), subject_id=models.F(field))


def backwards(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    for row in Notification.objects.filter(subject_type__isnull=False).select_related(
        "subject_type"
    ):
        kind = (row.subject_type.app_label, row.subject_type.model)
        if kind == ("surveys", "survey"):
            row.survey_id, row.booking_id = row.subject_id, row.context.get("booking")
        elif kind == ("permanences", "booking"):
            row.booking_id = row.subject_id
        elif kind == ("needs", "routedneed"):
            row.routed_need_id = row.subject_id
        row.save(update_fields=["survey", "booking", "routed_need"])


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("needs", "0005_needcategory_moved"),
        ("notifications", "0006_notification_survey_alter_notification_kind"),
        ("permanences", "0004_booking_category_from_incubators"),
        ("surveys", "0002_suggestion_copies"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="subject_id",
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name="about (id)"),
        ),
        migrations.AddField(
            model_name="notification",
            name="subject_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="contenttypes.contenttype",
                verbose_name="about (type)",
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="notification", name="booking"),
        migrations.RemoveField(model_name="notification", name="routed_need"),
        migrations.RemoveField(model_name="notification", name="survey"),
        migrations.AlterField(
            model_name="notification",
            name="kind",
            field=models.CharField(
                choices=notifications.registry.kind_choices, max_length=40, verbose_name="kind"
            ),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(fields=["subject_type", "subject_id"], name="notification_subject_idx"),
        ),
    ]
