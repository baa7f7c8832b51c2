import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User

from .models import Advisor, Agency, Company, Incubator, Membership


class MembershipError(Exception):
    """A membership request or decision that cannot be made; the message is for the user."""


def company_create(
    *,
    user: User,
    name: str,
    country: str,
    enterprise_number: str,
    sector: str,
    stage: str,
    website: str = "",
    description: str = "",
) -> Company:
    with transaction.atomic():
        company = Company.objects.create(
            name=name,
            country=country,
            enterprise_number=enterprise_number,
            sector=sector,
            stage=stage,
            website=website,
            description=description,
        )
        company.people.add(user)
    return company


def company_join(*, user: User, company: Company) -> Company:
    company.people.add(user)
    return company


def membership_request(
    *, company: Company, incubator: Incubator, start: datetime.date, requested_by: User
) -> Membership:
    try:
        with transaction.atomic():
            return Membership.objects.create(
                company=company,
                incubator=incubator,
                start=start,
                requested_by=requested_by,
                status=Membership.Status.PENDING,
            )
    except IntegrityError as exc:
        raise MembershipError(
            _("%(company)s already has a membership or a pending request at %(incubator)s.")
            % {"company": company, "incubator": incubator}
        ) from exc


def _membership_decide(*, membership: Membership, decided_by: User, status: str) -> Membership:
    updated = Membership.objects.filter(pk=membership.pk, status=Membership.Status.PENDING).update(
        status=status, decided_by=decided_by, decided_at=timezone.now()
    )
    if not updated:
        raise MembershipError(_("This request has already been decided."))
    membership.refresh_from_db()
    return membership


def membership_confirm(*, membership: Membership, decided_by: User) -> Membership:
    return _membership_decide(
        membership=membership, decided_by=decided_by, status=Membership.Status.CONFIRMED
    )


def membership_reject(*, membership: Membership, decided_by: User) -> Membership:
    return _membership_decide(
        membership=membership, decided_by=decided_by, status=Membership.Status.REJECTED
    )


def advisor_create(*, user: User, agency: Agency, job_title: str = "") -> Advisor:
    with transaction.atomic():
        advisor = Advisor.objects.create(user=user, agency=agency, job_title=job_title)
        if user.role != Role.COORDINATOR:
            user.role = Role.ADVISOR
            user.save(update_fields=["role"])
    return advisor


def incubator_add_manager(*, incubator: Incubator, user: User) -> None:
    with transaction.atomic():
        incubator.managers.add(user)
        if user.role == Role.ENTREPRENEUR:
            user.role = Role.INCUBATOR_MANAGER
            user.save(update_fields=["role"])
