"""The demo experimentation calls: an open "test before invest" call of the EDIH on AI
for public services, with three applications of the demo entrepreneurs (two submitted
and scored, one draft) and two evaluators, one of whom declared a conflict of interest;
and Innoviris' closed "Circular Innovation – re-use & recycle" call with its decisions
published. Created through the calls services, as people would."""

import datetime

from django.utils import timezone

from accounts.models import User
from calls import services
from calls.models import Application, Assignment, Call, Criterion
from incubators.models import Agency, Company, Theme
from incubators.reference_data import translated_fields

from .directory import COORDINATOR_EMAIL, _sign_up

EVALUATOR_EMAIL = "evaluator@demo.hub.brussels"
OPEN_SLUG = "edih-ai-public-services"
CLOSED_SLUG = "circular-innovation-reuse-recycle"

OPEN_CALL = {
    "title": (
        "Tester avant d'investir : l'IA au service du public",
        "Testen voor u investeert: AI ten dienste van het publiek",
        "Test before invest: AI for public services",
    ),
    "summary": (
        "Le pôle européen d'innovation numérique de Bruxelles et la Commission européenne "
        "cherchent des start-ups pour tester une solution d'IA avec un service public.",
        "De Brusselse Europese digitale-innovatiehub en de Europese Commissie zoeken "
        "start-ups om een AI-oplossing te testen met een openbare dienst.",
        "The Brussels European Digital Innovation Hub and the European Commission look for "
        "start-ups to test an AI solution with a public service.",
    ),
    "problem": (
        "Les guichets des administrations bruxelloises reçoivent chaque jour des milliers "
        "de questions en trois langues. Comment l'IA peut-elle aider les agents à répondre "
        "plus vite, sans jamais décider à leur place ?",
        "De loketten van de Brusselse besturen krijgen elke dag duizenden vragen in drie "
        "talen. Hoe kan AI de medewerkers helpen sneller te antwoorden, zonder ooit in hun "
        "plaats te beslissen?",
        "The desks of the Brussels administrations receive thousands of questions a day in "
        "three languages. How can AI help the staff answer faster, without ever deciding "
        "for them?",
    ),
    "eligibility": (
        "Start-ups et PME établies dans l'UE, avec un prototype fonctionnel (TRL 5 au moins).",
        "Start-ups en kmo's gevestigd in de EU, met een werkend prototype (minstens TRL 5).",
        "Start-ups and SMEs established in the EU, with a working prototype (TRL 5 or more).",
    ),
    "offer": (
        "Un test de trois mois avec un service régional, l'accès au calcul haute performance "
        "de l'EDIH et jusqu'à 60 000 € de financement.",
        "Een test van drie maanden met een gewestelijke dienst, toegang tot de high "
        "performance computing van de EDIH en tot 60 000 € financiering.",
        "A three-month test with a regional service, access to the EDIH's high-performance "
        "computing and up to €60,000 of funding.",
    ),
}

CLOSED_CALL = {
    "title": (
        "Circular Innovation – réemploi et recyclage",
        "Circular Innovation – hergebruik en recyclage",
        "Circular Innovation – re-use & recycle",
    ),
    "summary": (
        "Innoviris finance des projets pilotes qui prolongent la vie des matériaux à Bruxelles.",
        "Innoviris financiert pilootprojecten die materialen in Brussel langer laten meegaan.",
        "Innoviris funds pilots that keep materials in use longer in Brussels.",
    ),
    "problem": (
        "Les chantiers bruxellois jettent chaque année des tonnes de matériaux réutilisables.",
        "Brusselse bouwplaatsen gooien elk jaar tonnen herbruikbare materialen weg.",
        "Brussels building sites throw away tons of reusable materials every year.",
    ),
    "eligibility": (
        "Entreprises bruxelloises, seules ou avec un partenaire de recherche.",
        "Brusselse bedrijven, alleen of met een onderzoekspartner.",
        "Brussels companies, alone or with a research partner.",
    ),
    "offer": (
        "Un financement d'Innoviris jusqu'à 200 000 € pour un projet pilote de 18 mois.",
        "Financiering van Innoviris tot 200 000 € voor een pilootproject van 18 maanden.",
        "Innoviris funding of up to €200,000 for an 18-month pilot.",
    ),
}

# name (fr, nl, en), weight
OPEN_CRITERIA = [
    (("Innovation", "Innovatie", "Innovation"), 3),
    (("Impact pour le public", "Impact voor het publiek", "Impact for the public"), 2),
    (("Équipe et faisabilité", "Team en haalbaarheid", "Team and feasibility"), 1),
]
CLOSED_CRITERIA = [
    (("Circularité", "Circulariteit", "Circularity"), 2),
    (("Faisabilité", "Haalbaarheid", "Feasibility"), 1),
]


def _call(slug: str, texts: dict, **fields) -> Call:
    values = {}
    for name, translations in texts.items():
        values.update(translated_fields(name, translations))
    return Call.objects.create(slug=slug, status=Call.Status.PUBLISHED, **values, **fields)


def _criteria(call: Call, rows: list) -> list[Criterion]:
    return [
        Criterion.objects.create(
            call=call, order=order, weight=weight, **translated_fields("name", names)
        )
        for order, (names, weight) in enumerate(rows, start=1)
    ]


def _apply(call: Call, email: str, company: str, title: str, *, submit=True, now=None):
    user = User.objects.get(email=email)
    return services.application_save(
        call=call,
        user=user,
        company=Company.objects.filter(name=company, people=user).first(),
        project_title=title,
        team="Deux fondateurs et une développeuse, cinq ans d'expérience." if submit else "",
        solution="Une solution testée avec deux clients pilotes." if submit else "",
        trl=6 if submit else None,
        references="Two pilot customers in Brussels." if submit else "",
        submit=submit,
        now=now,
    )


def _score(call: Call, evaluator: User, application: Application, values: list[int]) -> None:
    assignment = Assignment.objects.get(application=application, evaluator=evaluator)
    criteria = list(call.criteria.all())
    services.scores_submit(
        assignment=assignment,
        evaluator=evaluator,
        values={c.pk: v for c, v in zip(criteria, values, strict=True)},
        comment="Solide, à confirmer en situation réelle.",
    )


def load_calls() -> int:
    """The two demo calls with their applications, evaluations and (for the closed one)
    published decisions. Returns the applications created; nothing when they exist."""
    if Call.objects.filter(slug__in=[OPEN_SLUG, CLOSED_SLUG]).exists():
        return 0
    coordinator = User.objects.get(email=COORDINATOR_EMAIL)
    evaluator, _created = _sign_up(EVALUATOR_EMAIL, "Eva", "Verhoeven", "nl")
    advisor = User.objects.get(email="advisor.innoviris@demo.hub.brussels")
    now = timezone.now()
    day = datetime.timedelta(days=1)

    open_call = _call(
        OPEN_SLUG,
        OPEN_CALL,
        funder_kind=Call.FunderKind.EDIH,
        funder_name="EDIH Brussels & European Commission (DG CONNECT)",
        opens_at=now - 14 * day,
        deadline=timezone.localtime(now + 21 * day).replace(hour=17, minute=0, second=0),
        score_max=5,
    )
    open_call.themes.set(Theme.objects.filter(slug="digitalisation"))
    _criteria(open_call, OPEN_CRITERIA)
    for person in (evaluator, advisor):
        services.evaluator_invite(call=open_call, by=coordinator, email=person.email)
    pixelforge = _apply(
        open_call, "entrepreneur@demo.hub.brussels", "Pixelforge", "Guichet multilingue assisté"
    )
    lumo = _apply(open_call, "founder.en@demo.hub.brussels", "Lumo Health", "CareDesk AI")
    _apply(
        open_call,
        "founder.nl@demo.hub.brussels",
        "Groene Kring",
        "Slimme sorteerhulp",
        submit=False,
    )
    services.evaluators_assign(call=open_call, by=coordinator)
    _score(open_call, evaluator, pixelforge, [4, 5, 3])
    _score(open_call, evaluator, lumo, [3, 4, 4])
    _score(open_call, advisor, pixelforge, [4, 4, 4])
    services.conflict_declare(
        assignment=Assignment.objects.get(application=lumo, evaluator=advisor),
        evaluator=advisor,
        reason="I coached this company last year.",
    )

    opened, deadline = now - 90 * day, now - 30 * day
    closed_call = _call(
        CLOSED_SLUG,
        CLOSED_CALL,
        funder_kind=Call.FunderKind.AGENCY,
        funder_name="Innoviris",
        agency=Agency.objects.filter(slug="innoviris").first(),
        opens_at=opened,
        deadline=timezone.localtime(deadline).replace(hour=12, minute=0, second=0),
        score_max=10,
    )
    closed_call.themes.set(Theme.objects.filter(slug="circular-economy"))
    _criteria(closed_call, CLOSED_CRITERIA)
    closed_call.managers.add(advisor)
    services.evaluator_invite(call=closed_call, by=coordinator, email=evaluator.email)
    submitted_at = opened + 20 * day
    kring = _apply(
        closed_call,
        "founder.nl@demo.hub.brussels",
        "Groene Kring",
        "Materialenbank Anderlecht",
        now=submitted_at,
    )
    pixel = _apply(
        closed_call,
        "entrepreneur@demo.hub.brussels",
        "Pixelforge",
        "Inventaire numérique des chantiers",
        now=submitted_at,
    )
    services.evaluators_assign(call=closed_call, by=advisor)
    _score(closed_call, evaluator, kring, [9, 7])
    _score(closed_call, evaluator, pixel, [5, 6])
    services.application_decide(
        application=kring,
        by=advisor,
        decision=Application.Decision.SELECTED,
        feedback="Een sterk project, met een duidelijke partner op het terrein.",
    )
    services.application_decide(
        application=pixel,
        by=advisor,
        decision=Application.Decision.NOT_SELECTED,
        feedback="Projet intéressant, mais la part de réemploi reste trop faible.",
    )
    services.decisions_publish(call=closed_call, by=advisor)
    return Application.objects.filter(call__in=[open_call, closed_call]).count()
