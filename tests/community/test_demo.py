import pytest

from community.models import CompanyProfile, ContactMessage
from demo.community import load_community
from demo.data import load_demo_data

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_profiles_and_a_message_and_running_it_twice_changes_nothing(
    reference_data,
):
    load_demo_data()  # once the lead calls load_community there, this one adds nothing
    load_community()
    assert CompanyProfile.objects.published().count() == 5
    assert ContactMessage.objects.count() == 1
    assert load_community() == 0
    assert CompanyProfile.objects.count() == 5 and ContactMessage.objects.count() == 1
