"""What the landing app sends the founder, in their language: the summary of their new
plan, and the summary of an itinerary booked in one go (each meeting also gets the
booking confirmation with its calendar file from permanences)."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications import registry
from notifications.emails import Email, absolute_url, when
from notifications.models import Notification
from permanences.models import Booking, PermanenceSchedule

from .models import Itinerary, LandingPlan

LANDING_PLAN_CREATED = "landing_plan_created"
LANDING_ITINERARY_BOOKED = "landing_itinerary_booked"

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
