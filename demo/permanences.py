"""The agencies' weekly permanences at the demo incubators, their slots, and the demo
founders' bookings: past meetings (attended, missed, and the last few still to mark, each
answered survey included), one upcoming meeting for two of them, and a cancelled day."""

import datetime
from collections import defaultdict
from itertools import zip_longest

from django.utils import timezone

from accounts.models import User
from incubators.models import Advisor, Agency, Incubator, Language, NeedCategory
from notifications.models import Notification
from permanences.generation import horizon_days, slots_generate
from permanences.models import Booking, PermanenceSchedule, Slot
from permanences.services import (
    BookingRefused,
    booking_create,
    booking_mark_attendance,
    day_cancel,
)
from surveys.models import Invitation
from surveys.notices import SURVEY_INVITATION

from .surveys import survey_answer

# agency, incubator, weekday, start, end, slot minutes, capacity, every N weeks, languages,
# audience, advisor email (None: any advisor of the agency)
SCHEDULES = [
    (
        "impulse",
        "icab",
        1,
        "09:00",
        "12:30",
        30,
        1,
        1,
        ["fr", "en"],
        "members",
        "advisor.impulse@demo.hub.brussels",
    ),
    (
        "innoviris",
        "becentral",
        3,
        "14:00",
        "17:00",
        45,
        1,
        1,
        ["fr", "nl", "en"],
        "registered",
        "advisor.innoviris@demo.hub.brussels",
    ),
    (
        "bie",
        "silversquare-europe",
        2,
        "10:00",
        "12:00",
        30,
        1,
        1,
        ["en", "fr"],
        "registered",
        "advisor.bie@demo.hub.brussels",
    ),
    (
        "atrium",
        "village-partenaire",
        4,
        "09:30",
        "12:00",
        30,
        1,
        1,
        ["fr", "nl"],
        "registered",
        "advisor.atrium@demo.hub.brussels",
    ),
    ("impulse", "greenbizz", 0, "13:00", "16:00", 45, 1, 2, ["nl", "fr"], "registered", None),
    ("innoviris", "eebic", 0, "10:00", "12:00", 120, 8, 1, ["fr", "en"], "registered", None),
]
# Online permanences, open to every registered entrepreneur: a founder still abroad meets
# the agencies there before arriving (the landing itinerary offers only these until then).
# agency, host incubator, weekday, start, end, slot minutes, languages, link, advisor
ONLINE_SCHEDULES = [
    (
        "bie",
        "silversquare-europe",
        1,
        "14:00",
        "16:00",
        30,
        ["en", "fr"],
        "https://meet.hub.brussels/bie-landing",
        "advisor.bie@demo.hub.brussels",
    ),
    (
        "impulse",
        "icab",
        3,
        "09:30",
        "11:30",
        30,
        ["en", "fr", "nl"],
        "https://meet.hub.brussels/impulse-landing",
        "advisor.impulse@demo.hub.brussels",
    ),
]

# email, agency, language, need category, what they want to discuss
BOOKINGS = [
    (
        "entrepreneur@demo.hub.brussels",
        "impulse",
        "fr",
        "financing",
        "Nous préparons une levée de fonds de 300 000 € : prêt régional ou business angels ?",
    ),
    (
        "founder.en@demo.hub.brussels",
        "bie",
        "en",
        "export",
        "We are moving our team from Lagos to Brussels: which permits and first steps?",
    ),
]


FOUNDERS = [
    "entrepreneur@demo.hub.brussels",
    "founder.nl@demo.hub.brussels",
    "founder.en@demo.hub.brussels",
]
PAST_DAYS = 28
# The past meetings of each agency: the oldest attended (all but one answered the survey),
# one missed, and those of its last permanence day not marked yet (attendance can be
# marked up to two weeks after a meeting).
ATTENDED, NO_SHOW, TO_MARK = 7, 1, 2
MARKABLE_DAYS = 13
# What the founders came to discuss, and what the advisor noted after, in their language.
PAST_TOPICS = {
    "fr": [
        "Premier rendez-vous : présenter le projet et les besoins de financement.",
        "Trouver des clients B2B en Belgique et aux Pays-Bas.",
    ],
    "nl": [
        "Welke steunmaatregelen passen bij onze eerste aanwerving?",
        "Hoe maken we onze werkplaats klaar voor een subsidie-aanvraag?",
    ],
    "en": [
        "Checking our plan before we apply for a regional grant.",
        "Which first steps to set up our Brussels office?",
    ],
}
OUTCOMES = {
    "fr": ["Plan de financement revu ; dossier de prêt à compléter.", "Orienté vers le coaching."],
    "nl": ["Subsidie-aanvraag besproken; volgende stap is het budget.", "Doorverwezen."],
    "en": ["Went through the grant criteria; draft due next month.", "Sent to coaching."],
}
# A day the Atrium advisor cannot hold the permanence at Village Partenaire.
CANCELLED_DAY = ("atrium", "village-partenaire")
CANCELLED_REASON = (
    "Formation de l'équipe Atrium / Opleidingsdag van het Atrium-team / Atrium team training"
)


def load_schedules(*, with_past: bool) -> int:
    """The coordinator defines schedules in the admin (no service for that); the slots come
    from the same generation the admin and the nightly task run."""
    created = 0
    today = timezone.localdate()
    rows = [
        (
            agency,
            place,
            weekday,
            start,
            end,
            languages,
            advisor,
            {
                "slot_minutes": minutes,
                "capacity": capacity,
                "every_n_weeks": every,
                "audience": audience,
            },
        )
        for (
            agency,
            place,
            weekday,
            start,
            end,
            minutes,
            capacity,
            every,
            languages,
            audience,
            advisor,
        ) in SCHEDULES
    ] + [
        (
            agency,
            place,
            weekday,
            start,
            end,
            languages,
            advisor,
            {
                "slot_minutes": minutes,
                "audience": PermanenceSchedule.Audience.REGISTERED,
                "mode": PermanenceSchedule.Mode.ONLINE,
                "meeting_url": link,
            },
        )
        for agency, place, weekday, start, end, minutes, languages, link, advisor in (
            ONLINE_SCHEDULES
        )
    ]
    for agency, place, weekday, start, end, languages, advisor, details in rows:
        schedule, is_new = PermanenceSchedule.objects.get_or_create(
            agency=Agency.objects.get(slug=agency),
            incubator=Incubator.objects.get(slug=place),
            weekday=weekday,
            start_time=datetime.time.fromisoformat(start),
            defaults={
                "end_time": datetime.time.fromisoformat(end),
                "valid_from": today - datetime.timedelta(days=PAST_DAYS),
                "booking_opens_days": 42,
                **details,
            },
        )
        if is_new:
            created += 1
            schedule.languages.set(Language.objects.filter(code__in=languages))
            if advisor:
                schedule.advisors.set(Advisor.objects.filter(user__email=advisor))
        if with_past:
            # Generated as if it had run four weeks ago, so the past weeks have their
            # slots (and their meetings, below); the nightly run only touches future slots.
            slots_generate(
                schedule=schedule,
                now=timezone.now() - datetime.timedelta(days=PAST_DAYS),
                days=PAST_DAYS + horizon_days(),
            )
        else:
            slots_generate(schedule=schedule)
    return created


def load_bookings() -> int:
    """Each founder books the first open slot of their agency that will take them."""
    created = 0
    now = timezone.now()
    for email, agency, language, category, topic in BOOKINGS:
        user = User.objects.get(email=email)
        if user.bookings.filter(starts_at__gt=now).exists():
            continue
        slots = Slot.objects.filter(
            agency__slug=agency,
            status=Slot.Status.OPEN,
            bookable_from__lte=now,
            bookable_until__gte=now,
        ).order_by("starts_at")[:5]
        for slot in slots:
            try:
                booking_create(
                    slot_id=slot.pk,
                    user=user,
                    category=NeedCategory.objects.get(slug=category),
                    topic=topic,
                    language=language,
                    consent_share_profile=True,
                )
            except BookingRefused:
                continue
            created += 1
            break
    return created


def _advisor_of(slot: Slot) -> User:
    advisor = slot.schedule.advisors.first() or Advisor.objects.filter(agency=slot.agency).first()
    return advisor.user


def _book_in_the_past(slot: Slot, founders: list[User], turn: int) -> Booking | None:
    """Book as the founders would have, a day before the meeting: the first of them (in
    turn) that the slot takes."""
    languages = list(slot.schedule.languages.values_list("code", flat=True))
    categories = list(
        NeedCategory.objects.filter(services__agency=slot.agency).distinct().order_by("order")
    )
    for user in founders[turn:] + founders[:turn]:
        try:
            return booking_create(
                slot_id=slot.pk,
                user=user,
                category=categories[turn % len(categories)],
                topic=PAST_TOPICS[user.language][turn % 2],
                language=user.language if user.language in languages else languages[0],
                consent_share_profile=True,
                now=slot.starts_at - datetime.timedelta(days=1),
            )
        except BookingRefused:
            continue
    return None


def _spread(slots: list[Slot]) -> list[tuple[Slot, int]]:
    """The first slot of each permanence day, then the second of each, and so on, each
    with the founder whose turn it is: the meetings spread over the weeks and the people
    rather than filling one morning with one person."""
    by_day = defaultdict(list)
    for slot in slots:
        by_day[timezone.localdate(slot.starts_at)].append(slot)
    rounds = zip_longest(*(by_day[day] for day in sorted(by_day)))
    return [
        (slot, day + number)
        for number, one_round in enumerate(rounds)
        for day, slot in enumerate(one_round)
        if slot is not None
    ]


def load_past_bookings() -> dict[str, int]:
    """The past weeks at each agency's permanences, through the services. Notices about
    that past (confirmations of meetings held long ago, invitations already answered) are
    marked no longer relevant, so the demo mailbox holds only what a person would get now."""
    done = {"past bookings": 0, "to mark": 0, "survey answers": 0}
    now = timezone.now()
    founders = list(User.objects.filter(email__in=FOUNDERS).order_by("email"))
    past = []
    for agency in Agency.objects.filter(slots__isnull=False).distinct().order_by("order"):
        if Booking.objects.filter(
            slot__agency=agency, user__in=founders, starts_at__lt=now
        ).exists():
            continue
        slots = list(
            Slot.objects.filter(
                agency=agency,
                status=Slot.Status.OPEN,
                booked_count=0,
                starts_at__gte=now - datetime.timedelta(days=PAST_DAYS),
                ends_at__lte=now,
            )
            .select_related("schedule", "agency")
            .order_by("starts_at")
        )
        # The agency's last permanence day (within the days attendance can still be
        # marked) holds the meetings to mark; the days before, the marked ones.
        last_day = max(
            (
                timezone.localdate(slot.starts_at)
                for slot in slots
                if slot.starts_at >= now - datetime.timedelta(days=MARKABLE_DAYS)
            ),
            default=None,
        )
        older = _spread([s for s in slots if timezone.localdate(s.starts_at) != last_day])
        recent = [s for s in slots if timezone.localdate(s.starts_at) == last_day]
        marked = []
        for number, (slot, turn) in enumerate(older):
            if len(marked) == ATTENDED + NO_SHOW:
                break
            booking = _book_in_the_past(slot, founders, turn % len(founders))
            if booking is None:
                continue
            attended = len(marked) < ATTENDED
            booking = booking_mark_attendance(
                booking=booking,
                attended=attended,
                outcome=OUTCOMES[booking.user.language][number % 2] if attended else "",
                by=_advisor_of(slot),
                now=booking.ends_at + datetime.timedelta(minutes=15),
            )
            marked.append(booking)
            past.append(booking)
        answered = [b for b in marked if b.status == Booking.Status.ATTENDED][:-1]
        for number, booking in enumerate(answered):
            invitation = Invitation.objects.filter(booking=booking).first()
            if invitation is not None:
                # Each agency starts elsewhere in the answers: their results differ.
                survey_answer(invitation=invitation, number=number + 3 * agency.order)
                done["survey answers"] += 1
        to_mark = 0
        for turn, slot in enumerate(reversed(recent)):
            for seat in range(slot.capacity):  # a group session takes several people
                if to_mark == TO_MARK:
                    break
                booking = _book_in_the_past(slot, founders, (turn + seat) % len(founders))
                if booking is None:
                    break
                past.append(booking)
                to_mark += 1
        done["past bookings"] += len(marked)
        done["to mark"] += to_mark
    answered_keys = [
        f"{SURVEY_INVITATION}:booking:{invitation.booking_id}:user:{invitation.user_id}"
        for invitation in Invitation.objects.filter(booking__in=past, answered_at__isnull=False)
    ]
    Notification.objects.filter(state=Notification.State.PENDING).filter(booking__in=past).update(
        state=Notification.State.SKIPPED
    )
    Notification.objects.filter(state=Notification.State.PENDING, key__in=answered_keys).update(
        state=Notification.State.SKIPPED
    )
    return done


def load_cancelled_day() -> int:
    """The advisor cancels a coming permanence day (one free of demo bookings, so nobody
    is told); it stays cancelled when the slots are generated again. Returns the number
    of slots cancelled."""
    if Slot.objects.filter(cancel_reason=CANCELLED_REASON).exists():
        return 0
    agency, place = CANCELLED_DAY
    week_ahead = timezone.now() + datetime.timedelta(days=7)
    free_days = sorted(
        {
            timezone.localdate(starts_at)
            for starts_at in Slot.objects.filter(
                agency__slug=agency,
                incubator__slug=place,
                status=Slot.Status.OPEN,
                starts_at__gte=week_ahead,
            ).values_list("starts_at", flat=True)
        }
        - {
            timezone.localdate(starts_at)
            for starts_at in Booking.objects.filter(
                slot__agency__slug=agency, starts_at__gte=week_ahead
            ).values_list("starts_at", flat=True)
        }
    )
    if not free_days:
        return 0
    slots, _bookings = day_cancel(
        incubator_id=Incubator.objects.get(slug=place).pk,
        agency_id=Agency.objects.get(slug=agency).pk,
        day=free_days[0],
        reason=CANCELLED_REASON,
        by=Advisor.objects.filter(agency__slug=agency).first().user,
    )
    return slots
