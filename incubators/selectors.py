from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone, translation

from accounts.models import Role, User

from .models import (
    Agency,
    Company,
    CompanyJoinRequest,
    Incubator,
    Language,
    Membership,
    NeedCategory,
    Service,
)

# Raise when the cached structure changes, so a deploy never reads an older shape.
DIRECTORY_LABELS_VERSION = 1
DIRECTORY_LABELS_SECONDS = 300


def translated_columns(field: str) -> list[str]:
    """A modeltranslation field with its columns in every language, so `only()` does not
    defer the one the current language reads (which would cost a query per row)."""
    return [field] + [f"{field}_{code}" for code, _name in settings.LANGUAGES]


def _directory_labels_key(language: str) -> str:
    return f"incubators:directory-labels:v{DIRECTORY_LABELS_VERSION}:{language}"


def directory_labels() -> dict:
    """The names every list of the site shows beside its rows, by id, and the options of
    filters by incubator, agency, category or language, as (value, label) pairs; cached
    per language and cleared when one of these models is saved or deleted. Small: it grows
    with the directory, not with the bookings or needs that refer to it."""
    key = _directory_labels_key(translation.get_language() or settings.LANGUAGE_CODE)
    labels = cache.get(key)
    if labels is None:
        incubators = list(Incubator.objects.only("slug", "is_active", *translated_columns("name")))
        agencies = list(Agency.objects.only("slug", "short_name", "color", "is_active", "order"))
        categories = list(
            NeedCategory.objects.only("slug", "is_active", "order", *translated_columns("name"))
        )
        languages = list(Language.objects.only("code", "order", *translated_columns("name")))
        labels = {
            "agencies": {a.pk: (a.short_name, a.color) for a in agencies},
            "incubators": {i.pk: str(i.name) for i in incubators},
            "categories": {c.pk: str(c.name) for c in categories},
            "choices": {
                "incubator": [(i.slug, str(i.name)) for i in incubators if i.is_active],
                "agency": [(a.slug, a.short_name) for a in agencies if a.is_active],
                "category": [(c.slug, str(c.name)) for c in categories if c.is_active],
                "language": [(lang.code, str(lang.name)) for lang in languages],
            },
        }
        cache.set(key, labels, DIRECTORY_LABELS_SECONDS)
    return labels


def directory_labels_clear(**_kwargs) -> None:
    cache.delete_many([_directory_labels_key(code) for code, _name in settings.LANGUAGES])


def agency_list_public() -> QuerySet[Agency]:
    services = Service.objects.filter(is_active=True).prefetch_related("categories")
    return Agency.objects.filter(is_active=True).prefetch_related(
        Prefetch("services", queryset=services, to_attr="public_services")
    )


def incubator_list_public(
    *, commune: str = "", kind: str = "", language: str = "", q: str = ""
) -> QuerySet[Incubator]:
    qs = Incubator.objects.filter(is_active=True).prefetch_related("languages")
    if commune:
        qs = qs.filter(commune=commune)
    if kind:
        qs = qs.filter(kind=kind)
    if language:
        qs = qs.filter(languages__code=language)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(description__icontains=q) | Q(street__icontains=q))
    return qs.annotate(
        member_count=Count(
            "memberships__company", filter=Membership.current_q(prefix="memberships"), distinct=True
        )
    ).distinct()


def incubator_members(*, incubator: Incubator) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(incubator=incubator)
        .select_related("company", "requested_by", "decided_by")
        .prefetch_related("company__people")
        .order_by("status", "company__name")
    )


def company_list_for_user(*, user) -> QuerySet[Company]:
    return user.companies.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("incubator").order_by("-start"),
        )
    )


def membership_states(*, user, on=None) -> dict[int, str]:
    """Where the person stands at each incubator, by id: "member" (a current membership
    of one of their companies) or "pending" (a request awaiting confirmation). One query."""
    states: dict[int, str] = {}
    if not user.is_authenticated:
        return states
    rows = (
        Membership.objects.filter(company__people=user)
        .filter(Membership.current_q(on=on) | Q(status=Membership.Status.PENDING))
        .values_list("incubator_id", "status")
    )
    for incubator_id, status in rows:
        if status == Membership.Status.CONFIRMED:
            states[incubator_id] = "member"
        else:
            states.setdefault(incubator_id, "pending")
    return states


# --- Requests to join a company ------------------------------------------------------


def _memberships_in_force_or_to_come() -> Q:
    """A confirmed membership that has not ended (it may start later)."""
    today = timezone.localdate()
    return Q(status=Membership.Status.CONFIRMED) & (Q(end__isnull=True) | Q(end__gte=today))


def company_join_requests_for_decider(*, user) -> QuerySet[CompanyJoinRequest]:
    """The requests (any status) `user` may decide: those to join a company they are one
    of the people of, or a company that is a member of an incubator they manage; the
    coordinator decides them all. Never their own."""
    requests = CompanyJoinRequest.objects.select_related("company", "user", "decided_by")
    if not user.is_authenticated:
        return requests.none()
    requests = requests.exclude(user=user)
    if user.is_coordinator:
        return requests
    managed_members = Membership.objects.filter(
        _memberships_in_force_or_to_come(), incubator__managers=user
    ).values("company_id")
    own_companies = Company.people.through.objects.filter(user=user).values("company_id")
    return requests.filter(Q(company_id__in=own_companies) | Q(company_id__in=managed_members))


def company_join_requests_to_decide(*, user) -> QuerySet[CompanyJoinRequest]:
    """What waits for `user`'s decision, oldest first."""
    return (
        company_join_requests_for_decider(user=user)
        .filter(status=CompanyJoinRequest.Status.PENDING)
        .order_by("created_at", "pk")
    )


def company_join_requests_of(*, user, decided_limit: int = 5) -> list[CompanyJoinRequest]:
    """The person's own requests: every pending one, then the last few decided."""
    mine = CompanyJoinRequest.objects.filter(user=user).select_related("company")
    pending = list(mine.filter(status=CompanyJoinRequest.Status.PENDING).order_by("-created_at"))
    if not decided_limit:
        return pending
    closed = list(
        mine.exclude(status=CompanyJoinRequest.Status.PENDING).order_by("-decided_at")[
            :decided_limit
        ]
    )
    return pending + closed


def company_join_approvers(*, company: Company, requester: User) -> list[User]:
    """Who is told that `requester` asks to join `company`: its people and the managers
    of the incubators it is a member of; the coordinators when there is nobody else."""
    memberships = Membership.objects.filter(_memberships_in_force_or_to_come(), company=company)
    people = User.objects.filter(is_active=True).exclude(pk=requester.pk)
    approvers = list(
        people.filter(
            Q(companies=company) | Q(managed_incubators__in=memberships.values("incubator_id"))
        )
        .distinct()
        .order_by("pk")
    )
    if approvers:
        return approvers
    return list(people.filter(is_staff=True, role=Role.COORDINATOR).order_by("pk"))
