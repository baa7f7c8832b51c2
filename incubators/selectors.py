from django.db.models import Count, Prefetch, Q, QuerySet

from .models import Agency, Company, Incubator, Membership, Service


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
        member_count=Count("memberships", filter=Q(memberships__status="confirmed"), distinct=True)
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
