import datetime
from collections import OrderedDict
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.dates import days_bounds
from incubators.models import Advisor, Service
from incubators.selectors import directory_labels, membership_states

from .models import Booking, PermanenceSchedule, Slot

SLOT_LIST_DAYS = 14
SLOT_LIST_PAGE = 50


@dataclass(frozen=True)
class SlotFilters:
    incubator: str = ""
    agency: str = ""
    category: str = ""
    language: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    # Keyset cursor: the page starts after this (starts_at, pk).
    after: tuple[datetime.datetime, int] | None = None


def slot_window(
    *, filters: SlotFilters, today: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """The days the list covers: from the chosen day (today at the earliest) until the
    chosen one, two weeks by default."""
    date_from = max(filters.date_from or today, today)
    date_to = filters.date_to or date_from + datetime.timedelta(days=SLOT_LIST_DAYS - 1)
    return date_from, date_to


def slot_list_nav(*, filters: SlotFilters, query, choices: dict, today: datetime.date) -> dict:
    """What the list says around its rows: the days it covers, links to the days before
    and after, and each active filter as a chip whose link removes it. `query` is the
    request's GET parameters."""
    date_from, date_to = slot_window(filters=filters, today=today)
    span = datetime.timedelta(days=(date_to - date_from).days + 1)

    def link(**changes) -> str:
        q = query.copy()
        q.pop("after", None)
        for key in [key for key, value in q.items() if not value]:
            q.pop(key)
        for key, value in changes.items():
            if value is None:
                q.pop(key, None)
            else:
                q[key] = value
        return "?" + q.urlencode()

    try:
        later = link(
            date_from=(date_to + datetime.timedelta(days=1)).isoformat(),
            date_to=(date_to + span).isoformat(),
        )
    except OverflowError:  # the end of the calendar: there is nothing later
        later = None
    earlier = None
    if date_from > today:
        start = max(date_from - span, today)
        earlier = link(
            date_from=start.isoformat(),
            date_to=(date_from - datetime.timedelta(days=1)).isoformat(),
        )
    chips = []
    names = {
        "incubator": _("Place"),
        "agency": _("Agency"),
        "category": _("Topic"),
        "language": _("Language"),
    }
    for key, name in names.items():
        value = getattr(filters, key)
        if value:
            label = dict(choices[key]).get(value, value)
            chips.append(
                {
                    "label": _("%(filter)s: %(value)s") % {"filter": name, "value": label},
                    "remove": link(**{key: None}),
                }
            )
    if filters.date_from:
        chips.append(
            {
                "label": _("From %(day)s") % {"day": date_format(filters.date_from, "j F")},
                "remove": link(date_from=None),
            }
        )
    if filters.date_to:
        chips.append(
            {
                "label": _("Until %(day)s") % {"day": date_format(filters.date_to, "j F")},
                "remove": link(date_to=None),
            }
        )
    return {
        "date_from": date_from,
        "date_to": date_to,
        "later": later,
        "earlier": earlier,
        "chips": chips,
    }


def slot_list_upcoming(
    *, filters: SlotFilters, now: datetime.datetime | None = None
) -> QuerySet[Slot]:
    """Free slots that can be booked now, soonest first. A constant number of queries:
    the filters are joins or EXISTS subqueries, the related rows come in one prefetch."""
    now = now or timezone.now()
    start, end = days_bounds(*slot_window(filters=filters, today=timezone.localdate(now)))
    qs = Slot.objects.filter(
        status=Slot.Status.OPEN,
        bookable_until__gte=now,
        bookable_from__lte=now,
        starts_at__gte=start,
        starts_at__lt=end,
        schedule__is_active=True,
    ).exclude(booked_count__gte=F("capacity"))
    if filters.incubator:
        qs = qs.filter(incubator__slug=filters.incubator)
    if filters.agency:
        qs = qs.filter(agency__slug=filters.agency)
    if filters.category:
        qs = qs.filter(
            Exists(
                Service.objects.filter(
                    agency=OuterRef("agency"), is_active=True, categories__slug=filters.category
                )
            )
        )
    if filters.language:
        qs = qs.filter(
            Exists(
                PermanenceSchedule.languages.through.objects.filter(
                    permanenceschedule_id=OuterRef("schedule_id"), language_id=filters.language
                )
            )
        )
    if filters.after:
        after_time, after_pk = filters.after
        qs = qs.filter(Q(starts_at__gt=after_time) | Q(starts_at=after_time, pk__gt=after_pk))
    return qs.select_related("agency", "incubator", "schedule").order_by("starts_at", "pk")


def slot_page(
    *, filters: SlotFilters, now: datetime.datetime | None = None, user=None
) -> list[dict]:
    """One page of the slot list (SLOT_LIST_PAGE rows, plus one to tell whether there is
    more) as plain rows. This is the busiest page: the query reads the slot table alone
    (the labels come from the cached filter data) and returns values, not models."""
    qs = slot_list_upcoming(filters=filters, now=now).select_related(None)
    rows = list(
        qs.values(
            "pk",
            "starts_at",
            "ends_at",
            "capacity",
            "booked_count",
            "schedule_id",
            "agency_id",
            "incubator_id",
        )[: SLOT_LIST_PAGE + 1]
    )
    rows = _slot_rows_decorate(rows, labels=slot_filter_choices()["labels"])
    if user is not None and any(row["members_only"] for row in rows):
        states = membership_states(user=user)
        for row in rows:
            row["member_state"] = states.get(row["incubator_id"], "")
    return rows


def _slot_rows_decorate(rows: list[dict], *, labels: dict) -> list[dict]:
    """Works out once per row what the template shows: the local day and time range, the
    agency, place and advisor, a line of details (length, one-to-one or group with the
    places left, languages, online, members only) and the booking address."""
    book_url = reverse("permanences:booking_create", args=[0])
    online, members, one_to_one = _("online"), _("members only"), _("one-to-one")
    # Each label is translated once per page, not once per row.
    day_labels: dict[datetime.date, str] = {}
    length_labels: dict[int, str] = {}
    left_labels: dict[int, str] = {}
    for row in rows:
        start, end = timezone.localtime(row["starts_at"]), timezone.localtime(row["ends_at"])
        row["day"] = start.date()
        row["time_label"] = f"{start:%H:%M}–{end:%H:%M}"
        row["agency"], row["agency_color"] = labels["agencies"].get(row["agency_id"], ("", ""))
        row["place"] = labels["incubators"].get(row["incubator_id"], "")
        mode, audience, codes, advisors = labels["schedules"].get(
            row["schedule_id"], ("", "", [], [])
        )
        minutes = int((end - start).total_seconds() // 60)
        row["advisor"] = ", ".join(advisors)
        if minutes not in length_labels:
            length_labels[minutes] = _("%(minutes)d min") % {"minutes": minutes}
        details = [length_labels[minutes]]
        if row["capacity"] == 1:
            details.append(one_to_one)
        else:
            left = max(row["capacity"] - row["booked_count"], 0)
            if left not in left_labels:
                left_labels[left] = ngettext(
                    "group session, %(count)d place left",
                    "group session, %(count)d places left",
                    left,
                ) % {"count": left}
            details.append(left_labels[left])
        details += codes
        if mode == PermanenceSchedule.Mode.ONLINE:
            details.append(online)
        row["members_only"] = audience == PermanenceSchedule.Audience.MEMBERS
        row["member_state"] = ""
        if row["members_only"]:
            details.append(members)
        row["details"] = " · ".join(details)
        row["book_url"] = book_url.replace("/0/", f"/{row['pk']}/")
        if row["day"] not in day_labels:
            day_labels[row["day"]] = date_format(row["day"], "j F")
        row["book_label"] = f"{row['agency']} {day_labels[row['day']]} {row['time_label']}"
    return rows


# Raise when the cached structure changes, so a deploy never reads an older shape.
SCHEDULE_LABELS_VERSION = 2
SCHEDULE_LABELS_KEY = f"permanences:schedule-labels:v{SCHEDULE_LABELS_VERSION}"
SCHEDULE_LABELS_SECONDS = 300


def _schedule_labels() -> dict:
    """What a slot row shows of its schedule, by id (mode, audience, language codes, the
    names of the advisors it names), and the languages some schedule offers; cached,
    cleared when a schedule, its languages or its advisors change."""
    labels = cache.get(SCHEDULE_LABELS_KEY)
    if labels is None:
        schedules = {
            pk: (mode, audience, [], [])
            for pk, mode, audience in PermanenceSchedule.objects.values_list(
                "pk", "mode", "audience"
            )
        }
        named = PermanenceSchedule.advisors.through.objects.filter(advisor__is_active=True)
        for schedule_id, first, last in named.order_by("advisor__user__last_name").values_list(
            "permanenceschedule_id", "advisor__user__first_name", "advisor__user__last_name"
        ):
            schedules[schedule_id][3].append(f"{first} {last}".strip())
        through = PermanenceSchedule.languages.through.objects.order_by("language__order")
        offered = set()
        for schedule_id, code in through.values_list("permanenceschedule_id", "language_id"):
            schedules[schedule_id][2].append(code.upper())
            offered.add(code)
        labels = {"schedules": schedules, "languages": offered}
        cache.set(SCHEDULE_LABELS_KEY, labels, SCHEDULE_LABELS_SECONDS)
    return labels


def slot_filter_choices() -> dict:
    """The options of the slot list's filters, as (value, label) pairs, and the labels of
    its rows: the directory's names and the schedules' details, both cached."""
    directory = directory_labels()
    schedules = _schedule_labels()
    choices = dict(directory["choices"])
    choices["language"] = [
        (code, name) for code, name in choices["language"] if code in schedules["languages"]
    ]
    choices["labels"] = {**directory, "schedules": schedules["schedules"]}
    return choices


def schedule_labels_clear(**_kwargs) -> None:
    cache.delete(SCHEDULE_LABELS_KEY)


def slot_cursor(*, starts_at: datetime.datetime, pk: int) -> str:
    return f"{int(starts_at.timestamp())}-{pk}"


def slot_cursor_parse(value: str) -> tuple[datetime.datetime, int] | None:
    try:
        stamp, pk = value.split("-")
        return datetime.datetime.fromtimestamp(int(stamp), tz=datetime.UTC), int(pk)
    except (ValueError, OverflowError, OSError):
        return None


def group_by_day(slots) -> "OrderedDict[datetime.date, list]":
    """Slots (or slot rows) in order, grouped under their local day."""
    days: OrderedDict[datetime.date, list] = OrderedDict()
    for slot in slots:
        day = slot["day"] if isinstance(slot, dict) else timezone.localdate(slot.starts_at)
        days.setdefault(day, []).append(slot)
    return days


def upcoming_bookings_for(*, user, limit: int = 3) -> list[Booking]:
    """The person's next confirmed meetings, soonest first."""
    return list(
        Booking.objects.filter(
            user=user, status=Booking.Status.CONFIRMED, ends_at__gt=timezone.now()
        )
        .select_related("slot__agency", "slot__incubator", "slot__schedule", "category")
        .order_by("starts_at")[:limit]
    )


def bookings_for_user(*, user) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(user=user)
        .select_related(
            "slot__agency", "slot__incubator", "slot__schedule", "category", "rescheduled_to"
        )
        .order_by("-starts_at")
    )


def advisor_slots(
    *, advisor: Advisor, start: datetime.datetime, end: datetime.datetime
) -> QuerySet[Slot]:
    """The advisor's agency's slots they hold: schedules naming them, or naming no one."""
    holds = Q(schedule__advisors=advisor) | ~Exists(
        PermanenceSchedule.advisors.through.objects.filter(
            permanenceschedule_id=OuterRef("schedule_id")
        )
    )
    bookings = Booking.objects.select_related("user", "company", "category").order_by("created_at")
    return (
        Slot.objects.filter(holds, agency=advisor.agency, starts_at__gte=start, starts_at__lt=end)
        .select_related("incubator", "schedule")
        .prefetch_related(Prefetch("bookings", queryset=bookings))
        .distinct()
        .order_by("starts_at")
    )


def schedules_at_incubator(*, incubator) -> QuerySet[PermanenceSchedule]:
    today = timezone.localdate()
    return (
        PermanenceSchedule.objects.filter(incubator=incubator, is_active=True)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .select_related("agency")
        .prefetch_related("languages")
        .order_by("weekday", "start_time")
    )


# --- Rescheduling: slots of the same kind, and what a move changes ----------------------

RESCHEDULE_DAYS = 60


def booking_minutes(booking: Booking) -> int:
    return int((booking.ends_at - booking.starts_at).total_seconds() // 60)


def reschedule_candidates(
    *, booking: Booking, same_kind: bool = True, now: datetime.datetime | None = None
) -> list[dict]:
    """The free slots the booking can move to in the coming weeks: by default of the same
    kind (the agency, where it happens, its language, its length, one-to-one or group),
    or any free slot of the agency when the person widens the search on purpose."""
    slot = booking.slot
    filters = SlotFilters(
        agency=slot.agency.slug,
        language=booking.language if same_kind else "",
        date_to=timezone.localdate(now) + datetime.timedelta(days=RESCHEDULE_DAYS),
    )
    qs = slot_list_upcoming(filters=filters, now=now).exclude(pk=slot.pk)
    if same_kind:
        qs = qs.filter(
            schedule__mode=slot.schedule.mode, schedule__slot_minutes=booking_minutes(booking)
        )
        qs = qs.filter(capacity=1) if slot.capacity == 1 else qs.filter(capacity__gt=1)
    advisors = Advisor.objects.filter(is_active=True).select_related("user")
    slots = list(
        qs.prefetch_related(
            "schedule__languages", Prefetch("schedule__advisors", queryset=advisors)
        )
    )
    if any(s.schedule.audience == PermanenceSchedule.Audience.MEMBERS for s in slots):
        # Members-only times the person cannot book are not offered.
        states = membership_states(user=booking.user)
        slots = [
            s
            for s in slots
            if s.schedule.audience != PermanenceSchedule.Audience.MEMBERS
            or states.get(s.incubator_id) == "member"
        ]
    return [
        {
            "pk": slot.pk,
            "day": timezone.localdate(slot.starts_at),
            "time": (
                f"{timezone.localtime(slot.starts_at):%H:%M}–"
                f"{timezone.localtime(slot.ends_at):%H:%M}"
            ),
            "place": slot_place(slot),
            "length": slot_length(slot),
            "format": slot_format(slot),
            "advisor": slot_advisor(slot),
            "languages": " · ".join(lang.code.upper() for lang in slot.schedule.languages.all()),
        }
        for slot in slots
    ]


def slot_kind(slot: Slot) -> str:
    return _("one-to-one") if slot.capacity == 1 else _("group session")


def slot_format(slot: Slot) -> str:
    """One-to-one, or a group session with the places left."""
    if slot.capacity == 1:
        return slot_kind(slot)
    left = max(slot.capacity - slot.booked_count, 0)
    return ngettext(
        "group session, %(count)d place left", "group session, %(count)d places left", left
    ) % {"count": left}


def slot_place(slot: Slot) -> str:
    if slot.schedule.mode == PermanenceSchedule.Mode.ONLINE:
        return _("online")
    return str(slot.incubator.name)


def slot_advisor(slot: Slot) -> str:
    """Who holds the slot: the advisors its schedule names, or else its agency."""
    names = [a.user.get_full_name() or a.user.email for a in slot.schedule.advisors.all()]
    return ", ".join(names) or slot.agency.short_name


def slot_length(slot: Slot) -> str:
    minutes = int((slot.ends_at - slot.starts_at).total_seconds() // 60)
    return _("%(minutes)d min") % {"minutes": minutes}


def slot_when(slot: Slot) -> str:
    start, end = timezone.localtime(slot.starts_at), timezone.localtime(slot.ends_at)
    return f"{date_format(start, 'l j F Y')}, {start:%H:%M}–{end:%H:%M}"


@dataclass(frozen=True)
class BookingChange:
    what: str
    before: str
    after: str


def booking_changes(*, old: Booking, new: Booking) -> list[BookingChange]:
    """What moving `old` to `new` changed, in the active language, for the page that
    confirms it and the emails that tell of it."""
    pairs = [
        (_("When"), slot_when(old.slot), slot_when(new.slot)),
        (_("Where"), slot_place(old.slot), slot_place(new.slot)),
        (_("Length"), slot_length(old.slot), slot_length(new.slot)),
        (_("Language"), old.language.upper(), new.language.upper()),
        (_("Format"), slot_kind(old.slot), slot_kind(new.slot)),
        (_("With"), slot_advisor(old.slot), slot_advisor(new.slot)),
    ]
    return [BookingChange(what, before, after) for what, before, after in pairs if before != after]


# --- The advisor's attendance: the past, what is still to mark, one booking -------------

ATTENDANCE_MARKING_DAYS = 14  # attendance can be marked until this many days after a meeting
ADVISOR_PAST_DAYS = 30


def attendance_marking_opens_after(now: datetime.datetime) -> datetime.datetime:
    """Meetings that ended before this moment can no longer be marked."""
    return now - datetime.timedelta(days=ATTENDANCE_MARKING_DAYS)


def advisor_unmarked_bookings(*, advisor: Advisor, now: datetime.datetime) -> QuerySet[Booking]:
    """Meetings the advisor holds that have started, can still be marked and are not yet:
    the survey after a meeting is sent only once its attendance is marked."""
    since = attendance_marking_opens_after(now)
    slots = advisor_slots(advisor=advisor, start=since - datetime.timedelta(days=1), end=now)
    return (
        Booking.objects.filter(
            slot__in=slots.values("pk"),
            status=Booking.Status.CONFIRMED,
            starts_at__lte=now,
            ends_at__gte=since,
        )
        .select_related("user", "company", "category", "slot__incubator")
        .order_by("starts_at", "pk")
    )


def advisor_booking(*, advisor: Advisor, pk: int) -> Booking:
    """One booking of the advisor's agency; another agency's booking does not exist for them."""
    return Booking.objects.select_related(
        "user",
        "company",
        "category",
        "slot__agency",
        "slot__incubator",
        "slot__schedule",
        "marked_by",
    ).get(pk=pk, slot__agency_id=advisor.agency_id)


def earlier_bookings_with_agency(*, booking: Booking) -> QuerySet[Booking]:
    """The person's other bookings with the same agency that started before this one."""
    return (
        Booking.objects.filter(
            user_id=booking.user_id,
            slot__agency_id=booking.slot.agency_id,
            starts_at__lt=booking.starts_at,
        )
        .exclude(pk=booking.pk)
        .select_related("category", "slot__incubator")
        .order_by("-starts_at")
    )
