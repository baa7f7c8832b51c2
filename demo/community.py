"""The community directory of the demo: five member companies publish their profile
(two of them through a colleague who joined the company for it), and one visitor's
message waits in Pixelforge's space. Made through the community and directory services;
running it twice changes nothing."""

from accounts.models import User
from community.models import CompanyProfile, ContactMessage
from community.services import contact_message_send, profile_publish, profile_save
from incubators.models import Company, CompanyJoinRequest
from incubators.services import company_join, company_join_approve

from .directory import COORDINATOR_EMAIL, _sign_up

# Company, the person who writes its profile (email, first, last, language; None: the
# founder the directory demo made), tagline, description, looking for, note, contact on.
PROFILES = [
    (
        "Pixelforge",
        None,
        "Des outils de conception 3D pour les architectes, dans le navigateur.",
        "Pixelforge conçoit un logiciel de modélisation 3D qui tourne dans le navigateur, "
        "pour les bureaux d'architectes et les bureaux d'études. Nous avons nos premiers "
        "clients à Bruxelles et à Liège.",
        ["talent", "pilots"],
        "Un développeur WebGL, et un bureau d'architectes pour un pilote.",
        True,
    ),
    (
        "Groene Kring",
        None,
        "Tweedehands kantoormeubilair, opgeknapt in Brussel.",
        "Groene Kring haalt kantoormeubilair op bij bedrijven die verhuizen, knapt het op "
        "in onze werkplaats in Laken en verhuurt het aan start-ups en coworkings.",
        ["partners", "investment"],
        "Bedrijven die verhuizen, en een eerste investeerder voor een tweede werkplaats.",
        True,
    ),
    (
        "Lumo Health",
        None,
        "Remote monitoring of chronic patients by phone, from Lagos to Brussels.",
        "Lumo Health follows patients with diabetes and hypertension between visits, with "
        "a simple phone app and a nurse dashboard. Used by 40 clinics in Nigeria; we open "
        "our European office in Brussels.",
        ["pilots", "partners", "investment"],
        "A Brussels hospital or health insurer for a first European pilot.",
        True,
    ),
    (
        "DataDock",
        ("thomas.willems@demo.hub.brussels", "Thomas", "Willems", "nl"),
        "Data pipelines for logistics companies, without a data team.",
        "DataDock connects the warehouse, transport and invoicing tools of mid-sized "
        "logistics companies and turns them into one dashboard.",
        ["talent"],
        "Two data engineers who speak French or Dutch.",
        True,
    ),
    (
        "Cargo Vélo Bruxelles",
        ("ines.benali@demo.hub.brussels", "Inès", "Benali", "fr"),
        "Livraisons du dernier kilomètre à vélo cargo, dans les 19 communes.",
        "Cargo Vélo Bruxelles livre colis et repas en vélo cargo pour les commerces du "
        "centre, sans bruit ni émissions.",
        ["partners", "pilots"],
        "Des commerces et des communes pour des tournées pilotes.",
        False,
    ),
]

# The message waiting in Pixelforge's space: sender, company, subject, body.
MESSAGE = (
    "founder.nl@demo.hub.brussels",
    "Pixelforge",
    "Meubilair in 3D voor onze klanten?",
    "Dag Sofia, wij knappen kantoormeubilair op en zouden het graag in 3D tonen aan "
    "onze klanten. Hebt u tijd voor een koffie bij Greenbizz of ICAB?\nPieter",
)


def _person_of(company: Company, person: tuple[str, str, str, str] | None) -> User:
    if person is None:
        return company.people.order_by("pk").first()
    email, first, last, language = person
    user, _created = _sign_up(email, first, last, language)
    if not company.people.filter(pk=user.pk).exists():
        join_request = CompanyJoinRequest.objects.filter(
            company=company, user=user, status=CompanyJoinRequest.Status.PENDING
        ).first() or company_join(user=user, company=company)
        company_join_approve(
            join_request=join_request, decided_by=User.objects.get(email=COORDINATOR_EMAIL)
        )
    return user


def load_community() -> int:
    """The published profiles and the message; returns how many profiles were created."""
    created = 0
    for name, person, tagline, description, seeks, note, contact in PROFILES:
        company = Company.objects.get(name=name)
        if CompanyProfile.objects.filter(company=company).exists():
            continue
        author = _person_of(company, person)
        profile = profile_save(
            company=company,
            by=author,
            tagline=tagline,
            description=description,
            looking_for=seeks,
            looking_for_note=note,
            contact_enabled=contact,
        )
        profile_publish(profile=profile, by=author)
        created += 1

    sender_email, company_name, subject, body = MESSAGE
    sender = User.objects.get(email=sender_email)
    profile = CompanyProfile.objects.get(company__name=company_name)
    if not ContactMessage.objects.filter(sender=sender, company=profile.company).exists():
        contact_message_send(profile=profile, sender=sender, subject=subject, body=body)
    return created
