from demo.data import load_demo_data
from demo.journeys import load_journeys
from events.models import Event
from incubators.models import Theme


def test_the_demo_tags_services_and_events_with_every_theme_once(db, reference_data):
    created = load_demo_data()
    assert created["journeys"] > 0
    for theme in Theme.objects.all():
        assert theme.services.exists(), theme.slug
    assert Event.objects.filter(themes__slug="digitalisation").exists()
    assert load_journeys() == 0
