import datetime
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.services import user_set_role
from common.language import de

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
            _("%(company)s already has a membership or a pending request at %(of_incubator)s.")
            % {"company": company, "of_incubator": de(incubator)}
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


def memberships_decide(
    *, memberships: Iterable[Membership], decided_by: User, confirm: bool
) -> tuple[int, int]:
    """Confirm (or decline) each request through the decision service; those decided
    meanwhile (or already) are left as they are. Returns (decided, left as they were)."""
    decide = membership_confirm if confirm else membership_reject
    decided = skipped = 0
    for membership in memberships:
        try:
            decide(membership=membership, decided_by=decided_by)
        except MembershipError:
            skipped += 1
        else:
            decided += 1
    return decided, skipped


def membership_record(*, membership: Membership, recorded_by: User) -> Membership:
    """The coordinator records a membership they know of (from the admin): it is
    requested and confirmed by them, as if the incubator's manager had."""
    with transaction.atomic():
        membership.status = Membership.Status.PENDING
        membership.requested_by = recorded_by
        membership.save()
        return membership_confirm(membership=membership, decided_by=recorded_by)


def _give_role(*, user: User, role: str, replacing: Iterable[str]) -> None:
    """Give `role` to a user whose role is one of `replacing`: a coordinator stays one."""
    if user.role != role and user.role in replacing:
        user_set_role(user=user, role=role)


def advisor_save(*, advisor: Advisor) -> Advisor:
    """Save an advisor (new or changed). An active advisor gets the advisor role, without
    which their agenda and inbox answer 404; a coordinator keeps their role."""
    with transaction.atomic():
        advisor.save()
        if advisor.is_active:
            _give_role(
                user=advisor.user,
                role=Role.ADVISOR,
                replacing=(Role.ENTREPRENEUR, Role.INCUBATOR_MANAGER),
            )
    return advisor


def advisor_create(*, user: User, agency: Agency, job_title: str = "") -> Advisor:
    return advisor_save(advisor=Advisor(user=user, agency=agency, job_title=job_title))


def incubator_add_manager(*, incubator: Incubator, user: User) -> None:
    """Make `user` a manager of `incubator`; an entrepreneur gets the manager role."""
    with transaction.atomic():
        incubator.managers.add(user)
        _give_role(user=user, role=Role.INCUBATOR_MANAGER, replacing=(Role.ENTREPRENEUR,))
