import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import active_advisor_or_404, role_required
from accounts.models import Role
from common.dates import day_start
from common.ratelimit import rate_limited
from incubators.selectors import membership_states

from . import services
from .forms import AttendanceForm, BookingForm, CancelForm, RescheduleForm, SlotFilterForm
from .ics import booking_ics, calendar_links, feed_ics
from .models import Booking, CalendarFeed, Slot
from .selectors import (
    ADVISOR_PAST_DAYS,
    ATTENDANCE_MARKING_DAYS,
    SLOT_LIST_PAGE,
    SlotFilters,
    advisor_booking,
    advisor_slots,
    advisor_unmarked_bookings,
    attendance_marking_opens_after,
    booking_changes,
    bookings_for_user,
    earlier_bookings_with_agency,
    group_by_day,
    reschedule_candidates,
    slot_cursor,
    slot_filter_choices,
    slot_list_nav,
    slot_page,
)


def slot_list(request: HttpRequest) -> HttpResponse:
    form = SlotFilterForm(request.GET or None)
    filters = form.filters() if request.GET else SlotFilters()
    rows = slot_page(filters=filters, user=request.user)
    more = len(rows) > SLOT_LIST_PAGE
    rows = rows[:SLOT_LIST_PAGE]
    next_query = None
    if more:
        query = request.GET.copy()
        query["after"] = slot_cursor(starts_at=rows[-1]["starts_at"], pk=rows[-1]["pk"])
        next_query = query.urlencode()
    choices = slot_filter_choices()
    context = {
        "form": form,
        "days": group_by_day(rows),
        "next_query": next_query,
        "appending": bool(filters.after),
        "choices": choices,
        "nav": slot_list_nav(
            filters=filters, query=request.GET, choices=choices, today=timezone.localdate()
        ),
    }
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
@rate_limited("booking")
def booking_create(request: HttpRequest, slot_pk: int) -> HttpResponse:
    refusal = None
    if request.method == "POST":
        # The busiest write of the site: the answers are read without loading the slot,
        # which the service locks and checks anyway. The page is drawn only when the
        # answers or the booking are refused.
        answers = BookingForm(request.POST, slot=None)
        if answers.is_valid():
            try:
                booking = services.booking_create(
                    slot_id=slot_pk,
                    user=request.user,
                    offered_topics_only=True,
                    **answers.cleaned_data,
                )
            except services.BookingRefused as exc:
                refusal = exc
            else:
                messages.success(request, _("Your booking is confirmed."))
                return redirect("permanences:booking_detail", pk=booking.pk)
    slot = _bookable_slot(slot_pk)
    form = BookingForm(request.POST or None, slot=slot, user_language=request.user.language)
    if form.is_bound:
        form.is_valid()  # the answers' errors, against this slot's languages and topics
    status = 409 if refusal and refusal.code == "taken" else 200
    notice = datetime.timedelta(hours=slot.schedule.cancel_notice_hours)
    no_online_changes = timezone.now() > slot.starts_at - notice
    member_state = ""
    if slot.schedule.audience == slot.schedule.Audience.MEMBERS:
        member_state = membership_states(user=request.user).get(slot.incubator_id, "none")
    return render(
        request,
        "permanences/booking_form.html",
        {
            "slot": slot,
            "form": form,
            "refusal": refusal,
            "member_state": member_state,
            "no_online_changes": no_online_changes,
        },
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
    changes = []
    if booking.rescheduled_from_id:
        old = _own_booking(request, booking.rescheduled_from_id)
        changes = booking_changes(old=old, new=booking)
    return render(
        request,
        "permanences/booking_detail.html",
        {
            "booking": booking,
            "changes": changes,
            "cancel_until": booking.cancel_deadline,
            "now": timezone.now(),
            "calendar_links": calendar_links(booking) if booking.is_active else None,
        },
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
        {"upcoming": upcoming, "past": past, "feed": feed, "now": now},
    )


@login_required
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks first: what will be cancelled, a word for the advisor; or, past the notice the
    agency asks for, whom to contact instead."""
    booking = _own_booking(request, pk)
    if booking.status != Booking.Status.CONFIRMED:
        raise Http404
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.booking_cancel(
                booking=booking, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.BookingRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Your booking is cancelled. The advisor has been told."))
            return redirect("permanences:my_bookings")
    deadline = booking.cancel_deadline
    return render(
        request,
        "permanences/booking_cancel.html",
        {
            "booking": booking,
            "form": form,
            "deadline": deadline,
            "too_late": timezone.now() > deadline,
        },
    )


@login_required
@rate_limited("booking")
def booking_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _own_booking(request, pk)
    if booking.status != Booking.Status.CONFIRMED:
        raise Http404
    if timezone.now() > booking.cancel_deadline:
        return render(
            request, "permanences/booking_reschedule.html", {"booking": booking, "too_late": True}
        )
    error = None
    if request.method == "POST":
        form = RescheduleForm(request.POST)
        if not form.is_valid():
            error = _("Choose one of the times in the list.")
        else:
            try:
                new = services.booking_reschedule(
                    booking=booking, new_slot_id=form.cleaned_data["slot"], by=request.user
                )
            except services.BookingRefused as exc:
                error = str(exc)
            except Slot.DoesNotExist:
                error = _("This time is no longer available. Please choose another one.")
            else:
                messages.success(
                    request, _("Your booking has been moved. The advisor has been told.")
                )
                return redirect("permanences:booking_detail", pk=new.pk)
    same_kind = request.GET.get("all") != "1"
    options = reschedule_candidates(booking=booking, same_kind=same_kind)
    return render(
        request,
        "permanences/booking_reschedule.html",
        {
            "booking": booking,
            "same_kind": same_kind,
            "days": group_by_day(options),
            "error": error,
        },
        status=400 if error else 200,
    )


@require_POST
@login_required
def calendar_feed_renew(request: HttpRequest) -> HttpResponse:
    _feed, replaced = services.calendar_feed_renew(user=request.user)
    if replaced:
        message = _("Your private calendar address is renewed: the older one no longer works.")
    else:
        message = _("Your private calendar address is ready.")
    messages.success(request, message)
    return redirect(_back(request, "permanences:my_bookings"))


@require_POST
@login_required
def calendar_feed_revoke(request: HttpRequest) -> HttpResponse:
    services.calendar_feed_revoke(user=request.user)
    messages.success(request, _("Your private calendar address no longer works."))
    return redirect(_back(request, "permanences:my_bookings"))


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    if "\x00" in token:  # no token has one, and PostgreSQL refuses it in a query
        raise Http404
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
    """The advisor's agenda: the coming weeks, or (`?past=1`) the last 30 days, where
    meetings whose attendance is still to mark stand out."""
    advisor = active_advisor_or_404(request)
    now = timezone.now()
    today = timezone.localdate()
    past = request.GET.get("past") == "1"
    asked = request.GET.get("weeks", "")
    weeks = min(max(int(asked), 1), 12) if asked.isdigit() else 3
    if past:
        start = day_start(today - datetime.timedelta(days=ADVISOR_PAST_DAYS))
        slots = [
            slot
            for slot in advisor_slots(advisor=advisor, start=start, end=now).order_by("-starts_at")
            if any(b.status != Booking.Status.CANCELLED for b in slot.bookings.all())
        ]
    else:
        start = day_start(today)
        slots = advisor_slots(
            advisor=advisor, start=start, end=start + datetime.timedelta(weeks=weeks)
        )
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return render(
        request,
        "permanences/advisor_permanences.html",
        {
            "advisor": advisor,
            "days": group_by_day(slots),
            "past": past,
            "past_days": ADVISOR_PAST_DAYS,
            "unmarked_count": advisor_unmarked_bookings(advisor=advisor, now=now).count(),
            "marking_days": ATTENDANCE_MARKING_DAYS,
            "weeks": weeks,
            "week_choices": [1, 3, 6],
            "feed": feed,
            "attendance_form": AttendanceForm(),
            "now": now,
            "marking_since": attendance_marking_opens_after(now),
            "back": request.get_full_path(),
        },
    )


@role_required(Role.ADVISOR)
def advisor_booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One booking as the advisor prepares or follows it up: who, what about, their
    earlier bookings with the agency, attendance and outcome."""
    advisor = active_advisor_or_404(request)
    try:
        booking = advisor_booking(advisor=advisor, pk=pk)
    except Booking.DoesNotExist:
        raise Http404 from None
    now = timezone.now()
    return render(
        request,
        "permanences/advisor_booking.html",
        {
            "advisor": advisor,
            "booking": booking,
            "earlier": earlier_bookings_with_agency(booking=booking),
            "now": now,
            "marking_since": attendance_marking_opens_after(now),
            "marking_days": ATTENDANCE_MARKING_DAYS,
            "back": request.get_full_path(),
        },
    )


def _back(request: HttpRequest, default: str) -> str:
    """The page the form was sent from (its `next`), if it is a path on this site: never an
    open redirect to another one, nor a word that redirect() would take for a view name."""
    back = request.POST.get("next", "")
    if back.startswith("/") and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return back
    return reverse(default)


def _advisor_back(request: HttpRequest) -> str:
    """Back to the agenda page or booking page the form was sent from."""
    return _back(request, "permanences:advisor_permanences")


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
    return redirect(_advisor_back(request))
