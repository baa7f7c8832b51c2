"""The members-only exploit: a company's enterprise number is public, so typing it must
not open the permanences kept for the members of its incubators."""

import pytest
from django.utils import timezone

from incubators import services as incubator_services
from incubators.models import CompanyJoinRequest
from incubators.selectors import membership_states
from permanences.models import Booking
from permanences.services import BookingRefused, user_is_member
from tests.factories import UserFactory, make_member

pytestmark = pytest.mark.django_db


def _book_over_http(client, slot, category):
    return client.post(
        f"/en/permanences/slots/{slot.pk}/book/",
        {
            "category": category.pk,
            "topic": "Financing",
            "language": "fr",
            "consent_share_profile": "on",
        },
        follow=True,
    )


def test_a_stranger_typing_a_member_companys_number_cannot_book_its_members_only_slot(
    client, make_slot, book, category
):
    slot = make_slot(days=2, audience="members")
    founder = UserFactory()
    company = make_member(founder, slot.incubator)
    stranger = UserFactory()
    client.force_login(stranger)

    client.post("/en/onboarding/", {"join-enterprise_number": company.enterprise_number_display})

    assert not stranger.companies.exists()
    assert not user_is_member(
        user=stranger, incubator_id=slot.incubator_id, on=timezone.localdate(slot.starts_at)
    )
    assert membership_states(user=stranger) == {}
    page = _book_over_http(client, slot, category).content.decode()
    assert "This permanence is for members of" in page
    assert not Booking.objects.filter(user=stranger).exists()
    with pytest.raises(BookingRefused) as refused:
        book(slot, stranger)
    assert refused.value.code == "members_only"
    listing = client.get("/en/permanences/").content.decode()
    assert f"/permanences/slots/{slot.pk}/book/" not in listing


def test_once_approved_by_the_company_the_person_books_its_members_only_slot(make_slot, book):
    slot = make_slot(days=2, audience="members")
    founder = UserFactory()
    company = make_member(founder, slot.incubator)
    colleague = UserFactory()
    join_request = incubator_services.company_join(user=colleague, company=company)

    incubator_services.company_join_approve(join_request=join_request, decided_by=founder)

    assert join_request.status == CompanyJoinRequest.Status.APPROVED
    booking = book(slot, colleague)
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.company == company


@pytest.mark.parametrize("end", ["refused", "withdrawn"])
def test_a_refused_or_withdrawn_request_opens_nothing(make_slot, book, end):
    slot = make_slot(days=2, audience="members")
    founder = UserFactory()
    company = make_member(founder, slot.incubator)
    stranger = UserFactory()
    join_request = incubator_services.company_join(user=stranger, company=company)
    if end == "refused":
        incubator_services.company_join_refuse(join_request=join_request, decided_by=founder)
    else:
        incubator_services.company_join_withdraw(join_request=join_request, user=stranger)

    with pytest.raises(BookingRefused):
        book(slot, stranger)
