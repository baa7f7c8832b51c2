"""Turning a notification into an email, in the recipient's language.

What a notice says is its kind's builder's business (declared by the app that owns the
kind, see registry.py); here is what every email shares: the layout, the headers, the
unsubscribe link of optional mail, and the helpers builders use. A builder returns None
when the message is no longer relevant (a cancelled booking gets no reminder, an empty
agenda is not sent): the object is always checked again right before sending.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from .models import Notification

UNSUBSCRIBE_SALT = "hub_eu.notifications.unsubscribe"
# How many items a digest lists before it says "and N more".
DIGEST_ITEMS = 30


@dataclass
class Email:
    subject: str
    lines: list[str]
    action_url: str = ""
    action_label: str = ""
    attachments: list[tuple[str, bytes, str]] = field(default_factory=list)
    # Where an answer goes (a visitor's message to a company answers to the visitor).
    reply_to: list[str] = field(default_factory=list)


def absolute_url(name: str, **kwargs) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, kwargs=kwargs)


def when(moment: datetime.datetime) -> str:
    """A moment as an email says it, in the active language: "mardi 1 décembre 2026, 10:30"."""
    local = timezone.localtime(moment)
    return f"{date_format(local, 'l j F Y')}, {local:%H:%M}"


def unsubscribe_token(*, user_id: int, preference: str) -> str:
    return signing.dumps({"u": user_id, "p": preference}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_token_read(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    return data["u"], str(data.get("p", ""))


def _unsubscribe_url(notification: Notification, preference: str) -> str:
    token = unsubscribe_token(user_id=notification.recipient_id, preference=preference)
    return absolute_url("notifications:unsubscribe", token=token)


def build_email(notification: Notification) -> EmailMultiAlternatives | None:
    """The message in the recipient's language, or None when it is no longer relevant."""
    recipient = notification.recipient
    if not recipient.is_active:
        return None
    kind = notification.notice_kind
    if kind.preference and not getattr(recipient, kind.preference):
        return None
    if notification.subject_id is not None and notification.subject is None:
        return None  # what it was about has been deleted
    with translation.override(recipient.language):
        email = kind.build(notification)
        if email is None:
            return None
        unsubscribe_url = _unsubscribe_url(notification, kind.preference) if kind.preference else ""
        context = {"email": email, "recipient": recipient, "unsubscribe_url": unsubscribe_url}
        headers = {"X-Hub-Notification": notification.key}
        if unsubscribe_url:
            # RFC 2369 and RFC 8058: mail clients offer a one-click "unsubscribe".
            headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message = EmailMultiAlternatives(
            subject=email.subject,
            body=render_to_string("emails/notification.txt", context),
            to=[recipient.email],
            reply_to=email.reply_to,
            headers=headers,
        )
        message.attach_alternative(
            render_to_string("emails/notification.html", context), "text/html"
        )
        for name, content, mimetype in email.attachments:
            message.attach(name, content, mimetype)
    return message


__all__ = [
    "DIGEST_ITEMS",
    "Email",
    "absolute_url",
    "build_email",
    "unsubscribe_token",
    "unsubscribe_token_read",
    "when",
]
