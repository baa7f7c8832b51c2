"""The messages to companies in My data: the sender and the company's people find them in
their export; erasing the sender's account blanks what they wrote; the retention rule
blanks old messages once the setting gives it a number of days."""

import datetime
import json

import pytest
from django.utils import timezone

from accounts.personal_data import ERASED_TEXT
from accounts.privacy import personal_data_collect, personal_data_purge, user_erase
from community import services
from community.models import CompanyProfile, ContactMessage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _send(profile, visitor, body="We would like a pilot."):
    return services.contact_message_send(
        profile=profile, sender=visitor, subject="Pilot", body=body
    )


def test_the_sender_and_the_company_people_find_the_message_in_their_export(
    company, profile, visitor
):
    _send(profile, visitor)
    for person in (visitor, company.people.get()):
        data = json.dumps(personal_data_collect(user=person), default=str, ensure_ascii=False)
        assert "We would like a pilot." in data
    stranger = json.dumps(personal_data_collect(user=UserFactory()), default=str)
    assert "We would like a pilot." not in stranger


def test_erasing_the_sender_blanks_their_messages_and_the_profile_follows_its_company(
    company, profile, visitor
):
    _send(profile, visitor)
    user_erase(user=visitor)
    message = ContactMessage.objects.get()
    assert message.body == ERASED_TEXT and message.sender_name == ERASED_TEXT
    assert "@" not in message.sender_email or message.sender_email.endswith("@invalid")
    colleague = UserFactory()
    company.people.add(colleague)
    user_erase(user=company.people.exclude(pk=colleague.pk).get())
    # The company still has someone to speak for it: its profile and messages stay.
    assert CompanyProfile.objects.filter(pk=profile.pk).exists()
    user_erase(user=colleague)
    # Nobody left: the company goes (incubators' eraser), and its profile with it.
    assert not CompanyProfile.objects.exists() and not ContactMessage.objects.exists()


def test_old_messages_are_blanked_after_the_retention_period(settings, profile, visitor):
    settings.PERSONAL_DATA_RETENTION_DAYS = {
        **settings.PERSONAL_DATA_RETENTION_DAYS,
        "community_messages": 30,
    }
    old, recent = _send(profile, visitor, "Old"), _send(profile, visitor, "Recent")
    ContactMessage.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    assert personal_data_purge()["community_messages"] == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.body == ERASED_TEXT and recent.body == "Recent"
