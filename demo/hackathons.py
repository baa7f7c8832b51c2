"""The demo hackathon: "Hack the EU Quarter", promoting the international institutions in
Brussels, with three challenges (an EU institution, a Region service, a company), three
teams of registered participants and one submission; two advisors sit on the jury.
Created through the events and hackathons services, as people would."""

import datetime

from django.utils import timezone

from accounts.models import User
from events.models import Event, EventSession
from events.services import registration_create
from hackathons import services
from hackathons.models import Challenge, ChallengeResource, Criterion, Hackathon, Partner

from .directory import _sign_up

SLUG = "hack-the-eu-quarter"

PARTNERS = [
    (
        "European Commission – DG CONNECT",
        Partner.Kind.EU_INSTITUTION,
        "https://commission.europa.eu/",
    ),
    ("Brussels Mobility", Partner.Kind.REGION, "https://mobility.brussels/"),
    ("EuroQuarter Labs", Partner.Kind.COMPANY, "https://example.org/euroquarter-labs"),
]

# partner, (title fr, nl, en), (statement fr, nl, en), (prizes fr, nl, en), resources
CHALLENGES = [
    (
        "European Commission – DG CONNECT",
        (
            "L'Europe à deux pas",
            "Europa om de hoek",
            "Europe next door",
        ),
        (
            "Les habitants du quartier européen connaissent mal les institutions voisines. "
            "Imaginez une application qui rend leurs données ouvertes utiles au quotidien : "
            "visites, emplois, consultations publiques.",
            "De bewoners van de Europese wijk kennen de instellingen naast de deur nauwelijks. "
            "Bedenk een toepassing die hun open data nuttig maakt in het dagelijks leven: "
            "bezoeken, vacatures, openbare raadplegingen.",
            "People living in the European Quarter hardly know the institutions next door. "
            "Build an application that makes their open data useful day to day: visits, "
            "jobs, public consultations.",
        ),
        (
            "5 000 € et une présentation au Berlaymont",
            "5 000 € en een presentatie in het Berlaymont",
            "€5,000 and a pitch at the Berlaymont",
        ),
        [("data.europa.eu – the EU open data portal", "https://data.europa.eu/")],
    ),
    (
        "Brussels Mobility",
        (
            "Une promenade plus verte dans le quartier européen",
            "Een groenere wandeling door de Europese wijk",
            "A greener walk through the European Quarter",
        ),
        (
            "Rue de la Loi, rond-point Schuman, place du Luxembourg : aidez piétons et "
            "cyclistes à traverser le quartier plus sûrement, avec les comptages et les "
            "chantiers en temps réel.",
            "Wetstraat, Schumanplein, Luxemburgplein: help voetgangers en fietsers veiliger "
            "door de wijk, met de tellingen en de werven in real time.",
            "Rue de la Loi, Schuman roundabout, Place du Luxembourg: help pedestrians and "
            "cyclists cross the quarter more safely, with live counts and roadworks.",
        ),
        (
            "Un test grandeur nature avec Bruxelles Mobilité",
            "Een test op ware grootte met Brussel Mobiliteit",
            "A real-world pilot with Brussels Mobility",
        ),
        [("Brussels Mobility open data", "https://data.mobility.brussels/")],
    ),
    (
        "EuroQuarter Labs",
        (
            "Atterrir à Bruxelles",
            "Landen in Brussel",
            "Landing in Brussels",
        ),
        (
            "Une start-up internationale arrive à Bruxelles : un guichet numérique qui "
            "l'oriente vers les bons services publics, incubateurs et institutions.",
            "Een internationale start-up komt naar Brussel: een digitaal loket dat haar naar "
            "de juiste openbare diensten, incubatoren en instellingen leidt.",
            "An international start-up lands in Brussels: a digital desk that points it to "
            "the right public services, incubators and institutions.",
        ),
        (
            "Six mois d'hébergement offerts",
            "Zes maanden gratis huisvesting",
            "Six months of free desk space",
        ),
        [("EuroQuarter Labs sandbox API", "https://example.org/euroquarter-labs/api")],
    ),
]

# name fr, nl, en; weight
CRITERIA = [
    (("Impact", "Impact", "Impact"), 3),
    (("Innovation", "Innovatie", "Innovation"), 2),
    (("Faisabilité", "Haalbaarheid", "Feasibility"), 2),
    (("Usage des données du défi", "Gebruik van de data", "Use of the challenge's data"), 1),
]

# email, first, last, language
PARTICIPANTS = [
    ("entrepreneur@demo.hub.brussels", "Sofia", "Martins", "fr"),
    ("founder.nl@demo.hub.brussels", "Pieter", "Janssens", "nl"),
    ("founder.en@demo.hub.brussels", "Amara", "Okafor", "en"),
    ("ines.hacker@demo.hub.brussels", "Inès", "Moreau", "fr"),
    ("jonas.hacker@demo.hub.brussels", "Jonas", "Wouters", "nl"),
    ("lena.hacker@demo.hub.brussels", "Lena", "Schmidt", "en"),
]
JURORS = ["advisor.bie@demo.hub.brussels", "advisor.innoviris@demo.hub.brussels"]


def _event(now: datetime.datetime) -> Event:
    """The event, two weeks ahead from a Friday evening to Sunday afternoon."""
    event = Event.objects.filter(slug=SLUG).first()
    if event is not None:
        return event
    day = timezone.localdate(now) + datetime.timedelta(days=14)
    day += datetime.timedelta(days=(4 - day.weekday()) % 7)  # a Friday
    friday = timezone.make_aware(datetime.datetime.combine(day, datetime.time(18, 0)))
    event = Event.objects.create(
        slug=SLUG,
        kind=Event.Kind.HACKATHON,
        title_fr="Hack the EU Quarter",
        title_nl="Hack the EU Quarter",
        title_en="Hack the EU Quarter",
        description_fr=(
            "Un week-end pour faire découvrir les institutions internationales de Bruxelles "
            "par de nouvelles applications collaboratives, avec leurs données ouvertes."
        ),
        description_nl=(
            "Een weekend om de internationale instellingen in Brussel te leren kennen via "
            "nieuwe samenwerkingsapps, met hun open data."
        ),
        description_en=(
            "A weekend to bring Brussels' international institutions closer to people "
            "through new collaborative applications built on their open data."
        ),
        address="Station Europa, Place du Luxembourg, 1050 Ixelles",
        capacity=60,
        audience=Event.Audience.SIGNED_IN,
        status=Event.Status.PUBLISHED,
    )
    EventSession.objects.create(
        event=event,
        title_fr="Lancement et formation des équipes",
        title_nl="Aftrap en teamvorming",
        title_en="Kick-off and team building",
        starts_at=friday,
        ends_at=friday + datetime.timedelta(hours=4),
    )
    EventSession.objects.create(
        event=event,
        title_fr="Hacking, démos et jury",
        title_nl="Hacking, demo's en jury",
        title_en="Hacking, demos and jury",
        starts_at=friday + datetime.timedelta(hours=15),
        ends_at=friday + datetime.timedelta(days=1, hours=23),
    )
    return event


def load_hackathons(*, now: datetime.datetime | None = None) -> int:
    """Returns how many teams were created (0 when the demo hackathon exists)."""
    now = now or timezone.now()
    if Hackathon.objects.filter(event__slug=SLUG).exists():
        return 0
    event = _event(now)
    first_session = event.sessions.order_by("starts_at").first()
    hackathon = Hackathon.objects.create(
        event=event,
        team_size_max=4,
        # Sunday 14:00, the demos in the afternoon.
        submission_deadline=first_session.starts_at + datetime.timedelta(hours=44),
    )
    for name, kind, website in PARTNERS:
        Partner.objects.get_or_create(name=name, defaults={"kind": kind, "website": website})
    for order, (partner, titles, statements, prizes, resources) in enumerate(CHALLENGES, 1):
        challenge = Challenge.objects.create(
            hackathon=hackathon,
            partner=Partner.objects.get(name=partner),
            order=order,
            **dict(zip(("title_fr", "title_nl", "title_en"), titles, strict=True)),
            **dict(zip(("statement_fr", "statement_nl", "statement_en"), statements, strict=True)),
            **dict(zip(("prizes_fr", "prizes_nl", "prizes_en"), prizes, strict=True)),
        )
        for label, url in resources:
            ChallengeResource.objects.create(challenge=challenge, label=label, url=url)
    for order, (names, weight) in enumerate(CRITERIA, 1):
        Criterion.objects.create(
            hackathon=hackathon,
            order=order,
            weight=weight,
            **dict(zip(("name_fr", "name_nl", "name_en"), names, strict=True)),
        )
    hackathon.jurors.set(User.objects.filter(email__in=JURORS))

    people = {}
    for email, first, last, language in PARTICIPANTS:
        user, _created = _sign_up(email, first, last, language)
        registration_create(event_id=event.pk, user=user, language=language, now=now)
        people[first] = user
    eu, mobility, landing = hackathon.challenges.order_by("order")
    open_quarter = services.team_create(
        hackathon=hackathon,
        user=people["Sofia"],
        name="Quartier Ouvert",
        pitch="Les portes ouvertes des institutions, sur une seule carte.",
        challenge=eu,
        now=now,
    )
    services.team_join(token=open_quarter.invite_token, user=people["Inès"], now=now)
    green = services.team_create(
        hackathon=hackathon,
        user=people["Pieter"],
        name="Groene Golf",
        pitch="Veilig te voet en per fiets door de Europese wijk.",
        challenge=mobility,
        looking_for_members=True,
        skills_wanted="UX design, data visualisation, GTFS",
        now=now,
    )
    services.team_join(token=green.invite_token, user=people["Jonas"], now=now)
    services.team_create(
        hackathon=hackathon,
        user=people["Amara"],
        name="Landing Pad",
        pitch="A chat desk that answers newcomers in their language.",
        challenge=landing,
        looking_for_members=True,
        skills_wanted="Django, translation, chatbot",
        now=now,
    )
    services.skill_post_save(
        hackathon=hackathon,
        user=people["Lena"],
        skills="Python, open data, cartography",
        note="Data scientist at an EU agency, free all weekend.",
    )
    services.submission_save(
        team=open_quarter,
        user=people["Sofia"],
        project_name="Portes Ouvertes UE",
        challenge=eu,
        description=(
            "Une carte des journées portes ouvertes, visites et consultations des "
            "institutions européennes, avec rappels dans la langue de chacun."
        ),
        repository_url="https://example.org/quartier-ouvert/portes-ouvertes",
        demo_url="https://example.org/quartier-ouvert/demo",
        now=now,
    )
    coordinator = User.objects.filter(is_staff=True, role="coordinator").first()
    if coordinator is not None:
        services.jurors_assign(hackathon=hackathon, by=coordinator)
    return 3
