"""The agencies' weekly permanences at the demo incubators, their slots, and a booking for
two of the demo founders so their pages are not empty."""

import datetime

from django.utils import timezone

from accounts.models import User
from incubators.models import Advisor, Agency, Incubator, Language, NeedCategory
from permanences.generation import slots_generate
from permanences.models import PermanenceSchedule, Slot
from permanences.services import BookingRefused, booking_create

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


def load_schedules() -> int:
    """The coordinator defines schedules in the admin (no service for that); the slots come
    from the same generation the admin and the nightly task run."""
    created = 0
    today = timezone.localdate()
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
    ) in SCHEDULES:
        schedule, is_new = PermanenceSchedule.objects.get_or_create(
            agency=Agency.objects.get(slug=agency),
            incubator=Incubator.objects.get(slug=place),
            weekday=weekday,
            start_time=datetime.time.fromisoformat(start),
            defaults={
                "end_time": datetime.time.fromisoformat(end),
                "slot_minutes": minutes,
                "capacity": capacity,
                "every_n_weeks": every,
                "valid_from": today - datetime.timedelta(days=28),
                "audience": audience,
                "booking_opens_days": 42,
            },
        )
        if is_new:
            created += 1
            schedule.languages.set(Language.objects.filter(code__in=languages))
            if advisor:
                schedule.advisors.set(Advisor.objects.filter(user__email=advisor))
        slots_generate(schedule=schedule)
    return created


def load_bookings() -> int:
    """Each founder books the first open slot of their agency that will take them."""
    created = 0
    now = timezone.now()
    for email, agency, language, category, topic in BOOKINGS:
        user = User.objects.get(email=email)
        if user.bookings.exists():
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
