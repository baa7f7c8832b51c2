"""A person's rights over their data (access, erasure), the retention periods, and the
log that shows who did what with personal data. Every app's part is declared in its
own `personal_data.py` (see personal_data.py); this module only runs them."""

import datetime
import logging
from dataclasses import dataclass
from functools import partial
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import personal_data
from .models import PersonalDataEvent, User

logger = logging.getLogger(__name__)


def personal_data_log(
    *, kind: str, actor: User | None, what: str, subject: User | None = None
) -> PersonalDataEvent:
    """One line of the accountability log (the coordinator reads it in the admin)."""
    actor = actor if actor is not None and actor.is_authenticated else None
    return PersonalDataEvent.objects.create(
        kind=kind, actor=actor, subject=subject, what=str(what)[:300]
    )


def personal_data_collect(*, user: User) -> dict[str, Any]:
    """Everything the portal holds about `user`, section by section (nothing logged)."""
    return {
        "generated_at": timezone.localtime().isoformat(),
        "sections": {
            s.code: {"label": str(s.label), "data": s.export(user)}
            for s in personal_data.sections()
        },
    }


def personal_data_export(*, user: User, what: str) -> dict[str, Any]:
    """A person's access request: their data, and a line in the log."""
    data = personal_data_collect(user=user)
    personal_data_log(kind=PersonalDataEvent.Kind.ACCESS, actor=user, subject=user, what=what)
    return data


class ErasureRefused(Exception):
    pass


def user_erase(*, user: User, now: datetime.datetime | None = None) -> User:
    """The person deletes their account. Each app anonymises its rows (a booking stays
    for the counts, its text goes); then the user row keeps only its id: no name, no
    address, no password, inactive. The goodbye email goes straight to the address held
    in memory, never through the outbox, which would keep the address in the database."""
    if user.erased_at is not None:
        return user
    if user.is_staff or user.is_superuser:
        # The coordinator's account opens the admin: another coordinator removes it.
        raise ErasureRefused(_("A coordinator's account is removed by another coordinator."))
    now = now or timezone.now()
    address, language = user.email, user.language
    with transaction.atomic():
        for erase in personal_data.erasers():
            erase(user)
        EmailAddress.objects.filter(user=user).delete()
        user.groups.clear()
        user.user_permissions.clear()
        user.email = f"erased-{user.pk}@invalid"
        user.first_name = ""
        user.last_name = ""
        user.language = settings.LANGUAGE_CODE
        user.is_active = False
        user.last_login = None
        user.digest_needs = user.digest_permanences = user.survey_invitations = False
        user.erased_at = now
        # Changes the session hash too: every session of the account ends at its next request.
        user.set_unusable_password()
        user.save()
        personal_data_log(
            kind=PersonalDataEvent.Kind.ERASURE,
            actor=user,
            subject=user,
            what=_("Account deleted by the person; personal data erased."),
        )
        transaction.on_commit(partial(_send_goodbye, address=address, language=language))
    return user


def _send_goodbye(*, address: str, language: str) -> None:
    with translation.override(language):
        message = EmailMessage(
            subject=_("Your hub.eu account is deleted"),
            body=render_to_string("accounts/email_erased.txt", {"site_url": settings.SITE_URL}),
            to=[address],
        )
    try:
        message.send()
    except Exception as exc:  # noqa: BLE001 - the account is gone either way; say it in the log
        logger.warning("The account-deleted email could not be sent: %s", exc)


@dataclass(frozen=True)
class RetentionDue:
    code: str
    label: Any
    days: int
    due_now: int  # older than the period: the next run anonymises them
    due_within: int  # ... and these within the coming `horizon_days`


def retention_preview(
    *, now: datetime.datetime | None = None, horizon_days: int = 30
) -> list[RetentionDue]:
    """What the retention task will anonymise at its next run, and in the month after."""
    now = now or timezone.now()
    rows = []
    for rule in personal_data.retentions():
        cutoff = rule.cutoff(now)
        if cutoff is None:
            rows.append(RetentionDue(rule.code, rule.label, 0, 0, 0))
            continue
        due_now = rule.purge(before=cutoff, dry_run=True)
        later = rule.purge(before=cutoff + datetime.timedelta(days=horizon_days), dry_run=True)
        rows.append(RetentionDue(rule.code, rule.label, rule.days, due_now, later - due_now))
    return rows


def personal_data_purge(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Anonymise what is older than its retention period (the beat runs it nightly);
    each rule in its own transaction, and a line in the log when something went."""
    now = now or timezone.now()
    done: dict[str, int] = {}
    for rule in personal_data.retentions():
        cutoff = rule.cutoff(now)
        if cutoff is None:
            continue
        with transaction.atomic():
            count = rule.purge(before=cutoff, dry_run=False)
            if count:
                personal_data_log(
                    kind=PersonalDataEvent.Kind.RETENTION,
                    actor=None,
                    what=f"{rule.code}: {count} (> {rule.days} d)",
                )
        done[rule.code] = count
    return done


# --- The accounts app's own part --------------------------------------------------------


@personal_data.section("profile", gettext_lazy("Profile"), order=10)
def _profile(user: User) -> dict[str, Any]:
    return personal_data.fields_of(
        user,
        "email",
        "first_name",
        "last_name",
        "language",
        "role",
        "digest_needs",
        "digest_permanences",
        "survey_invitations",
        "date_joined",
        "last_login",
        email_addresses=", ".join(
            EmailAddress.objects.filter(user=user).values_list("email", flat=True)
        ),
    )


@personal_data.section("requests", gettext_lazy("Your requests about your data"), order=90)
def _requests(user: User) -> list[dict[str, Any]]:
    return [
        personal_data.fields_of(event, "kind", "what", "created_at")
        for event in PersonalDataEvent.objects.filter(subject=user)
    ]
