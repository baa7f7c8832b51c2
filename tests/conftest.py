import datetime
import os
import shutil

import pytest
from django.utils import timezone

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls
# from a thread with a running loop unless told that it is safe, which it is here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session", autouse=True)
def _private_file_cache(tmp_path_factory):
    """A file cache of this run's own: clearing it must not empty the cache of a running
    `make run` or of another test run on the same machine."""
    from django.conf import settings
    from django.test.utils import override_settings

    default = settings.CACHES["default"]
    if not default["BACKEND"].endswith("FileBasedCache"):
        yield
        return
    private = {**default, "LOCATION": str(tmp_path_factory.mktemp("cache"))}
    with override_settings(CACHES={**settings.CACHES, "default": private}):
        yield


@pytest.fixture(scope="session", autouse=True)
def _static_files_found_on_request():
    """The test client builds the middleware for every test, and WhiteNoise would list
    every static file each time (a third of a view test's time); found on request
    instead, as it does with DEBUG on."""
    from django.test.utils import override_settings

    with override_settings(WHITENOISE_AUTOREFRESH=True):
        yield


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """PBKDF2 costs ~0.3 s per user on purpose; tests create thousands of users."""
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def _private_broker(tmp_path_factory):
    """Tasks queued by this run (on commit, in transactional tests) go to a folder of its
    own, never to the queue of a running `make run` worker or of production Redis: a
    notification id of the test database means another message in theirs."""
    from hub_eu.celery import app

    folder = tmp_path_factory.mktemp("broker")
    app.conf.broker_url = "filesystem://"
    app.conf.broker_transport_options = {
        "data_folder_in": str(folder),
        "data_folder_out": str(folder),
        "control_folder": str(folder),
        "store_processed": False,
    }
    yield


@pytest.fixture(autouse=True)
def _clean_cache():
    """allauth's rate limits live in the cache: each test starts with none used."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _english_unless_told():
    """Each test starts in English, whatever the previous one (or a request's locale
    middleware) left active in the thread: messages read the same run alone or in a suite."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _mailbox_in_tmp(settings, tmp_path):
    settings.MAILBOX_DIR = tmp_path / "mail"


@pytest.fixture
def reference_data(db):
    """The languages, need categories and agencies the data migration loads. Tests that
    flush the database (live server, real transactions) need them loaded again."""
    from incubators.models import Agency, Language, NeedCategory, Service, Theme
    from incubators.reference_data import load_reference_data, load_themes

    load_reference_data(
        Language=Language, NeedCategory=NeedCategory, Agency=Agency, Service=Service
    )
    load_themes(Theme=Theme)


@pytest.fixture
def routing_rules(reference_data):
    """The default rules the data migration creates; tests that flush the database (live
    server, real transactions) lose them, so they are made again when missing."""
    from incubators.models import Agency, NeedCategory
    from needs.models import RoutingRule

    if RoutingRule.objects.exists():
        return
    for category in NeedCategory.objects.all():
        agencies = Agency.objects.filter(services__categories=category).distinct()
        if agencies:
            RoutingRule.objects.create(category=category).agencies.set(agencies)
    RoutingRule.objects.create(category=None).agencies.set(Agency.objects.filter(slug="impulse"))


@pytest.fixture
def make_schedule(reference_data):
    """A weekly schedule (today's weekday, 09:00-12:00 in 30-minute slots) at a new
    incubator for a new agency, unless told otherwise."""
    from incubators.models import Language
    from permanences.models import PermanenceSchedule
    from tests.factories import AgencyFactory, IncubatorFactory

    def make(**overrides) -> PermanenceSchedule:
        languages = overrides.pop("languages", ["fr", "en"])
        advisors = overrides.pop("advisors", [])
        data = {
            "agency": overrides.pop("agency", None) or AgencyFactory(),
            "incubator": overrides.pop("incubator", None) or IncubatorFactory(),
            "weekday": timezone.localdate().weekday(),
            "start_time": datetime.time(9, 0),
            "end_time": datetime.time(12, 0),
            "slot_minutes": 30,
            "valid_from": timezone.localdate() - datetime.timedelta(days=7),
            "audience": PermanenceSchedule.Audience.REGISTERED,
            "booking_opens_days": 60,
            "min_notice_hours": 2,
            "cancel_notice_hours": 12,
            **overrides,
        }
        schedule = PermanenceSchedule.objects.create(**data)
        schedule.languages.set(Language.objects.filter(code__in=languages))
        schedule.advisors.set(advisors)
        return schedule

    return make


@pytest.fixture
def make_slot(make_schedule):
    """An open slot `days` from now at 10:00 Brussels time, materialised like the real ones."""

    from permanences.generation import belgian_holidays, slots_generate
    from permanences.models import Slot

    def make(days: int = 3, **schedule_overrides) -> Slot:
        day = timezone.localdate() + datetime.timedelta(days=days)
        while day in belgian_holidays(day.year):  # no slot on a public holiday
            day += datetime.timedelta(days=1)
        schedule = make_schedule(weekday=day.weekday(), **schedule_overrides)
        slots_generate(schedule=schedule, days=(day - timezone.localdate()).days + 1)
        starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
        return Slot.objects.select_related("schedule").get(schedule=schedule, starts_at=starts)

    return make


@pytest.fixture
def category(reference_data):
    from incubators.models import NeedCategory

    return NeedCategory.objects.get(slug="financing")


@pytest.fixture
def entrepreneur(db):
    from tests.factories import UserFactory

    return UserFactory(first_name="Sofia", language="fr")


@pytest.fixture
def book(category):
    from permanences import services

    def do(slot, user, **overrides):
        data = {
            "slot_id": slot.pk,
            "user": user,
            "category": category,
            "topic": "Prêt ou subside ?",
            "language": "fr",
            "consent_share_profile": True,
            **overrides,
        }
        return services.booking_create(**data)

    return do


@pytest.fixture
def user(db):
    from tests.factories import UserFactory

    return UserFactory()


def pytest_collection_modifyitems(config, items):
    """Every browser test is slow too. Browser tests need Debian's Chromium. Without it
    they are skipped with a reason, except in CI, where a missing browser is a failure,
    not a skip."""
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.slow)
    if os.path.exists(CHROMIUM):
        return
    browser_items = [item for item in items if "browser" in item.keywords]
    if not browser_items:
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"CI is set but {CHROMIUM} is missing: install Debian's chromium.")
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not found (apt-get install chromium)")
    for item in browser_items:
        item.add_marker(skip)


def pytest_report_header(config):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return [
        f"database: {engine}; cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}; "
        f"broker: {settings.CELERY_BROKER_URL.split('://')[0]}; "
        f"chromium: {shutil.which('chromium') or 'missing'}"
    ]
