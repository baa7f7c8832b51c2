import datetime
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.services import user_set_role
from common.language import de
from notifications.services import notification_record

from . import notices
from .consents import version_of as consent_version_of
from .models import Advisor, Agency, Company, CompanyJoinRequest, Consent, Incubator, Membership
from .selectors import company_join_approvers, company_join_requests_for_decider
from .signals import consent_withdrawn


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


class CompanyJoinError(Exception):
    """A request to join a company that cannot be made or decided; the message is for
    the user."""


def company_join(*, user: User, company: Company) -> CompanyJoinRequest:
    """Ask to be listed at a company already registered. Its enterprise number is public,
    so the person gets nothing of it until someone who speaks for it approves; they are
    told (see `company_join_approvers`)."""
    if company.people.filter(pk=user.pk).exists():
        raise CompanyJoinError(
            _("You are already listed at %(company)s.") % {"company": company.name}
        )
    with transaction.atomic():
        try:
            with transaction.atomic():
                join_request = CompanyJoinRequest.objects.create(company=company, user=user)
        except IntegrityError as exc:
            raise CompanyJoinError(
                _("You already asked to join %(company)s: the request is waiting for approval.")
                % {"company": company.name}
            ) from exc
        for approver in company_join_approvers(company=company, requester=user):
            notification_record(
                kind=notices.COMPANY_JOIN_REQUESTED,
                recipient=approver,
                subject=join_request,
                key=notices.join_request_key(
                    notices.COMPANY_JOIN_REQUESTED, join_request, approver.pk
                ),
            )
    return join_request


def _join_request_close(
    *, join_request: CompanyJoinRequest, status: str, by: User
) -> CompanyJoinRequest:
    updated = CompanyJoinRequest.objects.filter(
        pk=join_request.pk, status=CompanyJoinRequest.Status.PENDING
    ).update(status=status, decided_by=by, decided_at=timezone.now())
    if not updated:
        raise CompanyJoinError(_("This request has already been decided or withdrawn."))
    join_request.refresh_from_db()
    return join_request


def _join_request_decide(
    *, join_request: CompanyJoinRequest, decided_by: User, status: str, kind: str
) -> CompanyJoinRequest:
    if not company_join_requests_for_decider(user=decided_by).filter(pk=join_request.pk).exists():
        raise CompanyJoinError(_("You may not decide this request."))
    with transaction.atomic():
        _join_request_close(join_request=join_request, status=status, by=decided_by)
        if status == CompanyJoinRequest.Status.APPROVED:
            join_request.company.people.add(join_request.user)
        notification_record(
            kind=kind,
            recipient=join_request.user,
            subject=join_request,
            key=notices.join_request_key(kind, join_request, join_request.user_id),
        )
    return join_request


def company_join_approve(
    *, join_request: CompanyJoinRequest, decided_by: User
) -> CompanyJoinRequest:
    """List the person at the company; only someone who may decide it (see
    `company_join_requests_for_decider`) can."""
    return _join_request_decide(
        join_request=join_request,
        decided_by=decided_by,
        status=CompanyJoinRequest.Status.APPROVED,
        kind=notices.COMPANY_JOIN_APPROVED,
    )


def company_join_refuse(
    *, join_request: CompanyJoinRequest, decided_by: User
) -> CompanyJoinRequest:
    return _join_request_decide(
        join_request=join_request,
        decided_by=decided_by,
        status=CompanyJoinRequest.Status.REFUSED,
        kind=notices.COMPANY_JOIN_REFUSED,
    )


def company_join_withdraw(*, join_request: CompanyJoinRequest, user: User) -> CompanyJoinRequest:
    """The person who asked takes their request back."""
    if join_request.user_id != user.pk:
        raise CompanyJoinError(_("You may not decide this request."))
    return _join_request_close(
        join_request=join_request, status=CompanyJoinRequest.Status.WITHDRAWN, by=user
    )


def company_join_requests_decide(
    *, join_requests: Iterable[CompanyJoinRequest], decided_by: User, approve: bool
) -> tuple[int, int]:
    """Approve (or refuse) each request through the decision service; those decided or
    withdrawn meanwhile are left as they are. Returns (decided, left as they were)."""
    decide = company_join_approve if approve else company_join_refuse
    decided = skipped = 0
    for join_request in join_requests:
        try:
            decide(join_request=join_request, decided_by=decided_by)
        except CompanyJoinError:
            skipped += 1
        else:
            decided += 1
    return decided, skipped


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


# --- Consents ----------------------------------------------------------------------------


# No savepoint of its own inside a caller's transaction (a booking's): the create
# below keeps one, for the IntegrityError of a consent recorded at the same moment.
@transaction.atomic(savepoint=False)
def consent_give(
    *, user: User, agency: Agency, purpose: str, given_at: datetime.datetime | None = None
) -> Consent:
    """Record that `user` agreed to share `purpose` with `agency`, with the version of
    the text shown now. An active consent to the same text stands (its first date is the
    one that counts); one to an older text is replaced by this one."""
    version = consent_version_of(purpose)
    active = (
        Consent.objects.select_for_update()
        .filter(user=user, agency=agency, purpose=purpose, ended_at__isnull=True)
        .first()
    )
    if active is not None:
        if active.version == version:
            return active
        Consent.objects.filter(pk=active.pk, ended_at__isnull=True).update(
            ended_at=timezone.now(), end_reason=Consent.EndReason.REPLACED
        )
    try:
        with transaction.atomic():
            return Consent.objects.create(
                user=user,
                agency=agency,
                purpose=purpose,
                version=version,
                given_at=given_at or timezone.now(),
            )
    except IntegrityError:  # recorded at the same moment by another request
        return Consent.objects.get(user=user, agency=agency, purpose=purpose, ended_at__isnull=True)


@transaction.atomic
def consent_withdraw(*, consent: Consent, by: User) -> bool:
    """The person withdraws a consent: the agency stops seeing that data at once (the app
    sharing it listens to `consent_withdrawn`). False when it had already ended."""
    if by.pk != consent.user_id:
        raise PermissionError("Only the person who gave a consent withdraws it.")
    ended = Consent.objects.filter(pk=consent.pk, ended_at__isnull=True).update(
        ended_at=timezone.now(), end_reason=Consent.EndReason.WITHDRAWN
    )
    if not ended:
        return False
    consent.refresh_from_db()
    consent_withdrawn.send(sender=Consent, consent=consent)
    return True


def consent_end_quietly(*, user: User, agency_ids: Iterable[int], purpose: str) -> int:
    """End `user`'s active consents for `purpose` at these agencies because the data they
    covered is no longer shared (the person withdrew it where it is shown): no signal."""
    return Consent.objects.filter(
        user=user, agency_id__in=list(agency_ids), purpose=purpose, ended_at__isnull=True
    ).update(ended_at=timezone.now(), end_reason=Consent.EndReason.WITHDRAWN)
