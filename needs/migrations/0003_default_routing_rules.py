from django.db import migrations


def create_rules(apps, schema_editor):
    """One rule per need category, to the agencies whose services answer it, and a
    fallback to Impulse (general business coaching). The coordinator edits them."""
    NeedCategory = apps.get_model("needs", "NeedCategory")
    RoutingRule = apps.get_model("needs", "RoutingRule")
    Agency = apps.get_model("incubators", "Agency")
    if RoutingRule.objects.exists():
        return
    for category in NeedCategory.objects.all():
        agencies = Agency.objects.filter(services__categories=category).distinct()
        if agencies:
            rule = RoutingRule.objects.create(category=category)
            rule.agencies.set(agencies)
    fallback = Agency.objects.filter(slug="impulse").first()
    if fallback:
        RoutingRule.objects.create(category=None).agencies.set([fallback])


class Migration(migrations.Migration):
    dependencies = [
        ("needs", "0002_need_routedneed_needmessage_routedneedevent_and_more"),
        ("incubators", "0003_agency_needs_ack_hours"),
    ]

    operations = [migrations.RunPython(create_rules, migrations.RunPython.noop)]
