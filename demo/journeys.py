"""The innovation journeys of the demo: the directory's services and the demo events
tagged with the Region's three themes, as the coordinator tags them in the admin (no
service for it). The EDIH's own services are tagged by its data migration."""

from events.models import Event
from incubators.models import Service, Theme

# (agency slug, English name of the service) -> theme slugs
SERVICE_THEMES = {
    ("innoviris", "Innovation journeys"): [
        "digitalisation",
        "circular-economy",
        "social-innovation",
    ],
    ("innoviris", "Innovation grants"): ["digitalisation", "circular-economy"],
    ("innoviris", "Test before invest (EDIH)"): ["digitalisation"],
    ("impulse", "Business plan review"): ["social-innovation"],
    ("impulse", "Financing advice"): ["circular-economy", "social-innovation"],
}
# event slug -> theme slugs
EVENT_THEMES = {
    "info-session-financing": ["digitalisation", "circular-economy"],
    "founders-networking-evening": ["social-innovation"],
    "hack-the-eu-quarter": ["digitalisation"],
}


def load_journeys() -> int:
    """Adds the missing tags; returns how many were added (none the second time)."""
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    added = 0
    for (agency, name), slugs in SERVICE_THEMES.items():
        for service in Service.objects.filter(agency__slug=agency, name_en=name):
            have = set(service.themes.values_list("slug", flat=True))
            missing = [themes[s] for s in slugs if s in themes and s not in have]
            service.themes.add(*missing)
            added += len(missing)
    for slug, slugs in EVENT_THEMES.items():
        for event in Event.objects.filter(slug=slug):
            have = set(event.themes.values_list("slug", flat=True))
            missing = [themes[s] for s in slugs if s in themes and s not in have]
            event.themes.add(*missing)
            added += len(missing)
    return added
