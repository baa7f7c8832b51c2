"""What the landing app sends the founder, in their language: the summary of their new
plan, the summary of an itinerary booked in one go (each meeting also gets the booking
confirmation with its calendar file from permanences), and a reminder to book their
meetings when they arrive within REMIND_DAYS with none booked."""

import datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications import registry
from notifications.emails import Email, absolute_url, when
from notifications.models import Notification
from notifications.services import notification_row, notifications_record_many
from permanences.models import Booking, PermanenceSchedule

from .models import Itinerary, ItineraryItem, LandingPlan

LANDING_PLAN_CREATED = "landing_plan_created"
LANDING_ITINERARY_BOOKED = "landing_itinerary_booked"
LANDING_BOOK_MEETINGS = "landing_book_meetings"
# A founder arriving within this many days with no meeting booked is reminded (once).
REMIND_DAYS = 21

registry.subject(LandingPlan, lambda: LandingPlan.objects.select_related("user"))
registry.subject(Itinerary, lambda: Itinerary.objects.select_related("plan__user"))


@registry.notice(LANDING_PLAN_CREATED, gettext_lazy("Landing plan created"))
def plan_created(n: Notification) -> Email | None:
    plan = n.subject
    lines = [
        _("Welcome to Brussels, %(company)s! Here is your landing plan, step by step.")
        % {"company": plan.company_name}
    ]
    for step in plan.steps.prefetch_related("agencies"):
        agencies = ", ".join(a.short_name for a in step.agencies.all())
        if agencies:
            lines.append(
                _("%(step)s — with %(agencies)s")
                % {"step": step.get_code_display(), "agencies": agencies}
            )
        else:
            lines.append(str(step.get_code_display()))
    if plan.consent:
        lines.append(
            _("Your needs have been sent to these agencies; their answers will show in your plan.")
        )
    lines.append(
        _(
            "Next: book your meetings with these agencies in one go. Until you arrive on "
            "%(arrival)s, we offer online meetings."
        )
        % {"arrival": date_format(plan.arrival_date, "j F Y")}
    )
    return Email(
        subject=_("Your landing plan for Brussels"),
        lines=lines,
        action_url=absolute_url("landing:plan"),
        action_label=_("Open my plan"),
    )


@registry.notice(LANDING_ITINERARY_BOOKED, gettext_lazy("Landing itinerary booked"))
def itinerary_booked(n: Notification) -> Email | None:
    itinerary = n.subject
    items = list(
        itinerary.items.filter(booking__status=Booking.Status.CONFIRMED).select_related(
            "agency", "booking__slot__incubator", "booking__slot__schedule"
        )
    )
    if not items:
        return None
    lines = [_("Your meetings are booked:")]
    for item in items:
        slot = item.booking.slot
        where = (
            _("online")
            if slot.schedule.mode == PermanenceSchedule.Mode.ONLINE
            else f"{slot.incubator.name}, {slot.incubator.address}"
        )
        lines.append(f"{when(item.booking.starts_at)} · {item.agency.short_name} · {where}")
    lines.append(_("Each meeting's confirmation, with its calendar file, comes in its own email."))
    return Email(
        subject=_("Your meetings in Brussels are booked"),
        lines=lines,
        action_url=absolute_url("landing:plan"),
        action_label=_("Open my plan"),
    )


def _booked(plan_ref) -> Exists:
    return Exists(
        ItineraryItem.objects.filter(
            itinerary__plan=plan_ref, booking__status__in=Booking.ACTIVE_STATUSES
        )
    )


@registry.planner
def book_meetings_plan(*, now: datetime.datetime) -> int:
    """Once per plan: the founder arrives within REMIND_DAYS and has booked no meeting
    (plans made less than two days ago are left alone: they have just been told)."""
    today = timezone.localdate(now)
    plans = (
        LandingPlan.objects.filter(
            arrival_date__gte=today,
            arrival_date__lte=today + datetime.timedelta(days=REMIND_DAYS),
            created_at__lt=now - datetime.timedelta(days=2),
            user__is_active=True,
        )
        .exclude(_booked(OuterRef("pk")))
        .values_list("pk", "user_id")
    )
    rows = [
        notification_row(
            kind=LANDING_BOOK_MEETINGS,
            recipient_id=user_id,
            key=f"landing_book_meetings:plan:{pk}",
            subject=LandingPlan(pk=pk),
        )
        for pk, user_id in plans
    ]
    return notifications_record_many(rows)


@registry.notice(LANDING_BOOK_MEETINGS, gettext_lazy("Reminder to book the landing meetings"))
def book_meetings(n: Notification) -> Email | None:
    plan = n.subject
    if plan.arrival_date < timezone.localdate():
        return None
    if LandingPlan.objects.filter(pk=plan.pk).filter(_booked(OuterRef("pk"))).exists():
        return None
    return Email(
        subject=_("You arrive in Brussels on %(arrival)s: book your meetings")
        % {"arrival": date_format(plan.arrival_date, "j F")},
        lines=[
            _(
                "You have not booked your meetings with the agencies of your landing plan "
                "yet. Choose a week: we propose one meeting with each of them, online while "
                "you are still abroad."
            )
        ],
        action_url=absolute_url("landing:itinerary"),
        action_label=_("Book my meetings"),
    )
