"""Demo data that looks like Brussels: real places, fictitious companies and people."""

import datetime
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from accounts.services import user_set_role
from incubators.models import Advisor, Agency, Company, Incubator, Language, Membership
from incubators.reference_data import translated_fields
from incubators.services import incubator_add_manager

DEMO_PASSWORD = "hub-demo-2026"

INCUBATORS = [
    {
        "slug": "icab",
        "kind": Incubator.Kind.INCUBATOR,
        "street": "Rue des Pères Blancs 4",
        "postal_code": "1040",
        "commune": "etterbeek",
        "lat": "50.826900",
        "lon": "4.397400",
        "languages": ["fr", "nl", "en"],
        "name": ("ICAB", "ICAB", "ICAB"),
        "description": (
            "Incubateur technologique près de la VUB, pour les start-ups en ICT et en ingénierie.",
            "Technologische incubator bij de VUB, voor start-ups in ICT en engineering.",
            "Technology incubator next to the VUB, for ICT and engineering start-ups.",
        ),
    },
    {
        "slug": "becentral",
        "kind": Incubator.Kind.COWORKING,
        "street": "Cantersteen 12",
        "postal_code": "1000",
        "commune": "bruxelles",
        "lat": "50.845300",
        "lon": "4.357300",
        "languages": ["fr", "nl", "en"],
        "name": ("BeCentral", "BeCentral", "BeCentral"),
        "description": (
            "Campus numérique au-dessus de la gare Centrale : écoles de code, start-ups, événements.",
            "Digitale campus boven het Centraal Station: codeerscholen, start-ups, evenementen.",
            "Digital campus above Central Station: coding schools, start-ups and events.",
        ),
    },
    {
        "slug": "greenbizz",
        "kind": Incubator.Kind.INCUBATOR,
        "street": "Rue Dieudonné Lefèvre 17",
        "postal_code": "1020",
        "commune": "bruxelles",
        "lat": "50.868000",
        "lon": "4.348500",
        "languages": ["fr", "nl"],
        "name": ("Greenbizz", "Greenbizz", "Greenbizz"),
        "description": (
            "Incubateur et ateliers pour les entreprises de l'économie verte et circulaire.",
            "Incubator en werkplaatsen voor ondernemingen in de groene en circulaire economie.",
            "Incubator and workshops for green and circular economy companies.",
        ),
    },
    {
        "slug": "eebic",
        "kind": Incubator.Kind.BUSINESS_CENTRE,
        "street": "Allée de la Recherche 12",
        "postal_code": "1070",
        "commune": "anderlecht",
        "lat": "50.815000",
        "lon": "4.266000",
        "languages": ["fr", "en"],
        "name": ("EEBIC", "EEBIC", "EEBIC"),
        "description": (
            "Centre d'entreprises et d'innovation au parc scientifique Erasmus.",
            "Bedrijven- en innovatiecentrum in het wetenschapspark Erasmus.",
            "Business and innovation centre in the Erasmus science park.",
        ),
    },
    {
        "slug": "village-partenaire",
        "kind": Incubator.Kind.INCUBATOR,
        "street": "Rue Fernand Bernier 15",
        "postal_code": "1060",
        "commune": "saint-gilles",
        "lat": "50.825700",
        "lon": "4.338200",
        "languages": ["fr", "nl", "ar"],
        "name": ("Village Partenaire", "Village Partenaire", "Village Partenaire"),
        "description": (
            "Centre d'entreprises pour les créateurs de Saint-Gilles et des communes voisines.",
            "Ondernemingscentrum voor starters uit Sint-Gillis en de buurgemeenten.",
            "Business centre for founders from Saint-Gilles and neighbouring municipalities.",
        ),
    },
    {
        "slug": "silversquare-europe",
        "kind": Incubator.Kind.COWORKING,
        "street": "Square de Meeûs 35",
        "postal_code": "1000",
        "commune": "bruxelles",
        "lat": "50.838500",
        "lon": "4.371400",
        "languages": ["en", "fr", "de"],
        "name": ("Silversquare Europe", "Silversquare Europe", "Silversquare Europe"),
        "description": (
            "Coworking du quartier européen, tremplin des start-ups internationales.",
            "Coworking in de Europese wijk, springplank voor internationale start-ups.",
            "Coworking in the European quarter, a springboard for international start-ups.",
        ),
    },
]

# email, first, last, language, role, agency slug or managed incubator slug
PEOPLE = [
    ("coordinator@demo.hub.brussels", "Claire", "Vandenberghe", "fr", Role.COORDINATOR, None),
    ("entrepreneur@demo.hub.brussels", "Sofia", "Martins", "fr", Role.ENTREPRENEUR, None),
    ("founder.nl@demo.hub.brussels", "Pieter", "Janssens", "nl", Role.ENTREPRENEUR, None),
    ("founder.en@demo.hub.brussels", "Amara", "Okafor", "en", Role.ENTREPRENEUR, None),
    ("advisor.impulse@demo.hub.brussels", "Marc", "Dubois", "fr", Role.ADVISOR, "impulse"),
    ("advisor.innoviris@demo.hub.brussels", "Leen", "Peeters", "nl", Role.ADVISOR, "innoviris"),
    ("advisor.bie@demo.hub.brussels", "Hugo", "Lambert", "en", Role.ADVISOR, "bie"),
    ("advisor.atrium@demo.hub.brussels", "Nadia", "El Amrani", "fr", Role.ADVISOR, "atrium"),
    ("manager@demo.hub.brussels", "Julie", "Claes", "nl", Role.INCUBATOR_MANAGER, "icab"),
]

# name, first 8 digits of the enterprise number (None: foreign), country, sector, stage,
# incubator, member email
COMPANIES = [
    ("Pixelforge", "07123456", "BE", "ict", "early", "icab", "entrepreneur@demo.hub.brussels"),
    (
        "Groene Kring",
        "07234567",
        "BE",
        "circular",
        "pre_seed",
        "greenbizz",
        "founder.nl@demo.hub.brussels",
    ),
    (
        "Lumo Health",
        None,
        "NG",
        "health",
        "growth",
        "silversquare-europe",
        "founder.en@demo.hub.brussels",
    ),
    ("Atelier Sablon", "07345678", "BE", "retail", "idea", "village-partenaire", None),
    ("DataDock", "07456789", "BE", "ict", "growth", "becentral", None),
    ("Cargo Vélo Bruxelles", "07567890", "BE", "services", "early", "becentral", None),
    ("Nordlicht Robotics", None, "DE", "industry", "early", "eebic", None),
]


def enterprise_number_from(prefix: str) -> str:
    base = int(prefix)
    return f"{prefix}{97 - base % 97:02d}"


def _person(email, first, last, language) -> tuple[User, bool]:
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": first, "last_name": last, "language": language}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user, created


@transaction.atomic
def load_demo_data() -> dict[str, int]:
    created = {"incubators": 0, "people": 0, "companies": 0, "schedules": 0, "needs": 0}
    languages = {language.code: language for language in Language.objects.all()}
    for data in INCUBATORS:
        incubator, is_new = Incubator.objects.get_or_create(
            slug=data["slug"],
            defaults={
                "kind": data["kind"],
                "street": data["street"],
                "postal_code": data["postal_code"],
                "commune": data["commune"],
                "latitude": Decimal(data["lat"]),
                "longitude": Decimal(data["lon"]),
                **translated_fields("name", data["name"]),
                **translated_fields("description", data["description"]),
            },
        )
        if is_new:
            incubator.languages.set([languages[code] for code in data["languages"]])
            created["incubators"] += 1

    for email, first, last, language, role, scope in PEOPLE:
        user, is_new = _person(email, first, last, language)
        created["people"] += int(is_new)
        if role == Role.COORDINATOR and user.role != Role.COORDINATOR:
            user_set_role(user=user, role=Role.COORDINATOR)
        elif role == Role.ADVISOR and not Advisor.objects.filter(user=user).exists():
            from incubators.services import advisor_create

            advisor = advisor_create(
                user=user, agency=Agency.objects.get(slug=scope), job_title="Conseiller·ère"
            )
            advisor.languages.set([languages[language], languages["en"]])
        elif role == Role.INCUBATOR_MANAGER:
            incubator_add_manager(incubator=Incubator.objects.get(slug=scope), user=user)

    coordinator = User.objects.get(email=PEOPLE[0][0])
    today = timezone.localdate()
    for name, prefix, country, sector, stage, incubator_slug, member_email in COMPANIES:
        number = enterprise_number_from(prefix) if prefix else ""
        lookup = {"enterprise_number": number} if number else {"name": name, "country": country}
        company, is_new = Company.objects.get_or_create(
            **lookup,
            defaults={"name": name, "country": country, "sector": sector, "stage": stage},
        )
        if not is_new:
            continue
        created["companies"] += 1
        if member_email:
            company.people.add(User.objects.get(email=member_email))
        Membership.objects.create(
            company=company,
            incubator=Incubator.objects.get(slug=incubator_slug),
            start=today - datetime.timedelta(days=200),
            status=Membership.Status.CONFIRMED,
            decided_by=coordinator,
            decided_at=timezone.now(),
        )
    created["schedules"] = load_demo_schedules()
    created["needs"] = load_demo_needs()
    created["surveys"] = load_demo_surveys()
    # One request waiting for the demo manager to confirm.
    atelier = Company.objects.get(name="Atelier Sablon")
    if not Membership.objects.filter(company=atelier, incubator__slug="icab").exists():
        Membership.objects.create(
            company=atelier,
            incubator=Incubator.objects.get(slug="icab"),
            start=today,
            status=Membership.Status.PENDING,
        )
    return created


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


def load_demo_schedules() -> int:
    """Weekly permanences of the four agencies and their slots; one booking per demo
    entrepreneur so their pages are not empty. Idempotent."""
    from incubators.models import NeedCategory
    from permanences.generation import slots_generate
    from permanences.models import PermanenceSchedule, Slot
    from permanences.services import BookingRefused, booking_create

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

    for email, agency, language in [
        ("entrepreneur@demo.hub.brussels", "impulse", "fr"),
        ("founder.en@demo.hub.brussels", "bie", "en"),
    ]:
        user = User.objects.get(email=email)
        if user.bookings.exists():
            continue
        for slot in Slot.objects.filter(
            agency__slug=agency,
            status=Slot.Status.OPEN,
            bookable_from__lte=timezone.now(),
            bookable_until__gte=timezone.now(),
        ).order_by("starts_at")[:5]:
            try:
                booking_create(
                    slot_id=slot.pk,
                    user=user,
                    category=NeedCategory.objects.get(
                        slug="financing" if agency == "impulse" else "export"
                    ),
                    topic={
                        "fr": "Nous préparons une levée de fonds de 300 000 € : prêt régional ou business angels ?",
                        "en": "We are moving our team from Lagos to Brussels: which permits and first steps?",
                    }[language],
                    language=language,
                    consent_share_profile=True,
                )
                break
            except BookingRefused:
                continue
    return created


DEMO_NEEDS = [
    # email, category, urgency, description, answer from the agency (or "")
    (
        "entrepreneur@demo.hub.brussels",
        "financing",
        "high",
        "Nous cherchons 300 000 € pour recruter deux développeurs : quelles aides régionales "
        "combiner avec un prêt bancaire ?",
        "Bonjour Sofia, regardons ensemble le prêt subordonné et la prime à l'emploi mardi à ICAB.",
    ),
    (
        "founder.en@demo.hub.brussels",
        "landing",
        "normal",
        "Our team of four is moving from Lagos: which residence permits do we need, and can "
        "we register the company before we arrive?",
        "",
    ),
    (
        "founder.nl@demo.hub.brussels",
        "circular-social",
        "low",
        "We willen onze herstelwerkplaats uitbreiden: bestaat er een oproep voor circulaire "
        "projecten in 2027?",
        "",
    ),
]


def load_demo_needs() -> int:
    """A few needs routed by the rules, one already answered. Idempotent."""
    from incubators.models import NeedCategory
    from needs.services import need_create, routed_need_answer

    created = 0
    for email, category, urgency, description, answer in DEMO_NEEDS:
        user = User.objects.get(email=email)
        if user.needs.exists():
            continue
        need = need_create(
            user=user,
            category=NeedCategory.objects.get(slug=category),
            description=description,
            urgency=urgency,
            consent=True,
        )
        created += 1
        routed = need.routings.order_by("agency__order").first()
        if answer and routed:
            advisor = Advisor.objects.filter(agency=routed.agency).select_related("user").first()
            if advisor:
                routed_need_answer(routed=routed, by=advisor.user, body=answer)
    return created


def load_demo_surveys() -> int:
    """The standard survey after attended bookings, and a periodic one of ICAB's members
    open for a month (beat invites them within a minute). Idempotent."""
    from surveys.defaults import standard_survey_create
    from surveys.models import Survey

    if Survey.objects.exists():
        return 0
    standard_survey_create(kind=Survey.Kind.AFTER_BOOKING)
    standard_survey_create(
        kind=Survey.Kind.PERIODIC,
        incubator=Incubator.objects.get(slug="icab"),
        closes_at=timezone.now() + datetime.timedelta(days=30),
    )
    return 2


def demo_logins() -> list[tuple[str, str, str]]:
    rows = []
    for email, *_names, _lang, role, scope in PEOPLE:
        label = Role(role).label
        if scope:
            label = f"{label} ({scope})"
        rows.append((str(label), email, DEMO_PASSWORD))
    return rows
