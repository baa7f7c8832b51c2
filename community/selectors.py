"""Reads of the community directory: the public list with its search and filters (a
constant number of queries whatever the page holds), one profile as a visitor or one of
the company's people sees it, a person's companies and the messages they received."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from accounts.models import User
from incubators.models import Company, Membership
from incubators.selectors import directory_labels

from .models import CompanyProfile, ContactMessage, LookingFor

PAGE_SIZE = 12
SEARCH_MAX = 100


def clean_search(text: str) -> str:
    # PostgreSQL refuses a NUL character in a query: it can only be a probe.
    return " ".join(text.replace("\x00", "").split())[:SEARCH_MAX]


@dataclass(frozen=True)
class DirectoryFilters:
    q: str = ""
    sector: str = ""
    incubator: str = ""  # an incubator's slug
    looking_for: str = ""  # a LookingFor value
    stage: str = ""


def _current_memberships() -> Prefetch:
    return Prefetch(
        "company__memberships",
        queryset=Membership.objects.filter(Membership.current_q()).only(
            "pk", "company_id", "incubator_id"
        ),
        to_attr="current_memberships",
    )


def profiles_public(*, filters: DirectoryFilters = DirectoryFilters()) -> QuerySet[CompanyProfile]:
    """The published profiles matching `filters`, by company name; each carries
    `company.current_memberships` (see incubator_names)."""
    profiles = (
        CompanyProfile.objects.published()
        .select_related("company")
        .prefetch_related(_current_memberships())
    )
    q = clean_search(filters.q)
    for word in q.split()[:8]:
        profiles = profiles.filter(
            Q(company__name__icontains=word)
            | Q(tagline__icontains=word)
            | Q(description__icontains=word)
            | Q(looking_for_note__icontains=word)
        )
    if filters.sector:
        profiles = profiles.filter(company__sector=filters.sector)
    if filters.stage:
        profiles = profiles.filter(company__stage=filters.stage)
    if filters.looking_for in LookingFor.values:
        profiles = profiles.filter(**{f"seeks_{filters.looking_for}": True})
    if filters.incubator:
        profiles = profiles.filter(
            Exists(
                Membership.objects.filter(
                    Membership.current_q(),
                    company=OuterRef("company"),
                    incubator__slug=filters.incubator,
                )
            )
        )
    return profiles.order_by("company__name", "pk")


def incubator_names(profile: CompanyProfile) -> list[str]:
    """The incubators the company is a member of today, from the cached directory labels
    (no query per profile)."""
    names = directory_labels()["incubators"]
    memberships = getattr(profile.company, "current_memberships", None)
    if memberships is None:
        memberships = profile.company.memberships.filter(Membership.current_q())
    return sorted({names[m.incubator_id] for m in memberships if m.incubator_id in names})


def profile_for(*, slug: str, user: User) -> CompanyProfile | None:
    """The profile at `slug` if `user` may see it: published, or they are one of the
    company's people (who see it before publishing it)."""
    profile = (
        CompanyProfile.objects.select_related("company")
        .prefetch_related(_current_memberships())
        .filter(slug=slug)
        .first()
    )
    if profile is None:
        return None
    if profile.is_published:
        return profile
    if user.is_authenticated and profile.company.people.filter(pk=user.pk).exists():
        return profile
    return None


def companies_of(*, user: User) -> list[Company]:
    """The person's companies, each with `profile` (or None) and `message_count`."""
    companies = list(user.companies.select_related("community_profile").order_by("name", "pk"))
    counts: dict[int, int] = {}
    for company_id in ContactMessage.objects.filter(
        company__in=[c.pk for c in companies]
    ).values_list("company_id", flat=True):
        counts[company_id] = counts.get(company_id, 0) + 1
    for company in companies:
        company.profile = getattr(company, "community_profile", None)
        company.message_count = counts.get(company.pk, 0)
    return companies


def company_of(*, user: User, company_id: int) -> Company | None:
    """One of the person's companies (someone else's is None: a 404)."""
    if not user.is_authenticated:
        return None
    return user.companies.filter(pk=company_id).first()


def messages_received(*, company: Company) -> QuerySet[ContactMessage]:
    return ContactMessage.objects.filter(company=company).order_by("-created_at", "-pk")
