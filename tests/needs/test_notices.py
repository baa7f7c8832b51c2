"""The daily digest of overdue needs: found due by its planner, sent in the advisor's
language, switched off by a one-click link."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from needs import notices
from notifications import sending
from notifications.models import Notification
from tests.factories import AdvisorFactory, RoutedNeedFactory

pytestmark = pytest.mark.django_db


def test_an_agency_gets_a_daily_digest_of_overdue_needs_that_can_be_switched_off(client, settings):
    settings.NOTIFICATIONS_DIGEST_HOUR = 8
    staff = AdvisorFactory(user__language="fr")
    opted_out = AdvisorFactory(agency=staff.agency, user__digest_needs=False)
    elsewhere = AdvisorFactory()
    RoutedNeedFactory(agency=staff.agency, ack_due_at=timezone.now() - datetime.timedelta(days=1))
    RoutedNeedFactory(agency=elsewhere.agency)  # not overdue
    morning = timezone.localtime().replace(hour=8, minute=5)

    assert notices.needs_digest_plan(now=morning.replace(hour=7)) == 0
    assert notices.needs_digest_plan(now=morning) == 1
    assert notices.needs_digest_plan(now=morning.replace(hour=11)) == 0  # once a day
    mail.outbox.clear()
    sending.notifications_dispatch(seconds=30)
    [digest] = mail.outbox
    assert digest.to == [staff.user.email]
    assert opted_out.user.email not in digest.to
    assert "1 besoin attend une réponse" in digest.subject
    assert "Financement" in digest.body  # the category, in French
    assert "?overdue=on" in digest.body

    # The List-Unsubscribe link asks first, then switches the digest off.
    link = digest.extra_headers["List-Unsubscribe"].strip("<>")
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = link.removeprefix(settings.SITE_URL)
    page = client.get(path)
    assert page.status_code == 200
    assert staff.user.email in page.content.decode()
    staff.user.refresh_from_db()
    assert staff.user.digest_needs is True
    done = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert "Vous ne recevrez plus" in done.content.decode()
    staff.user.refresh_from_db()
    assert staff.user.digest_needs is False

    tomorrow = morning + datetime.timedelta(days=1)
    assert notices.needs_digest_plan(now=tomorrow) == 0


def test_an_opted_out_digest_recorded_earlier_is_not_sent(settings):
    staff = AdvisorFactory()
    RoutedNeedFactory(agency=staff.agency, ack_due_at=timezone.now() - datetime.timedelta(days=1))
    notices.needs_digest_plan(now=timezone.localtime().replace(hour=23))
    staff.user.digest_needs = False
    staff.user.save()
    mail.outbox.clear()
    sending.notifications_dispatch(seconds=30)
    assert mail.outbox == []
    assert Notification.objects.get(kind=notices.NEEDS_OVERDUE_DIGEST).state == "skipped"
