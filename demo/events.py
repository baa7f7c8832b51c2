"""Demo events, in the three languages: a networking evening that is full with a waiting
list (Sofia, the demo entrepreneur, is first in line), an info session to come (Amara has
her ticket) and a past networking evening the three demo founders attended (E2's
`demo.events_operations` adds its check-ins and feedback). Registrations go through the
services, as people's would; guests confirm their address as the email asks."""

import datetime
import importlib.util

from django.utils import timezone

from accounts.models import User
from events.models import Event, EventQuestion, EventSession
from events.services import (
    guest_confirmation_token,
    registration_confirm_email,
    registration_create,
)
from incubators.models import Agency, Incubator, Language

PAST_SLUG = "demo-past-networking"

GUESTS = [
    ("Lucas Vermeulen", "lucas.vermeulen@example.org", "nl"),
    ("Camille Renard", "camille.renard@example.org", "fr"),
    ("Yusuf Demir", "yusuf.demir@example.org", "en"),
    ("Emma De Smet", "emma.desmet@example.org", "nl"),
    ("Chloé Lambert", "chloe.lambert@example.org", "fr"),
    ("Olivia Brown", "olivia.brown@example.org", "en"),
    ("Bram Willems", "bram.willems@example.org", "nl"),
]


def _at(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _event(*, titles: tuple[str, str, str], descriptions: tuple[str, str, str], **fields) -> Event:
    languages = fields.pop("languages")
    sessions = fields.pop("sessions")
    event = Event.objects.create(
        title_fr=titles[0],
        title_nl=titles[1],
        title_en=titles[2],
        description_fr=descriptions[0],
        description_nl=descriptions[1],
        description_en=descriptions[2],
        status=Event.Status.PUBLISHED,
        **fields,
    )
    event.languages.set(Language.objects.filter(code__in=languages))
    for starts_at, ends_at in sessions:
        EventSession.objects.create(event=event, starts_at=starts_at, ends_at=ends_at)
    return event


def _guest(event: Event, name: str, email: str, language: str, *, now=None) -> None:
    registration = registration_create(
        event_id=event.pk, guest_name=name, guest_email=email, language=language, now=now
    )
    registration_confirm_email(signed=guest_confirmation_token(registration), now=now)


def load_events() -> int:
    if Event.objects.exists():
        return 0
    founders = {u.email: u for u in User.objects.filter(email__endswith="@demo.hub.brussels")}
    sofia = founders["entrepreneur@demo.hub.brussels"]
    pieter = founders["founder.nl@demo.hub.brussels"]
    amara = founders["founder.en@demo.hub.brussels"]
    hub_only = {"organiser_agency": None, "organiser_incubator": None}

    networking = _event(
        slug="founders-networking-evening",
        kind=Event.Kind.NETWORKING,
        titles=(
            "Soirée networking des fondateurs",
            "Netwerkavond voor oprichters",
            "Founders' networking evening",
        ),
        descriptions=(
            "Rencontrez d'autres fondateurs, les agences et les incubateurs bruxellois "
            "autour d'un verre.",
            "Ontmoet andere oprichters, de agentschappen en de Brusselse incubatoren bij "
            "een drankje.",
            "Meet other founders, the agencies and Brussels incubators over a drink.",
        ),
        venue=Incubator.objects.get(slug="becentral"),
        capacity=6,
        languages=["fr", "nl", "en"],
        sessions=[(_at(9, 18, 30), _at(9, 21, 30))],
        **hub_only,
    )
    for name, email, language in GUESTS[:6]:
        _guest(networking, name, email, language)
    registration_create(event_id=networking.pk, user=sofia)  # waiting list, number 1
    _guest(networking, *GUESTS[6])  # number 2

    info = _event(
        slug="info-session-financing",
        kind=Event.Kind.INFO_SESSION,
        titles=(
            "Séance d'info : financer sa start-up",
            "Infosessie: je start-up financieren",
            "Info session: financing your start-up",
        ),
        descriptions=(
            "Prêts, subsides et investisseurs : les aides régionales expliquées en une heure.",
            "Leningen, subsidies en investeerders: de gewestelijke steun in één uur uitgelegd.",
            "Loans, grants and investors: the regional support explained in one hour.",
        ),
        organiser_agency=Agency.objects.get(slug="innoviris"),
        address="Rue Montoyer 10, 1000 Bruxelles",
        online_url="https://meet.example.org/hub-eu-financing",
        capacity=40,
        approval=Event.Approval.AUTOMATIC,
        languages=["fr", "nl"],
        sessions=[(_at(16, 12, 30), _at(16, 13, 30))],
    )
    EventQuestion.objects.create(
        event=info,
        label_fr="Quel est votre besoin de financement ?",
        label_nl="Wat is uw financieringsbehoefte?",
        label_en="What financing do you need?",
        kind=EventQuestion.Kind.TEXT,
    )
    registration_create(event_id=info.pk, user=amara)

    past_start = _at(-14, 18, 0)
    past = _event(
        slug=PAST_SLUG,
        kind=Event.Kind.NETWORKING,
        titles=(
            "Apéro des start-ups de l'ICAB",
            "Start-upborrel bij ICAB",
            "ICAB start-up drinks",
        ),
        descriptions=(
            "Les start-ups de l'ICAB présentent leur projet en deux minutes.",
            "De start-ups van ICAB stellen hun project in twee minuten voor.",
            "ICAB's start-ups pitch their project in two minutes.",
        ),
        organiser_incubator=Incubator.objects.get(slug="icab"),
        venue=Incubator.objects.get(slug="icab"),
        capacity=30,
        languages=["fr", "en"],
        sessions=[(past_start, past_start + datetime.timedelta(hours=3))],
    )
    registered_at = past_start - datetime.timedelta(days=7)
    for user in (sofia, pieter, amara):
        registration_create(event_id=past.pk, user=user, now=registered_at)
    for name, email, language in GUESTS[:3]:
        _guest(past, name, email, language, now=registered_at)

    if importlib.util.find_spec("demo.events_operations"):
        from demo.events_operations import load_events_operations

        load_events_operations()
    return Event.objects.count()
