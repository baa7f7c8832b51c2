"""The community directory's part of a person's data (accounts.personal_data): the
messages they sent to companies, and those their companies received (they read them in
My space too). Erasure blanks the messages the person sent (the company has had them by
email); a company's profile is the company's, not the person's, and stays."""

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.personal_data import ERASED_TEXT, eraser, fields_of, retention, section

from .models import ContactMessage

FIELDS = ("company", "subject", "body", "created_at")
ERASED_EMAIL = "erased@invalid"


@section("community_messages_sent", _("Messages sent to companies of the directory"), order=80)
def messages_sent(user: User) -> list[dict[str, Any]]:
    return [
        fields_of(message, "sender_name", "sender_email", *FIELDS)
        for message in ContactMessage.objects.filter(sender=user).select_related("company")
    ]


@section(
    "community_messages_received",
    _("Messages your companies received through the directory"),
    order=81,
)
def messages_received(user: User) -> list[dict[str, Any]]:
    return [
        fields_of(message, "sender_name", "sender_email", *FIELDS)
        for message in ContactMessage.objects.filter(company__people=user).select_related("company")
    ]


def _blank(messages) -> int:
    return messages.update(
        sender_name=ERASED_TEXT, sender_email=ERASED_EMAIL, subject=ERASED_TEXT, body=ERASED_TEXT
    )


@eraser
def erase(user: User) -> None:
    _blank(ContactMessage.objects.filter(sender=user))


@retention("community_messages", _("Messages to companies of the directory"))
def purge_messages(*, before: datetime.datetime, dry_run: bool = False) -> int:
    old = ContactMessage.objects.filter(created_at__lt=before).exclude(body=ERASED_TEXT)
    if dry_run:
        return old.count()
    return _blank(ContactMessage.objects.filter(pk__in=list(old.values_list("pk", flat=True))))
