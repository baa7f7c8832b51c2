"""The organiser's pages of an event: registrations (approve, refuse, export, write to
all), check-in at the door (a ticket's QR code or a name search, made for a phone) and
the attendance list.

Only the event's staff (checkin.managed_events) reach them; anyone else gets a 404, so a
ticket's check-in address tells a stranger nothing.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max, Min
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from accounts.privacy import personal_data_log
from common.csv import csv_response
from common.ratelimit import rate_limited
from common.xlsx import xlsx_response

from . import services
from .checkin import (
    NotCheckable,
    checkin_search,
    event_attendance,
    event_bounds,
    managed_events,
    registration_by_token,
    registration_check_in,
    registration_check_in_undo,
)
from .exports import export_filename, registrations_table
from .models import Event, Registration
from .operations import Audience, registrants_message

STATUS_ORDER = [
    Registration.Status.PENDING_APPROVAL,
    Registration.Status.CONFIRMED,
    Registration.Status.OFFERED,
    Registration.Status.WAITLISTED,
    Registration.Status.PENDING_EMAIL,
    Registration.Status.CANCELLED,
    Registration.Status.REFUSED,
    Registration.Status.EXPIRED,
]


def _event_or_404(request: HttpRequest, slug: str) -> Event:
    return get_object_or_404(managed_events(request.user), slug=slug)


def _registration_or_404(request: HttpRequest, event: Event, pk: int) -> Registration:
    return get_object_or_404(event.registrations.select_related("user"), pk=pk)


@login_required
def organiser_events(request: HttpRequest) -> HttpResponse:
    """The events this person manages, the coming ones first."""
    events = list(
        managed_events(request.user)
        .annotate(first=Min("sessions__starts_at"), last=Max("sessions__ends_at"))
        .order_by("-first", "-pk")
    )
    ids = [event.pk for event in events]
    counts = dict(
        Registration.objects.filter(event_id__in=ids, status=Registration.Status.CONFIRMED)
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values_list("event", "n")
    )
    waiting = dict(
        Registration.objects.filter(event_id__in=ids, status=Registration.Status.PENDING_APPROVAL)
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values_list("event", "n")
    )
    rows = [(event, counts.get(event.pk, 0), waiting.get(event.pk, 0)) for event in events]
    if not rows and not request.user.is_coordinator:
        raise Http404
    return render(request, "events/organiser/events.html", {"rows": rows, "now": timezone.now()})


@login_required
def organiser_registrations(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(request, slug)
    status = request.GET.get("status", "")
    registrations = event.registrations.select_related("user", "checked_in_by")
    if status in Registration.Status.values:
        registrations = registrations.filter(status=status)
    order = {s: i for i, s in enumerate(STATUS_ORDER)}
    rows = sorted(
        registrations,
        key=lambda r: (order.get(r.status, 99), r.waitlist_position or 0, r.created_at, r.pk),
    )
    questions = list(event.questions.all())
    for row in rows:
        answers = row.answers if isinstance(row.answers, dict) else {}
        row.answer_list = [(q.label, answers.get(str(q.pk), "")) for q in questions]
    counts = dict(
        event.registrations.order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return render(
        request,
        "events/organiser/registrations.html",
        {
            "event": event,
            "rows": rows,
            "status": status,
            "statuses": [
                (s, Registration.Status(s).label, counts.get(s, 0))
                for s in STATUS_ORDER
                if counts.get(s)
            ],
            "attendance": event_attendance(event=event),
            "places_left": services.places_left(event),
            "manual": event.approval == Event.Approval.MANUAL,
            "back": request.get_full_path(),
        },
    )


@require_POST
@login_required
def organiser_decide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Approve or refuse a registration waiting for approval (the services tell the
    person and pass a freed place on)."""
    event = _event_or_404(request, slug)
    registration = _registration_or_404(request, event, pk)
    decision = request.POST.get("decision")
    if decision == "approve" and registration.status == Registration.Status.PENDING_APPROVAL:
        services.registration_approve(registration_id=registration.pk, by=request.user)
        messages.success(request, _("%(person)s is approved.") % {"person": registration.name})
    elif decision == "refuse" and registration.status in (
        Registration.Status.PENDING_APPROVAL,
        Registration.Status.WAITLISTED,
    ):
        services.registration_refuse(registration_id=registration.pk, by=request.user)
        messages.success(request, _("%(person)s is refused.") % {"person": registration.name})
    else:
        messages.error(request, _("This registration is no longer waiting for a decision."))
    return redirect(_back(request, event))


def _back(request: HttpRequest, event: Event, default: str = "") -> str:
    """The event's page the form was sent from (its `next`), never another site's."""
    manage = reverse("events:organiser_registrations", kwargs={"slug": event.slug})
    back = request.POST.get("next", "")
    if back.startswith(manage) and not any(c in back for c in "\r\n\\"):
        return back
    return manage + default


@login_required
def organiser_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    event = _event_or_404(request, slug)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    header, rows = registrations_table(event)
    personal_data_log(
        kind="export", actor=request.user, what=f"event registrations {fmt.upper()}: {event.slug}"
    )
    if fmt == "csv":
        return csv_response(filename=export_filename(event, "csv"), header=header, rows=rows)
    return xlsx_response(
        filename=export_filename(event, "xlsx"),
        header=header,
        rows=rows,
        title=_("Registrations"),
    )


class MessageForm(forms.Form):
    audience = forms.ChoiceField(
        label=gettext_lazy("To"),
        choices=[
            (Audience.ALL, gettext_lazy("Everyone registered, the waiting list too")),
            (Audience.CONFIRMED, gettext_lazy("Only the confirmed participants")),
        ],
        initial=Audience.ALL,
        widget=forms.RadioSelect,
    )
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=150)
    message = forms.CharField(
        label=gettext_lazy("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8})
    )

    def clean_subject(self) -> str:
        return " ".join(self.cleaned_data["subject"].split())


@rate_limited("message")
@login_required
def organiser_message(request: HttpRequest, slug: str) -> HttpResponse:
    """Write to all registrants: one email each, in the outbox, in their language (the
    organiser's text is sent as written)."""
    event = _event_or_404(request, slug)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        count = registrants_message(
            event=event,
            subject=form.cleaned_data["subject"],
            message=form.cleaned_data["message"],
            audience=form.cleaned_data["audience"],
            by=request.user,
        )
        messages.success(
            request,
            ngettext(
                "Your message is on its way to %(count)s person.",
                "Your message is on its way to %(count)s people.",
                count,
            )
            % {"count": count},
        )
        return redirect("events:organiser_registrations", slug=event.slug)
    recipients = {
        Audience.ALL: event.registrations.filter(
            status__in=[*Registration.HOLDING_STATUSES, Registration.Status.WAITLISTED]
        ).count(),
        Audience.CONFIRMED: event.registrations.filter(
            status=Registration.Status.CONFIRMED
        ).count(),
    }
    return render(
        request,
        "events/organiser/message.html",
        {"event": event, "form": form, "recipients": recipients},
    )


# --- Check-in ---------------------------------------------------------------------------------


@login_required
def checkin(request: HttpRequest, token: str) -> HttpResponse:
    """The address in a ticket's QR code. Staff of the event see the person and check them
    in (POST); anyone else, or an unknown ticket, gets a 404."""
    registration = registration_by_token(token)
    if (
        registration is None
        or not managed_events(request.user).filter(pk=registration.event_id).exists()
    ):
        raise Http404
    if request.method == "POST":
        try:
            done = registration_check_in(registration=registration, by=request.user)
        except NotCheckable:
            messages.error(request, _("This registration has no confirmed place."))
        else:
            if done.done_now:
                messages.success(
                    request, _("%(person)s is checked in.") % {"person": registration.name}
                )
        return redirect("events:checkin", token=registration.token)
    return render(
        request,
        "events/organiser/checkin_ticket.html",
        {"event": registration.event, "registration": registration},
    )


@login_required
def organiser_checkin(request: HttpRequest, slug: str) -> HttpResponse:
    """Check-in at the door: search a name (live, with htmx; a plain form without)."""
    event = _event_or_404(request, slug)
    q = request.GET.get("q", "").strip()[:100]
    results = list(checkin_search(event=event, q=q)) if q else []
    context = {
        "event": event,
        "q": q,
        "results": results,
        "attendance": event_attendance(event=event),
    }
    if request.htmx:
        return render(request, "events/organiser/_checkin_results.html", context)
    return render(request, "events/organiser/checkin.html", context)


@require_POST
@login_required
def organiser_checkin_person(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The check-in button of a row of the search (or of the attendance list)."""
    event = _event_or_404(request, slug)
    registration = _registration_or_404(request, event, pk)
    undo = request.POST.get("undo") == "1"
    error = ""
    if undo:
        registration_check_in_undo(registration=registration)
        registration.refresh_from_db()
    else:
        try:
            registration_check_in(registration=registration, by=request.user)
        except NotCheckable:
            error = _("This registration has no confirmed place.")
    if request.htmx:
        return render(
            request,
            "events/organiser/_checkin_row.html",
            {
                "event": event,
                "registration": registration,
                "error": error,
                "announce": True,
                "back": _back(request, event, "checkin/"),
            },
        )
    if error:
        messages.error(request, error)
    elif undo:
        messages.success(
            request, _("Check-in of %(person)s undone.") % {"person": registration.name}
        )
    else:
        messages.success(request, _("%(person)s is checked in.") % {"person": registration.name})
    return redirect(_back(request, event, "checkin/"))


@login_required
def organiser_attendance(request: HttpRequest, slug: str) -> HttpResponse:
    """Who came: the confirmed participants with their check-in time; after the event the
    others are counted as no-shows."""
    event = _event_or_404(request, slug)
    attendance = event_attendance(event=event)
    confirmed = event.registrations.filter(status=Registration.Status.CONFIRMED).select_related(
        "user", "checked_in_by"
    )
    present = sorted(
        (r for r in confirmed if r.checked_in_at), key=lambda r: r.checked_in_at, reverse=True
    )
    absent = sorted((r for r in confirmed if not r.checked_in_at), key=lambda r: r.name.lower())
    start, end = event_bounds(event)
    return render(
        request,
        "events/organiser/attendance.html",
        {
            "event": event,
            "attendance": attendance,
            "present": present,
            "absent": absent,
            "start": start,
            "end": end,
            "back": request.get_full_path(),
        },
    )
