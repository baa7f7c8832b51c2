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
