"""Consent as records: sharing a booking's profile or a need with an agency is recorded
per agency, with the time and the version of the text shown; the person sees and
withdraws each consent from their space, and the agency's view follows at once."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from accounts.privacy import personal_data_collect, user_erase
from incubators import consents, services
from incubators.models import Agency, Consent, NeedCategory
from needs import services as need_services
from needs.forms import NeedForm
from permanences import notices as booking_notices
from permanences.forms import BookingForm
from permanences.models import Booking
from tests.factories import AdvisorFactory, CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db

BOOKING_PROFILE = Consent.Purpose.BOOKING_PROFILE
NEED = Consent.Purpose.NEED


def _need(user, slug="export"):
    return need_services.need_create(
        user=user,
        category=NeedCategory.objects.get(slug=slug),
        description="Which grant for our first trade fair abroad?",
        consent=True,
    )


@pytest.fixture
def advisor():
    return AdvisorFactory(user__first_name="Eva", user__last_name="Peeters")


@pytest.fixture
def person():
    person = UserFactory(first_name="Lotte", last_name="Maes", email="lotte@example.be")
    CompanyFactory(name="Maes Export").people.add(person)
    return person


def test_a_booking_records_the_profile_consent_with_its_time_and_text_version(
    make_slot, book, advisor, person
):
    before = timezone.now()
    book(make_slot(days=1, agency=advisor.agency, advisors=[advisor]), person)
    consent = Consent.objects.get(user=person)
    assert (consent.agency, consent.purpose) == (advisor.agency, BOOKING_PROFILE)
    assert consent.version == consents.version_of(BOOKING_PROFILE) and len(consent.version) == 12
    assert before <= consent.given_at <= timezone.now()
    assert consent.is_active

    # A second booking with the same agency keeps the one consent (and its first date).
    book(make_slot(days=2, agency=advisor.agency, advisors=[advisor]), person)
    assert Consent.objects.get(user=person).pk == consent.pk


def test_a_booking_without_the_profile_shared_records_no_consent(make_slot, book, person):
    book(make_slot(days=1), person, consent_share_profile=False)
    assert not Consent.objects.filter(user=person).exists()


def test_a_need_records_a_consent_for_each_agency_it_is_routed_to(routing_rules, person):
    need = _need(person)
    routed_to = {r.agency_id for r in need.routings.all()}
    assert routed_to
    recorded = Consent.objects.filter(user=person, purpose=NEED)
    assert {c.agency_id for c in recorded} == routed_to
    for consent in recorded:
        assert consent.version == consents.version_of(NEED)
        assert consent.given_at == need.consent_changed_at


def test_a_need_without_consent_records_none(routing_rules, person):
    need_services.need_create(
        user=person,
        category=NeedCategory.objects.get(slug="export"),
        description="Not for the agencies yet.",
        consent=False,
    )
    assert not Consent.objects.filter(user=person).exists()


def test_the_database_allows_one_active_consent_per_person_agency_and_purpose(person):
    agency = Agency.objects.create(slug="consent-test", name="Test", short_name="Test")
    Consent.objects.create(user=person, agency=agency, purpose=NEED, version="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.create(user=person, agency=agency, purpose=NEED, version="b")
    # An ended one does not count; a new text replaces the old consent.
    Consent.objects.create(
        user=person,
        agency=agency,
        purpose=BOOKING_PROFILE,
        version="old",
        ended_at=timezone.now(),
        end_reason="withdrawn",
    )
    Consent.objects.filter(purpose=NEED).update(version="older-text")
    fresh = services.consent_give(user=person, agency=agency, purpose=NEED)
    assert fresh.version == consents.version_of(NEED)
    assert Consent.objects.get(purpose=NEED, version="older-text").end_reason == "replaced"


def test_the_forms_show_the_texts_whose_version_is_recorded():
    with translation.override("en"):
        assert str(BookingForm.base_fields["consent_share_profile"].label) == str(
            consents.TEXTS[BOOKING_PROFILE]
        )
        assert str(NeedForm.base_fields["consent"].label) == str(consents.TEXTS[NEED])


def test_withdrawing_the_profile_consent_hides_the_person_from_the_advisor_at_once(
    client, make_slot, book, advisor, person
):
    booking = book(
        make_slot(days=1, agency=advisor.agency, advisors=[advisor]),
        person,
        topic="Export naar Duitsland",
    )
    elsewhere = book(make_slot(days=2), person)
    client.force_login(advisor.user)
    page = f"/en/advisor/bookings/{booking.pk}/"
    assert "Lotte Maes" in client.get(page).content.decode()

    client.force_login(person)
    consent = Consent.objects.get(user=person, agency=advisor.agency)
    listed = client.get("/en/me/consents/").content.decode()
    assert advisor.agency.short_name in listed and consent.version in listed
    response = client.post(f"/en/me/consents/{consent.pk}/withdraw/")
    assert response.status_code == 302

    consent.refresh_from_db()
    assert (consent.end_reason, consent.ended_at is not None) == ("withdrawn", True)
    client.force_login(advisor.user)
    for url in (page, "/en/advisor/permanences/"):
        content = client.get(url).content.decode()
        assert "Lotte" not in content and "lotte@example.be" not in content, url
        assert "Maes Export" not in content, url
        assert "Profile not shared" in content, url
    # The advisor's agenda email (an export of their bookings) names no one either.
    booking.refresh_from_db()
    assert "Lotte" not in booking_notices._agenda_line(booking)
    # Another agency, whose consent stands, still sees the person.
    assert Booking.objects.get(pk=elsewhere.pk).consent_share_profile


def test_withdrawing_a_need_consent_takes_the_need_out_of_the_agencys_inbox_at_once(
    client, routing_rules, person
):
    bie = Agency.objects.get(slug="bie")
    staff = AdvisorFactory(agency=bie)
    need = _need(person, slug="export")
    assert [r.agency for r in need.routings.all()] == [bie]
    client.force_login(staff.user)
    assert "Lotte" in client.get("/en/agency/needs/").content.decode()

    client.force_login(person)
    consent = Consent.objects.get(user=person, agency=bie, purpose=NEED)
    client.post(f"/en/me/consents/{consent.pk}/withdraw/")

    client.force_login(staff.user)
    assert "Lotte" not in client.get("/en/agency/needs/").content.decode()
    routed = need.routings.get()
    assert client.get(f"/en/agency/needs/{routed.pk}/").status_code == 404
    # As withdrawing on the need's own page: the need is no longer shared.
    need.refresh_from_db()
    assert need.consent is False


def test_withdrawing_on_the_needs_page_ends_the_consent_record(routing_rules, person):
    need = _need(person)
    need_services.need_set_consent(need=need, consent=False, by=person)
    assert not Consent.objects.filter(user=person, ended_at__isnull=True).exists()
    need_services.need_set_consent(need=need, consent=True, by=person)
    assert Consent.objects.filter(user=person, purpose=NEED, ended_at__isnull=True).exists()


def test_only_the_person_withdraws_their_consent(client, make_slot, book, person):
    book(make_slot(days=1), person)
    consent = Consent.objects.get(user=person)
    client.force_login(UserFactory())
    assert client.post(f"/en/me/consents/{consent.pk}/withdraw/").status_code == 404
    assert Consent.objects.get(pk=consent.pk).is_active


def test_the_export_includes_the_consents_and_erasure_ends_them(make_slot, book, person):
    booking = book(make_slot(days=1), person)
    data = personal_data_collect(user=person)["sections"]["consents"]["data"]
    [row] = data
    assert row["agency"] == booking.slot.agency.short_name
    assert row["purpose"] == str(Consent.Purpose.BOOKING_PROFILE.label)
    assert row["version"] == consents.version_of(BOOKING_PROFILE)
    assert datetime.datetime.fromisoformat(row["given_at"]).tzinfo is not None
    assert row["ended_at"] is None

    user_erase(user=person)
    consent = Consent.objects.get(user=person)
    assert consent.end_reason == "erased" and consent.ended_at is not None


def test_my_data_links_to_the_consents_page(client, person):
    client.force_login(person)
    content = client.get("/en/me/data/").content.decode()
    assert 'href="/en/me/consents/"' in content
    assert "Consents given to the agencies" in content
