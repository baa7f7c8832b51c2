"""Webhooks: recorded with the change, signed, delivered once to a real HTTP receiver,
retried with back-off, stopped after repeated failures with the agency told."""

import datetime
import json
import time

import pytest
from django.db import transaction
from django.utils import timezone

from api import delivery
from api.models import WebhookDelivery, WebhookEndpoint
from api.schema import SIGNATURE_CHECK
from api.services import webhook_register
from needs.services import need_set_consent, routed_need_acknowledge
from notifications.models import Notification
from permanences.services import booking_cancel, booking_mark_attendance
from tests.factories import AdvisorFactory
from tools.harness import WebhookReceiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    server = WebhookReceiver()
    yield server
    server.stop()


@pytest.fixture
def endpoint_for(receiver):
    def register(agency, events=("booking.created",)):
        endpoint = webhook_register(agency=agency, url=receiver.url, events=list(events))
        receiver.secret = endpoint.secret
        return endpoint

    return register


def _send_all() -> int:
    return delivery.deliveries_send_due(seconds=10)


def _due_now() -> None:
    """Jump over the back-off: what waits for a retry is due at once."""
    WebhookDelivery.objects.filter(state="pending").update(next_attempt_at=timezone.now())


def test_a_booking_made_on_the_site_reaches_the_webhook_once(
    client, make_slot, entrepreneur, category, receiver, endpoint_for
):
    slot = make_slot(days=3)
    endpoint_for(slot.agency)
    client.force_login(entrepreneur)
    response = client.post(
        f"/nl/permanences/slots/{slot.pk}/book/",
        {
            "category": category.pk,
            "topic": "Lening",
            "language": "fr",
            "consent_share_profile": "on",
        },
    )
    assert response.status_code == 302
    booking = entrepreneur.bookings.get()
    assert _send_all() == 1
    # The dispatcher's next ticks, and the task queued at commit running late, send
    # nothing more.
    assert _send_all() == 0
    assert (
        delivery.deliveries_send(pks=list(WebhookDelivery.objects.values_list("pk", flat=True)))
        == 0
    )
    assert receiver.events() == ["booking.created"]
    sent = receiver.received[0]
    assert sent["signed"] and sent["fresh"]
    assert sent["body"]["type"] == "booking.created"
    assert sent["body"]["id"] == sent["delivery"]
    data = sent["body"]["data"]
    assert (data["id"], data["topic"], data["status"]) == (booking.pk, "Lening", "confirmed")
    assert data["entrepreneur"]["email"] == entrepreneur.email
    row = WebhookDelivery.objects.get()
    assert (row.state, row.attempts, row.response_status) == ("delivered", 1, 200)
    assert row.response_body == "thanks"


def test_a_booking_without_consent_reaches_the_agency_without_the_person(
    make_slot, book, user, receiver, endpoint_for
):
    slot = make_slot()
    endpoint_for(slot.agency)
    book(slot, user, consent_share_profile=False)
    _send_all()
    data = receiver.received[0]["body"]["data"]
    assert (data["entrepreneur"], data["company"]) == (None, None)
    assert user.email not in receiver.received[0]["raw"].decode()
    assert WebhookDelivery.objects.get().person is None


def test_the_documented_python_check_accepts_a_real_delivery_and_refuses_forgeries(
    settings, make_slot, book, user, receiver, endpoint_for
):
    slot = make_slot()
    endpoint = endpoint_for(slot.agency)
    book(slot, user)
    _send_all()
    sent = receiver.received[0]
    namespace: dict = {}
    exec(SIGNATURE_CHECK.strip().strip("`").removeprefix("python"), namespace)  # noqa: S102
    verified = namespace["verified"]
    assert SIGNATURE_CHECK.strip() in (settings.BASE_DIR / "docs" / "webhooks.md").read_text()
    assert verified(endpoint.secret, sent["header"], sent["raw"])
    assert not verified(
        endpoint.secret, sent["header"], sent["raw"].replace(b"confirmed", b"cancelled")
    )
    assert not verified("whsec_another", sent["header"], sent["raw"])
    old = int(time.time()) - 3600
    replayed = delivery.sign(secret=endpoint.secret, timestamp=old, body=sent["raw"])
    assert not verified(endpoint.secret, replayed, sent["raw"])


def test_a_receiver_answering_500_gets_retries_with_back_off_and_each_answer_is_recorded(
    make_slot, book, user, receiver, endpoint_for
):
    slot = make_slot()
    endpoint_for(slot.agency)
    receiver.answers = [500, 503]
    book(slot, user)
    before = timezone.now()
    assert _send_all() == 0
    row = WebhookDelivery.objects.get()
    assert (row.state, row.attempts, row.response_status) == ("pending", 1, 500)
    assert row.response_body == "database is down" and row.last_error == "HTTP 500"
    assert before + datetime.timedelta(seconds=55) < row.next_attempt_at
    assert _send_all() == 0  # not due yet: the back-off holds
    _due_now()
    assert _send_all() == 0
    row.refresh_from_db()
    assert (row.attempts, row.response_status) == (2, 503)
    assert row.next_attempt_at > timezone.now() + datetime.timedelta(seconds=110)  # 2 minutes
    _due_now()
    assert _send_all() == 1
    row.refresh_from_db()
    assert (row.state, row.attempts, row.response_status, row.last_error) == (
        "delivered",
        3,
        200,
        "",
    )
    # The same event each time: the receiver can tell it already has it.
    assert len({r["delivery"] for r in receiver.received}) == 1
    assert len(receiver.received) == 3


def test_an_endpoint_failing_again_and_again_is_stopped_the_agency_told_and_nothing_lost(
    settings, make_slot, book, user, receiver, endpoint_for, mailoutbox
):
    settings.WEBHOOKS_MAX_ATTEMPTS = 2
    settings.WEBHOOKS_DISABLE_AFTER = 2
    slot = make_slot()
    advisor = AdvisorFactory(agency=slot.agency)
    endpoint = endpoint_for(slot.agency, events=["booking.created", "booking.cancelled"])
    receiver.answers = [500] * 4
    booking = book(slot, user)
    booking_cancel(booking=booking, by=user, reason="")
    for _ in range(2):
        _send_all()
        _due_now()
    endpoint.refresh_from_db()
    assert (endpoint.is_active, endpoint.failures) == (False, 2)
    assert endpoint.disabled_at is not None
    assert list(WebhookDelivery.objects.values_list("state", flat=True)) == ["failed", "failed"]
    told = Notification.objects.filter(kind="webhook_stopped")
    assert list(told.values_list("recipient", flat=True)) == [advisor.user_id]
    # While it is stopped, what happens waits for it.
    book(make_slot(days=4, agency=slot.agency), user)
    assert _send_all() == 0
    assert len(receiver.received) == 4
    # Started again (the receiver answers now): what waited is sent, then the failed
    # ones from the log.
    delivery.endpoint_restart(endpoint=endpoint)
    assert _send_all() == 1
    assert (
        delivery.deliveries_resend(
            pks=list(WebhookDelivery.objects.filter(state="failed").values_list("pk", flat=True))
        )
        == 2
    )
    assert _send_all() == 2
    assert receiver.events()[-3:].count("booking.created") == 2
    assert set(WebhookDelivery.objects.values_list("state", flat=True)) == {"delivered"}


def test_an_endpoint_receives_only_its_agencys_events_and_only_those_it_chose(
    two_agencies, make_slot, book, user, need_routed_to, receiver, endpoint_for
):
    impulse, innoviris = two_agencies
    endpoint_for(impulse, events=["need.routed"])
    need_routed_to(innoviris)
    book(make_slot(agency=impulse), user)  # booking.created: not chosen
    routed = need_routed_to(impulse)
    _send_all()
    assert receiver.events() == ["need.routed"]
    data = receiver.received[0]["body"]["data"]
    assert data["id"] == routed.pk and data["need"]["description"] == "Looking for a loan"


def test_a_need_changed_then_unshared_tells_the_agency_to_drop_it(
    two_agencies, need_routed_to, receiver, endpoint_for
):
    impulse, _innoviris = two_agencies
    endpoint_for(impulse, events=["need.changed", "need.unshared"])
    routed = need_routed_to(impulse)
    advisor = AdvisorFactory(agency=impulse)
    routed_need_acknowledge(routed=routed, by=advisor.user, note="We call you Monday")
    need_set_consent(need=routed.need, consent=False, by=routed.need.user)
    _send_all()
    assert receiver.events() == ["need.changed", "need.unshared"]
    changed, unshared = (r["body"]["data"] for r in receiver.received)
    assert (changed["status"], changed["change"]) == ("acknowledged", "status")
    assert unshared == {"id": routed.pk}


def test_attendance_cancellation_and_survey_answers_are_sent_without_the_answers(
    make_slot, book, user, receiver, endpoint_for
):
    from surveys.defaults import standard_survey_create
    from surveys.models import Invitation, Question, Survey
    from surveys.services import Answered, response_submit

    standard_survey_create(kind=Survey.Kind.AFTER_BOOKING)
    slot = make_slot()
    events = ["booking.attendance", "booking.cancelled", "survey.answered"]
    endpoint_for(slot.agency, events=events)
    advisor = AdvisorFactory(agency=slot.agency)
    booking = book(slot, user)
    later = booking.ends_at + datetime.timedelta(minutes=5)
    booking_mark_attendance(
        booking=booking, attended=True, outcome="Loan file started", by=advisor.user, now=later
    )
    invitation = Invitation.objects.get(user=user)
    rating = Question.objects.filter(section__survey=invitation.survey, kind="rating").first()
    response_submit(invitation=invitation, answers=[Answered(question=rating, number=2)])
    other = book(make_slot(days=4, agency=slot.agency), user)
    booking_cancel(booking=other, by=user, reason="")
    _send_all()
    assert receiver.events() == ["booking.attendance", "survey.answered", "booking.cancelled"]
    marked, answered, cancelled = (r["body"]["data"] for r in receiver.received)
    assert (marked["status"], marked["outcome"]) == ("attended", "Loan file started")
    assert set(answered) == {"survey", "answered_on"}
    assert (cancelled["id"], cancelled["status"]) == (other.pk, "cancelled")


def test_a_change_rolled_back_sends_nothing(make_slot, book, user, endpoint_for):
    slot = make_slot()
    endpoint_for(slot.agency)
    with pytest.raises(RuntimeError), transaction.atomic():
        book(slot, user)
        raise RuntimeError("the request failed after booking")
    assert not WebhookDelivery.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "http://crm.example.org/hook",
        "https://127.0.0.1/hook",
        "https://10.1.2.3/hook",
        "https://[::1]/",
    ],
)
def test_production_refuses_endpoints_on_http_or_private_networks(
    api, settings, two_agencies, token_for, url
):
    settings.WEBHOOKS_ALLOW_LOCAL = False
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(two_agencies[0], scope='write')}")
    response = api.post(
        "/api/v1/webhooks/",
        {"url": url, "events": ["need.routed"]},
        format="json",
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 400
    assert "url" in response.json()
    assert not WebhookEndpoint.objects.exists()


def test_a_delivery_to_an_address_that_became_private_is_refused_not_sent(
    settings, make_slot, book, user, receiver, endpoint_for
):
    slot = make_slot()
    endpoint_for(slot.agency)
    book(slot, user)
    settings.WEBHOOKS_ALLOW_LOCAL = False
    assert _send_all() == 0
    row = WebhookDelivery.objects.get()
    assert row.last_error.startswith("Address refused") and receiver.received == []


def test_an_agency_registers_tries_and_reads_its_endpoint_through_the_api(
    api, two_agencies, token_for, receiver
):
    impulse, _ = two_agencies
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(impulse, scope='write')}")
    created = api.post(
        "/api/v1/webhooks/",
        {"url": receiver.url, "events": ["need.routed", "booking.created"], "description": "CRM"},
        format="json",
    )
    assert created.status_code == 201
    body = created.json()
    assert body["secret"].startswith("whsec_") and body["events"] == [
        "booking.created",
        "need.routed",
    ]
    receiver.secret = body["secret"]
    shown = api.get(f"/api/v1/webhooks/{body['id']}/").json()
    assert "secret" not in shown
    assert api.post(f"/api/v1/webhooks/{body['id']}/ping/").status_code == 202
    _send_all()
    assert receiver.events() == ["ping"] and receiver.received[0]["signed"]
    log = api.get(f"/api/v1/webhooks/{body['id']}/deliveries/").json()["results"]
    assert [(d["event"], d["state"], d["response_status"]) for d in log] == [
        ("ping", "delivered", 200)
    ]
    resent = api.post(f"/api/v1/webhooks/{body['id']}/deliveries/{log[0]['id']}/resend/")
    assert resent.status_code == 202 and resent.json()["state"] == "pending"
    wrong = api.patch(
        f"/api/v1/webhooks/{body['id']}/", {"events": ["nothing.like.this"]}, format="json"
    )
    assert wrong.status_code == 400
    assert api.delete(f"/api/v1/webhooks/{body['id']}/").status_code == 204
    assert not WebhookEndpoint.objects.exists()


def test_starting_a_stopped_endpoint_through_the_api_sends_what_waited(
    api, two_agencies, token_for, receiver, endpoint_for, need_routed_to
):
    impulse, _ = two_agencies
    endpoint = endpoint_for(impulse, events=["need.routed"])
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        is_active=False, failures=5, disabled_at=timezone.now()
    )
    need_routed_to(impulse)
    assert _send_all() == 0
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(impulse, scope='write')}")
    answer = api.patch(f"/api/v1/webhooks/{endpoint.pk}/", {"is_active": True}, format="json")
    assert answer.status_code == 200
    assert (answer.json()["is_active"], answer.json()["failures"]) == (True, 0)
    assert _send_all() == 1 and receiver.events() == ["need.routed"]


def test_the_coordinator_registers_an_endpoint_in_the_admin_and_sees_the_secret_once(
    admin_client, two_agencies, receiver
):
    impulse, _ = two_agencies
    page = admin_client.post(
        "/en/admin/api/webhookendpoint/add/",
        {"agency": impulse.pk, "url": receiver.url, "events": ["need.routed"], "is_active": "on"},
        follow=True,
    )
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret in page.content.decode()
    again = admin_client.get(f"/en/admin/api/webhookendpoint/{endpoint.pk}/change/")
    assert endpoint.secret not in again.content.decode()


def test_the_delivery_log_shows_the_answer_and_sends_one_again(
    admin_client, make_slot, book, user, receiver, endpoint_for
):
    slot = make_slot()
    endpoint_for(slot.agency)
    receiver.answers = [500]
    book(slot, user)
    _send_all()
    row = WebhookDelivery.objects.get()
    page = admin_client.get(f"/en/admin/api/webhookdelivery/{row.pk}/change/").content.decode()
    assert "database is down" in page and "booking.created" in page
    admin_client.post(
        "/en/admin/api/webhookdelivery/",
        {"action": "send_again", "_selected_action": [row.pk]},
    )
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("pending", 0)
    assert _send_all() == 1


def test_erasing_the_person_erases_what_webhooks_carried_and_tells_the_cancellation_blank(
    make_slot, book, user, endpoint_for
):
    from accounts.privacy import user_erase

    slot = make_slot()
    endpoint_for(slot.agency, events=["booking.created", "booking.cancelled"])
    booking = book(slot, user)
    address = user.email
    user_erase(user=user)
    made = WebhookDelivery.objects.get(event="booking.created")
    assert (made.state, made.payload) == ("failed", {})
    # The agency's system hears that the coming booking is cancelled, and nothing more.
    cancelled = WebhookDelivery.objects.get(event="booking.cancelled")
    data = cancelled.payload["data"]
    assert (data["id"], data["status"], data["entrepreneur"], data["topic"]) == (
        booking.pk,
        "cancelled",
        None,
        "",
    )
    assert address not in json.dumps(cancelled.payload)


def test_retention_blanks_old_delivery_bodies_and_answers(
    settings, make_slot, book, user, receiver, endpoint_for
):
    from accounts.privacy import personal_data_purge

    settings.PERSONAL_DATA_RETENTION_DAYS = {"webhook_deliveries": 30}
    slot = make_slot()
    endpoint_for(slot.agency)
    book(slot, user)
    book(make_slot(days=4, agency=slot.agency), user)
    _send_all()
    old, recent = WebhookDelivery.objects.order_by("pk")
    WebhookDelivery.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    assert personal_data_purge()["webhook_deliveries"] == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.payload, old.response_body) == ({}, "")
    assert recent.payload["type"] == "booking.created" and recent.response_body == "thanks"


def test_a_booking_moved_tells_the_new_slot_and_the_one_it_replaces(
    make_slot, book, user, receiver, endpoint_for
):
    from permanences.services import booking_reschedule

    slot = make_slot()
    endpoint_for(slot.agency, events=["booking.rescheduled", "booking.cancelled"])
    booking = book(slot, user)
    moved = booking_reschedule(
        booking=booking, new_slot_id=make_slot(days=4, agency=slot.agency).pk, by=user
    )
    _send_all()
    assert receiver.events() == ["booking.rescheduled"]  # not also a cancellation
    data = receiver.received[0]["body"]["data"]
    assert (data["id"], data["previous_booking"], data["status"]) == (
        moved.pk,
        booking.pk,
        "confirmed",
    )


def test_a_booking_moved_to_another_agency_is_a_cancellation_for_the_first(
    two_agencies, make_slot, book, user, receiver, endpoint_for
):
    from permanences.services import booking_reschedule

    impulse, innoviris = two_agencies
    endpoint_for(impulse, events=["booking.rescheduled", "booking.cancelled"])
    booking = book(make_slot(agency=impulse), user)
    booking_reschedule(booking=booking, new_slot_id=make_slot(days=4, agency=innoviris).pk, by=user)
    _send_all()
    assert receiver.events() == ["booking.cancelled"]
    data = receiver.received[0]["body"]["data"]
    assert (data["id"], data["status"]) == (booking.pk, "cancelled")


def test_the_coordinator_starts_a_stopped_endpoint_again_from_its_page_or_the_list(
    admin_client, two_agencies, receiver, endpoint_for, need_routed_to
):
    impulse, _ = two_agencies
    endpoint = endpoint_for(impulse, events=["need.routed"])
    stopped = {"is_active": False, "failures": 5, "disabled_at": timezone.now()}
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(**stopped)
    need_routed_to(impulse)
    listing = admin_client.get("/nl/admin/api/webhookendpoint/").content.decode()
    assert "gestopt na mislukkingen op" in listing
    form = {
        "url": endpoint.url,
        "description": "",
        "events": ["need.routed"],
        "is_active": "on",
    }
    admin_client.post(f"/en/admin/api/webhookendpoint/{endpoint.pk}/change/", form)
    endpoint.refresh_from_db()
    assert (endpoint.is_active, endpoint.failures, endpoint.disabled_at) == (True, 0, None)
    assert _send_all() == 1 and receiver.events() == ["need.routed"]
    again = admin_client.post(
        "/fr/admin/api/webhookendpoint/",
        {"action": "start_again", "_selected_action": [endpoint.pk]},
        follow=True,
    )
    assert "Les destinations sélectionnées fonctionnaient déjà." in again.content.decode()
    log = admin_client.get("/fr/admin/api/webhookdelivery/")
    assert log.status_code == 200 and "need.routed" in log.content.decode()
