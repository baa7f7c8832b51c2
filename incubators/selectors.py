from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import translation

from .models import Agency, Company, Incubator, Language, Membership, NeedCategory, Service

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
