import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from calls.models import Call
from events.models import Event, EventSession
from incubators.models import Service, Theme
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

_counter = iter(range(1, 100_000))


def _service(agency, theme, name, **fields):
    service = Service.objects.create(agency=agency, name=name, summary=f"About {name}", **fields)
    service.themes.set([theme])
    return service


def _event(theme, title, days=7, **fields):
    n = next(_counter)
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=days)
    event = Event.objects.create(
        slug=f"journey-event-{n}",
        kind=Event.Kind.WORKSHOP,
        title=title,
        address="Rue de la Loi 16, 1000 Bruxelles",
        capacity=20,
        status=fields.pop("status", Event.Status.PUBLISHED),
        **fields,
    )
    EventSession.objects.create(
        event=event, starts_at=starts, ends_at=starts + datetime.timedelta(hours=2)
    )
    if theme is not None:
        event.themes.set([theme])
    return event


def _call(theme, title, opens_days=-5, deadline_days=10, **fields):
    n = next(_counter)
    now = timezone.now()
    call = Call.objects.create(
        slug=f"journey-call-{n}",
        title=title,
        summary=f"Summary of {title}",
        problem="A problem.",
        eligibility="Start-ups.",
        offer="A pilot.",
        funder_kind=Call.FunderKind.REGION,
        funder_name="Brussels Region",
        opens_at=now + datetime.timedelta(days=opens_days),
        deadline=now + datetime.timedelta(days=deadline_days),
        status=fields.pop("status", Call.Status.PUBLISHED),
        **fields,
    )
    call.themes.set([theme])
    return call


@pytest.fixture
def themes(reference_data):
    return {t.slug: t for t in Theme.objects.all()}


def test_the_list_shows_the_three_journeys_in_each_language(client, themes):
    for lang, names in {
        "fr": ["Digitalisation", "Économie circulaire", "Innovation sociale"],
        "nl": ["Digitalisering", "Circulaire economie", "Sociale innovatie"],
        "en": ["Digitalisation", "Circular economy", "Social innovation"],
    }.items():
        content = client.get(f"/{lang}/journeys/").content.decode()
        for name in names:
            assert name in content
        assert f'href="/{lang}/journeys/circular-economy/"' in content


def test_a_theme_page_shows_its_own_services_events_and_calls_only(client, themes, make_slot):
    digital, circular = themes["digitalisation"], themes["circular-economy"]
    green_agency = AgencyFactory(short_name="GreenCo")
    _service(green_agency, circular, "Material passports")
    _service(AgencyFactory(), digital, "Cloud audit")
    _service(green_agency, circular, "Hidden service", is_active=False)
    _event(circular, "Repair café for makers")
    _event(digital, "AI breakfast")
    _event(circular, "Draft circular event", status=Event.Status.DRAFT)
    _event(circular, "Past circular event", days=-3)
    _event(None, "Untagged event")
    _call(circular, "Zero waste pilot")
    _call(circular, "Closed circular call", opens_days=-30, deadline_days=-2)
    _call(digital, "Smart city test")
    slot = make_slot(days=3, agency=green_agency)
    other = make_slot(days=3)  # another agency, with no circular service

    content = client.get("/en/journeys/circular-economy/").content.decode()
    assert "Material passports" in content
    assert "Repair café for makers" in content
    assert "Zero waste pilot" in content
    assert f"/en/permanences/slots/{slot.pk}/book/" in content
    for pk in other.schedule.slots.values_list("pk", flat=True):
        assert f"/slots/{pk}/book/" not in content
    for absent in (
        "Cloud audit",
        "Hidden service",
        "AI breakfast",
        "Draft circular event",
        "Past circular event",
        "Untagged event",
        "Closed circular call",
        "Smart city test",
    ):
        assert absent not in content


def test_digitalisation_leads_to_test_before_invest_and_the_others_do_not(client, themes):
    digital = client.get("/fr/journeys/digitalisation/").content.decode()
    assert 'href="/fr/test-before-invest/request/"' in digital
    assert 'href="/fr/test-before-invest/"' in digital
    circular = client.get("/fr/journeys/circular-economy/").content.decode()
    main = circular.split("<main", 1)[1].split("</main>", 1)[0]  # not the site's menu
    assert "/test-before-invest/" not in main


def test_ask_a_specialist_preselects_the_themes_category(client, themes):
    from incubators.models import NeedCategory

    digital = NeedCategory.objects.get(slug="digital")
    content = client.get("/en/journeys/digitalisation/").content.decode()
    assert f'href="/en/me/needs/new/?ask=1&amp;category={digital.pk}"' in content
    social = NeedCategory.objects.get(slug="circular-social")
    content = client.get("/en/journeys/social-innovation/").content.decode()
    assert f"category={social.pk}" in content


def test_the_edih_services_are_on_the_digitalisation_journey(client, themes):
    # Loaded by the edih data migration: the EDIH and its services, tagged.
    content = client.get("/en/journeys/digitalisation/").content.decode()
    assert "Test before invest" in content
    assert "International expertise" in content


@pytest.mark.parametrize(
    "path",
    [
        "/en/journeys/unknown/",
        "/en/journeys/%00/",
        "/en/journeys/digitalisation/?x=%00",
        "/en/journeys/" + "a" * 300 + "/",
        "/en/journeys/../",
    ],
)
def test_hostile_urls_never_answer_a_500(client, themes, path):
    assert client.get(path).status_code in (200, 301, 302, 404)


def test_an_inactive_theme_is_a_404(client, themes):
    Theme.objects.filter(slug="social-innovation").update(is_active=False)
    assert client.get("/en/journeys/social-innovation/").status_code == 404
    assert "/journeys/social-innovation/" not in client.get("/en/journeys/").content.decode()


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_a_theme_page_costs_the_same_queries_as_data_grows(client, themes, make_slot):
    circular = themes["circular-economy"]

    def grow(n):
        agency = AgencyFactory()
        for i in range(n):
            _service(agency, circular, f"Service {agency.pk}-{i}")
            _event(circular, f"Event {agency.pk}-{i}")
            _call(circular, f"Call {agency.pk}-{i}")
        make_slot(days=2, agency=agency)

    grow(1)
    client.get("/en/journeys/circular-economy/")  # warm the caches
    few = _queries(client, "/en/journeys/circular-economy/")
    grow(5)
    grow(3)
    many = _queries(client, "/en/journeys/circular-economy/")
    assert many == few
    listing = _queries(client, "/en/journeys/")
    grow(2)
    assert _queries(client, "/en/journeys/") == listing


def test_the_coordinator_tags_an_event_with_themes_in_the_admin(admin_client, themes):
    event = _event(None, "Data spaces workshop")
    page = admin_client.get(f"/en/admin/events/event/{event.pk}/change/").content.decode()
    assert 'name="themes"' in page
    assert "Circular economy" in page


def test_the_dutch_theme_page_names_test_before_invest_and_deadlines_in_dutch(client, themes):
    _call(themes["digitalisation"], "Smart city test")
    content = client.get("/nl/journeys/digitalisation/").content.decode()
    main = content.split("<main", 1)[1].split("</main>", 1)[0]  # not the site's menu
    assert "Testen voor u investeert" in main
    assert "Test before invest" not in main
    assert "Uiterste datum:" in main and "(Brusselse tijd)" in main
    assert "Deadline" not in main
