"""Reads on test-before-invest requests: an entrepreneur's own, and those an agency
holds (its needs inbox has the request's need, shared with it)."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from accounts.models import User
from incubators.models import Agency, Service
from needs.models import RoutedNeed

from .models import TestRequest
from .reference_data import AGENCY_SLUG


def _routings() -> Prefetch:
    return Prefetch(
        "need__routings",
        queryset=RoutedNeed.objects.select_related("agency").prefetch_related("messages"),
    )


def requests_for_user(*, user: User) -> QuerySet[TestRequest]:
    """A person's requests, newest first, each with its need's routings (agency, status,
    messages) prefetched: a constant number of queries."""
    return (
        TestRequest.objects.filter(user=user)
        .select_related("need")
        .prefetch_related(_routings())
        .order_by("-created_at", "-pk")
    )


def _held_by(agency: Agency):
    return Exists(RoutedNeed.objects.filter(need=OuterRef("need_id"), agency=agency, shared=True))


def requests_for_agency(*, agency: Agency) -> QuerySet[TestRequest]:
    """The requests whose need this agency received and may still see (the entrepreneur
    has not withdrawn their consent), newest first, with their routings."""
    return (
        TestRequest.objects.filter(_held_by(agency))
        .select_related("need", "user")
        .prefetch_related(_routings())
        .order_by("-created_at", "-pk")
    )


def edih_services() -> QuerySet[Service]:
    """The EDIH's public services, for the page presenting test before invest."""
    return (
        Service.objects.filter(agency__slug=AGENCY_SLUG, agency__is_active=True, is_active=True)
        .select_related("agency")
        .prefetch_related("categories")
        .order_by("order", "pk")
    )


def routing_of(test_request: TestRequest, agency: Agency) -> RoutedNeed | None:
    """The agency's routing of the request's need (its latest), from the prefetch."""
    rows = [r for r in test_request.need.routings.all() if r.agency_id == agency.pk]
    return max(rows, key=lambda r: (r.created_at, r.pk)) if rows else None
