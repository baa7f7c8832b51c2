"""The ecosystem directory of the demo: real Brussels places, fictitious companies and people.

People sign up as allauth would, take their roles through the accounts and directory
services; the demo founders register their company and ask for membership themselves, the
other members arrive in the spreadsheet the incubators send the coordinator.
"""

import datetime
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import Role, User
from accounts.services import user_set_role
from incubators.importing import members_import
from incubators.models import Advisor, Agency, Company, Incubator, Language, Membership
from incubators.reference_data import translated_fields
from incubators.services import (
    advisor_create,
    company_create,
    incubator_add_manager,
    membership_confirm,
    membership_request,
)

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
COORDINATOR_EMAIL = "coordinator@demo.hub.brussels"
PEOPLE = [
    (COORDINATOR_EMAIL, "Claire", "Vandenberghe", "fr", Role.COORDINATOR, None),
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


# A request waiting for the demo manager of ICAB to confirm.
PENDING_REQUEST = ("Atelier Sablon", "icab")
MEMBER_FOR_DAYS = 200


def enterprise_number_from(prefix: str) -> str:
    base = int(prefix)
    return f"{prefix}{97 - base % 97:02d}"


def load_incubators() -> int:
    """The coordinator enters incubators in the admin: there is no service to call."""
    created = 0
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
            created += 1
    return created


def _sign_up(email: str, first: str, last: str, language: str) -> tuple[User, bool]:
    """An account with a verified address, as allauth's signup leaves it."""
    user = User.objects.filter(email=email).first()
    created = user is None
    if created:
        user = User.objects.create_user(
            email, DEMO_PASSWORD, first_name=first, last_name=last, language=language
        )
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user, created


def load_people() -> int:
    created = 0
    languages = {language.code: language for language in Language.objects.all()}
    for email, first, last, language, role, scope in PEOPLE:
        user, is_new = _sign_up(email, first, last, language)
        created += int(is_new)
        if role == Role.COORDINATOR and user.role != Role.COORDINATOR:
            user_set_role(user=user, role=Role.COORDINATOR)
        elif role == Role.ADVISOR and not Advisor.objects.filter(user=user).exists():
            advisor = advisor_create(
                user=user, agency=Agency.objects.get(slug=scope), job_title="Conseiller·ère"
            )
            # An advisor's languages are edited in the admin; no service for them.
            advisor.languages.set([languages[language], languages["en"]])
        elif role == Role.INCUBATOR_MANAGER:
            incubator_add_manager(incubator=Incubator.objects.get(slug=scope), user=user)
    return created


def _company_lookup(name: str, number: str, country: str) -> dict[str, str]:
    # The member import recognises a company the same way.
    if number:
        return {"enterprise_number": number}
    return {"name__iexact": name, "country": country}


def load_companies(*, coordinator: User) -> int:
    """The founders' companies, registered from onboarding and confirmed by the coordinator;
    the other members, imported from an incubators' spreadsheet; one pending request.
    A company already there is left as it is, memberships included."""
    created = 0
    since = timezone.localdate() - datetime.timedelta(days=MEMBER_FOR_DAYS)
    imported_rows = []
    for name, prefix, country, sector, stage, incubator_slug, member_email in COMPANIES:
        number = enterprise_number_from(prefix) if prefix else ""
        if Company.objects.filter(**_company_lookup(name, number, country)).exists():
            continue
        if member_email is None:
            imported_rows.append(
                {
                    "company": name,
                    "enterprise_number": number,
                    "country": country,
                    "sector": sector,
                    "stage": stage,
                    "incubator": incubator_slug,
                    "member_since": since.isoformat(),
                }
            )
            continue
        founder = User.objects.get(email=member_email)
        company = company_create(
            user=founder,
            name=name,
            country=country,
            enterprise_number=number,
            sector=sector,
            stage=stage,
        )
        membership = membership_request(
            company=company,
            incubator=Incubator.objects.get(slug=incubator_slug),
            start=since,
            requested_by=founder,
        )
        membership_confirm(membership=membership, decided_by=coordinator)
        created += 1
    if imported_rows:
        report = members_import(rows=imported_rows, imported_by=coordinator)
        if not report.ok:
            raise ValueError(f"The demo members do not import: {report.errors}")
        created += report.companies_created

    name, incubator_slug = PENDING_REQUEST
    company = Company.objects.get(name=name)
    if not Membership.objects.filter(company=company, incubator__slug=incubator_slug).exists():
        # Nobody of the company has an account: the coordinator asks on its behalf.
        membership_request(
            company=company,
            incubator=Incubator.objects.get(slug=incubator_slug),
            start=timezone.localdate(),
            requested_by=coordinator,
        )
    return created


def demo_logins() -> list[tuple[str, str, str]]:
    rows = []
    for email, *_names, _lang, role, scope in PEOPLE:
        label = Role(role).label
        if scope:
            label = f"{label} ({scope})"
        rows.append((str(label), email, DEMO_PASSWORD))
    return rows
