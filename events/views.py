"""The public agenda, an event's page, registering, the ticket and the waiting-list offer.

The ticket's token is its key: the ticket page, its cancel and the offer's accept or
decline links work from the email without signing in (guests have no account)."""

import segno
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.ratelimit import rate_limited

from . import services
from .forms import EventFilterForm, RegistrationForm
from .ics import event_ics, event_place, events_feed_ics
from .models import Event, Registration
from .notices import checkin_url
from .selectors import EventFilters, event_public, events_published, events_upcoming


def event_list(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or None)
    filters = EventFilters()
    if form.is_valid():
        filters = EventFilters(**form.cleaned_data)
    events = list(events_upcoming(filters=filters)[:100])
    for event in events:
        event.places_left = max(event.capacity - event.held, 0)
    return render(request, "events/event_list.html", {"form": form, "events": events})


def _detail_context(request: HttpRequest, event: Event, form: RegistrationForm | None) -> dict:
    window = services.registration_window(event)
    left = services.places_left(event)
    waiting = services.waitlist_length(event)
    mine = services.active_registration(event, request.user)
    may = services.user_may_register(event, request.user)
    guest = not request.user.is_authenticated
    if form is None and window == services.WindowState.OPEN and may and mine is None:
        form = RegistrationForm(event=event, guest=guest)
    sessions = list(event.sessions.all())
    return {
        "event": event,
        "sessions": sessions,
        "place": event_place(event),
        "window": window,
        "places_left": left,
        "full": left == 0 or waiting > 0,
        "waitlist_length": waiting,
        "mine": mine,
        "may_register": may,
        "form": form,
        "og_url": request.build_absolute_uri(event.get_absolute_url()),
    }


def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_public(slug)
    if event is None:
        raise Http404
    return render(request, "events/event_detail.html", _detail_context(request, event, None))


@require_POST
@rate_limited("event_registration")
def event_register(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_public(slug)
    if event is None:
        raise Http404
    guest = not request.user.is_authenticated
    form = RegistrationForm(request.POST, event=event, guest=guest)
    refusal = None
    if form.is_valid():
        try:
            registration = services.registration_create(
                event_id=event.pk,
                user=request.user if not guest else None,
                guest_name=form.cleaned_data.get("guest_name", ""),
                guest_email=form.cleaned_data.get("guest_email", ""),
                language=translation.get_language() or "fr",
                answers=form.answers(),
            )
        except services.RegistrationError as exc:
            refusal = exc
        else:
            return redirect("events:ticket", token=registration.token)
    context = _detail_context(request, event, form)
    context["refusal"] = refusal
    return render(
        request, "events/event_detail.html", context, status=200 if refusal is None else 409
    )


def event_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_public(slug)
    if event is None:
        raise Http404
    response = HttpResponse(
        event_ics(event, language=translation.get_language()), content_type="text/calendar"
    )
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


def events_feed(request: HttpRequest) -> HttpResponse:
    """The published events (past ones for 90 days), for calendar apps to subscribe to
    (no language prefix: the feed speaks the language of ?lang=, French by default)."""
    language = request.GET.get("lang", "fr")
    if language not in {"fr", "nl", "en"}:
        language = "fr"
    with translation.override(language):
        body = events_feed_ics(events_published(), language=language)
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


# --- The ticket (by its token) -------------------------------------------------------------


def _by_token(token: str) -> Registration:
    return get_object_or_404(
        Registration.objects.select_related("event__venue", "user"), token=token
    )


def ticket(request: HttpRequest, token: str) -> HttpResponse:
    registration = _by_token(token)
    event = registration.event
    qr = ""
    if registration.status == Registration.Status.CONFIRMED:
        qr = segno.make(checkin_url(registration), error="m").svg_inline(
            scale=6, border=2, title=_("QR code of your ticket"), svgclass="qr-code img-fluid"
        )
    return render(
        request,
        "events/ticket.html",
        {
            "registration": registration,
            "event": event,
            "sessions": list(event.sessions.all()),
            "place": event_place(event),
            "qr": qr,
            "now": timezone.now(),
        },
    )


def ticket_cancel(request: HttpRequest, token: str) -> HttpResponse:
    registration = _by_token(token)
    if request.method == "POST":
        services.registration_cancel(registration_id=registration.pk)
        messages.success(request, _("Your registration is cancelled."))
        return redirect("events:ticket", token=token)
    if not registration.is_active:
        return redirect("events:ticket", token=token)
    return render(request, "events/ticket_cancel.html", {"registration": registration})


def offer_accept(request: HttpRequest, token: str) -> HttpResponse:
    registration = _by_token(token)
    if request.method == "POST":
        try:
            services.registration_offer_accept(registration_id=registration.pk)
        except services.RegistrationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The place is yours."))
        return redirect("events:ticket", token=token)
    return render(request, "events/offer.html", {"registration": registration, "accept": True})


def offer_decline(request: HttpRequest, token: str) -> HttpResponse:
    registration = _by_token(token)
    if request.method == "POST":
        services.registration_offer_decline(registration_id=registration.pk)
        messages.success(request, _("Thank you: the place goes to the next person in line."))
        return redirect("events:ticket", token=token)
    return render(request, "events/offer.html", {"registration": registration, "accept": False})


def guest_confirm(request: HttpRequest, signed: str) -> HttpResponse:
    """The link of a guest's confirmation email. A page with a button (a POST), so a mail
    scanner that follows links does not confirm in the person's stead."""
    if request.method == "POST":
        try:
            registration = services.registration_confirm_email(signed=signed)
        except services.RegistrationError as exc:
            return render(request, "events/guest_confirm.html", {"refusal": exc}, status=400)
        return redirect("events:ticket", token=registration.token)
    return render(request, "events/guest_confirm.html", {"refusal": None})
