"""The directory's part of a person's data: their companies, join requests, the
incubators they manage and their advisor record (accounts.personal_data)."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.personal_data import eraser, fields_of, section

from .models import Advisor, Company, CompanyJoinRequest, Consent, Membership


@section("companies", _("Companies and memberships"), order=20)
def companies(user: User) -> list[dict[str, Any]]:
    rows = []
    for company in Company.objects.filter(people=user).prefetch_related("memberships__incubator"):
        row = fields_of(
            company, "name", "enterprise_number", "country", "sector", "stage", "website"
        )
        row["memberships"] = [
            fields_of(m, "incubator", "status", "start", "end") for m in company.memberships.all()
        ]
        rows.append(row)
    return rows


@section("company_join_requests", _("Requests to join a company"), order=21)
def join_requests(user: User) -> list[dict[str, Any]]:
    return [
        fields_of(r, "company", "status", "created_at", "decided_at")
        for r in CompanyJoinRequest.objects.filter(user=user).select_related("company")
    ]


@section("roles", _("Incubators managed and agency staff record"), order=22)
def roles(user: User) -> dict[str, Any]:
    advisor = Advisor.objects.filter(user=user).select_related("agency").first()
    return {
        "managed_incubators": [str(i) for i in user.managed_incubators.all()],
        "advisor": fields_of(advisor, "agency", "job_title", "expertise", "is_active")
        if advisor
        else None,
    }


@section("consents", _("Consents given to the agencies"), order=23)
def consents(user: User) -> list[dict[str, Any]]:
    return [
        fields_of(c, "agency", "purpose", "version", "given_at", "ended_at", "end_reason")
        for c in Consent.objects.filter(user=user).select_related("agency")
    ]


@eraser
def erase_consents(user: User) -> None:
    """The consents stay as proof of what was agreed, ended: nothing is shared any more."""
    Consent.objects.filter(user=user, ended_at__isnull=True).update(
        ended_at=timezone.now(), end_reason=Consent.EndReason.ERASED
    )


@eraser
def erase(user: User) -> None:
    """The person leaves their companies; a company nobody else speaks for goes with its
    memberships (bookings and needs keep their counts, without the company). An advisor
    record stays, inactive and blank, for the survey results by advisor."""
    for company in Company.objects.filter(people=user):
        company.people.remove(user)
        if not company.people.exists():
            Membership.objects.filter(company=company).delete()
            company.delete()
    CompanyJoinRequest.objects.filter(user=user).delete()
    user.managed_incubators.clear()
    for advisor in Advisor.objects.filter(user=user):
        advisor.languages.clear()
        Advisor.objects.filter(pk=advisor.pk).update(is_active=False, job_title="", expertise="")
