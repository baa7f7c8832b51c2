"""My space: what the person has to do or see, at a glance."""

import pytest


@pytest.mark.django_db
def test_my_space_shows_the_next_meetings_and_open_needs_with_a_way_to_book(
    client, make_slot, book, entrepreneur, routing_rules
):
    from incubators.models import NeedCategory
    from needs.services import need_create

    booking = book(make_slot(days=2), entrepreneur)
    need = need_create(
        user=entrepreneur,
        category=NeedCategory.objects.get(slug="export"),
        description="Exporter vers l'Allemagne",
        consent=True,
    )
    client.force_login(entrepreneur)

    page = client.get("/en/me/").content.decode()

    assert f'href="/en/me/bookings/{booking.pk}/"' in page
    assert 'href="/en/permanences/"' in page  # a way to book
    assert f'href="/en/me/needs/{need.pk}/"' in page
    assert "Your open needs" in page


@pytest.mark.django_db
def test_my_space_shows_the_european_hub_items_of_each_person(client, reference_data):
    """The landing plan with its progress, applications, test requests and the calls a
    person evaluates: each person sees their own, and someone without any sees no card."""
    from accounts.models import User
    from calls.models import Application
    from demo.data import load_demo_data
    from edih.models import TestRequest
    from landing.models import LandingPlan

    load_demo_data()

    founder = User.objects.get(email="founder.abroad@demo.hub.brussels")
    plan = LandingPlan.objects.get(user=founder)
    done = plan.steps.filter(done_at__isnull=False).count()
    client.force_login(founder)
    page = client.get("/en/me/").content.decode()
    assert "Your landing plan" in page
    assert f"{done} of {plan.steps.count()} steps done." in page

    sofia = User.objects.get(email="entrepreneur@demo.hub.brussels")
    client.force_login(sofia)
    page = client.get("/en/me/").content.decode()
    request = TestRequest.objects.filter(user=sofia).first()
    assert f'href="/en/me/test-requests/{request.pk}/"' in page
    applications = Application.objects.filter(applicant=sofia)
    assert applications  # the demo's Pixelforge applies to calls
    for application in applications:
        assert f'href="/en/calls/{application.call.slug}/apply/"' in page
    assert "Your landing plan" not in page

    evaluator = User.objects.get(email="evaluator@demo.hub.brussels")
    client.force_login(evaluator)
    page = client.get("/en/me/").content.decode()
    assert "Calls you evaluate or manage" in page
    assert "/review/" in page

    manager = User.objects.get(email="manager@demo.hub.brussels")
    client.force_login(manager)
    assert "European hub</h2>" not in client.get("/en/me/").content.decode()
