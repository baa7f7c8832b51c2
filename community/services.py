"""Writes on the community directory: a company's people save, publish and unpublish its
profile; a signed-in visitor writes to a company, which records the message and, in the
same transaction, one email notice per person of the company. Views, the admin and the
demo call these."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from incubators.models import Company, Membership
from notifications.services import notification_record

from . import notices
from .models import RESERVED_SLUGS, CompanyProfile, ContactMessage, LookingFor
from .uploads import check_logo


@dataclass
class CommunityRefused(Exception):
    """Something the person cannot do; `message` is for them."""

    code: str
    message: str

    def __str__(self) -> str:
        return self.message


def _refuse(code: str) -> CommunityRefused:
    messages = {
        "not_people": lambda: _("Only the people of the company can change its profile."),
        "not_member": lambda: _(
            "Only companies whose membership of an incubator is confirmed can publish a "
            "profile in the directory."
        ),
        "not_published": lambda: _("This company's profile is not published."),
        "contact_off": lambda: _(
            "This company does not take messages through the portal at the moment."
        ),
        "own_company": lambda: _("This is your own company: you cannot send it a message."),
        "unverified": lambda: _(
            "Confirm your email address first: the company will answer you there."
        ),
        "no_recipient": lambda: _(
            "Nobody of this company can receive messages at the moment. Try again later."
        ),
    }
    return CommunityRefused(code, messages[code]())


def is_person_of(user: User, company: Company) -> bool:
    """One of the company's confirmed people (Company.people: the one list of them)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and Company.people.through.objects.filter(company=company, user=user).exists()
    )


def _unique_slug(company: Company) -> str:
    base = (slugify(company.name) or "company")[:70].strip("-") or "company"
    taken = set(
        CompanyProfile.objects.filter(slug__startswith=base)
        .exclude(company=company)
        .values_list("slug", flat=True)
    )
    slug, n = base, 1
    while slug in taken or slug in RESERVED_SLUGS:
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def profile_save(
    *,
    company: Company,
    by: User,
    tagline: str,
    description: str,
    looking_for: list[str],
    looking_for_note: str = "",
    contact_enabled: bool = True,
    sector: str | None = None,
    stage: str | None = None,
    logo: UploadedFile | None = None,
    remove_logo: bool = False,
) -> CompanyProfile:
    """Create or update the company's profile (it stays unpublished until published).
    The sector and stage are the company's own fields, shown and filtered on. A new
    `logo` replaces the old one; `remove_logo` takes it away."""
    if not is_person_of(by, company):
        raise _refuse("not_people")
    if logo is not None:
        check_logo(logo)  # the form checked it; a caller that bypasses it is checked too
    values = {
        "tagline": tagline.strip(),
        "description": description.strip(),
        "looking_for_note": looking_for_note.strip(),
        "contact_enabled": contact_enabled,
        **{f"seeks_{value}": value in looking_for for value in LookingFor.values},
    }
    profile = CompanyProfile.objects.select_for_update().filter(company=company).first()
    if profile is None:
        for _attempt in range(3):
            try:
                with transaction.atomic():
                    profile = CompanyProfile.objects.create(
                        company=company, slug=_unique_slug(company), created_by=by, **values
                    )
                break
            except IntegrityError:
                # Another profile took the slug (or this company's profile was just made).
                profile = CompanyProfile.objects.filter(company=company).first()
                if profile is not None:
                    break
        else:
            raise IntegrityError("No free slug for the company's profile.")
    changed_fields = [name for name, value in values.items() if getattr(profile, name) != value]
    if changed_fields:
        for name in changed_fields:
            setattr(profile, name, values[name])
        profile.save(update_fields=[*changed_fields, "updated_at"])
    if logo is not None or (remove_logo and profile.logo):
        _logo_replace(profile, logo)
    changed = []
    for name, value in (("sector", sector), ("stage", stage)):
        if value and getattr(company, name) != value:
            setattr(company, name, value)
            changed.append(name)
    if changed:
        company.save(update_fields=changed)
    return profile


def _logo_replace(profile: CompanyProfile, logo: UploadedFile | None) -> None:
    old = profile.logo.name
    if logo is not None:
        profile.logo.save(logo.name, logo, save=False)
    else:
        profile.logo = ""
    profile.save(update_fields=["logo", "updated_at"])
    if old:
        storage = profile.logo.storage
        # Deleted once the new name is committed; a rollback keeps the old file.
        transaction.on_commit(lambda: storage.delete(old))


def may_publish(company: Company) -> bool:
    """A member company: one of its memberships of an incubator was confirmed (a company
    that has left its incubator stays part of the community)."""
    return Membership.objects.filter(company=company, status=Membership.Status.CONFIRMED).exists()


def profile_publish(*, profile: CompanyProfile, by: User) -> bool:
    """Publish the profile; False if it already was."""
    if not is_person_of(by, profile.company):
        raise _refuse("not_people")
    if not may_publish(profile.company):
        raise _refuse("not_member")
    now = timezone.now()
    updated = CompanyProfile.objects.filter(pk=profile.pk, is_published=False).update(
        is_published=True, published_at=now, updated_at=now
    )
    if updated:
        profile.is_published, profile.published_at = True, now
    return bool(updated)


def profile_unpublish(*, profile: CompanyProfile, by: User) -> bool:
    """Take the profile out of the directory (its page answers 404 to others); False if
    it was not published. The messages already received stay."""
    if not is_person_of(by, profile.company):
        raise _refuse("not_people")
    updated = CompanyProfile.objects.filter(pk=profile.pk, is_published=True).update(
        is_published=False, updated_at=timezone.now()
    )
    if updated:
        profile.is_published = False
    return bool(updated)


def contact_recipients(company: Company) -> list[User]:
    return list(company.people.filter(is_active=True).order_by("pk"))


@transaction.atomic
def contact_message_send(
    *, profile: CompanyProfile, sender: User, subject: str, body: str
) -> ContactMessage:
    """Record the visitor's message and the email to each person of the company, in their
    language, answering to the sender's address (which the company then sees)."""
    profile = CompanyProfile.objects.select_related("company").get(pk=profile.pk)
    company = profile.company
    if not profile.is_published:
        raise _refuse("not_published")
    if not profile.contact_enabled:
        raise _refuse("contact_off")
    if is_person_of(sender, company):
        raise _refuse("own_company")
    # The company answers to this address: it must be the sender's own, confirmed.
    if not EmailAddress.objects.filter(
        user=sender, email__iexact=sender.email, verified=True
    ).exists():
        raise _refuse("unverified")
    recipients = contact_recipients(company)
    if not recipients:
        raise _refuse("no_recipient")
    message = ContactMessage.objects.create(
        company=company,
        sender=sender,
        sender_name=" ".join(sender.get_full_name().split()) or sender.email,
        sender_email=sender.email,
        subject=" ".join(subject.split()),
        body=body.strip(),
    )
    for person in recipients:
        notification_record(
            kind=notices.COMPANY_MESSAGE,
            recipient=person,
            key=f"community-message:{message.pk}:{person.pk}",
            subject=message,
        )
    return message
