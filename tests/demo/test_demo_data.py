from django.apps import apps
from django.utils import timezone

from demo.data import load_demo_data
from needs.models import RoutedNeed
from permanences.models import Booking, Slot
from surveys.models import Response
from surveys.selectors import MIN_GROUP


def _counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_it_changes_nothing_when_loaded_a_second_time(db, reference_data):
    load_demo_data(lived_in=True)
    before = _counts()
    created = load_demo_data(lived_in=True)
    assert set(created.values()) == {0}
    assert _counts() == before


def test_it_holds_something_to_try_on_every_page(db, reference_data):
    load_demo_data(lived_in=True)
    now = timezone.now()

    past = Booking.objects.filter(starts_at__lt=now)
    assert past.filter(status=Booking.Status.ATTENDED).exists()
    assert past.filter(status=Booking.Status.NO_SHOW).exists()
    to_mark = past.filter(status=Booking.Status.CONFIRMED)
    # Something for each demo advisor to mark, from the last permanence day.
    assert set(to_mark.values_list("slot__agency__slug", flat=True)) == {
        "impulse",
        "innoviris",
        "bie",
        "atrium",
    }
    assert all(now - b.starts_at < timezone.timedelta(days=14) for b in to_mark)
    assert Booking.objects.filter(starts_at__gt=now, status=Booking.Status.CONFIRMED).exists()

    for agency in ("impulse", "innoviris", "bie", "atrium"):
        assert Response.objects.filter(agency__slug=agency).count() >= MIN_GROUP

    assert set(RoutedNeed.objects.values_list("status", flat=True)) == set(RoutedNeed.Status.values)
    assert Slot.objects.filter(status=Slot.Status.CANCELLED, starts_at__gt=now).exists()


def test_it_leaves_the_weeks_of_use_out_for_the_browser_tests(db, reference_data):
    load_demo_data()
    assert not Slot.objects.filter(starts_at__lt=timezone.now()).exists()
    assert not Response.objects.exists()
    assert not Slot.objects.filter(status=Slot.Status.CANCELLED).exists()
