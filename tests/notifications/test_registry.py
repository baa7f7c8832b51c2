"""The registry: an app declares its notices and planners without touching
notifications, and the outbox sends them like any other."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured

from incubators.models import Agency
from notifications import registry, sending
from notifications.emails import Email
from notifications.models import Notification
from notifications.services import notification_record, notification_row
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hello_kind():
    """What a new app's notices.py would declare: a kind about an agency, and a planner."""

    @registry.notice("test_agency_hello", "Hello from an agency")
    def hello(n: Notification) -> Email | None:
        return Email(subject=f"Hello from {n.subject.short_name}", lines=[n.context["line"]])

    planned = []

    @registry.planner
    def plan(*, now: datetime.datetime) -> int:
        planned.append(now)
        return 0

    yield planned
    registry._kinds.pop("test_agency_hello")
    registry._planners.pop(f"{plan.__module__}.{plan.__qualname__}")


def test_a_kind_declared_outside_notifications_is_recorded_and_sent(hello_kind):
    person = UserFactory(language="en")
    agency = AgencyFactory(short_name="Atelier")
    notification_record(
        kind="test_agency_hello",
        recipient=person,
        subject=agency,
        key=f"test_agency_hello:{person.pk}",
        context={"line": "A new service opens."},
    )

    assert sending.notifications_dispatch(seconds=10) == 1
    [message] = mail.outbox
    assert message.subject == "Hello from Atelier"
    assert "A new service opens." in message.body
    assert len(hello_kind) == 1  # the beat ran the app's planner too
    notice = Notification.objects.get()
    assert (notice.get_kind_display(), notice.subject) == ("Hello from an agency", agency)


def test_a_notice_about_a_deleted_object_is_skipped_not_failed(hello_kind):
    agency = AgencyFactory()
    notification_record(
        kind="test_agency_hello",
        recipient=UserFactory(),
        subject=agency,
        key="test_agency_hello:gone",
        context={"line": "—"},
    )
    Agency.objects.filter(pk=agency.pk).delete()

    sending.notifications_dispatch(seconds=10)

    assert mail.outbox == []
    assert Notification.objects.get().state == "skipped"


def test_a_kind_no_app_declares_is_refused_at_once():
    with pytest.raises(ImproperlyConfigured):
        notification_record(kind="no_such_kind", recipient=UserFactory(), key="x")


def test_two_apps_cannot_declare_the_same_kind():
    with pytest.raises(ImproperlyConfigured):
        registry.notice("booking_confirmed", "Again")(lambda n: None)


def test_every_app_declares_its_own_kinds():
    owners = {kind.code: kind.build.__module__.split(".")[0] for kind in registry.kinds()}
    assert owners["booking_reminder"] == "permanences"
    assert owners["need_routed"] == "needs"
    assert owners["survey_invitation"] == "surveys"
    assert "notifications" not in owners.values()


def test_a_planner_row_names_its_subject_generically():
    agency = AgencyFactory()
    row = notification_row(kind="need_routed", recipient_id=1, key="k", subject=agency)
    assert (row.subject_type.model_class(), row.subject_id) == (Agency, agency.pk)
