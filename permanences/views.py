import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import active_advisor_or_404, role_required
from accounts.models import Role
from common.dates import day_start

from . import services
from .forms import AttendanceForm, BookingForm, CancelForm, SlotFilterForm
from .ics import booking_ics, feed_ics
from .models import Booking, CalendarFeed, Slot
from .selectors import (
    SLOT_LIST_PAGE,
    SlotFilters,
    advisor_slots,
    bookings_for_user,
    group_by_day,
    slot_cursor,
    slot_filter_choices,
    slot_list_upcoming,
    slot_page,
)


def slot_list(request: HttpRequest) -> HttpResponse:
    form = SlotFilterForm(request.GET or None)
    filters = form.filters() if request.GET else SlotFilters()
    rows = slot_page(filters=filters)
    more = len(rows) > SLOT_LIST_PAGE
    rows = rows[:SLOT_LIST_PAGE]
    next_query = None
    if more:
        query = request.GET.copy()
        query["after"] = slot_cursor(starts_at=rows[-1]["starts_at"], pk=rows[-1]["pk"])
        next_query = query.urlencode()
    context = {
        "form": form,
        "days": group_by_day(rows),
        "next_query": next_query,
        "appending": bool(filters.after),
    }
    if not request.htmx:
        context["choices"] = slot_filter_choices()
    if request.htmx:
        template = (
            "permanences/_slot_page.html" if filters.after else "permanences/_slot_results.html"
        )
    else:
        template = "permanences/slot_list.html"
    return render(request, template, context)


def _bookable_slot(pk: int) -> Slot:
    return get_object_or_404(
        Slot.objects.select_related("agency", "incubator", "schedule").prefetch_related(
            "schedule__languages"
        ),
        pk=pk,
    )


@login_required
def booking_create(request: HttpRequest, slot_pk: int) -> HttpResponse:
    slot = _bookable_slot(slot_pk)
    form = BookingForm(request.POST or None, slot=slot, user_language=request.user.language)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            booking = services.booking_create(
                slot_id=slot.pk, user=request.user, **form.cleaned_data
            )
        except services.BookingRefused as exc:
            refusal = exc
        else:
            return redirect("permanences:booking_detail", pk=booking.pk)
    status = 409 if refusal and refusal.code == "taken" else 200
    return render(
        request,
        "permanences/booking_form.html",
        {"slot": slot, "form": form, "refusal": refusal},
        status=status,
    )


def _own_booking(request: HttpRequest, pk: int) -> Booking:
    return get_object_or_404(
        Booking.objects.select_related(
            "slot__agency", "slot__incubator", "slot__schedule", "category", "company"
        ),
        pk=pk,
        user=request.user,
    )


@login_required
def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _own_booking(request, pk)
    return render(
        request,
        "permanences/booking_detail.html",
        {"booking": booking, "cancel_form": CancelForm()},
    )


@login_required
def booking_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _own_booking(request, pk)
    response = HttpResponse(
        booking_ics(booking, language=translation.get_language()),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="permanence-{booking.pk}.ics"'
    return response


@login_required
def my_bookings(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    bookings = list(bookings_for_user(user=request.user))
    upcoming = sorted(
        (b for b in bookings if b.status == Booking.Status.CONFIRMED and b.ends_at > now),
        key=lambda b: b.starts_at,
    )
    past = [b for b in bookings if b not in upcoming]
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return render(
        request,
        "permanences/my_bookings.html",
        {"upcoming": upcoming, "past": past, "feed": feed, "cancel_form": CancelForm()},
    )


@require_POST
@login_required
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _own_booking(request, pk)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.booking_cancel(booking=booking, by=request.user, reason=reason)
    except services.BookingRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your booking is cancelled. The advisor has been told."))
    return redirect("permanences:my_bookings")


@login_required
def booking_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _own_booking(request, pk)
    if booking.status != Booking.Status.CONFIRMED:
        raise Http404
    if request.method == "POST":
        try:
            new = services.booking_reschedule(
                booking=booking, new_slot_id=int(request.POST.get("slot", 0)), by=request.user
            )
        except (services.BookingRefused, Slot.DoesNotExist) as exc:
            messages.error(
                request,
                str(exc) if isinstance(exc, services.BookingRefused) else _("Unknown slot."),
            )
        else:
            messages.success(request, _("Your booking has been moved."))
            return redirect("permanences:booking_detail", pk=new.pk)
    slots = [
        slot
        for slot in slot_list_upcoming(
            filters=SlotFilters(
                agency=booking.slot.agency.slug,
                date_to=timezone.localdate() + datetime.timedelta(days=60),
            )
        )
        if slot.pk != booking.slot_id
    ]
    return render(
        request,
        "permanences/booking_reschedule.html",
        {"booking": booking, "days": group_by_day(slots)},
    )


@require_POST
@login_required
def calendar_feed_renew(request: HttpRequest) -> HttpResponse:
    services.calendar_feed_renew(user=request.user)
    messages.success(
        request, _("Your private calendar address is ready. Any older one no longer works.")
    )
    return redirect(request.POST.get("next") or "permanences:my_bookings")


@require_POST
@login_required
def calendar_feed_revoke(request: HttpRequest) -> HttpResponse:
    services.calendar_feed_revoke(user=request.user)
    messages.success(request, _("Your private calendar address no longer works."))
    return redirect(request.POST.get("next") or "permanences:my_bookings")


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token)
    user = feed.user
    since = timezone.now() - datetime.timedelta(days=90)
    bookings = bookings_for_user(user=user).filter(
        starts_at__gte=since, status__in=Booking.ACTIVE_STATUSES
    )
    slots = []
    advisor = getattr(user, "advisor_profile", None)
    if advisor and advisor.is_active:
        slots = advisor_slots(
            advisor=advisor, start=since, end=timezone.now() + datetime.timedelta(days=365)
        )
    body = feed_ics(bookings=bookings, slots=slots, name="hub.eu", language=user.language)
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


# --- Advisors ---------------------------------------------------------------------------


@role_required(Role.ADVISOR)
def advisor_permanences(request: HttpRequest) -> HttpResponse:
    advisor = active_advisor_or_404(request)
    today = timezone.localdate()
    start = day_start(today)
    weeks = min(max(int(request.GET.get("weeks", 3) or 3), 1), 12)
    slots = advisor_slots(advisor=advisor, start=start, end=start + datetime.timedelta(weeks=weeks))
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return render(
        request,
        "permanences/advisor_permanences.html",
        {
            "advisor": advisor,
            "days": group_by_day(slots),
            "weeks": weeks,
            "week_choices": [1, 3, 6],
            "feed": feed,
            "attendance_form": AttendanceForm(),
            "now": timezone.now(),
        },
    )


@require_POST
@role_required(Role.ADVISOR)
def advisor_mark_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    advisor = active_advisor_or_404(request)
    booking = get_object_or_404(Booking, pk=pk, slot__agency=advisor.agency)
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose attended or no-show."))
    else:
        try:
            services.booking_mark_attendance(
                booking=booking,
                attended=form.cleaned_data["attended"],
                outcome=form.cleaned_data["outcome"],
                by=request.user,
            )
        except services.BookingRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("Attendance saved for %(person)s.") % {"person": booking.user}
            )
    return redirect("permanences:advisor_permanences")
