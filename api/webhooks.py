"""The events an agency's endpoints can receive, and how each is recorded.

The apps below tell what happens through their signals (permanences.signals,
needs.signals, surveys.signals), inside the transaction of the change. Here each becomes
one delivery per subscribed endpoint of the agency concerned, in that same transaction:
a change that is rolled back sends nothing, and a change that commits is sent, whatever
happens to the broker (api.delivery sends them). The body is the object as the API shows
it (the same serializers, so the same consent rules), taken at the moment of the change.
"""

import json
import uuid
from functools import partial

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from needs.models import RoutedNeed
from needs.selectors import ROUTED_NEED_RELATED
from permanences.models import Booking

from .events import (
    BOOKING_ATTENDANCE,
    BOOKING_CANCELLED,
    BOOKING_CREATED,
    BOOKING_RESCHEDULED,
    NEED_CHANGED,
    NEED_ROUTED,
    NEED_UNSHARED,
    SURVEY_ANSWERED,
)
from .models import WebhookDelivery, WebhookEndpoint
from .serializers import BookingSerializer, RoutedNeedSerializer


def _json(data) -> dict:
    """Plain JSON values (DRF's dates, decimals and lazy strings, as the API writes them)."""
    return json.loads(JSONRenderer().render(data))


def _enqueue(pks: list[int]) -> None:
    from .delivery import deliveries_enqueue

    deliveries_enqueue(pks=pks)


def webhook_record(
    *, event: str, agency_id: int, data: dict, person_id: int | None = None
) -> list[WebhookDelivery]:
    """Record `event` for every active endpoint of the agency that asked for it; call it
    inside the transaction of the change. Returns the deliveries (none: nobody listens)."""
    endpoints = [endpoint for endpoint in _subscribed(agency_id) if event in endpoint.events]
    if not endpoints:
        return []
    event_id = uuid.uuid4()
    body = {
        "id": str(event_id),
        "type": event,
        "created_at": timezone.localtime().isoformat(),
        "data": _json(data),
    }
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            endpoint=endpoint, event=event, event_id=event_id, payload=body, person_id=person_id
        )
        for endpoint in endpoints
    )
    pks = [d.pk for d in deliveries if d.pk is not None]
    if not pks:  # a backend that does not return the new keys
        pks = list(WebhookDelivery.objects.filter(event_id=event_id).values_list("pk", flat=True))
    transaction.on_commit(partial(_enqueue, pks))
    return deliveries


def _subscribed(agency_id: int):
    """The agency's endpoints that receive events: the active ones, and those stopped
    after failures, for which what happens waits until they are started again (one the
    agency switched off itself receives nothing)."""
    return WebhookEndpoint.objects.filter(
        Q(is_active=True) | Q(disabled_at__isnull=False), agency_id=agency_id
    )


def _listening(agency_id: int) -> bool:
    return _subscribed(agency_id).exists()


# --- Needs ------------------------------------------------------------------------------


def _routed_data(routed: RoutedNeed, **extra) -> tuple[dict, int]:
    routed = RoutedNeed.objects.select_related(*ROUTED_NEED_RELATED).get(pk=routed.pk)
    return {**RoutedNeedSerializer(routed).data, **extra}, routed.need.user_id


def on_need_routed(sender, *, routed: RoutedNeed, **kwargs) -> None:
    if not _listening(routed.agency_id):
        return
    data, person = _routed_data(routed)
    webhook_record(event=NEED_ROUTED, agency_id=routed.agency_id, data=data, person_id=person)


def on_need_changed(sender, *, routed: RoutedNeed, change: str, **kwargs) -> None:
    if not routed.shared or not _listening(routed.agency_id):
        return
    data, person = _routed_data(routed, change=change)
    webhook_record(event=NEED_CHANGED, agency_id=routed.agency_id, data=data, person_id=person)


def on_need_unshared(sender, *, routed_ids: list[int], **kwargs) -> None:
    """Nothing of the need itself: only which one to delete."""
    for pk, agency_id in RoutedNeed.objects.filter(pk__in=routed_ids).values_list(
        "pk", "agency_id"
    ):
        webhook_record(event=NEED_UNSHARED, agency_id=agency_id, data={"id": pk})


# --- Bookings ---------------------------------------------------------------------------


def _booking_event(event: str, booking: Booking, **extra) -> None:
    agency_id = booking.slot.agency_id
    if not _listening(agency_id):
        return
    booking = Booking.objects.select_related("slot__incubator", "category", "user", "company").get(
        pk=booking.pk
    )
    data = {**BookingSerializer(booking).data, **extra}
    person = booking.user_id if booking.consent_share_profile else None
    webhook_record(event=event, agency_id=agency_id, data=data, person_id=person)


def on_booking_made(sender, *, booking: Booking, **kwargs) -> None:
    _booking_event(BOOKING_CREATED, booking)


def on_booking_rescheduled(sender, *, booking: Booking, previous: Booking, **kwargs) -> None:
    """The new booking, with the one it replaces; moved to another agency's slot, the
    first agency hears of a cancellation instead."""
    _booking_event(BOOKING_RESCHEDULED, booking, previous_booking=previous.pk)
    if previous.slot.agency_id != booking.slot.agency_id:
        _booking_event(BOOKING_CANCELLED, previous)


def on_booking_cancelled(sender, *, booking: Booking, **kwargs) -> None:
    _booking_event(BOOKING_CANCELLED, booking)


def on_booking_marked(sender, *, booking: Booking, **kwargs) -> None:
    _booking_event(BOOKING_ATTENDANCE, booking)


# --- Surveys ----------------------------------------------------------------------------


def on_response_submitted(sender, *, response, **kwargs) -> None:
    """That a survey about the agency was answered, and nothing of the answers: results
    before and after one response would give that person's answers away. The agency reads
    the results, above the site's anonymity threshold, from /api/v1/surveys/results/."""
    if not response.agency_id or not _listening(response.agency_id):
        return
    data = {
        "survey": response.survey_id,
        "answered_on": timezone.localdate(response.submitted_at).isoformat(),
    }
    webhook_record(event=SURVEY_ANSWERED, agency_id=response.agency_id, data=data)


def connect() -> None:
    from needs.signals import need_changed, need_routed, need_unshared
    from permanences.signals import (
        booking_cancelled,
        booking_made,
        booking_marked,
        booking_rescheduled,
    )
    from surveys.signals import response_submitted

    for signal, receiver in [
        (need_routed, on_need_routed),
        (need_changed, on_need_changed),
        (need_unshared, on_need_unshared),
        (booking_made, on_booking_made),
        (booking_rescheduled, on_booking_rescheduled),
        (booking_cancelled, on_booking_cancelled),
        (booking_marked, on_booking_marked),
        (response_submitted, on_response_submitted),
    ]:
        signal.connect(receiver, dispatch_uid=f"api-webhooks-{receiver.__name__}")
