"""What permanences tell people, and when: booking confirmations, changes and reminders,
the advisors' agendas and the incubator managers' weekly digest.

Declared in the notifications registry; built at sending time in the recipient's
language. Reminders, agendas and digests are found due by planners the beat runs every
minute: nothing is scheduled with a countdown, and each notice has a unique key (booking
and kind, or person and day), so planning it again on the next tick, from a second beat
or after an outage, records it once.
"""

import datetime

from django.conf import settings
from django.db.models import F
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import User
from common.dates import day_start, days_bounds
from common.language import de
from incubators.models import Advisor
from notifications import registry
from notifications.emails import Email, absolute_url, when
from notifications.models import Notification
from notifications.services import notification_row, notifications_record_many

from .ics import booking_ics
from .models import MAX_REMINDER_HOURS, Booking, PermanenceSchedule, Slot
from .selectors import (
    ATTENDANCE_MARKING_DAYS,
    SlotFilters,
    advisor_slots,
    advisor_unmarked_bookings,
    attendance_marking_opens_after,
    booking_changes,
    slot_list_upcoming,
)

BOOKING_CONFIRMED = "booking_confirmed"
BOOKING_CANCELLED_BY_USER = "booking_cancelled_by_user"
BOOKING_CANCELLED_BY_STAFF = "booking_cancelled_by_staff"
BOOKING_CANCELLED_CONFIRMATION = "booking_cancelled_confirmation"
BOOKING_RESCHEDULED = "booking_rescheduled"
BOOKING_MOVED_FOR_ADVISOR = "booking_moved_for_advisor"
BOOKING_REMINDER = "booking_reminder"
BOOKING_SECOND_REMINDER = "booking_second_reminder"
ADVISOR_AGENDA = "advisor_agenda"
PERMANENCES_WEEKLY_DIGEST = "permanences_weekly_digest"

registry.subject(
    Booking,
    lambda: Booking.objects.select_related(
        "slot__agency", "slot__incubator", "slot__schedule", "category", "user", "company"
    ),
)


def booking_key(kind: str, booking: Booking, recipient_id: int) -> str:
    return f"{kind}:booking:{booking.pk}:user:{recipient_id}"


def _ics(booking: Booking) -> list[tuple[str, bytes, str]]:
    return [
        (
            "permanence.ics",
            booking_ics(booking, language=translation.get_language()),
            "text/calendar",
        )
    ]


def _place(slot: Slot) -> str:
    if slot.schedule.mode == slot.schedule.Mode.ONLINE:
        return _("online: %(link)s") % {"link": slot.schedule.meeting_url}
    return slot.incubator.name


# --- Bookings ------------------------------------------------------------------------


@registry.notice(BOOKING_CONFIRMED, gettext_lazy("Booking confirmed"))
def booking_confirmed(n: Notification) -> Email | None:
    booking = n.subject
    if booking.status != booking.Status.CONFIRMED:
        return None
    return Email(
        subject=_("Your permanence with %(agency)s is confirmed")
        % {"agency": booking.slot.agency.short_name},
        lines=[
            _("%(when)s at %(place)s.")
            % {"when": capfirst(when(booking.starts_at)), "place": _place(booking.slot)},
            _("You want to discuss: %(topic)s") % {"topic": booking.topic},
            _("The calendar file is attached."),
        ],
        action_url=absolute_url("permanences:booking_detail", pk=booking.pk),
        action_label=_("See or change your booking"),
        attachments=_ics(booking),
    )


def _changes(booking: Booking) -> list[str]:
    """The lines saying what a reschedule changed, from the booking it replaced."""
    old = (
        Booking.objects.select_related("slot__agency", "slot__incubator", "slot__schedule")
        .filter(pk=booking.rescheduled_from_id)
        .first()
    )
    if old is None:
        return []
    return [_("What changed:")] + [
        f"• {change.what}: {change.before} → {change.after}"
        for change in booking_changes(old=old, new=booking)
    ]


@registry.notice(BOOKING_RESCHEDULED, gettext_lazy("Booking rescheduled"))
def booking_rescheduled(n: Notification) -> Email | None:
    booking = n.subject
    if booking.status != booking.Status.CONFIRMED:
        return None
    return Email(
        subject=_("Your permanence with %(agency)s has moved")
        % {"agency": booking.slot.agency.short_name},
        lines=[
            _("It is now %(when)s at %(place)s.")
            % {"when": when(booking.starts_at), "place": _place(booking.slot)},
            *_changes(booking),
            _("The calendar file is attached: it updates the event already in your calendar."),
        ],
        action_url=absolute_url("permanences:booking_detail", pk=booking.pk),
        action_label=_("See your booking"),
        attachments=_ics(booking),
    )


@registry.notice(BOOKING_MOVED_FOR_ADVISOR, gettext_lazy("Booking moved (to the advisor)"))
def booking_moved_for_advisor(n: Notification) -> Email | None:
    booking = n.subject
    if booking.status != booking.Status.CONFIRMED:
        return None
    return Email(
        subject=_("%(person)s moved their meeting with %(agency)s")
        % {"person": _person(booking), "agency": booking.slot.agency.short_name},
        lines=[
            _("The meeting is now %(when)s at %(place)s.")
            % {"when": when(booking.starts_at), "place": _place(booking.slot)},
            *_changes(booking),
            _("Topic: %(topic)s") % {"topic": booking.topic},
        ],
        action_url=absolute_url("permanences:advisor_permanences"),
        action_label=_("My permanences"),
    )


@registry.notice(BOOKING_CANCELLED_BY_USER, gettext_lazy("Booking cancelled by the entrepreneur"))
def booking_cancelled_by_user(n: Notification) -> Email | None:
    booking = n.subject
    return Email(
        subject=_("A booking of %(when)s was cancelled") % {"when": when(booking.starts_at)},
        lines=[
            _("%(person)s cancelled their booking at %(place)s.")
            % {"person": _person(booking), "place": booking.slot.incubator.name},
            _("Reason: %(reason)s") % {"reason": booking.cancel_reason or "—"},
        ],
        action_url=absolute_url("permanences:advisor_permanences"),
        action_label=_("My permanences"),
    )


@registry.notice(
    BOOKING_CANCELLED_CONFIRMATION, gettext_lazy("Cancellation confirmed to the entrepreneur")
)
def booking_cancelled_confirmation(n: Notification) -> Email | None:
    booking = n.subject
    return Email(
        subject=_("Your booking of %(when)s is cancelled") % {"when": when(booking.starts_at)},
        lines=[
            _("You cancelled your meeting with %(agency)s at %(place)s; the advisor is told.")
            % {"agency": booking.slot.agency.short_name, "place": _place(booking.slot)},
            _("The calendar file attached removes it from your calendar."),
        ],
        action_url=absolute_url("permanences:slot_list"),
        action_label=_("Book another time"),
        attachments=_ics(booking),
    )


@registry.notice(BOOKING_CANCELLED_BY_STAFF, gettext_lazy("Booking cancelled by the organisers"))
def booking_cancelled_by_staff(n: Notification) -> Email | None:
    booking = n.subject
    slot = booking.slot
    agency = slot.agency.short_name
    lines = [
        _("We are sorry: the permanence of %(of_agency)s at %(place)s is cancelled.")
        % {"of_agency": de(agency), "place": slot.incubator.name},
        _("Reason: %(reason)s") % {"reason": booking.cancel_reason or "—"},
    ]
    others = list(slot_list_upcoming(filters=SlotFilters(agency=slot.agency.slug))[:3])
    if others:
        lines.append(_("Other free slots with %(agency)s:") % {"agency": agency})
        lines += [
            f"• {when(other.starts_at)} · {other.incubator.name}: "
            + absolute_url("permanences:booking_create", slot_pk=other.pk)
            for other in others
        ]
    return Email(
        subject=_("Your permanence of %(when)s is cancelled") % {"when": when(booking.starts_at)},
        lines=lines,
        action_url=absolute_url("permanences:slot_list") + f"?agency={slot.agency.slug}",
        action_label=_("Find another slot with %(agency)s") % {"agency": agency},
    )


@registry.notice(BOOKING_REMINDER, gettext_lazy("Reminder before a booking"))
@registry.notice(BOOKING_SECOND_REMINDER, gettext_lazy("Last reminder before a booking"))
def booking_reminder(n: Notification) -> Email | None:
    booking = n.subject
    if booking.status != booking.Status.CONFIRMED or booking.starts_at <= timezone.now():
        return None
    slot = booking.slot
    lines = [
        _("%(when)s at %(place)s, with %(agency)s.")
        % {
            "when": capfirst(when(booking.starts_at)),
            "place": _place(slot),
            "agency": slot.agency.short_name,
        },
        _("You want to discuss: %(topic)s") % {"topic": booking.topic},
    ]
    if slot.incubator.street and slot.schedule.mode != slot.schedule.Mode.ONLINE:
        lines.append(_("Address: %(address)s") % {"address": slot.incubator.address})
    lines.append(_("Cannot come? Cancel it so that someone else can take the place."))
    return Email(
        subject=_("Reminder: your permanence with %(agency)s on %(when)s")
        % {"agency": slot.agency.short_name, "when": when(booking.starts_at)},
        lines=lines,
        action_url=absolute_url("permanences:booking_detail", pk=booking.pk),
        action_label=_("See or cancel your booking"),
        attachments=_ics(booking),
    )


@registry.planner
def reminders_plan(*, now: datetime.datetime) -> int:
    """Record the reminders now due: `reminder_hours` (and `second_reminder_hours`) before
    each confirmed booking, set per schedule. A booking made after that moment gets no
    such reminder: its confirmation has just told the person."""
    upcoming = Booking.objects.filter(
        status=Booking.Status.CONFIRMED,
        starts_at__gt=now,
        starts_at__lte=now + datetime.timedelta(hours=MAX_REMINDER_HOURS),
    )
    rows = []
    for kind, setting in [
        (BOOKING_REMINDER, "reminder_hours"),
        (BOOKING_SECOND_REMINDER, "second_reminder_hours"),
    ]:
        # A handful of distinct values: one query each keeps the arithmetic in SQL.
        # order_by(): the model's default ordering would add its columns to the SELECT
        # DISTINCT and return one value per schedule (thousands of queries, not a few).
        values = (
            PermanenceSchedule.objects.filter(**{f"{setting}__isnull": False})
            .order_by()
            .values_list(setting, flat=True)
            .distinct()
        )
        for hours in values:
            ahead = datetime.timedelta(hours=hours)
            # No anti-join with the outbox here: with stale statistics (a burst of new
            # rows) PostgreSQL ran it as a nested loop over both tables, tens of seconds
            # for 10,000 bookings. The bookings in the window are few (those starting
            # within `hours`); notifications_record_many leaves out the keys known.
            due = upcoming.filter(
                **{f"slot__schedule__{setting}": hours},
                starts_at__lte=now + ahead,
                starts_at__gte=F("created_at") + ahead,
            )
            rows += [
                notification_row(
                    kind=kind,
                    recipient_id=user_id,
                    subject=Booking(pk=pk),
                    key=f"{kind}:booking:{pk}:user:{user_id}",
                    context={"hours": hours},
                )
                for pk, user_id in due.values_list("pk", "user_id")
            ]
    return notifications_record_many(rows)


# --- Advisors and incubator managers ---------------------------------------------------


def _active_advisor(user: User) -> Advisor | None:
    return Advisor.objects.filter(user=user, is_active=True).select_related("agency").first()


def _person(booking: Booking) -> str:
    """Who booked, as the agency's advisors may see it: no one, once the person no longer
    shares their profile with the agency."""
    shown = booking.consent_share_profile or booking.user.erased_at  # "Erased person"
    return str(booking.user) if shown else _("Profile not shared")


def _agenda_line(booking: Booking, *, with_day: bool = False) -> str:
    start, end = timezone.localtime(booking.starts_at), timezone.localtime(booking.ends_at)
    moment = f"{start:%H:%M}–{end:%H:%M}"
    if with_day:
        moment = f"{date_format(start, 'D j F')} {moment}"
    person = _person(booking)
    if booking.company and booking.consent_share_profile:
        person = f"{person} ({booking.company.name})"
    return (
        f"{moment} · {booking.slot.incubator.name} · {person} · "
        f"{booking.category.name}: {booking.topic}"
    )


@registry.notice(ADVISOR_AGENDA, gettext_lazy("Advisor's agenda for the next day"))
def advisor_agenda(n: Notification) -> Email | None:
    """Tomorrow's meetings, then the meetings of the last days whose attendance is still
    to mark (their satisfaction survey waits for it)."""
    advisor = _active_advisor(n.recipient)
    if advisor is None:
        return None
    day = datetime.date.fromisoformat(n.context["date"])
    start, end = days_bounds(day)
    meetings = [
        _agenda_line(booking)
        for slot in advisor_slots(advisor=advisor, start=start, end=end)
        for booking in slot.bookings.all()
        if booking.status == Booking.Status.CONFIRMED
    ]
    unmarked = list(advisor_unmarked_bookings(advisor=advisor, now=timezone.now()))
    if not meetings and not unmarked:
        return None
    action_url = absolute_url("permanences:advisor_permanences")
    if meetings:
        subject = ngettext(
            "Your agenda for %(day)s: %(count)s meeting",
            "Your agenda for %(day)s: %(count)s meetings",
            len(meetings),
        ) % {"day": date_format(day, "l j F"), "count": len(meetings)}
        lines = meetings
    else:
        subject = ngettext(
            "%(count)s meeting still to mark as attended or not",
            "%(count)s meetings still to mark as attended or not",
            len(unmarked),
        ) % {"count": len(unmarked)}
        lines = [_("No meeting for %(day)s.") % {"day": date_format(day, "l j F")}]
        action_url += "?past=1"  # straight to the meetings to mark
    if unmarked:
        lines.append(
            _(
                "Still to mark — the satisfaction survey is sent once you mark a meeting "
                "attended; you can do so up to %(days)d days after it:"
            )
            % {"days": ATTENDANCE_MARKING_DAYS}
        )
        lines += [_agenda_line(booking, with_day=True) for booking in unmarked]
        if meetings:  # the button leads to the agenda: the past meetings get their own link
            lines.append(
                _("Mark them: %(url)s")
                % {"url": absolute_url("permanences:advisor_permanences") + "?past=1"}
            )
    return Email(
        subject=subject,
        lines=lines,
        action_url=action_url,
        action_label=_("My permanences"),
    )


@registry.planner
def agendas_plan(*, now: datetime.datetime) -> int:
    """From NOTIFICATIONS_AGENDA_HOUR, each advisor with meetings tomorrow, or with
    meetings of the last days still to mark, gets their agenda (one a day). Who holds a
    booking: the advisors its schedule names, or else every active advisor of the agency
    (as in the advisor's own page)."""
    local = timezone.localtime(now)
    if local.hour < settings.NOTIFICATIONS_AGENDA_HOUR:
        return 0
    day = local.date() + datetime.timedelta(days=1)
    start, end = days_bounds(day)
    confirmed = Booking.objects.filter(status=Booking.Status.CONFIRMED)
    booked = set(
        confirmed.filter(starts_at__gte=start, starts_at__lt=end).values_list(
            "slot__schedule_id", "slot__agency_id"
        )
    ) | set(
        confirmed.filter(
            starts_at__lte=now, ends_at__gte=attendance_marking_opens_after(now)
        ).values_list("slot__schedule_id", "slot__agency_id")
    )
    if not booked:
        return 0
    named: dict[int, set[int]] = {}
    for schedule_id, user_id, active in PermanenceSchedule.advisors.through.objects.filter(
        permanenceschedule_id__in={schedule_id for schedule_id, _agency in booked}
    ).values_list("permanenceschedule_id", "advisor__user_id", "advisor__is_active"):
        named.setdefault(schedule_id, set())
        if active:
            named[schedule_id].add(user_id)
    by_agency: dict[int, set[int]] = {}
    for agency_id, user_id in Advisor.objects.filter(
        is_active=True, agency_id__in={agency_id for _schedule, agency_id in booked}
    ).values_list("agency_id", "user_id"):
        by_agency.setdefault(agency_id, set()).add(user_id)
    users: set[int] = set()
    for schedule_id, agency_id in booked:
        users |= named[schedule_id] if schedule_id in named else by_agency.get(agency_id, set())
    return notifications_record_many(
        [
            notification_row(
                kind=ADVISOR_AGENDA,
                recipient_id=user_id,
                key=f"{ADVISOR_AGENDA}:user:{user_id}:date:{day.isoformat()}",
                context={"date": day.isoformat()},
            )
            for user_id in sorted(users)
        ]
    )


@registry.notice(
    PERMANENCES_WEEKLY_DIGEST,
    gettext_lazy("Weekly digest of the coming permanences"),
    preference="digest_permanences",
)
def permanences_weekly_digest(n: Notification) -> Email | None:
    monday = datetime.date.fromisoformat(n.context["date"])
    start, end = days_bounds(monday, monday + datetime.timedelta(days=6))
    slots = (
        Slot.objects.filter(
            incubator__managers=n.recipient,
            starts_at__gte=start,
            starts_at__lt=end,
            status=Slot.Status.OPEN,
        )
        .select_related("agency", "incubator")
        .order_by("starts_at")
    )
    # One line per permanence (a morning of slots), not per 30-minute slot.
    days: dict[tuple, list] = {}
    for slot in slots:
        local = timezone.localtime(slot.starts_at)
        days.setdefault((local.date(), slot.incubator.name, slot.agency.short_name), []).append(
            slot
        )
    if not days:
        return None
    lines = []
    for (day, incubator, agency), group in days.items():
        booked = sum(s.booked_count for s in group)
        capacity = sum(s.capacity for s in group)
        lines.append(
            _(
                "%(day)s %(start)s–%(end)s · %(incubator)s · %(agency)s · "
                "%(booked)s/%(places)s booked"
            )
            % {
                "day": date_format(day, "l j F"),
                "start": f"{timezone.localtime(group[0].starts_at):%H:%M}",
                "end": f"{timezone.localtime(group[-1].ends_at):%H:%M}",
                "incubator": incubator,
                "agency": agency,
                "booked": booked,
                "places": capacity,
            }
        )
    return Email(
        subject=_("The permanences of the week of %(day)s") % {"day": date_format(monday, "j F")},
        lines=lines,
        action_url=absolute_url("permanences:slot_list"),
        action_label=_("See all permanences"),
    )


@registry.planner
def permanences_digest_plan(*, now: datetime.datetime) -> int:
    """On Mondays from NOTIFICATIONS_DIGEST_HOUR, each incubator manager gets the week's
    permanences at their incubators, unless they switched it off."""
    local = timezone.localtime(now)
    if local.weekday() != 0 or local.hour < settings.NOTIFICATIONS_DIGEST_HOUR:
        return 0
    monday = local.date()
    week = Slot.objects.filter(
        status=Slot.Status.OPEN,
        starts_at__gte=day_start(monday),
        starts_at__lt=day_start(monday + datetime.timedelta(days=7)),
    ).values("incubator_id")
    managers = (
        User.objects.filter(managed_incubators__in=week, is_active=True, digest_permanences=True)
        .values_list("pk", flat=True)
        .distinct()
    )
    return notifications_record_many(
        [
            notification_row(
                kind=PERMANENCES_WEEKLY_DIGEST,
                recipient_id=user_id,
                key=f"{PERMANENCES_WEEKLY_DIGEST}:user:{user_id}:date:{monday.isoformat()}",
                context={"date": monday.isoformat()},
            )
            for user_id in managers
        ]
    )
